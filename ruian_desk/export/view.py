"""`ReportView`: everything an exporter needs, assembled once from the workspace as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ruian_desk.domain.report import SAMPLE_MARK, Report
from ruian_desk.domain.rules import Issue, counts, run_checks
from ruian_desk.storage.assemble import check_context, unit_reports
from ruian_desk.storage.repository import Repository


@dataclass(frozen=True)
class ReportView:
    report: Report
    issues: tuple[Issue, ...] = ()
    units: tuple[Report, ...] = ()  # the unit reports rolled up into this one (roll-up detail)
    history: tuple[Report, ...] = ()  # the same unit's reports of the other years (trend charts)
    workspace: str = ""
    generated_at: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))

    @property
    def is_sample(self) -> bool:
        return self.report.is_sample

    @property
    def sample_note(self) -> str:
        if not self.report.sample_tables:
            return ""
        names = "、".join(self.report.fmt.tables[t].name for t in sorted(self.report.sample_tables))
        return f"{SAMPLE_MARK}：{names}中的数字为示例数据，不是真实统计数据。"

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.issues)

    @property
    def file_stem(self) -> str:
        return f"{self.report.unit}{self.report.year}年政府信息公开工作年度报告"


def build_view(repo: Repository, report_id: int, workspace: str = "") -> ReportView:
    report = repo.load_report(report_id)
    issues = run_checks(report, check_context(repo, report))
    return ReportView(
        report=report,
        issues=tuple(issues),
        units=unit_reports(repo, report),
        history=report_history(repo, report),
        workspace=workspace,
    )


def report_history(repo: Repository, report: Report) -> tuple[Report, ...]:
    """The same unit's reports of every other year in the workspace, oldest first."""
    out = []
    for year in repo.years():
        if year == report.year:
            continue
        rid = repo.find_report(report.unit, year)
        if rid is not None:
            out.append(repo.load_report(rid))
    return tuple(out)
