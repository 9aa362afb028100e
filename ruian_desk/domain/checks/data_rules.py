"""The comparison rules the format data states as expressions, run through the one evaluator (`expr.py`):
the cross-year rules (T3-XYEAR-CARRY, T2-XYEAR-VALID, T2-REPEAL-BOUND, T2-19-XYEAR-ITEMS) and 表二's bounds
(T2-19-PUBLIC-LE-MADE, T2-19-TOTAL-GE-NEW). None of them is written by hand: a rule the data adds in this
form runs here too (`comparison_rules` says which).

Each failing instance is one finding: the place (what its cells' labels share), every figure with its
label (last year's marked 上年), the figure expected, and the rule's own description from the data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ruian_desk.domain.checks.common import as_text
from ruian_desk.domain.expr import Compare, Env, Node, Num, Ref, Sum, evaluate, instances, refs
from ruian_desk.domain.formats import FormatDef, RuleDef, get_format
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Number, Report

_SEPARATORS = re.compile(r"(·| / | )")


def _plain(node: Node) -> bool:
    """Figures and sums of figures only (no names, functions or patterns)."""
    if isinstance(node, Ref):
        return not node.pattern
    if isinstance(node, Num):
        return True
    if isinstance(node, Sum):
        return all(_plain(t) for _, t in node.terms)
    return False


@cache
def comparison_rules(format_id: str) -> tuple[RuleDef, ...]:
    """The format's rules that are one comparison of cells (and not sums run by the sum engine)."""
    fmt = get_format(format_id)
    out = []
    for rule in fmt.rules:
        if rule.is_sum_rule or not rule.expr:
            continue
        found = instances(fmt, rule)
        if found and all(
            isinstance(i.node, Compare) and _plain(i.node.left) and _plain(i.node.right) for i in found
        ):
            out.append(rule)
    return tuple(out)


def data_rules(report: Report, context: CheckContext) -> list[Issue]:
    fmt, prev = report.fmt, context.previous
    env = Env.of(report, prev)
    issues: list[Issue] = []
    for rule in comparison_rules(fmt.id):
        found = []
        for inst in instances(fmt, rule):
            node = inst.node
            assert isinstance(node, Compare)
            checked = _check(report, prev, env, rule, node)
            if checked is not None:
                found.append(checked)
        # A total column follows from its parts: name it only when no part differs.
        if any(not derived for derived, _ in found):
            found = [f for f in found if not f[0]]
        issues.extend(issue for _, issue in found)
    return issues


def _check(
    report: Report, prev: Report | None, env: Env, rule: RuleDef, node: Compare
) -> tuple[bool, Issue] | None:
    all_refs = list(refs(node))
    before = [r for r in all_refs if r.prev]
    if before and (prev is None or not _has_tables(prev, before)):
        return None  # no last year to compare with, or only a shell of it
    try:
        if evaluate(node, env):
            return None  # the common case: the rule holds, nothing more to work out
        raw = [env.value(r.path, r.prev) for r in all_refs]
        left, right = evaluate(node.left, env), evaluate(node.right, env)
    except KeyError:
        return None  # a cell its report's format does not have (another format version)
    if all(v is None for v in raw):
        return None
    # actual: the figure that breaks the rule; expected: what it should be (== ) or the bound it passes.
    if node.op in (">=", ">"):
        actual_side, bound_side, actual, expected = node.right, node.left, right, left
    else:
        actual_side, bound_side, actual, expected = node.left, node.right, left, right
    fmt = report.fmt
    current = list(dict.fromkeys(r.path for r in refs(actual_side) if not r.prev)) + [
        r.path for r in refs(bound_side) if not r.prev
    ]
    cells = tuple(dict.fromkeys(current))
    labels = [_label(report, prev, r) for r in all_refs]
    place = _common_place(labels)
    actual_text = _side(report, prev, actual_side, place, env)
    bound_text = _side(report, prev, bound_side, place, env)
    unit = _unit(fmt, cells[0]) if cells else ""
    if node.op == "==":
        tail = (
            f"按{bound_text}应为 {as_text(_num(expected))}{unit}"
            if _terms(bound_side) > 1
            else (f"{bound_text}，两者应相等")
        )
        message = f"{place}：{actual_text}，{tail}"
    else:
        total = f"（合计 {as_text(_num(expected))}）" if _terms(bound_side) > 1 else ""
        message = f"{place}：{actual_text} 多于 {bound_text}{total}"
    message += f"。{rule.desc}"
    derived = bool(cells) and all(fmt.cells[c].derived for c in cells[:1])
    return derived, Issue(rule.id, rule.severity, message, cells, expected=expected, actual=actual)


def _num(v: object) -> Number:
    return v if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else 0


def _has_tables(prev: Report, before: list[Ref]) -> bool:
    tables = {prev.fmt.cells[r.path].table for r in before if r.path in prev.fmt.cells}
    return bool(tables & _filled_tables(prev))


def _filled_tables(prev: Report) -> frozenset[str]:
    """The tables of last year's report that hold a figure, kept on the (immutable) report."""
    memo = prev.__dict__.get("_filled_tables")
    if memo is None:
        cells = prev.fmt.cells
        memo = frozenset(cells[c].table for c, v in prev.cells.items() if v is not None and c in cells)
        prev.__dict__["_filled_tables"] = memo
    return memo


def _label(report: Report, prev: Report | None, ref: Ref) -> str:
    fmt = prev.fmt if ref.prev and prev is not None else report.fmt
    return fmt.cells[ref.path].label


def _segments(label: str) -> list[str]:
    return _SEPARATORS.split(label)  # content, separator, content, …


def _common_place(labels: list[str]) -> str:
    """What every label begins with, whole segments only ("表二 第二十条第（一）项·行政规范性文件")."""
    split = [_segments(x) for x in labels]
    first = split[0]
    n = 0
    while n < len(first) and all(len(s) > n and s[n] == first[n] for s in split):
        n += 1
    if n >= len(first):  # one cell only: the place is its label without the last segment
        n = len(first) - 2
    if n % 2 == 0:  # end on a content segment, not on a separator
        n -= 1
    return "".join(first[: max(n, 1)])


def _short(label: str, place: str) -> str:
    return label[len(place) :].lstrip("· /") if label.startswith(place) else label


def _terms(node: Node) -> int:
    return len(node.terms) if isinstance(node, Sum) else 1


def _side(report: Report, prev: Report | None, node: Node, place: str, env: Env) -> str:
    terms = node.terms if isinstance(node, Sum) else ((1, node),)
    out = []
    for i, (sign, term) in enumerate(terms):
        if isinstance(term, Ref):
            value = env.value(term.path, term.prev)
            fmt = prev.fmt if term.prev and prev is not None else report.fmt
            shown = as_text(value) if value is not None else "空白"
            if value is not None and fmt.cells[term.path].type == "signed_int" and value > 0:
                shown = f"+{shown}"
            year = f"上年（{prev.year}年）" if term.prev and prev is not None else ""
            text = f"{year}{_short(_label(report, prev, term), place)} {shown}"
        else:
            text = as_text(_num(evaluate(term, env)))
        out.append(text if i == 0 and sign > 0 else f"{'+' if sign > 0 else '−'} {text}")
    return " ".join(out)


def _unit(fmt: FormatDef, cell_id: str) -> str:
    cell = fmt.cells.get(cell_id)
    return f" {(cell.unit or '').split('（')[0]}" if cell and cell.unit else ""
