"""Rules on the tables beyond the data's sums: 表二's own rules, last year's tables (carried figures, stock,
spikes, tables copied unchanged).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ruian_desk.domain.checks.common import (
    as_text,
    cell_sum,
    part_of_table,
)
from ruian_desk.domain.formats import get_format
from ruian_desk.domain.issues import CheckContext, Issue, applies
from ruian_desk.domain.report import Report
from ruian_desk.domain.textfigures import (
    fmt_decimal,
)

FEE_LARGE_WANYUAN = Decimal(100000)  # 10亿元: above this a 万元 amount was probably typed in 元


# --------------------------------------------------------------------------------------------- 表二


def t2_county_rules(report: Report, context: CheckContext) -> list[Issue]:
    """规章 is made by 国务院部门 and provincial or 设区的市 governments only (立法法): every role of a 瑞安
    report (the county government, its office, departments, 乡镇（街道）, 功能区) is county-level."""
    fmt = report.fmt
    section = next((s for s in fmt.tables["t2"].sections if any(r.id == "rules" for r in s.rows)), None)
    if section is None:
        return []
    cells = [f"{section.id}.rules.{c.id}" for c in section.columns]
    nonzero = [(c, report.values.get(c)) for c in cells if report.values.get(c)]
    if not nonzero:
        return []
    listing = "、".join(f"{fmt.cells[c].label.rsplit('·', 1)[-1]} {as_text(v)}" for c, v in nonzero)
    return [
        Issue(
            "T2-COUNTY-RULES",
            "warning",
            f"表二 {section.caption}·规章：县级政府及其部门、乡镇（街道）、功能区没有规章制定权（《立法法》），"
            f"本行通常应为 0，现为 {listing}",
            tuple(c for c, _ in nonzero),
            expected=0,
            actual=sum((v for _, v in nonzero if v is not None), start=0),
        )
    ]


def t2_fee_precision(report: Report, context: CheckContext) -> list[Issue]:
    """收费金额 is in 万元: at most 4 decimals, and a huge amount was probably typed in 元."""
    fmt = report.fmt
    if not applies(fmt, "T2-FEE-PRECISION"):
        return []
    issues = []
    for cid, cell in fmt.cells.items():
        if cell.type != "decimal" or cell.unit != "万元":
            continue
        v = report.cells.get(cid)
        if v is None:
            continue
        d = Decimal(v)
        exponent = d.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -4:
            issues.append(
                Issue(
                    "T2-FEE-PRECISION",
                    "info",
                    f"{cell.label}：{as_text(d)} 万元有 {-exponent} 位小数，万元金额保留2至4位小数即可（元→万元除以10000）",
                    (cid,),
                    expected=d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                    actual=d,
                )
            )
        elif d >= FEE_LARGE_WANYUAN:
            issues.append(
                Issue(
                    "T2-FEE-PRECISION",
                    "info",
                    f"{cell.label}：{as_text(d)} 万元即 {fmt_decimal(d / 10000, 2)} 亿元，数额很大，请确认没有把元当作万元填写"
                    f"（元→万元需除以10000，应为 {fmt_decimal(d / 10000, 4)} 万元？）",
                    (cid,),
                    expected=None,
                    actual=d,
                )
            )
    return issues


# Key totals whose jump from last year is worth a second look (a figure typed in the wrong unit or row).
SPIKE_TOTALS = (
    ("表三 一、本年新收政府信息公开申请数量", ("t3.new.total",)),
    ("表四 行政复议", ("t4.count.rv_total",)),
    ("表四 行政诉讼", ("t4.count.ld_total", "t4.count.la_total")),
    ("表二 行政处罚决定", ("t2_6.penalty.decisions",)),
    ("表二 行政许可决定", ("t2_5.license.decisions",)),
)
SPIKE_FACTOR = 5
SPIKE_MIN_BEFORE = 10


def yoy_spike(report: Report, context: CheckContext) -> list[Issue]:
    """Advice: a key total more than 5× or under ⅕ of last year's (last year ≥ 10)."""
    prev = context.previous
    if prev is None:
        return []
    fmt, pfmt = report.fmt, prev.fmt
    issues = []
    for label, ids in SPIKE_TOTALS:
        if not all(c in fmt.cells and c in pfmt.cells for c in ids):
            continue
        now, then = cell_sum(report, ids), cell_sum(prev, ids)
        if now is None or then is None or then < SPIKE_MIN_BEFORE:
            continue
        if now > then * SPIKE_FACTOR:
            how = f"是上年的 {fmt_decimal(Decimal(now) / Decimal(then), 1)} 倍"
        elif now * SPIKE_FACTOR < then:
            how = f"不到上年的五分之一（{fmt_decimal(Decimal(now) * 100 / Decimal(then), 1)}%）"
        else:
            continue
        issues.append(
            Issue(
                "T-YOY-SPIKE",
                "info",
                f"{label}：本年 {as_text(now)} 件，上年（{prev.year}年）{as_text(then)} 件，{how}；请确认没有填错行、单位或漏填",
                ids,
                expected=then,
                actual=now,
            )
        )
    return issues


def unchanged(report: Report, context: CheckContext) -> list[Issue]:
    """Every figure of a table equal to last year's: probably last year's table copied."""
    prev = context.previous
    if prev is None:
        return []
    fmt = report.fmt
    pfmt = prev.fmt
    issues = []
    for table in fmt.tables.values():
        common = _common_inputs(fmt.id, pfmt.id, table.id)
        if not common:
            continue
        now = [report.values.number(c) for c in common]
        if now != [prev.values.number(c) for c in common]:
            continue
        nonzero = sum(1 for v in now if v)
        if nonzero < 2:
            continue  # an all-zero 表四 two years running is ordinary
        key = part_of_table(fmt, table.id)
        issues.append(
            Issue(
                "N-UNCHANGED",
                "warning",
                f"{table.name}：全部 {len(common)} 个数字（其中 {nonzero} 个非零）与上年（{prev.year}年）报告完全相同，"
                "请核实是否沿用了上年数据",
                part=key,
                expected=None,
                actual=nonzero,
            )
        )
    return issues


@lru_cache(maxsize=32)
def _common_inputs(format_id: str, prev_format_id: str, table: str) -> tuple[str, ...]:
    """Input cells of a table that both formats have (cross-format years compare what is comparable)."""
    fmt, pfmt = get_format(format_id), get_format(prev_format_id)
    return tuple(
        cid
        for cid, cell in fmt.cells.items()
        if cell.table == table and not cell.derived and cid in pfmt.cells and not pfmt.cells[cid].derived
    )
