"""`ReportView`: everything an exporter needs, assembled once from the workspace as plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ruian_desk.domain.report import SAMPLE_MARK, Report
from ruian_desk.domain.rules import Issue, counts, run_checks
from ruian_desk.storage.assemble import check_context, effective_report
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.year_sums import year_report
from ruian_desk.textsafe import clean_text, windows_safe_name


@dataclass(frozen=True)
class ExportOptions:
    """What the document exporters add beyond the report itself."""

    signature: bool = True  # print the 落款 (organ + date) when the report has one
    charts: bool = False  # append the report's charts (needs ruian_desk.charts.render)
    tujie: bool = False  # append the one-page 图解 (needs ruian_desk.charts.render)
    html_inline_images: bool = False  # HTML: images as base64 in the page instead of files beside it
    with_checks: bool = False  # XLSX: add the 审核结果 sheet (the handed-over workbook is for readers)


def safe_file_name(name: str) -> str:
    """A file or folder name Windows can create (textsafe.windows_safe_name: reserved names, trailing dots)."""
    return windows_safe_name(name)


@dataclass(frozen=True)
class ReportView:
    report: Report
    issues: tuple[Issue, ...] = ()
    units: tuple[Report, ...] = ()  # the unit reports rolled up into this one (roll-up detail)
    history: tuple[Report, ...] = ()  # the same unit's reports of the other years (trend charts)
    workspace: str = ""
    generated_at: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))
    options: ExportOptions = field(default_factory=ExportOptions)

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
        return safe_file_name(f"{self.report.unit}{self.report.year}年政府信息公开工作年度报告")


# Formats that draw the report's charts whatever the options (the trend charts read the other years).
CHART_FORMATS = frozenset({"charts"})


def needs_history(options: ExportOptions, formats: Sequence[str] | None) -> bool:
    """Whether an export draws charts, and so reads the other years (trends): only then are they loaded —
    a DOCX of one year must not read twenty years of roll-ups. `formats` None: not known, loaded."""
    return formats is None or options.charts or options.tujie or bool(CHART_FORMATS & set(formats))


def build_view(
    repo: Repository,
    report_id: int,
    workspace: str = "",
    options: ExportOptions | None = None,
    formats: Sequence[str] | None = None,
) -> ReportView:
    """What the exporters of `formats` need (None: every format): the report as checked, its units, and —
    only when charts are drawn — its other years."""
    options = options or ExportOptions()
    # the main organ's tables in roll-up scope are the units' sums; text stored before issue #19 may still
    # hold characters no document can (a vertical tab pasted from Word): the exports never fail on them
    report = clean_report_text(effective_report(repo, report_id))
    context = check_context(repo, report)
    issues = run_checks(report, context)
    return ReportView(
        report=report,
        issues=tuple(issues),
        units=context.units,
        history=report_history(repo, report) if needs_history(options, formats) else (),
        workspace=workspace,
        options=options,
    )


def clean_report_text(report: Report) -> Report:
    """The report with every text cleaned (textsafe.clean_text); the same object when nothing needs it."""
    c = clean_text
    texts = [report.unit, report.title, report.intro, report.signature.organ, *report.parts.values()]
    texts += [t for m in report.metrics for t in (m.label, m.unit, m.source, m.note)]
    if all(c(t) == t for t in texts):
        return report
    return replace(
        report,
        unit=c(report.unit),
        title=c(report.title),
        intro=c(report.intro),
        parts={k: c(v) for k, v in report.parts.items()},
        metrics=tuple(
            replace(m, label=c(m.label), unit=c(m.unit), source=c(m.source), note=c(m.note))
            for m in report.metrics
        ),
        signature=replace(report.signature, organ=c(report.signature.organ)),
    )


def report_history(repo: Repository, report: Report) -> tuple[Report, ...]:
    """The same unit's reports of every other year in the workspace, oldest first, as the trend charts read
    them: a county's past years hold the units' sums (worked out by the database, no unit report loaded)."""
    out = []
    for year in repo.years():
        if year == report.year:
            continue
        rid = repo.find_report(report.unit, year)
        if rid is not None:
            out.append(year_report(repo, rid))
    return tuple(out)
