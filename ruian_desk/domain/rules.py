"""Check engine: rules are pure functions `(report, context) -> list[Issue]`, listed in `registry.py`.

The arithmetic rules come straight from the format data (lhs/rhs/forEach); every other rule is a function
named in the registry's table (explicit imports, so a missing rule module fails at start). No I/O, no Qt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from ruian_desk.domain.formats import FormatDef, RuleDef
from ruian_desk.domain.report import Number, Report, format_number

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
    part: str | None = None  # where it belongs when not a cell: title, intro, p1…p6, metrics, signature
    explained: bool = False
    explanation: str = ""
    # Text findings: the quoted phrase that tells two findings of one rule in one part apart (it is part of
    # the identity), and the line of the part it sits on (navigation only, not part of the identity).
    anchor: str = ""
    paragraph: int | None = None

    @property
    def fingerprint(self) -> str:
        """Identity of the finding: rule, cells, the numbers involved, the part and the quoted phrase. An
        explanation is tied to it, so a change of the numbers re-raises the warning."""
        body: list[object] = [
            self.rule,
            list(self.cells),
            _plain(self.expected),
            _plain(self.actual),
            self.part,
        ]
        if self.anchor:
            body.append(self.anchor)
        payload = json.dumps(body, ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def explanation_cells(self) -> tuple[str, ...]:
        """The `cells` key an explanation is stored under (with the rule id): the cell ids, plus the part and
        quoted phrase for findings in the text, so that two findings of one rule never share a stored row."""
        if self.anchor or not self.cells:
            return (*self.cells, f"@{self.part or ''}#{self.anchor}")
        return self.cells

    @property
    def explainable(self) -> bool:
        """Only a warning takes a written explanation: an error must be corrected, a hint (info) is advice."""
        return self.severity == "warning"

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
    settings: Mapping[str, str] = field(default_factory=dict)  # the report's check settings (check.*)


RuleFn = Callable[[Report, CheckContext], list[Issue]]
# Rules added at run time (tests of the GUI inject one to see how a finding travels); the product's rules are
# the registry's table and only those count in `rules_run`.
_EXTRA_RULES: dict[str, RuleFn] = {}


def _rule_functions(format_id: str) -> list[RuleFn]:
    """Each rule function that runs on the format once, in the registry's order, then the extra ones."""
    from ruian_desk.domain.registry import (
        functions_for,  # the registry imports the rule modules, which import this
    )

    return [*functions_for(format_id), *dict.fromkeys(_EXTRA_RULES.values())]


def applies(fmt: FormatDef, rule_id: str) -> bool:
    """Whether the format's data lists the rule (rules of one format version only run on that version)."""
    return rule_id in _format_rule_ids(fmt.id)


@cache
def _format_rule_ids(format_id: str) -> frozenset[str]:
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    return frozenset(r.id for r in fmt.rules + fmt.cross_rules)


def run_checks(report: Report, context: CheckContext | None = None) -> list[Issue]:
    """Every issue of a report, in a stable order; warnings with an explanation come back `explained`."""
    context = context or CheckContext()
    issues: list[Issue] = []
    fmt = report.fmt
    issues.extend(_sum_rules(report))
    for fn in _rule_functions(fmt.id):
        issues.extend(fn(report, context))
    out = []
    explanations = context.explanations
    for issue in issues:
        # Errors cannot be explained away; a warning or a hint passes only while its numbers are unchanged
        # (the fingerprint holds them), so an explanation written for other numbers no longer applies.
        if explanations and issue.severity != "error":
            text = explanations.get(issue.fingerprint)
            if text:
                issue = replace(issue, explained=True, explanation=text)
        out.append(issue)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    cell_index = _cell_index(fmt.id)
    n = len(cell_index)
    out.sort(key=lambda i: (order.get(i.severity, 9), _place_order(i, cell_index, n)))
    return out


# The report's reading order (the three tables sort by cell id within p2, their order in the format).
_PART_ORDER = {
    "title": 0,
    "intro": 1,
    "p1": 2,
    "p2": 3,
    "p3": 3,
    "p4": 3,
    "p5": 6,
    "p6": 7,
    "metrics": 8,
    "signature": 9,
}


def _place_order(issue: Issue, cell_index: Mapping[str, int], n: int) -> tuple[int, int]:
    """Reading order: a finding in the text sorts with its part and paragraph, a table finding with its
    table's part and cell."""
    part = issue.part or ""
    if part:
        key = "metrics" if part.startswith("metric") else part
        return (_PART_ORDER.get(key, 9), n + (issue.paragraph or 0))
    if issue.cells and issue.cells[0] in cell_index:
        return (_PART_ORDER["p2"], cell_index[issue.cells[0]])
    return (9, n)


@cache
def _cell_index(format_id: str) -> dict[str, int]:
    from ruian_desk.domain.formats import get_format

    return {cid: i for i, cid in enumerate(get_format(format_id).cells)}


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


def _short(fmt: FormatDef, cell_id: str) -> str:
    cell = fmt.cell(cell_id)
    section = fmt.section(cell.section)
    return section.row(cell.row).label or section.column(cell.col).label


@cache
def _compiled_sum_rules(
    format_id: str,
) -> tuple[tuple[RuleDef, tuple[tuple[dict[str, str], tuple[str, ...], tuple[str, ...]], ...]], ...]:
    """Every sum rule of a format with its expansions resolved to cell ids, once per format."""
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    out = []
    for rdef in fmt.rules:
        if not rdef.is_sum_rule:
            continue
        out.append((rdef, _expansions(fmt, rdef)))
    return tuple(out)


def _expansions(
    fmt: FormatDef, rdef: RuleDef
) -> tuple[tuple[dict[str, str], tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for binding in rdef.expansions():
        lhs_ids = tuple(_expand(t, binding) for t in rdef.lhs)
        rhs_ids = tuple(_expand(t, binding) for t in rdef.rhs)
        if all(c in fmt.cells for c in lhs_ids + rhs_ids):
            out.append((binding, lhs_ids, rhs_ids))
    return tuple(out)


def _sum_rules(report: Report) -> list[Issue]:
    issues: list[Issue] = []
    numbers = _effective_numbers(report)
    for rdef, expansions in _compiled_sum_rules(report.format_id):
        issues.extend(sum_rule(report, rdef, expansions, numbers))
    return issues


def _effective_numbers(report: Report) -> dict[str, Number]:
    """Every cell's effective value with blank read as 0: a stated total where the source gave one, else the
    printed value (computed for derived cells). Built once per check run; the sums then only index it."""
    fmt = report.fmt
    out: dict[str, Number] = dict.fromkeys(fmt.cells, 0)
    stated = report.cells
    for cid, v in stated.items():
        if v is not None and cid in out:
            out[cid] = v
    get = report.values.get
    for cid in _derived_ids(fmt.id):
        if cid not in stated:
            v = get(cid)
            out[cid] = 0 if v is None else v
    return out


def sum_rule(
    report: Report,
    rdef: RuleDef,
    expansions: tuple[tuple[dict[str, str], tuple[str, ...], tuple[str, ...]], ...] | None = None,
    numbers: Mapping[str, Number] | None = None,
) -> list[Issue]:
    """`Σ lhs == Σ rhs` for every expansion of the rule, on effective values (stated totals where given)."""
    fmt = report.fmt
    stated = report.cells
    derived = _derived_ids(fmt.id)
    issues: list[Issue] = []
    if expansions is None:
        expansions = _expansions(fmt, rdef)
    if numbers is None:
        numbers = _effective_numbers(report)
    value = numbers.__getitem__
    for binding, lhs_ids, rhs_ids in expansions:
        left: Number = sum(map(value, lhs_ids))
        right: Number = sum(map(value, rhs_ids))
        blank_total = (
            len(lhs_ids) == 1
            and lhs_ids[0] in derived
            and lhs_ids[0] in stated
            and stated[lhs_ids[0]] is None
        ) and right != 0
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
                cells=lhs_ids + rhs_ids,
                expected=right,
                actual=None if blank_total else left,
            )
        )
    return issues


@cache
def _derived_ids(format_id: str) -> frozenset[str]:
    from ruian_desk.domain.formats import get_format

    return frozenset(get_format(format_id).derived_cells)


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


def nonneg(report: Report, context: CheckContext) -> list[Issue]:
    """Every stored number has the type of its cell: integers ≥ 0, signed 增/减, money ≥ 0."""
    fmt = report.fmt
    specs = _nonneg_specs(fmt.id)
    issues = []
    for cid, value in report.cells.items():
        if value is None:
            continue
        spec = specs.get(cid)
        if spec is None:
            continue
        rid, cell_type = spec
        if type(value) is int and (value >= 0 or cell_type == "signed_int"):
            continue  # the common case, decided without a Decimal
        cell = fmt.cells[cid]
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


@cache
def _nonneg_specs(format_id: str) -> dict[str, tuple[str, str]]:
    """cell id → (rule id, cell type) for every cell a NONNEG rule of the format covers."""
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    rule_ids = _format_rule_ids(format_id)
    out = {}
    for cid, cell in fmt.cells.items():
        rid = next((x for x in (f"{cell.table.upper()}-NONNEG", "T2-19-NONNEG") if x in rule_ids), None)
        if rid is not None:
            out[cid] = (rid, cell.type)
    return out
