"""Consistent test reports for the check rules: tables that pass every sum rule, clean narrative text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ruian_desk.domain.report import Metric, Report, Signature
from ruian_desk.domain.rules import CheckContext, Issue, run_checks

FORMATS = ("gov-2019", "gov-2021")
YEAR = {"gov-2019": 2019, "gov-2021": 2021}
COLS = ("np", "ce", "ri", "spo", "lso", "oth")

# 表三 per column np ce ri spo lso oth; each column balances: new + carry_in = results + carry_out.
T3 = {
    "new": (20, 5, 0, 1, 2, 2),  # 30
    "carry_in": (2, 1, 0, 0, 0, 0),  # 3
    "r1_open": (10, 2, 0, 0, 1, 1),  # 14
    "r2_partial": (3, 1, 0, 0, 0, 0),  # 4
    "r3_4": (2, 1, 0, 0, 0, 0),  # 3 ┐ 不予公开 4
    "r3_6": (1, 0, 0, 0, 0, 0),  # 1 ┘
    "r4_1": (2, 1, 0, 1, 1, 0),  # 5   无法提供 5
    "r5_2": (1, 0, 0, 0, 0, 1),  # 2   不予处理 2
    "OTHER": (1, 0, 0, 0, 0, 0),  # 1   其他处理 1 (r6_other in 2019, r6_1 in 2021)
    "carry_out": (2, 1, 0, 0, 0, 0),  # 3
}
T4 = {
    "rv_keep": 2,
    "rv_correct": 1,
    "rv_pending": 1,  # 行政复议 4
    "ld_keep": 1,
    "ld_pending": 1,  # 未经复议直接起诉 2
    "la_keep": 1,  # 复议后起诉 1
}
T2 = {
    "gov-2021": {
        "t2_1.rules.made": 0,
        "t2_1.rules.repealed": 0,
        "t2_1.rules.valid": 0,
        "t2_1.normative.made": 5,
        "t2_1.normative.repealed": 2,
        "t2_1.normative.valid": 40,
        "t2_5.license.decisions": 300,
        "t2_6.penalty.decisions": 120,
        "t2_6.coercion.decisions": 10,
        "t2_8.admin_fee.fee_amount": Decimal("12.5"),
    },
    "gov-2019": {
        "t2_1.rules.new_made": 0,
        "t2_1.rules.new_public": 0,
        "t2_1.rules.total_public": 0,
        "t2_1.normative.new_made": 5,
        "t2_1.normative.new_public": 5,
        "t2_1.normative.total_public": 40,
        "t2_5.license.prev_items": 100,
        "t2_5.license.change": 3,
        "t2_5.license.decisions": 300,
        "t2_5.other_mgmt.prev_items": 50,
        "t2_5.other_mgmt.change": -2,
        "t2_5.other_mgmt.decisions": 80,
        "t2_6.penalty.prev_items": 200,
        "t2_6.penalty.change": 5,
        "t2_6.penalty.decisions": 120,
        "t2_6.coercion.prev_items": 20,
        "t2_6.coercion.change": 0,
        "t2_6.coercion.decisions": 10,
        "t2_8.admin_fee.prev_items": 10,
        "t2_8.admin_fee.change": -1,
        "t2_9.central_proc.proc_count": 12,
        "t2_9.central_proc.proc_amount": Decimal("345.6"),
    },
}

P1 = "（一）主动公开\n本机关坚持以公开为常态、不公开为例外，及时主动公开各类政府信息。"
P5 = "一是公开意识有待加强，部分工作人员对条例理解不深；二是公开内容还不够全面。下一步，本机关将加强培训，完善制度。"
P6 = "本年度未收取信息处理费。"


def cells(fid: str) -> dict[str, object]:
    other = "r6_other" if fid == "gov-2019" else "r6_1"
    out: dict[str, object] = {}
    for row, values in T3.items():
        r = other if row == "OTHER" else row
        for c, v in zip(COLS, values, strict=True):
            out[f"t3.{r}.{c}"] = v
    out.update({f"t4.count.{k}": v for k, v in T4.items()})
    out.update(T2[fid])
    return out


def report(
    fid: str = "gov-2021",
    *,
    year: int | None = None,
    unit: str = "瑞安市某局",
    role: str = "department",
    changes: dict[str, object] | None = None,
    title: str | None = None,
    intro: str = "",
    p1: str = P1,
    p5: str = P5,
    p6: str = P6,
    metrics: tuple[Metric, ...] = (),
    signature: Signature | None = None,
) -> Report:
    year = YEAR[fid] if year is None else year
    c = cells(fid)
    c.update(changes or {})
    return Report(
        unit=unit,
        unit_role=role,
        year=year,
        format_id=fid,
        title=f"{unit}{year}年政府信息公开工作年度报告" if title is None else title,
        intro=intro,
        parts={"p1": p1, "p5": p5, "p6": p6},
        cells=c,
        metrics=metrics,
        signature=signature or Signature(unit, dt.date(year + 1, 1, 20)),
    )


def issues_of(rule_id: str, rep: Report, context: CheckContext | None = None) -> list[Issue]:
    return [i for i in run_checks(rep, context) if i.rule == rule_id]


def rate(key: str, label: str, value: str, num: int | None = None, den: int | None = None) -> Metric:
    return Metric(
        key=key,
        label=label,
        value=Decimal(value),
        unit="%",
        numerator=None if num is None else Decimal(num),
        denominator=None if den is None else Decimal(den),
    )


def count(key: str, label: str, value: int, unit: str = "项") -> Metric:
    return Metric(key=key, label=label, value=Decimal(value), unit=unit)
