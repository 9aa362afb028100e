"""Figures of the data path without a window: roll-up + checks, opening a many-year workspace."""

from __future__ import annotations

import time

from benchmarks.core import Fixtures, Settings, figure, median, probe, timed


@figure("rollup_checks_200_ms", "200 个单位汇总 + 全部审核（有上年汇总报告）", 60.0, "ms")
def rollup_checks_200_ms(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """The county report of the second year rolled up over 200 unit reports, then every check — the
    cross-year rules included, which read last year's rolled-up report. Each run opens the workspace afresh
    and works out the report the way the window does after opening it (the cold case); the same again after
    an edit of the county report's own 表二 (what each keystroke pays) goes in the notes."""
    from ruian_desk.domain.rules import run_checks
    from ruian_desk.storage import assemble
    from ruian_desk.storage.workspace import open_workspace

    n_units = s.n(200, 2)
    path = fx.copy(fx.years(2, n_units), "rollup")
    cold: list[float] = []
    cold_cpu: list[float] = []
    edited: list[float] = []
    issues = 0
    for i in range(s.runs + 1):
        with open_workspace(path, daily_backup=False) as ws:
            rid = assemble.resolve_report_id(ws.repo, 2020)
            for times in (cold, edited):
                start, cpu = time.perf_counter(), time.process_time()
                report = assemble.effective_report(ws.repo, rid)
                context = assemble.check_context(ws.repo, report)
                found = run_checks(report, context)
                times.append(time.perf_counter() - start)
                if times is cold:
                    cold_cpu.append(time.process_time() - cpu)
                issues = len(found)
                assert context.previous is not None and len(context.units) >= n_units - 1
                own = next(c.id for c in report.fmt.cells.values() if c.table == "t2" and not c.derived)
                ws.repo.set_cell(rid, own, 100 + i)  # the county's own table: the units are unchanged
    cold, cold_cpu, edited = cold[1:], cold_cpu[1:], edited[1:]  # the first run also pays for imports
    notes["rollup_checks_200_ms"] = (
        f"2 years × {n_units} units: effective_report (roll-up) + check_context (last year's rolled-up report, "
        f"the units) + run_checks ({issues} issues), the later year, first time after opening the workspace; "
        f"median of {len(cold)} (CPU {median(cold_cpu) * 1000:.1f} ms); again after an edit of the county's "
        f"own 表二: {median(edited) * 1000:.1f} ms"
    )
    return median(cold) * 1000


@figure("open_10y200u_s", "打开 10 年 × 200 单位的工作区并载入主报告", 1.0, "s")
def open_10y200u_s(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    years, units = s.n(10, 2), s.n(200, 2)
    with timed() as built:
        path = fx.copy(fx.years(years, units), "open10")
    size = path.stat().st_size
    first = probe(s, "open_main", {"workspace": str(path)})  # first open of the day: daily backup too
    runs = [probe(s, "open_main", {"workspace": str(path)}) for _ in range(s.runs)]
    seconds = median([r["seconds"] for r in runs])
    notes["open_10y200u_s"] = (
        f"{years} years × {units + 1} reports, {size / 2**20:.0f} MB (generated and copied in {built[0]:.0f} s); "
        f"open (lock, quick_check, version) + main report with roll-up; median of {len(runs)}; "
        f"first open of a day, with its verified daily backup: {first['seconds']:.2f} s"
    )
    return seconds
