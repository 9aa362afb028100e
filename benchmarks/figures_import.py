"""Figures of what comes in: returned templates, published report documents."""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.core import Fixtures, Settings, figure


@figure("import_60_s", "导入 60 份交回模板", 10.0, "s")
def import_60_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    from ruian_desk.exchange import unit_template as ut
    from ruian_desk.services.imports import import_files
    from ruian_desk.services.templates import generate_templates
    from ruian_desk.storage.workspace import open_workspace

    n = s.n(60, 2)
    source = fx.units(n)
    folder = s.work / "templates"
    if folder.exists():
        shutil.rmtree(folder)
    with open_workspace(fx.copy(source, "issue"), daily_backup=False) as ws:
        written = generate_templates(ws, 2019, folder)
    # The target: the same units, their 2019 reports not in yet (so every file is a first import).
    blank = fx.copy(source, "blank")
    with open_workspace(blank, daily_backup=False) as ws:
        _drop_unit_reports(ws, 2019)
        if hasattr(ws.repo, "record_import"):
            for f in written:
                ws.repo.record_import(
                    None, 2019, f.name, "", getattr(ut, "ISSUED_KIND", "template"), "issued"
                )
    times = []
    for i in range(s.runs):
        target = fx.copy(blank, f"import{i}")
        with open_workspace(target, daily_backup=False) as ws:
            start = time.perf_counter()
            results, problems = import_files(ws, [folder])
            times.append(time.perf_counter() - start)
        refused = [r for r in results if not r.ok]
        if refused or problems or len(results) != len(written):
            raise RuntimeError(
                f"import refused {len(refused)} of {len(results)}: {refused[0].problems[:2] if refused else problems}"
            )
    notes["import_60_s"] = (
        f"{len(written)} templates, first import (incl. the pre-import backup), median of {s.runs}"
    )
    return statistics.median(times)


def _drop_unit_reports(ws: Any, year: int) -> None:
    """The units' reports of `year` taken out (the main organ's kept): every file is then a first import."""
    main = ws.repo.main_organ()
    for rid in ws.repo.report_ids_for_year(year):
        if main is None or ws.repo.load_report(rid).unit != main.name:
            ws.repo.delete_report(rid)


def _unit_documents(s: Settings, fx: Fixtures, n: int) -> tuple[Path, list[Path]]:
    """n units' 2019 reports exported as Word, web page and PDF in turn; the workspace without them."""
    from ruian_desk.export.bundle import export_bundle
    from ruian_desk.export.view import ExportOptions, build_view
    from ruian_desk.storage.workspace import open_workspace

    source = fx.units(n)
    folder = s.work / "documents"
    if folder.exists():
        shutil.rmtree(folder)
    files: list[Path] = []
    kinds = ("docx", "html", "pdf")
    with open_workspace(source, readonly=True) as ws:
        main = ws.repo.main_organ()
        rids = [
            r
            for r in ws.repo.report_ids_for_year(2019)
            if main is None or ws.repo.load_report(r).unit != main.name
        ]
        for i, rid in enumerate(rids[:n]):
            view = build_view(ws.repo, rid, options=ExportOptions())
            written = export_bundle(view, [kinds[i % 3]], folder / str(i))
            files.extend(Path(p) for p in written if not str(p).endswith("manifest.json"))
    blank = fx.copy(source, "blank-docs")
    with open_workspace(blank, daily_backup=False) as ws:
        _drop_unit_reports(ws, 2019)
    return blank, files


@figure("read_report_doc_s", "读取一份已发布的报告（PDF，LibreOffice 生成，6 页）", 1.0, "s")
def read_report_doc_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """A published-style PDF (LibreOffice, 6 pages, 表三 over two pages) read in process; the app's own Qt PDF
    of the sample (11 pages, every glyph placed on its own, the slowest kind seen) is in the notes."""
    from ruian_desk.exchange.documents.importer import read_file
    from ruian_desk.export.bundle import export_bundle
    from ruian_desk.export.view import ExportOptions, build_view
    from ruian_desk.storage.assemble import resolve_report_id
    from ruian_desk.storage.workspace import open_workspace

    published = Path(__file__).resolve().parents[1] / "tests" / "documents" / "files" / "libreoffice-2021.pdf"
    with open_workspace(fx.sample(), readonly=True) as ws:
        view = build_view(ws.repo, resolve_report_id(ws.repo, 2019, None), options=ExportOptions())
    (own,) = [Path(p) for p in export_bundle(view, ["pdf"], s.work / "read-one") if str(p).endswith(".pdf")]

    def median_read(pdf: Path) -> float:
        times = []
        for _ in range(max(s.runs, 3)):
            start = time.perf_counter()
            rr = read_file(pdf)
            times.append(time.perf_counter() - start)
            if not rr.ok or len(rr.cells) < 150:
                raise RuntimeError(f"{pdf.name} was not read: {rr.refused or rr.problems[:2]}")
        return statistics.median(times)

    own_s = median_read(own)
    if not published.exists():
        notes["read_report_doc_s"] = f"the sample's own Qt PDF (11 pages), median of {max(s.runs, 3)}"
        return own_s
    seconds = median_read(published)
    notes["read_report_doc_s"] = (
        f"a LibreOffice PDF of a 2021 report (6 pages, 表三 over two pages, 200 cells), read and understood in "
        f"process, median of {max(s.runs, 3)}; the app's own Qt PDF of the sample (11 pages, glyph by glyph): "
        f"{own_s:.2f} s; Word and web pages take about 0.06 s"
    )
    return seconds


@figure("import_reports_60_s", "导入 60 份报告文档（Word/网页/PDF 各 20）", 30.0, "s")
def import_reports_60_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    from ruian_desk.exchange.documents.importer import plan_document, read_files
    from ruian_desk.services.imports import store_documents
    from ruian_desk.storage.workspace import open_workspace

    n = s.n(60, 3)
    blank, files = _unit_documents(s, fx, n)
    times = []
    for i in range(s.runs):
        target = fx.copy(blank, f"import-docs{i}")
        with open_workspace(target, daily_backup=False) as ws:
            start = time.perf_counter()
            reads = read_files(files)
            plans = [plan_document(ws.repo, rr) for rr in reads]
            store_documents(ws, plans)
            times.append(time.perf_counter() - start)
        refused = [p for p in plans if not p.ok]
        if refused:
            raise RuntimeError(f"{len(refused)} of {len(plans)} documents not imported: {refused[0].refused}")
    notes["import_reports_60_s"] = (
        f"{len(files)} unit reports (Word/web page/PDF in turn), read + planned + stored with the pre-import "
        f"backup, median of {s.runs}"
    )
    return statistics.median(times)
