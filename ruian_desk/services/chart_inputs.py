"""The 汇总图表 page's data worked out off the GUI thread: a read-only connection of its own (the GUI's stays
with the GUI thread), the report rolled up, its units, its other years summed by the database, the checks
of what is drawn — and the charts, as plain data the GUI thread only has to draw."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruian_desk.charts.data import Chart, ChartInputs, report_charts
from ruian_desk.domain.report import Report
from ruian_desk.domain.rollup import RolledUpReport
from ruian_desk.domain.rules import Issue, error_checks
from ruian_desk.export.view import report_history
from ruian_desk.storage.assemble import effective_report, unit_reports
from ruian_desk.storage.db import Db
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.sqlite_file import connect_readonly


def plain_checks(report: Report) -> list[Issue]:
    """The errors of a unit's or another year's report (what a drawn cell's 数据有误 needs: `error_checks`,
    without the cross-year context), kept on the report instance: reports are immutable, and an unchanged
    unit's report is the same object from the storage cache, so it is not checked again for the next
    drawing."""
    memo = report.__dict__
    if "_chart_checks" not in memo:
        memo["_chart_checks"] = error_checks(report)
    return list(memo["_chart_checks"])


class ChartReader:
    """Reads for the charts on a connection of its own, opened on first use by the thread that uses it.
    One job at a time (the page's pool has one thread); `close` after the jobs are done."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._repo: Repository | None = None

    def repo(self) -> Repository:
        if self._repo is None:
            conn, _immutable = connect_readonly(self.path)
            self._repo = Repository(Db(conn), readonly=True)
        return self._repo

    def close(self) -> None:
        if self._repo is not None:
            self._repo.db.conn.close()
            self._repo = None

    def charts(
        self, report_id: int, known: Report | None = None, known_issues: Sequence[Issue] = ()
    ) -> tuple[Report, list[Chart]]:
        """The report of `report_id` and its charts. `known`: the same report as the window has it (rolled
        up, with `known_issues` from its full checks), so it is neither loaded nor checked again here."""
        repo = self.repo()
        if known is not None and known.id == report_id:
            report, issues = known, tuple(known_issues)
        else:
            report = effective_report(repo, report_id)
            issues = tuple(plain_checks(report))
        if isinstance(report, RolledUpReport) and report.rollup is not None:
            units: tuple[Report, ...] = report.rollup.units
        else:
            units = unit_reports(repo, report)
        inputs = ChartInputs(
            report=report,
            issues=issues,
            units=units,
            history=report_history(repo, report),
            issues_of=plain_checks,
        )
        return report, report_charts(inputs)
