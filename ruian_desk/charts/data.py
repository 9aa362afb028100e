"""Plain chart data taken from validated `Report` objects: the same values the printed tables show.

No matplotlib and no Qt here, so the numbers of every chart can be tested (and reused) without drawing.
Every value comes from `report.values` (derived totals and group subtotals computed exactly as in the
tables) or from the report's metrics; nothing is typed separately for a chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ruian_desk.domain.formats import FormatDef, SectionDef
from ruian_desk.domain.report import SAMPLE_MARK, Metric, Number, Report, format_number
from ruian_desk.domain.rules import Issue, run_checks

# Stable cell ids (the same in gov-2019 and gov-2021) of the figures followed across years.
NEW_TOTAL = "t3.new.total"
DONE_TOTAL = "t3.r7_total.total"
REVIEW_TOTAL = "t4.count.rv_total"
SUIT_TOTALS = ("t4.count.ld_total", "t4.count.la_total")

DEFAULT_TOP_UNITS = 10
APPLICATIONS_PANEL = "政府信息公开申请（件）"
CASES_PANEL = "行政复议、行政诉讼（件）"


# ------------------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    share: Decimal | None = None  # percent of the chart's total, shown beside the value
    detail: str = ""  # e.g. "2364/3080" for a rate with numerator/denominator
    group: str = ""  # legend group: "法人或其他组织", or "rest" for the collected 其他 bar


@dataclass(frozen=True)
class Segment:
    label: str
    values: tuple[Number, ...]  # one per category


@dataclass(frozen=True)
class Stack:
    """One bar per category, made of stacked segments (行政诉讼 = 未经复议直接起诉 + 复议后起诉)."""

    label: str
    segments: tuple[Segment, ...]
    total: Number = 0  # the 总计 cells of the table

    def totals(self) -> tuple[Number, ...]:
        n = len(self.segments[0].values) if self.segments else 0
        return tuple(sum((s.values[i] for s in self.segments), start=0) for i in range(n))


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Number | None, ...]  # one per year; None where the year has no such figure
    panel: str = ""  # series of one panel share an axes (counts of different sizes get separate panels)


@dataclass(frozen=True, kw_only=True)
class Chart:
    key: str  # stable id: rates, applicants, outcomes, reviews, trend_counts, trend_rates, units
    name: str  # short Chinese name for pickers and file names
    title: str
    context: str = ""  # "瑞安市人民政府 · 2019年"
    sample: bool = False  # drawn from 示例数据
    notes: tuple[str, ...] = ()  # totals and remarks for the subtitle
    errors: tuple[str, ...] = ()  # messages of check errors on the data drawn
    empty_reason: str = ""  # why there is nothing to draw

    @property
    def has_data(self) -> bool:
        return not self.empty_reason

    def subtitle(self, with_context: bool = True) -> str:
        parts = [self.context] if with_context and self.context else []
        if not self.has_data:  # the empty-chart message says the rest
            return " · ".join(parts)
        if self.sample:
            parts.append(f"{SAMPLE_MARK}（不是真实统计数据）")
        parts.extend(self.notes)
        if self.errors:
            parts.append(f"数据有误：审核发现{len(self.errors)}处错误，图中数字可能不准确")
        return " · ".join(parts)


@dataclass(frozen=True, kw_only=True)
class RatesChart(Chart):
    rates: tuple[Bar, ...] = ()
    missing: tuple[str, ...] = ()  # rate metrics without a value


@dataclass(frozen=True, kw_only=True)
class BarsChart(Chart):
    bars: tuple[Bar, ...] = ()
    unit: str = "件"
    total: Number = 0


@dataclass(frozen=True, kw_only=True)
class StacksChart(Chart):
    categories: tuple[str, ...] = ()
    stacks: tuple[Stack, ...] = ()
    unit: str = "件"


@dataclass(frozen=True, kw_only=True)
class TrendChart(Chart):
    years: tuple[int, ...] = ()
    series: tuple[Series, ...] = ()
    unit: str = "件"
    percent: bool = False


@dataclass(frozen=True)
class ChartInputs:
    """What the charts of one report are drawn from; all plain domain objects."""

    report: Report
    issues: Sequence[Issue] = ()  # run_checks of `report`
    units: Sequence[Report] = ()  # the unit reports rolled up into `report` (ranking)
    history: Sequence[Report] = ()  # the same unit's reports of other years (trends)
    # Check results of the unit and history reports; computed with `run_checks` when not given.
    issues_of: Callable[[Report], Sequence[Issue]] | None = field(default=None, compare=False)
    # The checker's doubts (a rate recomputed from its parts, "按此计算为…"): in the app only, never in the
    # handed-over files, which state the report's own figures.
    doubts: bool = True

    def checks(self, report: Report) -> Sequence[Issue]:
        if report is self.report:
            return self.issues
        if self.issues_of is not None:
            return self.issues_of(report)
        return run_checks(report)


# ------------------------------------------------------------------------------------------ helpers


def shares(values: Sequence[Number], places: int = 1) -> list[Decimal | None]:
    """Percent shares of `values` that add up to exactly 100 (largest-remainder rounding).

    Each share is its exact quota rounded down or up; the units left over go to the largest remainders
    (ties: the larger value, then the earlier item), so a share never differs from its half-up rounding by
    more than the one unit needed to reach 100. None for every item when the total is 0.
    """
    total = sum((Fraction(Decimal(v)) for v in values), start=Fraction(0))
    if total <= 0:
        return [None] * len(values)
    scale = 100 * 10**places
    quotas = [Fraction(Decimal(v)) * scale / total for v in values]
    floors = [q.numerator // q.denominator for q in quotas]
    left = scale - sum(floors)
    order = sorted(
        range(len(values)), key=lambda i: (-(quotas[i] - floors[i]), -Fraction(Decimal(values[i])), i)
    )
    for i in order[:left]:
        floors[i] += 1
    step = Decimal(1).scaleb(-places)
    return [(Decimal(f) * step).quantize(step) for f in floors]


def plain_decimal(value: Number) -> str:
    """`Decimal('1E+2')` → "100", `Decimal('98.70')` → "98.7": the figure as a person writes it."""
    if isinstance(value, Decimal):
        d = value.normalize()
        return format(d, "f")
    return format_number(value)


_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）")
_NOTE = re.compile(r"（[^（）]*）$")


def short_label(label: str) -> str:
    """The group name without its numbering or note: "（二）部分公开（区分处理的，…）" → "部分公开"."""
    return _NOTE.sub("", _NUMBERING.sub("", label)).strip() or label


def expand_cells(fmt: FormatDef, cell_ids: Iterable[str]) -> set[str]:
    """The cells a drawn value depends on: a group subtotal or a derived total brings in its parts (and a
    derived cell itself, whose stated total may be the one in error)."""
    out: set[str] = set()
    for cid in cell_ids:
        out.add(cid)
        if cid in fmt.groups:
            out.update(fmt.groups[cid])
        elif cid in fmt.cells:
            out.update(fmt.cells[cid].parts)
    return out


def cell_errors(issues: Iterable[Issue], cells: set[str]) -> list[str]:
    """Messages of the error-severity issues that name any of `cells`."""
    return [i.message for i in issues if i.severity == "error" and cells.intersection(i.cells)]


def metric_errors(issues: Iterable[Issue], metrics: Iterable[Metric]) -> list[str]:
    """Messages of the error-severity issues about any of `metrics` (by key among the issue's cells, or by
    the metric's label in a metrics issue's message)."""
    ms = list(metrics)
    out = []
    for issue in issues:
        if issue.severity != "error":
            continue
        for m in ms:
            by_key = any(c == m.key or c.endswith(("." + m.key, ":" + m.key)) for c in issue.cells)
            by_label = (issue.part or "").startswith("metric") and bool(m.label) and m.label in issue.message
            if by_key or by_label:
                out.append(issue.message)
                break
    return out


def _context(report: Report) -> str:
    return f"{report.unit} · {report.year}年"


def _is_sample(report: Report, table: str) -> bool:
    return table in report.sample_tables


def _t3_section(fmt: FormatDef) -> SectionDef:
    return fmt.tables["t3"].sections[0]


def _total_column(section: SectionDef) -> str:
    return next(c.id for c in section.columns if c.derived)


def rate_value(m: Metric) -> Decimal | None:
    """The rate as the report states it; the computed rate only when no value was stated."""
    return m.value if m.value is not None else m.computed_rate()


# ------------------------------------------------------------------------------------------ charts


def service_rates(inputs: ChartInputs) -> RatesChart:
    """Every rate metric of the report (unit %), in the register's order."""
    report = inputs.report
    rates = [m for m in report.metrics if m.is_rate]
    bars = []
    missing = []
    for m in rates:
        value = rate_value(m)
        if value is None:
            missing.append(m.label)
            continue
        detail = ""
        if m.numerator is not None and m.denominator is not None:
            detail = f"{plain_decimal(m.numerator)}/{plain_decimal(m.denominator)}"
            if inputs.doubts and m.value is not None and m.denominator:
                # The bar shows the stated rate; where its own parts give another, the label says so.
                places = max(0, -int(m.value.as_tuple().exponent))
                computed = m.computed_rate(places)
                if computed is not None and computed != m.value:
                    detail += f"，按此计算为{format_number(computed)}%"
        bars.append(Bar(m.label or m.key, value, detail=detail))
    notes = []
    if missing:
        notes.append("未填数值：" + "、".join(missing))
    return RatesChart(
        key="rates",
        name="服务比率",
        title="政务服务主要比率指标",
        context=_context(report),
        notes=tuple(notes),
        errors=tuple(metric_errors(inputs.issues, rates)),
        rates=tuple(bars),
        missing=tuple(missing),
        empty_reason="" if bars else "本报告的指标中没有比率（单位为%）的指标",
    )


def applicants(inputs: ChartInputs) -> BarsChart:
    """表三 一、本年新收 by applicant type: 自然人 and the five 法人或其他组织 columns."""
    report = inputs.report
    fmt = report.fmt
    section = _t3_section(fmt)
    cols = [c for c in section.columns if not c.derived]
    cells = [f"{section.id}.new.{c.id}" for c in cols]
    values = [report.values.number(c) for c in cells]
    total_cell = f"{section.id}.new.{_total_column(section)}"
    total = report.values.number(total_cell)
    bars = tuple(
        Bar(c.label, v, share=s, group=c.group or "")
        for c, v, s in zip(cols, values, shares(values), strict=True)
    )
    return BarsChart(
        key="applicants",
        name="申请人类型",
        title="本年新收政府信息公开申请（按申请人类型）",
        context=_context(report),
        sample=_is_sample(report, "t3"),
        notes=(f"新收申请共{format_number(total)}件",),
        errors=tuple(cell_errors(inputs.issues, expand_cells(fmt, [*cells, total_cell]))),
        bars=bars,
        total=total,
        empty_reason="" if total else "表三“本年新收政府信息公开申请数量”为0或未填",
    )


def outcome_rows(fmt: FormatDef) -> list[tuple[str, str]]:
    """(cell id of the group's total, short label) of 三、本年度办理结果's groups （一）…（六）, from the
    format data: a leaf row's 总计 cell, or a group's virtual subtotal (2019's （六）其他处理 is a single row,
    2021's has three sub-rows)."""
    section = _t3_section(fmt)
    total_col = _total_column(section)
    top = next(r for r in section.rows if r.kind == "group" and r.parent is None)
    out = []
    for row in section.children(top.id):
        if row.kind in ("leaf", "group"):
            out.append((f"{section.id}.{row.id}.{total_col}", short_label(row.label)))
    return out


def outcomes(inputs: ChartInputs) -> BarsChart:
    """三、本年度办理结果 by group, with shares of （七）总计."""
    report = inputs.report
    fmt = report.fmt
    rows = outcome_rows(fmt)
    values = [report.values.number(cid) for cid, _ in rows]
    total = report.values.number(DONE_TOTAL)
    bars = tuple(
        Bar(label, v, share=s) for (_, label), v, s in zip(rows, values, shares(values), strict=True)
    )
    drawn = expand_cells(fmt, [cid for cid, _ in rows] + [DONE_TOTAL])
    return BarsChart(
        key="outcomes",
        name="办理结果",
        title="本年度政府信息公开申请办理结果",
        context=_context(report),
        sample=_is_sample(report, "t3"),
        notes=(f"办结共{format_number(total)}件",),
        errors=tuple(cell_errors(inputs.issues, drawn)),
        bars=bars,
        total=total,
        empty_reason="" if total else "表三“本年度办理结果”为0或未填",
    )


def reviews(inputs: ChartInputs) -> StacksChart:
    """表四: 行政复议 and 行政诉讼 (未经复议直接起诉 + 复议后起诉) by result (维持, 纠正, 其他, 尚未审结)."""
    report = inputs.report
    fmt = report.fmt
    section = fmt.tables["t4"].sections[0]
    row = section.number_rows()[0].id
    plain = [c for c in section.columns if not c.derived]
    categories: list[str] = []
    for c in plain:
        if c.label not in categories:
            categories.append(c.label)
    stacks: list[Stack] = []
    for top in dict.fromkeys(c.top for c in section.columns):
        subs = list(dict.fromkeys(c.sub for c in section.columns if c.top == top))
        segments = []
        for sub in subs:
            by_label = {
                c.label: report.values.number(f"{section.id}.{row}.{c.id}")
                for c in plain
                if (c.top, c.sub) == (top, sub)
            }
            segments.append(Segment(sub or top or "", tuple(by_label.get(cat, 0) for cat in categories)))
        total_cells = [f"{section.id}.{row}.{c.id}" for c in section.columns if c.derived and c.top == top]
        total = sum((report.values.number(cid) for cid in total_cells), start=0)
        stacks.append(Stack(top or "", tuple(segments), total))
    all_cells = [f"{section.id}.{row}.{c.id}" for c in section.columns]
    notes = tuple(f"{s.label}共{format_number(s.total)}件" for s in stacks)
    any_value = any(s.total for s in stacks) or any(any(s.totals()) for s in stacks)
    return StacksChart(
        key="reviews",
        name="复议诉讼",
        title="政府信息公开行政复议、行政诉讼情况",
        context=_context(report),
        sample=_is_sample(report, "t4"),
        notes=notes,
        errors=tuple(cell_errors(inputs.issues, expand_cells(fmt, all_cells))),
        categories=tuple(categories),
        stacks=tuple(stacks),
        empty_reason="" if any_value else "本年度没有政府信息公开行政复议、行政诉讼案件",
    )


def _years(inputs: ChartInputs) -> list[Report]:
    """The report and its history, one per year, oldest first (the report itself wins a duplicate year)."""
    by_year = {r.year: r for r in inputs.history if r.unit == inputs.report.unit}
    by_year[inputs.report.year] = inputs.report
    return [by_year[y] for y in sorted(by_year)]


def _single_year_reason(reports: Sequence[Report]) -> str:
    if len(reports) >= 2:
        return ""
    return f"工作区中只有{reports[0].year}年度的报告，至少需要两个年度才能显示趋势"


def trend_counts(inputs: ChartInputs) -> TrendChart:
    """新收申请, 办结, 行政复议, 行政诉讼 of the report's unit in every year of the workspace."""
    reports = _years(inputs)
    series = (
        Series("新收申请", tuple(r.values.number(NEW_TOTAL) for r in reports), APPLICATIONS_PANEL),
        Series("办结", tuple(r.values.number(DONE_TOTAL) for r in reports), APPLICATIONS_PANEL),
        Series("行政复议", tuple(r.values.number(REVIEW_TOTAL) for r in reports), CASES_PANEL),
        Series(
            "行政诉讼",
            tuple(sum((r.values.number(c) for c in SUIT_TOTALS), start=0) for r in reports),
            CASES_PANEL,
        ),
    )
    errors: list[str] = []
    for r in reports:
        drawn = expand_cells(r.fmt, [NEW_TOTAL, DONE_TOTAL, REVIEW_TOTAL, *SUIT_TOTALS])
        errors.extend(f"{r.year}年：{m}" for m in cell_errors(inputs.checks(r), drawn))
    years = tuple(r.year for r in reports)
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
    return TrendChart(
        key="trend_counts",
        name="历年申请与复议诉讼",
        title="历年政府信息公开申请、行政复议、行政诉讼",
        context=f"{inputs.report.unit} · {span}",
        sample=any(_is_sample(r, "t3") or _is_sample(r, "t4") for r in reports),
        errors=tuple(errors),
        years=years,
        series=series,
        empty_reason=_single_year_reason(reports),
    )


def trend_rates(inputs: ChartInputs) -> TrendChart:
    """Each rate metric (by key) across the years; a year without the metric leaves a gap."""
    reports = _years(inputs)
    keys: dict[str, str] = {}
    for r in [inputs.report, *reversed(reports)]:  # labels as the latest report writes them
        for m in r.metrics:
            if m.is_rate and m.key not in keys:
                keys[m.key] = m.label or m.key
    series = []
    errors: list[str] = []
    for key, label in keys.items():
        values = []
        for r in reports:
            found = r.metric(key)
            values.append(rate_value(found) if found is not None and found.is_rate else None)
        series.append(Series(label, tuple(values), panel=label))
    for r in reports:
        errors.extend(
            f"{r.year}年：{msg}"
            for msg in metric_errors(inputs.checks(r), [m for m in r.metrics if m.is_rate])
        )
    years = tuple(r.year for r in reports)
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
    reason = _single_year_reason(reports)
    if not reason and not series:
        reason = "各年度报告的指标中都没有比率（单位为%）的指标"
    return TrendChart(
        key="trend_rates",
        name="历年服务比率",
        title="历年政务服务主要比率指标",
        context=f"{inputs.report.unit} · {span}",
        errors=tuple(errors),
        years=years,
        series=tuple(series),
        unit="%",
        percent=True,
        empty_reason=reason,
    )


def unit_ranking(inputs: ChartInputs, top: int = DEFAULT_TOP_UNITS) -> BarsChart:
    """新收申请 (表三 一 总计) of each unit rolled up into the report: the `top` largest, the rest as 其他."""
    report = inputs.report
    units = sorted(inputs.units, key=lambda u: (-u.values.number(NEW_TOTAL), u.unit))
    values = [u.values.number(NEW_TOTAL) for u in units]
    if len(units) > top + 1:
        rest = values[top:]
        labels = [u.unit for u in units[:top]] + [f"其他{len(rest)}个单位"]
        values = values[:top] + [sum(rest, start=0)]
        groups = [""] * top + ["rest"]
    else:
        labels = [u.unit for u in units]
        groups = [""] * len(units)
    bars = tuple(
        Bar(label, v, share=s, group=g)
        for label, v, s, g in zip(labels, values, shares(values), groups, strict=True)
    )
    unit_total = sum((u.values.number(NEW_TOTAL) for u in units), start=0)
    notes = [f"{len(units)}个单位合计{format_number(unit_total)}件"]
    own = report.values.number(NEW_TOTAL)
    if units and unit_total != own:
        notes.append(f"与本报告表三新收申请总计{format_number(own)}件不一致")
    errors: list[str] = []
    for u in units:
        drawn = expand_cells(u.fmt, [NEW_TOTAL])
        errors.extend(f"{u.unit}：{m}" for m in cell_errors(inputs.checks(u), drawn))
    reason = ""
    if not units:
        reason = "本报告没有汇总的单位（单位排名只用于汇总各单位的报告）"
    elif not unit_total:
        reason = "各单位表三“本年新收政府信息公开申请数量”均为0或未填"
    return BarsChart(
        key="units",
        name="单位排名",
        title="各单位本年新收政府信息公开申请" + (f"（前{top}名）" if len(units) > top + 1 else ""),
        context=_context(report),
        sample=any(_is_sample(u, "t3") for u in units),
        notes=tuple(notes),
        errors=tuple(errors),
        bars=bars,
        total=unit_total,
        empty_reason=reason,
    )


CHART_BUILDERS: Mapping[str, Callable[[ChartInputs], Chart]] = {
    "rates": service_rates,
    "applicants": applicants,
    "outcomes": outcomes,
    "reviews": reviews,
    "trend_counts": trend_counts,
    "trend_rates": trend_rates,
    "units": unit_ranking,
}


def report_charts(inputs: ChartInputs) -> list[Chart]:
    """Every chart of a report, in display order; a chart with nothing to draw says why (`empty_reason`)."""
    return [build(inputs) for build in CHART_BUILDERS.values()]


# ------------------------------------------------------------------------------------------ 图解 page

# Half-width charts of the page, placed two to a row; the rates and the trend take a whole row.
PAGE_PAIRED = ("applicants", "outcomes", "reviews", "units")


@dataclass(frozen=True)
class TujiePage:
    """One A4 page of charts (图解) for putting into the report's exports."""

    title: str
    top: Chart | None  # full width, first (the service rates)
    paired: tuple[Chart, ...]  # two to a row
    bottom: Chart | None  # full width, last (the trend)
    notes: tuple[str, ...] = ()  # footer lines: 示例数据 note, where the figures come from

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for c in (self.top, *self.paired, self.bottom) if c is not None)


def tujie_page(inputs: ChartInputs, charts: Sequence[Chart] | None = None) -> TujiePage:
    """The charts with data, laid out for one page; empty charts are left off."""
    by_key = {c.key: c for c in (charts if charts is not None else report_charts(inputs))}
    report = inputs.report

    def pick(key: str) -> Chart | None:
        c = by_key.get(key)
        return c if c is not None and c.has_data else None

    paired = tuple(c for c in (pick(k) for k in PAGE_PAIRED) if c is not None)
    notes = []
    if any(c.sample for c in by_key.values() if c.has_data):
        tables = "、".join(report.fmt.tables[t].name for t in sorted(report.sample_tables)) or "汇总单位报表"
        notes.append(
            f"{SAMPLE_MARK}：{tables}中的数字为示例数据，不是真实统计数据；图中标有“{SAMPLE_MARK}”。"
        )
    errors = sum(len(c.errors) for c in by_key.values() if c.has_data)
    if errors:
        notes.append(f"数据有误：审核发现与图中数字有关的错误{errors}处，请更正后再使用本图解。")
    notes.append("数据来源：本报告表三、表四及指标登记（与报表同一数据）。")
    return TujiePage(
        title=f"{report.unit}{report.year}年政府信息公开工作年度报告 图解",
        top=pick("rates"),
        paired=paired,
        bottom=pick("trend_counts"),
        notes=tuple(notes),
    )
