"""`python -m benchmarks [--json] [--quick]`: measure the DESIGN.md §5 bars and print them against the bars."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    limit: float
    unit: str


BARS = (
    Bar("startup_ratio", "启动到主窗口空闲 / 空白 QMainWindow 启动", 2.0, "×"),
    Bar("edit_p95_ms", "单元格编辑→保存+合计+审核刷新（60 个单位）p95", 10.0, "ms"),
    Bar("rollup_checks_200_ms", "200 个单位汇总 + 全部审核", 100.0, "ms"),
    Bar("export_all_s", "示例导出 DOCX+PDF+XLSX+HTML", 2.0, "s"),
    Bar("export_docx_s", "示例导出 DOCX", 0.3, "s"),
    Bar("import_60_s", "导入 60 份交回模板", 10.0, "s"),
    Bar("read_report_doc_s", "读取一份已发布的报告（PDF，LibreOffice 生成，6 页）", 1.0, "s"),
    Bar("import_reports_60_s", "导入 60 份报告文档（Word/网页/PDF 各 20）", 30.0, "s"),
    Bar("rss_summary_mb", "打开汇总图表时的内存（RSS）", 300.0, "MB"),
    Bar("open_10y200u_s", "打开 10 年 × 200 单位的工作区并载入主报告", 1.0, "s"),
    # issue 6: the chart on screen redrawn after one cell edit (measured in the same process as the RSS)
    Bar("chart_redraw_ms", "修改一个单元格后汇总图表重绘（示例）", 300.0, "ms"),
)
KEYS = tuple(b.key for b in BARS)


class Skip(Exception):
    """A figure that cannot be measured yet (a part of the app is missing); the message says which."""


@dataclass
class Settings:
    runs: int  # repetitions of the slower measurements (median taken)
    edits: int  # cell edits timed for the p95
    scale: float  # 1.0: the sizes of DESIGN §5; the smoke test uses a tiny fraction
    work: Path

    def n(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        RUIAN_DESK_HOME=str(home),
        MPLBACKEND="Agg",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _probe(s: Settings, name: str, args: dict[str, Any], timeout: float = 240) -> dict[str, Any]:
    r = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", name, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(s.work / "home"),
        timeout=timeout,
    )
    for line in r.stdout.splitlines():
        if line.startswith("PROBE-RESULT "):
            return json.loads(line[len("PROBE-RESULT ") :])
    tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
    raise RuntimeError(f"probe {name} failed (exit {r.returncode}): {' | '.join(tail)}")


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@contextlib.contextmanager
def _timed() -> Iterator[list[float]]:
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


# ------------------------------------------------------------------------------------ fixtures


class Fixtures:
    """Workspaces built once per run, on demand."""

    def __init__(self, s: Settings):
        self.s = s
        self._cache: dict[str, Path] = {}

    def _get(self, key: str, build: Callable[[Path], Path]) -> Path:
        if key not in self._cache:
            folder = self.s.work / key
            folder.mkdir(parents=True, exist_ok=True)
            self._cache[key] = build(folder / "workspace.sqlite")
        return self._cache[key]

    def sample(self) -> Path:
        from benchmarks.fixtures import sample_workspace

        return self._get("sample", sample_workspace)

    def units(self, n: int) -> Path:
        from benchmarks.fixtures import grown_sample

        return self._get(f"units{n}", lambda p: grown_sample(p, n))

    def years(self, years: int, units: int) -> Path:
        from benchmarks.fixtures import many_years

        return self._get(f"y{years}u{units}", lambda p: many_years(p, years, units))

    def copy(self, source: Path, name: str) -> Path:
        target = self.s.work / "copies" / name / source.name
        if target.parent.exists():
            shutil.rmtree(target.parent)
        target.parent.mkdir(parents=True)
        import sqlite3

        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        src.backup(dst)
        src.close()
        dst.close()
        return target


# -------------------------------------------------------------------------------- measurements


IDLE_MARK = "RUIAN-DESK-IDLE"
CHECKED_MARK = "RUIAN-DESK-CHECKED"

# The bare side of the start-up ratio: a PySide6 QMainWindow shown, and the same idle marker the app prints
# (ruian_desk/app.py, RUIAN_DESK_EXIT_WHEN_IDLE): wall-clock time at the event loop's first pass, then quit.
BARE_WINDOW = (
    "import time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\nw = QMainWindow()\nw.resize(1280, 800)\nw.show()\n"
    "def idle():\n"
    f"    print(f'{IDLE_MARK} {{time.time():.6f}}', flush=True)\n"
    "    app.quit()\n"
    "QTimer.singleShot(0, idle)\napp.exec()\n"
)


def compile_package() -> None:
    """Byte-compile ruian_desk as an installed wheel has it (pip compiles on install; the benchmark's
    environment sets PYTHONDONTWRITEBYTECODE, so otherwise every start would compile the app's sources)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "ruian_desk")],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def startup_ratio(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """Process spawn → the event loop's first pass with the main window shown (a wall-clock marker printed
    by the process), for `python main.py --workspace <sample>` and for a bare QMainWindow, same run,
    interleaved. Teardown is left out on both sides (it is in the notes, whole-process)."""
    sample = fx.sample()
    compile_package()
    env = {**_env(s.work / "home"), "RUIAN_DESK_EXIT_WHEN_IDLE": "1"}
    app_cmd = [sys.executable, str(ROOT / "main.py"), "--workspace", str(sample)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]

    def once(cmd: list[str], run_env: dict[str, str] = env) -> dict[str, float]:
        start = time.time()
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=run_env, timeout=120)
        elapsed = time.time() - start
        if r.returncode != 0:
            tail = (r.stderr or r.stdout).strip().splitlines()[-2:]
            raise RuntimeError(f"{cmd[1]} exit {r.returncode}: {' | '.join(tail)}")
        marks = {
            line.split()[0]: float(line.split()[1]) - start
            for line in r.stdout.splitlines()
            if line.startswith((IDLE_MARK, CHECKED_MARK))
        }
        if IDLE_MARK not in marks:
            raise RuntimeError(f"{cmd[1]} printed no {IDLE_MARK} marker")
        return {"idle": marks[IDLE_MARK], "checked": marks.get(CHECKED_MARK, 0.0), "exit": elapsed}

    once(app_cmd)  # warm-up (file caches)
    once(bare_cmd)
    app_runs, bare_runs = [], []
    # Short runs, easily disturbed by other work on the machine: more of them than the other figures take.
    for _ in range(max(7, s.runs) if s.scale >= 1 else 3):
        bare_runs.append(once(bare_cmd))
        app_runs.append(once(app_cmd))
    checked_env = {**env, "RUIAN_DESK_EXIT_WHEN_IDLE": "checked"}
    checked = statistics.median(once(app_cmd, checked_env)["checked"] for _ in range(3))

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    app_s, bare_s = med(app_runs, "idle"), med(bare_runs, "idle")
    app_x, bare_x = med(app_runs, "exit"), med(bare_runs, "exit")
    heavy = _probe(s, "heavy_at_start", {"workspace": str(sample)})["heavy"]
    notes["startup_ratio"] = (
        f"to idle: app {app_s * 1000:.0f} ms, bare QMainWindow {bare_s * 1000:.0f} ms (median of "
        f"{len(app_runs)}, package byte-compiled); check counts shown at {checked * 1000:.0f} ms "
        f"({checked / bare_s:.2f}×); whole process with exit: {app_x * 1000:.0f} / {bare_x * 1000:.0f} ms "
        f"({app_x / bare_x:.2f}×); "
        + ("heavy libraries at start: none" if not heavy else f"imported at start: {', '.join(heavy)}")
    )
    return app_s / bare_s


def edit_p95_ms(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """One typed cell of the main report → stored, the report (totals) reloaded, all checks rerun — through
    the GUI's AppContext, and through the table model when the GUI's editors exist."""
    if not _has("PySide6"):
        raise Skip("PySide6 not installed")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ruian_desk.domain.formats import get_format
    from ruian_desk.gui.context import AppContext
    from ruian_desk.storage.assemble import resolve_report_id
    from ruian_desk.storage.workspace import open_workspace

    n_units = s.n(60, 2)
    path = fx.copy(fx.units(n_units), "edit")
    app = QApplication.instance() or QApplication(["benchmark"])
    ws = open_workspace(path)
    try:
        rid = resolve_report_id(ws.repo, 2019)
        ctx = AppContext(ws, rid)
        fmt = get_format(ctx.report().format_id)  # type: ignore[union-attr]
        # 表二 is the main organ's own table (scope own): the cells the clerk types into this report
        cells = [c.id for c in fmt.cells.values() if c.table == "t2" and not c.derived and c.type == "int"]
        model = None
        if _has("ruian_desk.gui.editors.table_model"):
            table_model = importlib.import_module("ruian_desk.gui.editors.table_model")
            model = table_model.GridTableModel(ctx, "t2", fmt.id)
            model.set_report(ctx.report(), readonly=False)
        how = "GridTableModel.setData" if model is not None else "repo.set_cell + notify_changed"
        times = []
        for i in range(s.edits + 5):
            cid = cells[i % len(cells)]
            value = 100 + i
            start = time.perf_counter()
            if model is not None:
                ok = model.setData(model.index_of(cid), str(value))
                if not ok:
                    raise RuntimeError(f"the table model refused {cid}")
            else:
                ctx.repo.set_cell(rid, cid, value)
                ctx.notify_changed(rid)
            report = ctx.report()
            assert report is not None and report.values.get(cid) == value
            ctx.issues()
            if model is not None:
                model.data(model.index_of(cid))
            times.append(time.perf_counter() - start)
            app.processEvents()
        times = sorted(times[5:])  # the first edits warm caches
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        notes["edit_p95_ms"] = (
            f"{how} + report reload + all checks, {len(times)} edits, {n_units} units; "
            f"median {statistics.median(times) * 1000:.1f} ms"
        )
        return p95 * 1000
    finally:
        ws.close()


def rollup_checks_200_ms(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """The county report rolled up over 200 unit reports read from the workspace, then every check. Each run
    opens the workspace afresh, so nothing is cached from an earlier run (the cold case: opening the county
    report); the warm case (the same again after an edit elsewhere) goes in the notes."""
    from ruian_desk.domain.rules import run_checks
    from ruian_desk.storage import assemble
    from ruian_desk.storage.workspace import open_workspace

    n_units = s.n(200, 2)
    path = fx.units(n_units)
    effective = getattr(assemble, "effective_report", None)
    cold: list[float] = []
    warm: list[float] = []
    issues = 0
    for _ in range(s.runs + 1):
        with open_workspace(path, readonly=True) as ws:
            rid = assemble.resolve_report_id(ws.repo, 2019)
            for times in (cold, warm):
                start = time.perf_counter()
                report = effective(ws.repo, rid) if effective else ws.repo.load_report(rid)
                context = assemble.check_context(ws.repo, report)
                found = run_checks(report, context)
                times.append(time.perf_counter() - start)
                issues = len(found)
                assert len(context.units) >= n_units - 1
    cold, warm = cold[1:], warm[1:]  # the very first run also pays for imports and the page cache
    notes["rollup_checks_200_ms"] = (
        f"{'effective_report (roll-up)' if effective else 'load_report (no roll-up module yet)'} + "
        f"check_context + run_checks over {n_units} unit reports read from the workspace ({issues} issues); "
        f"first time after opening, median of {len(cold)}; again without changes: "
        f"{statistics.median(warm) * 1000:.1f} ms"
    )
    return statistics.median(cold) * 1000


def _export(s: Settings, fx: Fixtures, formats: list[str], tag: str) -> tuple[float, list[str]]:
    sample = fx.sample()
    times = []
    names: list[str] = []
    for i in range(s.runs):
        out = s.work / "exports" / f"{tag}{i}"
        result = _probe(
            s, "export", {"workspace": str(sample), "year": 2019, "formats": formats, "out": str(out)}
        )
        names = result["formats"]
        times.append(result["seconds"])
    return statistics.median(times), names


def _registered() -> set[str]:
    from ruian_desk.export.bundle import formats

    return set(formats())


def export_all_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    wanted = ["docx", "pdf", "xlsx", "html"]
    have = [f for f in wanted if f in _registered()]
    if not have:
        raise Skip("no DOCX/PDF/XLSX/HTML exporter registered yet")
    seconds, names = _export(s, fx, wanted, "all")
    missing = [f for f in wanted if f not in names]
    notes["export_all_s"] = (
        f"{'+'.join(names)} + manifest, fresh process (library imports included), median of {s.runs}"
        + (f"; not registered yet: {', '.join(missing)}" if missing else "")
    )
    return seconds


def export_docx_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if "docx" not in _registered():
        raise Skip("DOCX exporter not registered yet")
    seconds, _ = _export(s, fx, ["docx"], "docx")
    notes["export_docx_s"] = f"fresh process (python-docx import included), median of {s.runs}"
    return seconds


def import_60_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if not _has("ruian_desk.exchange.unit_template"):
        raise Skip("ruian_desk.exchange.unit_template not present yet")
    from ruian_desk.storage.workspace import open_workspace

    ut: Any = importlib.import_module("ruian_desk.exchange.unit_template")
    # the reader may live in its own module beside the writer
    reader: Any = (
        importlib.import_module("ruian_desk.exchange.template_import")
        if _has("ruian_desk.exchange.template_import")
        else ut
    )

    n = s.n(60, 2)
    source = fx.units(n)
    folder = s.work / "templates"
    if folder.exists():
        shutil.rmtree(folder)
    with open_workspace(fx.copy(source, "issue"), daily_backup=False) as ws:
        written = ut.generate_templates(ws, 2019, folder)
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
            results, problems = reader.import_files(ws, [folder])
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
        rids = [r for r in ws.repo.report_ids_for_year(2019) if main is None or ws.repo.load_report(r).unit != main.name]
        for i, rid in enumerate(rids[:n]):
            view = build_view(ws.repo, rid, options=ExportOptions())
            written = export_bundle(view, [kinds[i % 3]], folder / str(i))
            files.extend(Path(p) for p in written if not str(p).endswith("manifest.json"))
    blank = fx.copy(source, "blank-docs")
    with open_workspace(blank, daily_backup=False) as ws:
        _drop_unit_reports(ws, 2019)
    return blank, files


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


def import_reports_60_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    from ruian_desk.exchange.documents.importer import plan_document, read_files, store_plans
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
            store_plans(ws, plans)
            times.append(time.perf_counter() - start)
        refused = [p for p in plans if not p.ok]
        if refused:
            raise RuntimeError(f"{len(refused)} of {len(plans)} documents not imported: {refused[0].refused}")
    notes["import_reports_60_s"] = (
        f"{len(files)} unit reports (Word/web page/PDF in turn), read + planned + stored with the pre-import "
        f"backup, median of {s.runs}"
    )
    return statistics.median(times)


def rss_summary_mb(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if not _has("ruian_desk.gui.chart_panel"):
        raise Skip("ruian_desk.gui.chart_panel not present yet")
    sample = fx.copy(fx.sample(), "rss")
    results = [_probe(s, "summary_rss", {"workspace": str(sample)}) for _ in range(max(1, s.runs // 2))]
    rss = statistics.median(r["rss_mb"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    notes["rss_summary_mb"] = f"main window + 汇总图表 drawn, offscreen; peak {peak:.0f} MB"
    redraws = [ms for r in results for ms in r["redraw_ms"]]
    _REDRAWS[:] = redraws
    return rss


_REDRAWS: list[float] = []  # filled by rss_summary_mb (same process, same open summary view)


def chart_redraw_ms(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if not _REDRAWS:
        rss_summary_mb(s, fx, {})
    if not _REDRAWS:
        raise Skip("the summary view could not be measured")
    worst = max(_REDRAWS)
    notes["chart_redraw_ms"] = (
        f"a unit's 表三 cell edited → stored, county report reloaded (roll-up, checks), 申请人类型 chart rebuilt "
        f"and drawn; median of {len(_REDRAWS)} edits, slowest {worst:.0f} ms"
    )
    return statistics.median(_REDRAWS)


def open_10y200u_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    years, units = s.n(10, 2), s.n(200, 2)
    with _timed() as built:
        path = fx.years(years, units)
    size = path.stat().st_size
    first = _probe(s, "open_main", {"workspace": str(path)})  # first open of the day: daily backup too
    runs = [_probe(s, "open_main", {"workspace": str(path)}) for _ in range(s.runs)]
    seconds = statistics.median(r["seconds"] for r in runs)
    notes["open_10y200u_s"] = (
        f"{years} years × {units + 1} reports, {size / 2**20:.0f} MB (built in {built[0]:.0f} s); "
        f"open (lock, quick_check, version) + main report with roll-up; median of {len(runs)}; "
        f"first open of a day, with its verified daily backup: {first['seconds']:.2f} s"
    )
    return seconds


MEASURES: dict[str, Callable[[Settings, Fixtures, dict[str, str]], float]] = {
    "startup_ratio": startup_ratio,
    "edit_p95_ms": edit_p95_ms,
    "rollup_checks_200_ms": rollup_checks_200_ms,
    "export_all_s": export_all_s,
    "export_docx_s": export_docx_s,
    "import_60_s": import_60_s,
    "read_report_doc_s": read_report_doc_s,
    "import_reports_60_s": import_reports_60_s,
    "rss_summary_mb": rss_summary_mb,
    "open_10y200u_s": open_10y200u_s,
    "chart_redraw_ms": chart_redraw_ms,
}


# ---------------------------------------------------------------------------------------- main


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    try:
        from importlib.metadata import version

        qt = f", PySide6 {version('PySide6-Essentials')}"
    except Exception:  # noqa: BLE001 - not installed under that name
        qt = ""
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{qt}"
    )


def run(
    s: Settings, only: list[str] | None = None, log: Callable[[str], None] | None = None
) -> dict[str, Any]:
    fx = Fixtures(s)
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key in KEYS:
        if only and key not in only:
            figures[key] = None
            notes[key] = "not run (--only)"
            continue
        if log:
            log(f"measuring {key} …")
        start = time.perf_counter()
        try:
            figures[key] = round(MEASURES[key](s, fx, notes), 4)
        except Skip as exc:
            figures[key] = None
            notes[key] = f"not measured: {exc}"
        except Exception as exc:  # noqa: BLE001 - one broken measurement must not hide the others
            figures[key] = None
            notes[key] = f"failed: {type(exc).__name__}: {exc}"[:400]
        if log:
            log(f"  {key}: {figures[key]} ({time.perf_counter() - start:.1f} s)")
    return {**figures, "notes": notes}


def table(result: dict[str, Any]) -> str:
    lines = [f"{'figure':<22} {'measured':>10} {'bar':>10}  verdict  what", "-" * 100]
    for b in BARS:
        value = result.get(b.key)
        if value is None:
            shown, verdict = "—", "n/a"
        else:
            shown = f"{value:.2f}" if b.unit != "ms" else f"{value:.1f}"
            verdict = "ok" if value <= b.limit else "OVER"
        lines.append(
            f"{b.key:<22} {shown + ' ' + b.unit:>10} {'≤ ' + format(b.limit, 'g') + ' ' + b.unit:>10}  {verdict:<7}  {b.label}"
        )
    lines.append("")
    for key, note in result.get("notes", {}).items():
        lines.append(f"  {key}: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--json", action="store_true", help="print one JSON object (the figures + notes)")
    p.add_argument(
        "--quick", action="store_true", help="fewer repetitions (a rough reading in about a minute)"
    )
    p.add_argument(
        "--scale", type=float, default=1.0, help=argparse.SUPPRESS
    )  # tiny sizes for the smoke test
    p.add_argument("--only", help="comma-separated figure keys")
    p.add_argument("--keep", action="store_true", help="keep the temporary workspaces (path printed)")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ruian-bench-"))
    (work / "home").mkdir()
    os.environ["RUIAN_DESK_HOME"] = str(work / "home")  # never the user's real data folder
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    s = Settings(runs=3 if args.quick else 5, edits=60 if args.quick else 200, scale=args.scale, work=work)
    if args.scale < 1:
        s = Settings(runs=1, edits=5, scale=args.scale, work=work)
    only = [k.strip() for k in args.only.split(",")] if args.only else None
    log = None if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    start = time.perf_counter()
    try:
        result = run(s, only, log)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["notes"]["machine"] = machine()
    result["notes"]["total"] = f"{time.perf_counter() - start:.0f} s"
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(table(result))
        if args.keep:
            print(f"\nworkspaces kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
