"""Rules on the tables beyond the data's sums and cell rules: last year's tables (spikes, tables copied
unchanged).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ruian_desk.domain.checks.common import (
    as_text,
    cell_sum,
    part_of_table,
)
from ruian_desk.domain.formats import get_format
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Report
from ruian_desk.domain.textfigures import (
    fmt_decimal,
)

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
