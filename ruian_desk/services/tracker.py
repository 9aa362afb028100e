"""The submission tracker of a year: every unit's status beside the rolled-up main report and its checks
(what the 单位 page shows), and confirming a unit's data for the roll-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruian_desk.domain.report import Report
from ruian_desk.domain.rollup import RolledUpReport
from ruian_desk.domain.rules import Issue, run_checks
from ruian_desk.exchange.tracker import UnitStatus, confirm_unit, unconfirm_unit, unit_statuses
from ruian_desk.services.units import main_report_id
from ruian_desk.storage.assemble import check_context, effective_report
from ruian_desk.storage.check_cache import CheckCache
from ruian_desk.storage.repository import Repository


@dataclass(frozen=True)
class YearOverview:
    year: int
    main_id: int | None  # the main organ's report of the year
    rolled: Report | None  # that report as checked and exported (tables in roll-up scope are the sums)
    main_issues: list[Issue] = field(default_factory=list)
    statuses: list[UnitStatus] = field(default_factory=list)

    @property
    def rollup_units(self) -> tuple[Report, ...]:
        if isinstance(self.rolled, RolledUpReport) and self.rolled.rollup is not None:
            return self.rolled.rollup.units
        return ()


def year_overview(
    repo: Repository,
    year: int,
    include_retired: bool = False,
    persist: bool = True,
    stored: CheckCache | None = None,
) -> YearOverview:
    """Statuses of every unit (changed ones stored, in one transaction, unless read-only or not `persist`),
    the rolled-up main report and its checks; the units the roll-up loaded are not loaded twice. `stored`:
    the units' findings kept between sessions (used only while their reports are unchanged)."""
    main_id = main_report_id(repo, year)
    rolled = effective_report(repo, main_id) if main_id is not None else None
    issues = run_checks(rolled, check_context(repo, rolled)) if rolled is not None else []
    checked = {main_id: (rolled, issues)} if main_id is not None and rolled is not None else {}
    overview = YearOverview(year, main_id, rolled, issues)
    loaded = {int(u.id): u for u in overview.rollup_units if u.id is not None}

    def statuses() -> list[UnitStatus]:
        return unit_statuses(
            repo,
            year,
            include_retired=include_retired,
            persist=persist,
            checked=checked,
            loaded=loaded,
            stored=stored,
        )

    if persist and not repo.readonly:
        with repo.atomic():
            rows = statuses()
    else:
        rows = statuses()
    return YearOverview(year, main_id, rolled, issues, rows)


def confirm(repo: Repository, unit_id: int, year: int) -> None:
    """已确认: refused (ConfirmError, in Chinese) while the unit has no report, no figures or errors."""
    confirm_unit(repo, unit_id, year)


def unconfirm(repo: Repository, unit_id: int, year: int) -> str:
    return unconfirm_unit(repo, unit_id, year)
