"""Figures of issue 12: published copies verified, and the cross-unit copy map."""

from __future__ import annotations

import random
import shutil
import statistics
import time
from pathlib import Path

from benchmarks.core import Fixtures, Settings, figure


@figure("verify_60_s", "核验 60 份已发布的报告（Word/网页/PDF 各 20）", 30.0, "s")
def verify_60_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    from ruian_desk.exchange.documents.importer import read_files
    from ruian_desk.exchange.documents.verify import SAME, record_results, verify_documents
    from ruian_desk.export.bundle import export_bundle
    from ruian_desk.export.view import ExportOptions, build_view
    from ruian_desk.storage.workspace import open_workspace

    n = s.n(60, 3)
    source = fx.copy(fx.units(n), "verify-source")
    folder = s.work / "published"
    if folder.exists():
        shutil.rmtree(folder)
    files: list[Path] = []
    kinds = ("docx", "html", "pdf")
    with open_workspace(source, daily_backup=False) as ws:
        main = ws.repo.main_organ()
        rids = [
            r
            for r in ws.repo.report_ids_for_year(2019)
            if main is None or ws.repo.load_report(r).unit != main.name
        ]
        with ws.db.atomic():  # the generated units' copies name their own unit in the title and 落款
            for rid in rids:
                name = ws.repo.load_report(rid).unit
                ws.repo.set_field(rid, "title", f"{name}2019年政府信息公开工作年度报告")
                ws.repo.set_field(rid, "sig_organ", name)
        for i, rid in enumerate(rids[:n]):
            view = build_view(ws.repo, rid, options=ExportOptions())
            written = export_bundle(view, [kinds[i % 3]], folder / str(i))
            files.extend(Path(p) for p in written if not str(p).endswith("manifest.json"))
    times, cpu = [], []
    for i in range(s.runs):
        target = fx.copy(source, f"verify{i}")
        with open_workspace(target, daily_backup=False) as ws:
            start, start_cpu = time.perf_counter(), time.process_time()
            results = verify_documents(ws.repo, 2019, read_files(files))
            record_results(ws.repo, 2019, results)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        matched = [v for v in results if v.file]
        if len(matched) != len(files) or any(v.status != SAME for v in matched):
            bad = next((v for v in matched if v.status != SAME), None)
            raise RuntimeError(
                f"{len(matched)} of {len(files)} verified; {bad.unit if bad else ''}: {bad.status if bad else ''} "
                f"{bad.file if bad else ''} {[(c.cell, c.published, c.stored) for c in bad.cells][:3] if bad else ''}"
            )
    notes["verify_60_s"] = (
        f"{len(files)} units' own exports (Word/web page/PDF in turn) read, matched, compared cell by cell and "
        f"sentence by sentence, results stored; all 一致; median of {s.runs}; CPU time {statistics.median(cpu):.1f} s "
        f"(one thread: the wall time above is that plus the waits of a shared machine)"
    )
    return statistics.median(times)


_WORDS = (
    "主动公开", "依申请公开", "政策解读", "政务服务", "公开目录", "栏目维护", "信息发布", "业务培训", "保密审查",
    "答复文书", "规范化", "标准化", "基层政务", "重点领域", "财政预决算", "行政执法", "公示制度", "网站集约化",
    "政务新媒体", "人大建议", "政协提案", "办理结果", "审批服务", "便民服务", "数据开放", "考核评议",
)  # fmt: skip


def _sentence(rng: random.Random) -> str:
    return (
        "，".join("".join(rng.sample(_WORDS, 3)) + rng.choice("的了和与及") for _ in range(rng.randint(2, 4)))
        + "。"
    )


def _unit_texts(rng: random.Random, n: int) -> list[dict[str, str]]:
    """n units' parts 一、五、六 from a shared vocabulary (so they overlap as real ones do); one in ten copies
    another unit's 五、 with a word changed."""
    out: list[dict[str, str]] = []
    for i in range(n):
        parts = {
            "p1": "".join(_sentence(rng) for _ in range(14)),
            "p5": "".join(_sentence(rng) for _ in range(6)),
            "p6": "".join(_sentence(rng) for _ in range(2)),
        }
        if i % 10 == 9:
            parts["p5"] = out[i - 5]["p5"].replace("主动公开", "公开", 1)
        out.append(parts)
    return out


@figure("copy_map_200_s", "单位间雷同图（200 个单位，一、五、六）", 2.0, "s")
def copy_map_200_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    from ruian_desk.domain import peers
    from ruian_desk.storage.workspace import open_workspace

    n = s.n(200, 4)
    target = fx.copy(fx.units(n), "copymap")
    rng = random.Random(12)
    with open_workspace(target, daily_backup=False) as ws:
        repo = ws.repo
        main = repo.main_organ()
        rids = [
            r for r in repo.report_ids_for_year(2019) if main is None or repo.load_report(r).unit != main.name
        ]
        with repo.db.atomic():
            for rid, parts in zip(rids, _unit_texts(rng, len(rids)), strict=True):
                for key, text in parts.items():
                    repo.set_field(rid, key, text)
        times = []
        for _ in range(s.runs):
            peers._PIECES.clear()  # cold: every text cut into pieces again
            start = time.perf_counter()
            reports = repo.load_reports(rids).values()
            result = peers.copy_map(peers.report_texts(reports))
            times.append(time.perf_counter() - start)
    copied = len(rids) // 10
    if len([p for p in result.pairs if p.part == "p5"]) < copied:
        raise RuntimeError(f"the copy map found {len(result.pairs)} pairs, {copied} copies were made")
    notes["copy_map_200_s"] = (
        f"{len(rids)} units' reports loaded, parts 一、五、六 (about 600/250/80 字 from one shared vocabulary, "
        f"{copied} copied 五、) cut into pieces cold, intersections of all pairs by one piece-index matrix product: {len(result.pairs)} pairs, "
        f"{len(result.clusters)} clusters; median of {s.runs}"
    )
    return statistics.median(times)
