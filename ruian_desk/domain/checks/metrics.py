"""The metrics register (指标): rates within bounds, computed from their parts, quoted as registered; rates in
the text against the base the text implies.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ruian_desk.domain.checks.common import (
    lead_in,
    place_of,
    quote_span,
    texts_of,
)
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Metric, Report, percent
from ruian_desk.domain.textfigures import (
    Figure,
    figures,
    figures_from,
    fmt_decimal,
    line_of,
    sentence_at,
)

# ------------------------------------------------------------------------------------------ metrics


def metric_bounds(report: Report, context: CheckContext) -> list[Issue]:
    """A rate lies within 0–100 % and its numerator does not exceed its denominator."""
    issues = []
    for m in report.metrics:
        if not m.is_rate:
            continue
        has_parts = m.numerator is not None and m.denominator is not None
        where = f"指标“{m.label}”"
        if m.value is not None and not (0 <= m.value <= 100):
            issues.append(
                Issue(
                    "X-METRIC-BOUNDS",
                    "error" if has_parts else "warning",
                    f"{where}：比率 {fmt_decimal(m.value)}% 超出 0–100% 的范围",
                    part="metrics",
                    expected=None,
                    actual=m.value,
                    anchor=f"{m.key}#范围",
                )
            )
        if has_parts:
            assert m.numerator is not None and m.denominator is not None
            if m.numerator < 0 or m.denominator < 0:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分子 {fmt_decimal(m.numerator)}、分母 {fmt_decimal(m.denominator)} 不能为负数",
                        part="metrics",
                        expected=None,
                        actual=m.numerator,
                        anchor=f"{m.key}#负数",
                    )
                )
            elif m.denominator == 0:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分母为 0，无法计算比率（分子 {fmt_decimal(m.numerator)}）",
                        part="metrics",
                        expected=None,
                        actual=m.denominator,
                        anchor=f"{m.key}#分母",
                    )
                )
            elif m.numerator > m.denominator:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分子 {fmt_decimal(m.numerator)} 大于分母 {fmt_decimal(m.denominator)}",
                        part="metrics",
                        expected=m.denominator,
                        actual=m.numerator,
                        anchor=f"{m.key}#分子",
                    )
                )
    return issues


_RATE_SUFFIXES = ("占比", "比例", "比率", "总数", "数量", "总量")


def _strict_anchors(label: str) -> list[str]:
    out = [label]
    for suffix in _RATE_SUFFIXES:
        if label.endswith(suffix) and len(label) - len(suffix) >= 2:
            out.append(label[: -len(suffix)])
    return out


def _loose_anchors(label: str) -> list[str]:
    out = _strict_anchors(label)
    out += [label[i:] for i in range(1, len(label) - 2) if label[i:] not in out]
    return out


def _locate(report: Report, m: Metric, strict: bool) -> tuple[str, str, Figure, int] | None:
    """Where the text states the metric: (part, text, figure, anchor start). The figure is the first with
    the metric's unit right after the label (or right before it: "147个双随机抽查任务")."""
    unit = m.unit.replace("％", "%")
    anchors = _strict_anchors(m.label) if strict else _loose_anchors(m.label)
    texts = list(texts_of(report, ("p1", "intro", "p5", "p6")))
    for anchor in anchors:
        for key, text in texts:
            start = text.find(anchor)
            while start >= 0:
                end = start + len(anchor)
                found = _figure_near(text, start, end, unit, m.is_rate)
                if found is not None:
                    return key, text, found, start
                start = text.find(anchor, end)
    return None


def _figure_near(text: str, start: int, end: int, unit: str, is_rate: bool) -> Figure | None:
    s_start, s_end = sentence_at(text, start)
    reach = 16 if is_rate else 8
    for f in figures_from(text, s_start):
        if f.start < s_start:
            continue
        if f.start >= s_end:
            break
        if f.end <= start and start - f.end <= 1 and not is_rate:
            if not unit or f.unit == unit:
                return f
        if f.start >= end:
            if f.start - end > reach:
                return None
            if not unit or f.unit == unit:
                return f
            if not is_rate:
                return None  # the next figure is of another kind: the label is not followed by its value
    return None


def _metric_text_place(report: Report, m: Metric) -> tuple[str, str, Figure] | None:
    """The figure in the text that states a rate metric: near its label, else the one figure with its
    value; for messages and for the precision the text uses."""
    found = _locate(report, m, strict=False)
    if found is not None and m.value is not None and found[2].value == m.value:
        return found[0], found[1], found[2]
    if m.value is None:
        return None
    hits = [
        (key, text, f)
        for key, text in texts_of(report, ("p1", "intro", "p5", "p6"))
        for f in figures(text)
        if f.unit == "%" and f.value == m.value
    ]
    if len(hits) == 1:
        return hits[0]
    return None


def metric_rate(report: Report, context: CheckContext) -> list[Issue]:
    """A rate stated with its numerator and denominator equals numerator ÷ denominator, rounded half-up at
    the precision the text uses."""
    fmt = report.fmt
    issues = []
    for m in report.metrics:
        if not (m.is_rate and m.value is not None and m.numerator is not None and m.denominator):
            continue
        if m.numerator < 0 or m.denominator < 0:
            continue  # X-METRIC-BOUNDS
        place = _metric_text_place(report, m)
        places = place[2].decimals if place else max(0, -int(m.value.as_tuple().exponent))
        computed = percent(m.numerator, m.denominator, places)
        if computed == m.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
            continue
        stated = fmt_decimal(m.value, places)
        calc = f"{fmt_decimal(m.numerator)} ÷ {fmt_decimal(m.denominator)} 计算应为 {fmt_decimal(computed, places)}%"
        if place is not None:
            key, text, fig = place
            phrase = quote_span(text, lead_in(text, fig.start, clauses=2), fig.end)
            message = f"{place_of(fmt, key, text, fig.start)}“{phrase}”：指标“{m.label}”文中为 {stated}%，按 {calc}，两者不一致"
            part, para = key, line_of(text, fig.start)
        else:
            message = f"指标“{m.label}”：填报为 {stated}%，按 {calc}，两者不一致"
            part, para = "metrics", None
        issues.append(
            Issue(
                "X-METRIC-RATE",
                "warning",
                message,
                part=part,
                expected=computed,
                actual=m.value,
                anchor=f"metric:{m.key}",
                paragraph=para,
            )
        )
    return issues


def metric_text(report: Report, context: CheckContext) -> list[Issue]:
    """A figure the text states right at a metric's label equals the metric's value."""
    fmt = report.fmt
    issues = []
    for m in report.metrics:
        if m.value is None:
            continue
        found = _locate(report, m, strict=True)
        if found is None:
            continue
        key, text, fig, anchor_start = found
        if fig.fits(m.value) or (not fig.exact and fig.value == m.value):
            continue
        start, end = min(anchor_start, fig.start), max(anchor_start + len(m.label), fig.end)
        phrase = quote_span(text, start, end)
        unit = m.unit or ""
        issues.append(
            Issue(
                "X-METRIC-TEXT",
                "warning",
                f"{place_of(fmt, key, text, fig.start)}“{phrase}”：文中为 {fig.text}，指标“{m.label}”登记为 "
                f"{fmt_decimal(m.value)}{unit}，两者不一致",
                part=key,
                expected=m.value,
                actual=fig.value,
                anchor=f"metric:{m.key}",
                paragraph=line_of(text, fig.start),
            )
        )
    return issues


_RATE_WORD = re.compile(r"(?:占比|占|比例|比重|[\u4e00-\u9fff]{0,4}率)(?:为|达到|达|是)?$")
_TOTAL_WORD = re.compile(r"(?:总数|总量|总计|合计|共计|累计|共有|共|全部|总)(?:达到|达|为|是)?$")


def text_rate(report: Report, context: CheckContext) -> list[Issue]:
    """A share stated right after its count ("即办事项2364项，占比76.75%") equals the count divided by the
    base the text implies: the total named before it ("政务服务事项总数达3080项"), else the nearest larger
    figure of the same unit in the sentence ("抽查对象6731户次，完成5935户次，完成率88.32%")."""
    fmt = report.fmt
    covered = {
        (m.numerator, m.value)
        for m in report.metrics
        if m.is_rate and m.numerator is not None and m.denominator is not None
    }
    issues = []
    for key, text in texts_of(report):
        figs = figures(text)
        for i, rate in enumerate(figs):
            if rate.unit != "%" or not rate.exact or i == 0:
                continue
            num = figs[i - 1]
            if num.unit in ("%", "个百分点") or not num.exact or num.value <= 0:
                continue
            s_start, _ = sentence_at(text, rate.start)
            if num.start < s_start:
                continue
            between = text[num.end : rate.num_start]
            if len(between) > 8 or not _RATE_WORD.search(between) or any(ch.isdigit() for ch in between):
                continue
            if _is_total(text, num):
                continue  # "总数达3080项，网上办理开通率99.74%": the rate is not a share of that count
            base = _implied_base(text, figs, i - 1)
            if base is None:
                continue
            if (num.value, rate.value) in covered:
                continue  # a metric holds this rate with its own numerator/denominator: X-METRIC-RATE checks it
            computed = percent(num.value, base.value, rate.decimals)
            if computed == rate.value:
                continue
            phrase = quote_span(text, lead_in(text, num.start), rate.end)
            issues.append(
                Issue(
                    "X-TEXT-RATE",
                    "warning",
                    f"{place_of(fmt, key, text, rate.start)}“{phrase}”：文中为 {fmt_decimal(rate.value, rate.decimals)}%，"
                    f"按前文 {fmt_decimal(num.value)}{num.unit} ÷ {fmt_decimal(base.value)}{base.unit}（“{quote_span(text, lead_in(text, base.start, reach=14), base.end)}”）"
                    f"计算应为 {fmt_decimal(computed, rate.decimals)}%，两者不一致",
                    part=key,
                    expected=computed,
                    actual=rate.value,
                    anchor=phrase,
                    paragraph=line_of(text, rate.start),
                )
            )
    return issues


def _is_total(text: str, fig: Figure) -> bool:
    return bool(_TOTAL_WORD.search(text[max(0, fig.start - 6) : fig.start]))


def _implied_base(text: str, figs: tuple[Figure, ...], num_index: int) -> Figure | None:
    num = figs[num_index]
    line_start = text.rfind("\n", 0, num.start) + 1
    s_start, _ = sentence_at(text, num.start)
    candidates = [
        f
        for f in figs[:num_index]
        if f.start >= line_start and f.unit == num.unit and f.exact and f.value >= num.value
    ]
    totals = [f for f in candidates if _is_total(text, f)]
    if totals:
        return totals[-1]
    same_sentence = [f for f in candidates if f.start >= s_start and f.value > num.value]
    return same_sentence[-1] if same_sentence else None
