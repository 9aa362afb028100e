"""Gathering what a check or an export needs from the workspace into plain domain objects (no SQL here)."""

from __future__ import annotations

import weakref

from ruian_desk.domain.formats import format_for_year
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Report, Unit
from ruian_desk.domain.rollup import (
    ROLLUP_TABLES,
    RolledUpReport,
    UnitSums,
    is_rollup_member,
    rolled_up_report,
    scope_key,
    scopes_from_settings,
    stated_cells_in_rollup,
)
from ruian_desk.storage.repository import NotFound, Repository


class ReportNotFound(LookupError):
    """No report for the unit and year asked for; the message is for the user."""


def resolve_report_id(repo: Repository, year: int, unit_name: str | None = None) -> int:
    """The report of `unit_name` (default: the workspace's main organ) for `year`."""
    if unit_name is None:
        main = repo.main_organ()
        if main is None:
            raise ReportNotFound("工作区没有设定主报告单位，请用 --unit 指定单位")
        unit_name = main.name
    report_id = repo.find_report(unit_name, year)
    if report_id is None:
        raise ReportNotFound(f"工作区中没有“{unit_name}”{year}年的报告")
    return report_id


def year_format(repo: Repository, year: int) -> str:
    """The format a year's reports use in this workspace: the main organ's report's, else the one the year
    prescribes."""
    main = repo.main_organ()
    if main is not None:
        rid = repo.find_report(main.name, year)
        if rid is not None:
            return repo.load_report(rid).format_id
    return format_for_year(year).id


def previous_report(repo: Repository, report: Report) -> Report | None:
    """The same unit's report of the year before, as that year's checks and exports see it: for the main
    organ its tables in roll-up scope are that year's sums (the figures the cross-year rules must compare
    with), not whatever the county's own stored rows hold."""
    prev_id = repo.find_report(report.unit, report.year - 1)
    return effective_report(repo, prev_id) if prev_id is not None else None


# Unit reports are immutable values: reuse them while their version (see Repository.report_versions) is
# unchanged, so an edit of the main report does not reload every unit (the 10 ms edit bar).
_REPORT_CACHE: weakref.WeakKeyDictionary[Repository, dict[int, tuple[tuple[object, ...], Report]]] = (
    weakref.WeakKeyDictionary()
)


def _rollup_members(repo: Repository, report: Report) -> tuple[tuple[Report, ...], tuple[str, ...]]:
    """(reports, names of units that have not reported) of the units included in the main organ's roll-up
    for the report's year; ((), ()) for any report that is not the main organ's.

    A unit has not reported while it has no report or only an empty one (opening a unit's report creates
    it empty), as the submission tracker counts 未报. A retired unit (撤销) is no longer expected to report,
    but the reports it made still count in their years: retiring a unit merged in 2022 must not change the
    2020 county figures already published. Leaving one year's roll-up is the per-year 参与汇总 flag. Only
    units of the roll-up roles are members (`rollup.ROLLUP_ROLES`): another 县级人民政府 in the workspace is
    a separate organ, never summed into the main one."""
    main = repo.main_organ()
    if main is None or main.name != report.unit:
        return (), ()
    included = included_units(repo, main, report.year)
    versions = repo.report_versions(report.year)
    reports = _cached_reports(repo, [versions[int(u.id or 0)] for u in included if u.id in versions])
    by_unit = dict(zip((u.id for u in included if u.id in versions), reports, strict=True))
    missing = [
        u.name
        for u in included
        if not u.retired and (u.id not in by_unit or all(v is None for v in by_unit[u.id].cells.values()))
    ]
    return tuple(reports), tuple(missing)


def included_units(repo: Repository, main: Unit, year: int) -> list[Unit]:
    """The units in the main organ's roll-up of `year` (roll-up roles, 参与汇总 that year), retired or not."""
    years = repo.unit_years(year)
    return [
        unit
        for unit in repo.units()
        if unit.id != main.id
        and is_rollup_member(unit.role)
        and years.get(int(unit.id or 0), {"included": True})["included"]
    ]


def _cached_reports(repo: Repository, members: list[tuple[int, tuple[object, ...]]]) -> list[Report]:
    """The reports of (id, version) pairs, in order: unchanged ones from the cache, the others read from the
    workspace together (the first opening of a county report reads hundreds)."""
    cache = _REPORT_CACHE.setdefault(repo, {})
    stale = [rid for rid, version in members if rid not in cache or cache[rid][0] != version]
    if stale:
        loaded = repo.load_reports(stale)
        versions = dict(members)
        for rid in stale:
            if rid not in loaded:
                raise NotFound(f"报告 {rid} 不存在")
            cache[rid] = (versions[rid], loaded[rid])
    return [cache[rid][1] for rid, _ in members]


def unit_reports(repo: Repository, report: Report) -> tuple[Report, ...]:
    """The reports rolled up into `report`: for the main organ, every other included unit's report of the
    same year; for any other unit, none."""
    return _rollup_members(repo, report)[0]


def missing_units(repo: Repository, report: Report) -> tuple[str, ...]:
    """Names of the units included in the main organ's roll-up for the report's year that have no report."""
    return _rollup_members(repo, report)[1]


# The last roll-up of each main report: (its stored report, scopes, missing units, the unit reports, the
# result, the units' sums). The unit reports come from `_REPORT_CACHE`, so an unchanged unit is the same
# object: nothing changed → the same RolledUpReport (last year's report for the cross-year rules, a closed
# year for a chart or an export); only the main report edited → the sums are kept; a unit edited → the sums
# are updated by that unit's difference.
_Rollup = tuple[Report, dict[str, str], tuple[str, ...], tuple[Report, ...], RolledUpReport, UnitSums | None]
_ROLLUP_CACHE: weakref.WeakKeyDictionary[Repository, dict[int, _Rollup]] = weakref.WeakKeyDictionary()


def effective_report(repo: Repository, report_id: int) -> Report:
    """The report as checks, charts, exports and the GUI see it: for the main organ, the tables in roll-up
    scope (report settings `scope.t2/t3/t4`) hold the sum of the included units (a `RolledUpReport`, which
    keeps the hand-entered values for X-AGG); any other report as stored."""
    report = repo.load_report(report_id)
    main = repo.main_organ()
    if main is None or main.name != report.unit:
        return report
    scopes = scopes_from_settings(
        {scope_key(t): repo.get_setting(report_id, scope_key(t)) for t in ROLLUP_TABLES}
    )
    units, missing = _rollup_members(repo, report)
    cache = _ROLLUP_CACHE.setdefault(repo, {})
    last = cache.get(report_id)
    sums: UnitSums | None = None
    if last is not None:
        same_units = len(last[3]) == len(units) and all(a is b for a, b in zip(last[3], units, strict=True))
        if same_units and last[0] == report and last[1] == scopes and last[2] == missing:
            return last[4]
        sums = last[5]
        if sums is not None and not same_units:
            sums = sums.replaced(
                tuple(u for u in units if u.format_id == report.format_id and u.year == report.year)
            )
    rolled = rolled_up_report(report, units, scopes, missing=missing, sums=sums)
    cache[report_id] = (report, scopes, missing, units, rolled, rolled.rollup.sums if rolled.rollup else None)
    return rolled


def check_context(repo: Repository, report: Report) -> CheckContext:
    from ruian_desk.storage.publications import publication_settings  # with the first check (gui.context)

    assert report.id is not None
    if isinstance(report, RolledUpReport) and report.rollup is not None:
        units = report.rollup.units  # already loaded for the roll-up
    else:
        units = unit_reports(repo, report)
    return CheckContext(
        previous=previous_report(repo, report),
        units=units,
        explanations=repo.explanations(report.id),
        settings={**check_settings(repo, report.id), **publication_settings(repo, report.unit, report.year)},
    )


# Report settings the rules read (see `domain/checks/writing.py`): 字数 limit of 一, the N-SIMILAR-WHOLE threshold.
CHECK_SETTINGS = ("limit.p1", "check.similar_whole")


def check_settings(repo: Repository, report_id: int) -> dict[str, str]:
    out = {}
    for key in CHECK_SETTINGS:
        value = repo.get_setting(report_id, key)
        if value is not None:
            out[key] = value
    return out


def check_report(repo: Repository, report_id: int) -> tuple[Report, list[Issue]]:
    try:
        report = effective_report(repo, report_id)
    except NotFound as exc:
        raise ReportNotFound(str(exc)) from None
    from ruian_desk.domain.rules import run_checks  # the rule modules: with the first check (see gui.context)

    return report, run_checks(report, check_context(repo, report))


def adopt_unit_sums(repo: Repository, report_id: int, tables: tuple[str, ...] | None = None) -> list[str]:
    """采用各单位汇总数（清除本级填写数）: clear the main report's stated numbers in the tables it rolls up
    (all of them, or `tables`), in one transaction, so that the units' sums stand alone and X-AGG is
    satisfied. Returns the cleared cell ids; a report that is not rolled up is left alone."""
    report = effective_report(repo, report_id)
    stated = stated_cells_in_rollup(report)
    cleared = [cid for table, cids in stated.items() if tables is None or table in tables for cid in cids]
    fmt = report.fmt
    with repo.db.atomic():
        for cid in cleared:
            if fmt.cells[cid].derived:
                repo.clear_stated(report_id, cid)
            else:
                repo.set_cell(report_id, cid, None)
    return cleared
