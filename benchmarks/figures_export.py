"""Figures of what the clerk hands over: exports as the command runs them, and the units' templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.core import ROOT, Fixtures, Settings, Skip, env, figure, has, median, probe


def _registered() -> set[str]:
    from ruian_desk.export.bundle import formats

    return set(formats())


def _export(s: Settings, workspace: Path, year: int, formats: list[str], tag: str) -> tuple[float, dict]:
    times, result = [], {}
    for i in range(s.runs):
        out = s.work / "exports" / f"{tag}{i}"
        result = probe(
            s, "export", {"workspace": str(workspace), "year": year, "formats": formats, "out": str(out)}
        )
        times.append(result["seconds"])
    return median(times), result


@figure("export_all_s", "示例导出 DOCX+PDF+XLSX+HTML（进程内）", 2.0, "s")
def export_all_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    wanted = ["docx", "pdf", "xlsx", "html"]
    if not [f for f in wanted if f in _registered()]:
        raise Skip("no DOCX/PDF/XLSX/HTML exporter registered yet")
    seconds, r = _export(s, fx.sample(), 2019, wanted, "all")
    notes["export_all_s"] = (
        f"{'+'.join(r['formats'])} + manifest of the sample, fresh process, the report's view already built "
        f"({r['view_s']:.2f} s, not counted), library imports included; median of {s.runs}"
    )
    return seconds


@figure("export_docx_s", "示例导出 DOCX（进程内）", 0.3, "s")
def export_docx_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if "docx" not in _registered():
        raise Skip("DOCX exporter not registered yet")
    seconds, _ = _export(s, fx.sample(), 2019, ["docx"], "docx")
    notes["export_docx_s"] = f"the sample, fresh process (python-docx import included), median of {s.runs}"
    return seconds


@figure("export_all_200_s", "导出命令，全部格式（200 个单位）", 2.0, "s")
def export_all_200_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """`python main.py export -w … --year 2019 --out …` (its default formats: every document format), the
    whole process timed from outside, as the clerk or a script runs it."""
    n = s.n(200, 2)
    workspace = fx.copy(fx.units(n), "export200")
    cmd = [sys.executable, str(ROOT / "main.py"), "export", "-w", str(workspace), "--year", "2019"]
    times, cpus = [], []
    for i in range(s.runs + 1):
        out = s.work / "exports" / f"cmd{i}"
        shutil.rmtree(out, ignore_errors=True)
        cpu0 = _children_cpu()
        start = time.perf_counter()
        r = subprocess.run(
            [*cmd, "--out", str(out), "--allow-errors"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env(s.work / "home"),
            timeout=300,
        )
        if r.returncode != 0:
            raise RuntimeError(f"export exit {r.returncode}: {(r.stderr or r.stdout).strip()[-300:]}")
        if i:  # the first run warms the file caches
            times.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu0)
    written = sorted(p.suffix for p in out.iterdir())
    notes["export_all_200_s"] = (
        f"the sample grown to {n} units: `main.py export` with its default formats ({' '.join(written)}), whole "
        f"process (Python start, imports, workspace open, roll-up, checks, every file written); median of "
        f"{len(times)}; CPU {median(cpus):.2f} s"
    )
    return median(times)


def _children_cpu() -> float:
    import os

    t = os.times()
    return t.children_user + t.children_system


@figure("export_docx_20y_s", "导出 DOCX（20 年 × 500 单位）", 0.3, "s")
def export_docx_20y_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if "docx" not in _registered():
        raise Skip("DOCX exporter not registered yet")
    years, units = s.n(20, 2), s.n(500, 2)
    workspace = fx.years(years, units)
    last = 2019 + years - 1
    seconds, r = _export(s, workspace, last, ["docx"], "docx20y")
    notes["export_docx_20y_s"] = (
        f"{years} years × {units} units, the county report of {last}: DOCX written in a fresh process, "
        f"python-docx import included; building the report's view (workspace open, roll-up, checks, what the "
        f"command does before) took {r['view_s']:.2f} s more; median of {s.runs}"
    )
    return seconds


@figure("templates_500_s", "生成 500 个单位的填报模板", 5.0, "s")
def templates_500_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    if not has("ruian_desk.exchange.unit_template"):
        raise Skip("ruian_desk.exchange.unit_template not present yet")
    from ruian_desk.services.templates import generate_templates
    from ruian_desk.storage.workspace import open_workspace

    n = s.n(500, 2)
    source = fx.years(1, n)
    times = []
    written: list[Path] = []
    for i in range(max(1, s.runs // 2)):
        folder = s.work / "templates500" / str(i)
        with open_workspace(fx.copy(source, "templates"), daily_backup=False) as ws:
            start = time.perf_counter()
            written = list(generate_templates(ws, 2019, folder))
            times.append(time.perf_counter() - start)
    notes["templates_500_s"] = (
        f"1 year × {n} units: generate_templates for every unit of the roll-up ({len(written)} files, "
        f"in process, openpyxl imported before); median of {len(times)}"
    )
    return median(times)
