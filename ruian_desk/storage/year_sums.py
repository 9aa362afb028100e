"""Another year of a report as its trend charts read it, without loading that year's unit reports.

A county's past years are roll-ups: the trend of 新收申请 over 20 years × 500 units would otherwise read and
keep 10,000 unit reports (seconds, and hundreds of MB). The sums of the tables in roll-up scope are worked
out by the database instead — whole numbers summed by SQLite, decimals (万元) summed exactly in Python — and
the result is a plain `Report` holding the same cells `assemble.effective_report` gives (a test compares
them cell by cell), without the units' detail (drill-down, X-AGG) that a trend does not draw."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ruian_desk.domain.report import CellValue, Report, parse_cell_value
from ruian_desk.domain.rollup import ROLLUP_TABLES, SCOPE_ROLLUP, scope_key, scopes_from_settings
from ruian_desk.storage.assemble import included_units
from ruian_desk.storage.repository import Repository

_BATCH = 500  # ids per IN (...) list, below SQLite's variable limit


def year_report(repo: Repository, report_id: int) -> Report:
    """The report of `report_id` with its tables in roll-up scope holding the units' sums (main organ), or
    as stored (any other unit)."""
    report = repo.load_report(report_id)
    main = repo.main_organ()
    if main is None or main.name != report.unit:
        return report
    scopes = scopes_from_settings(
        {scope_key(t): repo.get_setting(report_id, scope_key(t)) for t in ROLLUP_TABLES}
    )
    fmt = report.fmt
    wanted = [t for t in ROLLUP_TABLES if scopes.get(t) == SCOPE_ROLLUP and t in fmt.tables]
    ids = _member_ids(repo, [int(u.id or 0) for u in included_units(repo, main, report.year)], report)
    if not wanted or not ids:
        return report  # nothing summed: the tables keep the main report's own values, as a roll-up does
    inputs = [c for c in fmt.input_cells if fmt.cells[c].table in wanted]
    sums = _sums(repo, ids, {c: fmt.cells[c].type for c in inputs})
    cells: dict[str, CellValue] = {
        cid: v
        for cid, v in report.cells.items()
        if cid not in fmt.cells or fmt.cells[cid].table not in wanted
    }
    for cid in fmt.input_cells:  # print order, as a stored report has it
        if cid in sums:
            cells[cid] = sums[cid]
    sample = {t for t in report.sample_tables if t not in wanted} | (_sample_tables(repo, ids) & set(wanted))
    return replace(report, cells=cells, sample_tables=frozenset(sample))


def _member_ids(repo: Repository, unit_ids: list[int], report: Report) -> list[int]:
    """Report ids of those units for the report's year in the report's format (another format is not summed)."""
    wanted = set(unit_ids)
    return [
        int(rid)
        for uid, rid, fmt in repo.db.execute(
            "SELECT unit_id, id, format FROM reports WHERE year = ? ORDER BY unit_id", [report.year]
        ).fetchall()
        if uid in wanted and fmt == report.format_id
    ]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _BATCH] for i in range(0, len(ids), _BATCH)]


def _sums(repo: Repository, ids: list[int], types: dict[str, str]) -> dict[str, CellValue]:
    whole = [c for c, t in types.items() if t != "decimal"]
    decimal = [c for c, t in types.items() if t == "decimal"]
    totals: dict[str, CellValue] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        if whole:
            cells = ",".join("?" * len(whole))
            for cid, total in repo.db.execute(
                f"SELECT cell_id, SUM(CAST(value AS INTEGER)) FROM cells WHERE report_id IN ({marks}) "
                f"AND cell_id IN ({cells}) AND value IS NOT NULL GROUP BY cell_id",
                [*chunk, *whole],
            ).fetchall():
                totals[cid] = int(total) + int(totals.get(cid) or 0)
        if decimal:
            cells = ",".join("?" * len(decimal))
            for cid, value in repo.db.execute(
                f"SELECT cell_id, value FROM cells WHERE report_id IN ({marks}) AND cell_id IN ({cells}) "
                "AND value IS NOT NULL ORDER BY report_id",
                [*chunk, *decimal],
            ).fetchall():
                number = parse_cell_value(value, "decimal")
                assert isinstance(number, Decimal)
                previous = totals.get(cid)
                totals[cid] = number if previous is None else previous + number  # type: ignore[operator]
    return totals


def _sample_tables(repo: Repository, ids: list[int]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for (value,) in repo.db.execute(
            f"SELECT value FROM report_settings WHERE key = 'sample_tables' AND report_id IN ({marks})", chunk
        ).fetchall():
            out |= {t for t in (value or "").split(",") if t}
    return out
