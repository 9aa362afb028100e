"""Check engine: rules are pure functions `(report, context) -> list[Issue]`, registered by rule id.

The arithmetic rules come straight from the format data (lhs/rhs/forEach); other rules register themselves
with `@rule(...)`. No I/O, no Qt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ruian_desk.domain.formats import FormatDef, RuleDef
from ruian_desk.domain.report import CellValue, Number, Report, format_number

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    expected: object = None
    actual: object = None
    part: str | None = None  # where it belongs when not a cell: title, intro, p1, p5, p6, metrics, signature
    explained: bool = False
    explanation: str = ""

    @property
    def fingerprint(self) -> str:
        """Identity of the finding: rule, cells and the numbers involved. An explanation is tied to it, so a
        change of the numbers re-raises the warning."""
        payload = json.dumps(
            [self.rule, list(self.cells), _plain(self.expected), _plain(self.actual), self.part],
            ensure_ascii=False,
        )
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def location(self) -> str:
        """Key of the cell, part or field the issue points at, for grouping and navigation."""
        if self.cells:
            return self.cells[0]
        return self.part or ""

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "explained": self.explained,
        }


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)  # type: ignore[operator]
    return v


@dataclass(frozen=True)
class CheckContext:
    """What a rule may look at besides the report itself."""

    previous: Report | None = None  # the same unit's report for the previous year
    units: tuple[Report, ...] = ()  # the unit reports rolled up into this one
    explanations: Mapping[str, str] = field(default_factory=dict)  # fingerprint → written explanation


RuleFn = Callable[[Report, CheckContext], list[Issue]]
_REGISTRY: dict[str, RuleFn] = {}


def rule(*rule_ids: str) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function under one or more rule ids (the ids it may emit)."""

    def inner(fn: RuleFn) -> RuleFn:
        for rid in rule_ids:
            _REGISTRY[rid] = fn
        return fn

    return inner


def registered_rules() -> dict[str, RuleFn]:
    _load_rule_modules()
    return dict(_REGISTRY)


def _load_rule_modules() -> None:
    # Rule families living in other modules register themselves on import.
    import importlib

    for name in ("ruian_desk.domain.checks", "ruian_desk.domain.rollup"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def run_checks(report: Report, context: CheckContext | None = None) -> list[Issue]:
    """Every issue of a report, in a stable order; warnings with an explanation come back `explained`."""
    context = context or CheckContext()
    issues: list[Issue] = []
    fmt = report.fmt
    for rdef in fmt.rules:
        if rdef.is_sum_rule:
            issues.extend(sum_rule(report, rdef))
    seen: set[int] = set()
    for fn in registered_rules().values():
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        issues.extend(fn(report, context))
    out = []
    for issue in issues:
        text = context.explanations.get(issue.fingerprint)
        if text and issue.severity != "error":
            issue = replace(issue, explained=True, explanation=text)
        out.append(issue)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out.sort(key=lambda i: (order.get(i.severity, 9), _cell_order(fmt, i)))
    return out


def _cell_order(fmt: FormatDef, issue: Issue) -> int:
    keys = list(fmt.cells)
    if issue.cells and issue.cells[0] in fmt.cells:
        return keys.index(issue.cells[0])
    return len(keys)


def counts(issues: Iterable[Issue], include_explained: bool = True) -> dict[str, int]:
    out = {s: 0 for s in SEVERITIES}
    for i in issues:
        if i.explained and not include_explained:
            continue
        out[i.severity] = out.get(i.severity, 0) + 1
    return out


# ------------------------------------------------------------------------------- arithmetic rules


def _expand(template: str, binding: Mapping[str, str]) -> str:
    for k, v in binding.items():
        template = template.replace("{" + k + "}", v)
    return template


def _total(values: Iterable[CellValue]) -> Number:
    return sum((v for v in values if v is not None), start=0)


def _short(fmt: FormatDef, cell_id: str) -> str:
    cell = fmt.cell(cell_id)
    section = fmt.section(cell.section)
    return section.row(cell.row).label or section.column(cell.col).label


def sum_rule(report: Report, rdef: RuleDef) -> list[Issue]:
    """`Σ lhs == Σ rhs` for every expansion of the rule, on effective values (stated totals where given)."""
    fmt = report.fmt
    values = report.values
    issues: list[Issue] = []
    for binding in rdef.expansions():
        lhs_ids = [_expand(t, binding) for t in rdef.lhs]
        rhs_ids = [_expand(t, binding) for t in rdef.rhs]
        if not all(c in fmt.cells for c in lhs_ids + rhs_ids):
            continue
        lhs_vals = [values.effective(c) for c in lhs_ids]
        rhs_vals = [values.effective(c) for c in rhs_ids]
        left, right = _total(lhs_vals), _total(rhs_vals)
        blank_total = (
            len(lhs_ids) == 1
            and values.is_stated(lhs_ids[0])
            and values.stated(lhs_ids[0]) is None
            and right != 0
        )
        if left == right and not blank_total:
            continue
        where = _binding_label(fmt, rdef, binding, lhs_ids[0])
        if blank_total:
            msg = f"{where}：未填总计，各项之和为 {format_number(right)}"
        else:
            lhs_text = " + ".join(_short(fmt, c) for c in lhs_ids)
            rhs_text = " + ".join(_short(fmt, c) for c in rhs_ids) if len(rhs_ids) <= 4 else "各小项之和"
            msg = (
                f"{where}：{lhs_text} = {format_number(left)}，{rhs_text} = {format_number(right)}，"
                f"两者应相等（{rdef.desc.split('：')[0]}）"
            )
        issues.append(
            Issue(
                rule=rdef.id,
                severity=rdef.severity,
                message=msg,
                cells=tuple(lhs_ids + rhs_ids),
                expected=right,
                actual=None if blank_total else left,
            )
        )
    return issues


def _binding_label(fmt: FormatDef, rdef: RuleDef, binding: Mapping[str, str], first_cell: str) -> str:
    cell = fmt.cell(first_cell)
    table_name = fmt.tables[cell.table].name
    section = fmt.section(cell.section)
    if "row" in binding and "col" not in binding:
        return f"{table_name} {section.row(binding['row']).label}"
    if "col" in binding and "row" not in binding:
        return f"{table_name} {section.column(binding['col']).label}列"
    col = section.column(cell.col)
    return f"{table_name} {'·'.join(x for x in (col.top, col.sub) if x) or col.label}"


@rule("T2-NONNEG", "T2-19-NONNEG", "T3-NONNEG", "T4-NONNEG")
def nonneg(report: Report, context: CheckContext) -> list[Issue]:
    """Every stored number has the type of its cell: integers ≥ 0, signed 增/减, money ≥ 0."""
    fmt = report.fmt
    rule_ids = {r.id for r in fmt.rules}
    issues = []
    for cid, value in report.cells.items():
        cell = fmt.cells.get(cid)
        if cell is None or value is None:
            continue
        rid = next((x for x in (f"{cell.table.upper()}-NONNEG", "T2-19-NONNEG") if x in rule_ids), None)
        if rid is None:
            continue
        bad = None
        if cell.type == "decimal":
            if value < 0:
                bad = "应为非负数"
        elif isinstance(value, Decimal) and value != value.to_integral_value():
            bad = "应为整数"
        elif cell.type == "int" and value < 0:
            bad = "应为非负整数"
        if bad:
            issues.append(
                Issue(
                    rid, "error", f"{cell.label}：{bad}（现为 {format_number(value)}）", (cid,), None, value
                )
            )
    return issues
