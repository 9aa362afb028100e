"""Check engine: rules are pure functions `(report, context) -> list[Issue]`, listed in `registry.py`.

The arithmetic rules come straight from the format data (lhs/rhs/forEach, `checks/sums.py`); every other
rule is a function named in the registry's table (explicit imports, so a missing rule module fails at
start). No I/O, no Qt. `Issue`, `CheckContext` and the severities live in `issues.py` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from ruian_desk.domain.checks.cell_rules import nonneg
from ruian_desk.domain.checks.sums import sum_rule, sum_rules
from ruian_desk.domain.issues import (
    SEVERITIES,
    SEVERITY_LABELS,
    CheckContext,
    Issue,
    RuleFn,
    Severity,
    applies,
    counts,
)
from ruian_desk.domain.registry import error_functions_for, functions_for
from ruian_desk.domain.report import Report

# Rules added at run time (tests of the GUI inject one to see how a finding travels); the product's rules are
# the registry's table and only those count in `rules_run`.
_EXTRA_RULES: dict[str, RuleFn] = {}


def _rule_functions(format_id: str) -> list[RuleFn]:
    """Each rule function that runs on the format once, in the registry's order, then the extra ones."""
    return [*functions_for(format_id), *dict.fromkeys(_EXTRA_RULES.values())]


def run_checks(report: Report, context: CheckContext | None = None) -> list[Issue]:
    """Every issue of a report, in a stable order; warnings with an explanation come back `explained`."""
    context = context or CheckContext()
    issues: list[Issue] = []
    fmt = report.fmt
    issues.extend(sum_rules(report))
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
    order: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
    cell_index = _cell_index(fmt.id)
    n = len(cell_index)
    out.sort(key=lambda i: (order.get(i.severity, 9), _place_order(i, cell_index, n)))
    return out


def error_checks(report: Report, context: CheckContext | None = None) -> list[Issue]:
    """The error-severity findings of `run_checks`, from only the rules that can emit one (the arithmetic,
    the number types, the metrics' bounds, the form): what a chart marks as 数据有误, without the text and
    cross-year rules. Same findings, unsorted and never explained (errors cannot be)."""
    context = context or CheckContext()
    issues = [i for i in sum_rules(report) if i.severity == "error"]
    for fn in error_functions_for(report.fmt.id):
        issues.extend(i for i in fn(report, context) if i.severity == "error")
    return issues


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


__all__ = [
    "SEVERITIES",
    "SEVERITY_LABELS",
    "CheckContext",
    "Issue",
    "RuleFn",
    "Severity",
    "applies",
    "counts",
    "error_checks",
    "nonneg",
    "run_checks",
    "sum_rule",
]
