"""Submission tracker: each unit's status for a year (未报 / 已报 / 有错 / 已确认), derived from its report,
its imports and its checks, and kept in `unit_years` so lists and exports agree."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ruian_desk.domain.report import Report, Unit
from ruian_desk.domain.rules import Issue, counts, run_checks
from ruian_desk.storage.assemble import check_context, check_report
from ruian_desk.storage.check_cache import CheckCache, StoredIssues, version_key
from ruian_desk.storage.publications import publication_settings
from ruian_desk.storage.records import ImportRecord
from ruian_desk.storage.repository import Repository

NOT_REPORTED, REPORTED, HAS_ERRORS, CONFIRMED = "未报", "已报", "有错", "已确认"
STATUSES = (NOT_REPORTED, REPORTED, HAS_ERRORS, CONFIRMED)


class ConfirmError(Exception):
    """A unit that cannot be confirmed (no data, or errors remain); the message is Chinese."""


def derive_status(
    has_data: bool, errors: int, stored: str, confirmed_at: str | None, updated_at: str | None
) -> str:
    """未报 without data; 有错 with errors; 已确认 while confirmed and unchanged since; else 已报."""
    if not has_data:
        return NOT_REPORTED
    if errors:
        return HAS_ERRORS
    if stored == CONFIRMED and confirmed_at and (not updated_at or updated_at <= confirmed_at):
        return CONFIRMED
    return REPORTED


def has_data(report: Report | None) -> bool:
    return report is not None and any(v is not None for v in report.cells.values())


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    year: int
    is_main: bool
    included: bool
    status: str
    confirmed_at: str | None
    report_id: int | None
    updated_at: str
    errors: int
    warnings: int  # warnings without an explanation
    issues: Sequence[Issue]  # a tuple, or the findings stored by an earlier session (read when looked at)
    last_import: ImportRecord | None  # latest returned-file import (kind xlsx), refused or not
    issued: ImportRecord | None  # latest template issued

    @property
    def missing(self) -> bool:
        """Expected in the roll-up but nothing reported yet."""
        return self.included and not self.is_main and not self.unit.retired and self.status == NOT_REPORTED


# Per workspace: report id → (its version and last year's, the report, its issues) — see unit_statuses.
_CHECKED: weakref.WeakKeyDictionary[
    Repository, dict[int, tuple[tuple[object, ...], Report, Sequence[Issue]]]
] = weakref.WeakKeyDictionary()


def unit_statuses(
    repo: Repository,
    year: int,
    include_retired: bool = False,
    persist: bool = True,
    checked: Mapping[int, tuple[Report, list[Issue]]] | None = None,
    loaded: Mapping[int, Report] | None = None,
    stored: CheckCache | None = None,
) -> list[UnitStatus]:
    """Every unit's status for `year`, checks run on each unit's report. With `persist`, statuses that
    changed are written back (unless the workspace is read-only). `checked` (report id → report and issues)
    and `loaded` (report id → report) reuse work already done, e.g. by the roll-up; `stored` keeps the
    units' findings between sessions (used only while the report, last year's and the checker are unchanged)."""
    checked = checked or {}
    loaded = loaded or {}
    main = repo.main_organ()
    years = repo.unit_years(year)
    reports = repo.reports_of_year(year)
    # A unit's checks read its report and last year's (explanations and settings are in their versions):
    # while neither changed, the issues found last time stand (the page is shown again, another unit edited).
    now, before = repo.report_versions(year), repo.report_versions(year - 1)
    kept = _CHECKED.setdefault(repo, {})
    imports = repo.last_imports(year, "xlsx")
    issued = repo.last_imports(year, "template")
    units = repo.units(include_retired=include_retired)
    versions: dict[int, tuple[object, ...]] = {}
    # W-DEADLINE reads today's date: a result of yesterday may miss a deadline that passed overnight.
    today = dt.date.today().isoformat()
    for unit in units:
        uid = int(unit.id or 0)
        # W-DEADLINE reads the unit's publication record and the deadlines (not part of the report's version).
        published = tuple(sorted(publication_settings(repo, unit.name, year).items()))
        versions[uid] = (now.get(uid), before.get(uid), main is not None and main.id == uid, published, today)
    keys = {
        rid: version_key(year, versions[uid])
        for uid, (rid, _) in reports.items()
        if uid in versions and rid not in checked and not (rid in kept and kept[rid][0] == versions[uid])
    }
    found = stored.get(keys, lambda rid: check_report(repo, rid)[1]) if stored is not None else {}
    computed: dict[int, tuple[str, bool, Sequence[Issue]]] = {}
    out: list[UnitStatus] = []
    for unit in units:
        uid = int(unit.id or 0)
        row = years.get(uid, {"included": True, "status": NOT_REPORTED, "confirmed_at": None})
        is_main = main is not None and main.id == uid
        report_id, updated_at = reports.get(uid, (None, ""))
        issues: Sequence[Issue] = []
        report: Report | None = None
        version = versions[uid]
        data: bool | None = None
        errors_warnings: tuple[int, int] | None = None
        if report_id is not None and report_id in checked:
            report, issues = checked[report_id]
        elif report_id is not None and report_id in kept and kept[report_id][0] == version:
            report, issues = kept[report_id][1], kept[report_id][2]
        elif report_id is not None and report_id in found and not is_main:
            hit = found[report_id]  # its findings are read only if looked at (the unit selected)
            data, issues, errors_warnings = hit.has_data, hit.issues, (hit.errors, hit.warnings)
        elif report_id is not None and report_id in loaded:
            report = loaded[report_id]
            issues = run_checks(report, check_context(repo, report))
        elif report_id is not None:
            report, issues = check_report(repo, report_id)
        if report_id is not None and report is not None and not is_main:
            kept[report_id] = (version, report, issues)
            if report_id in keys:
                computed[report_id] = (keys[report_id], has_data(report), issues)
        if data is None:
            data = has_data(report)
        if errors_warnings is None:
            c = counts(issues, include_explained=False)
            errors_warnings = (c["error"], c["warning"])
        stored_status = str(row.get("status") or NOT_REPORTED)
        confirmed_at = row.get("confirmed_at")
        status = derive_status(data, errors_warnings[0], stored_status, confirmed_at, updated_at)  # type: ignore[arg-type]
        if status != CONFIRMED:
            confirmed_at = None
        if (
            persist
            and not repo.readonly
            and not is_main
            and (status != stored_status or (confirmed_at is None and row.get("confirmed_at")))
        ):
            repo.set_unit_year(uid, year, status=status, confirmed_at=confirmed_at)
        out.append(
            UnitStatus(
                unit=unit,
                year=year,
                is_main=is_main,
                included=bool(row.get("included", True)),
                status=status,
                confirmed_at=confirmed_at,  # type: ignore[arg-type]
                report_id=report_id,
                updated_at=updated_at,
                errors=errors_warnings[0],
                warnings=errors_warnings[1],
                issues=issues if isinstance(issues, StoredIssues) else tuple(issues),
                last_import=imports.get(uid),
                issued=issued.get(uid),
            )
        )
    if stored is not None:
        stored.put(computed)
    return out


def refresh_status(repo: Repository, unit_id: int, year: int, reset_confirmation: bool = False) -> str:
    """Recompute and store one unit's status (after an import or an edit)."""
    row = repo.unit_year(unit_id, year)
    unit = repo.unit(unit_id)
    rid = repo.find_report(unit.name, year)
    report, issues = check_report(repo, rid) if rid is not None else (None, [])
    errors = counts(issues)["error"]
    stored = str(row["status"])
    confirmed_at = None if reset_confirmation else row["confirmed_at"]
    updated = repo.reports_of_year(year).get(unit_id, (None, ""))[1]
    status = derive_status(has_data(report), errors, stored, confirmed_at, updated)  # type: ignore[arg-type]
    if status != CONFIRMED:
        confirmed_at = None
    repo.set_unit_year(unit_id, year, status=status, confirmed_at=confirmed_at)
    return status


def confirm_unit(repo: Repository, unit_id: int, year: int) -> None:
    """The clerk accepts a unit's report for the roll-up (已确认); refused while errors remain."""
    unit = repo.unit(unit_id)
    rid = repo.find_report(unit.name, year)
    if rid is None:
        raise ConfirmError(f"“{unit.name}”{year}年尚未报送，不能确认")
    report, issues = check_report(repo, rid)
    if not has_data(report):
        raise ConfirmError(f"“{unit.name}”{year}年的报告没有数字，不能确认")
    errors = counts(issues)["error"]
    if errors:
        raise ConfirmError(f"“{unit.name}”{year}年的报告还有 {errors} 个错误，请先更正或退回审核意见")
    # Strictly after the report's last change, so a later edit or import lifts the confirmation.
    stamp = dt.datetime.now().isoformat(timespec="milliseconds")
    repo.set_unit_year(unit_id, year, status=CONFIRMED, confirmed_at=stamp)


def unconfirm_unit(repo: Repository, unit_id: int, year: int) -> str:
    repo.set_unit_year(unit_id, year, status=REPORTED, confirmed_at=None)
    return refresh_status(repo, unit_id, year, reset_confirmation=True)
