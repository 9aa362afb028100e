"""Figures of the data path without a window: roll-up + checks, opening a many-year workspace."""

from __future__ import annotations

import time

from benchmarks.core import Fixtures, Settings, figure, median, probe, timed


@figure("rollup_checks_200_ms", "200 个单位汇总 + 全部审核（有上年汇总报告，一个单位改动后）", 60.0, "ms")
def rollup_checks_200_ms(s: Settings, fx: Fixtures, notes: dict[str, str]) -> float:
    """The county report of the second year rolled up over 200 unit reports, then every check — the
    cross-year rules included, which read last year's rolled-up report — after one unit's report changed
    (a figure typed or a template imported): what the clerk waits for each time the county's checks rerun.
    The first time after opening the workspace (everything read and summed) and after an edit of the
    county's own 表二 go in the notes. CPU time of the process (the machine is shared)."""
    from ruian_desk.domain.rules import run_checks
    from ruian_desk.storage import assemble
    from ruian_desk.storage.workspace import open_workspace

    n_units = s.n(200, 2)
    path = fx.copy(fx.years(2, n_units), "rollup")
    cold: list[float] = []
    after_unit: list[float] = []
    after_own: list[float] = []
    wall: list[float] = []
    issues = 0

    def once(times: list[float]) -> None:
        nonlocal issues
        start, cpu = time.perf_counter(), time.process_time()
        report = assemble.effective_report(ws.repo, rid)
        context = assemble.check_context(ws.repo, report)
        issues = len(run_checks(report, context))
        times.append(time.process_time() - cpu)
        if times is after_unit:
            wall.append(time.perf_counter() - start)
        assert context.previous is not None and len(context.units) >= n_units - 1

    for run in range(s.runs + 1):
        with open_workspace(path, daily_backup=False) as ws:
            rid = assemble.resolve_report_id(ws.repo, 2020)
            once(cold)
            fmt = ws.repo.load_report(rid).fmt
            own = next(c.id for c in fmt.cells.values() if c.table == "t2" and not c.derived)
            units = [r for r in ws.repo.report_ids_for_year(2020) if r != rid]
            for k in range(5):
                unit_id = units[(run * 5 + k) % len(units)]
                ws.repo.set_cell(unit_id, "t3.new.np", 100 + run * 10 + k)
                once(after_unit)
                ws.repo.set_cell(rid, own, 100 + run * 10 + k)
                once(after_own)
    cold = cold[1:]  # the first run also pays for imports
    notes["rollup_checks_200_ms"] = (
        f"2 years × {n_units} units, the later year: a unit's 表三 cell stored, then effective_report (roll-up) "
        f"+ check_context (last year's rolled-up report, the units) + run_checks ({issues} issues); CPU time, "
        f"median of {len(after_unit)} (wall median {median(wall) * 1000:.1f} ms); the first time after opening "
        f"the workspace (every report read and summed, both years): {median(cold) * 1000:.0f} ms CPU; after an "
        f"edit of the county's own 表二: {median(after_own) * 1000:.1f} ms CPU"
    )
    return median(after_unit) * 1000


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
