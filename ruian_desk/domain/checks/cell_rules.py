"""The format data's rules on single cells, decided by the data's own expressions through the one evaluator
(`expr.py`): the number types (T2-NONNEG, T2-19-NONNEG, T3-NONNEG, T4-NONNEG), 规章 at county level
(T2-COUNTY-RULES) and the precision of 收费金额 (T2-FEE-PRECISION). None of them is written again by hand.

A rule's expression is taken apart into one test per cell it names (`is_int(t3.new.np) && t3.new.np >= 0`,
`x >= 0 for x in t2.* except *.change`, `level in [...] implies t2_1.rules.* == 0`): the cell is replaced by a
name, so the test is evaluated on a value alone and its answer kept (a report has a few hundred cells, a
county's units a few dozen distinct values). A cell's own type as the data states it (a count of 件 is never
negative) is part of every NONNEG test: a stored value the input reader would refuse is a finding too.

T2-FEE-UNIT, a plausibility rule of ours (not in the data), sits here because it reads the same cells as
T2-FEE-PRECISION.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from ruian_desk.domain.checks.common import as_text
from ruian_desk.domain.expr import (
    All,
    Call,
    Compare,
    Env,
    ForAll,
    Implies,
    Name,
    Node,
    Ref,
    Sum,
    evaluate,
    parse,
    refs,
)
from ruian_desk.domain.formats import FormatDef, RuleDef, get_format
from ruian_desk.domain.issues import CheckContext, Issue, format_rule_ids
from ruian_desk.domain.report import CellInputError, Number, Report, format_number, parse_cell_value
from ruian_desk.domain.textfigures import fmt_decimal

VALUE = "_v"  # the name a cell's test reads its value under

NONNEG_RULES = ("T2-NONNEG", "T2-19-NONNEG", "T3-NONNEG", "T4-NONNEG")

# The level the data's `level in [...]` clauses read, by the role of the report's organ. Every role of this
# app is county-level: the county government, its office and departments, 乡镇（街道）, 功能区.
LEVELS = {
    "county_government": "county",
    "office": "county_dept",
    "department": "county_dept",
    "function_zone": "county_dept",
    "township": "township",
}

FEE_LARGE_WANYUAN = Decimal(100000)  # 10亿元: above this a 万元 amount was probably typed in 元


# ------------------------------------------------------------------------------ the data's cell tests


def rule_def(format_id: str, rule_id: str) -> RuleDef | None:
    """The rule as the format's data states it. T2-COUNTY-RULES is in the 2021 data only; 2019's 表二 has the
    same 规章 row, so the 2021 expression is read on it (its section moved to the one holding that row)."""
    fmt = get_format(format_id)
    try:
        return fmt.rule(rule_id)
    except KeyError:
        pass
    if rule_id != "T2-COUNTY-RULES":
        return None
    section = _section_with_row(fmt, "t2", "rules")
    if section is None or format_id == "gov-2021":
        return None
    rule = get_format("gov-2021").rule(rule_id)
    return replace(rule, expr=rule.expr.replace("t2_1.", f"{section}."))


def _section_with_row(fmt: FormatDef, table: str, row: str) -> str | None:
    if table not in fmt.tables:
        return None
    return next((s.id for s in fmt.tables[table].sections if any(r.id == row for r in s.rows)), None)


@cache
def cell_tests(format_id: str, rule_id: str) -> tuple[tuple[str, tuple[Node, ...]], ...]:
    """(cell id, its tests) for every cell the rule's expression names, in the format's cell order. Each test
    reads the cell's value as the name `_v`. The expression is read once, with its {row}/{col} placeholders:
    the tests do not depend on them (the cell is the value), only the cells they are for do."""
    fmt = get_format(format_id)
    rule = rule_def(format_id, rule_id)
    if rule is None or not rule.expr:
        return ()
    templates = list(_split(parse(rule.expr)))
    env = Env(fmt)
    found: dict[str, list[Node]] = {}
    for binding in rule.expansions() or [{}]:
        for path, exclude, test in templates:
            for key, value in binding.items():
                path = path.replace("{" + key + "}", value)
            cells = env.matching(path) if "*" in path else [path]
            excluded = set(env.matching(exclude)) if exclude else set()
            for cid in cells:
                if cid in fmt.cells and cid not in excluded:
                    found.setdefault(cid, []).append(test)
    return tuple((cid, tuple(found[cid])) for cid in fmt.cells if cid in found)


def _split(node: Node) -> Iterator[tuple[str, str, Node]]:
    """(the cell or cell pattern, a pattern of cells left out, the test) of each per-cell test of an
    expression: a conjunction part by part, a `for x in …` for the cells it ranges over, a clause on one
    reference (or a pattern of them) for the cells referred to."""
    if isinstance(node, All):
        for part in node.parts:
            yield from _split(part)
        return
    if isinstance(node, ForAll):
        body = _rename(node.body, node.var)
        for part in body.parts if isinstance(body, All) else (body,):
            yield node.pattern, node.exclude, part
        return
    if isinstance(node, Implies):
        for path, exclude, test in _split(node.then):
            yield path, exclude, Implies(node.name, node.options, test)
        return
    paths = {r.path for r in refs(node)}
    if len(paths) != 1:
        raise ValueError(f"规则表达式不是单个单元格的检查：{node!r}")
    (path,) = paths
    yield path, "", _bind(node, path)


def _bind(node: Node, path: str) -> Node:
    """The tree with every reference to `path` replaced by the value's name."""
    return _as_value(node, lambda leaf: isinstance(leaf, Ref) and leaf.path == path and not leaf.prev)


def _rename(node: Node, var: str) -> Node:
    """The tree with the bound variable `var` read as the value's name."""
    return _as_value(node, lambda leaf: isinstance(leaf, Name) and leaf.name == var)


def _as_value(node: Node, is_the_cell: Callable[[Node], bool]) -> Node:
    """The tree with every leaf that `is_the_cell` picks replaced by the value's name."""
    if is_the_cell(node):
        return Name(VALUE)
    if isinstance(node, Call):
        return Call(node.fn, tuple(_as_value(a, is_the_cell) for a in node.args))
    if isinstance(node, Sum):
        return Sum(tuple((s, _as_value(t, is_the_cell)) for s, t in node.terms))
    if isinstance(node, Compare):
        return Compare(node.op, _as_value(node.left, is_the_cell), _as_value(node.right, is_the_cell))
    if isinstance(node, All):
        return All(tuple(_as_value(p, is_the_cell) for p in node.parts))
    if isinstance(node, Implies):
        return Implies(node.name, node.options, _as_value(node.then, is_the_cell))
    return node


# ------------------------------------------------------------------------------ deciding a value


# Cells whose tests are the same trees (every cell of 表三: `is_int(_v)`, `_v >= 0`) share one "shape", and a
# shape's answer for a value is kept: a county's units hold a few hundred distinct values, not 30,000.
_SHAPES: dict[tuple[tuple[Node, ...], str, str], int] = {}
_SHAPE_TESTS: list[tuple[tuple[Node, ...], str, str]] = []  # (tests, cell type, format id)
# (shape, value, level) → the first failing test (None: every test holds). Numerically equal values (1 and
# Decimal("1.0")) get the same answer from every test the grammar can state.
_ANSWERS: dict[tuple[int, Number, str], Node | None] = {}
_ANSWERS_MAX = 200_000


def _shape(tests: tuple[Node, ...], cell_type: str, format_id: str) -> int:
    key = (tests, cell_type, format_id)
    found = _SHAPES.get(key)
    if found is None:
        found = _SHAPES[key] = len(_SHAPE_TESTS)
        _SHAPE_TESTS.append(key)
    return found


def _first_failing(shape: int, value: Number, level: str = "") -> Node | None:
    key = (shape, value, level)
    try:
        return _ANSWERS[key]
    except KeyError:
        pass
    tests, _type, format_id = _SHAPE_TESTS[shape]
    env = Env(get_format(format_id), names={"level": level})
    answer = next((t for t in tests if not evaluate(t, env, {VALUE: value})), None)
    if len(_ANSWERS) >= _ANSWERS_MAX:
        _ANSWERS.clear()
    _ANSWERS[key] = answer
    return answer


@cache
def _plan(format_id: str, rule_id: str) -> tuple[tuple[str, str, int], ...]:
    """(cell, table, shape) for every cell the rule's tests name, in format order."""
    fmt = get_format(format_id)
    return tuple(
        (cid, fmt.cells[cid].table, _shape(tests, fmt.cells[cid].type, format_id))
        for cid, tests in cell_tests(format_id, rule_id)
    )


def failing(report: Report, rule_id: str, level: str = "") -> list[tuple[str, Number, Node]]:
    """(cell, stored value, failing test) for every stated cell the rule's tests refuse, in format order.
    A stated total is named only when none of the table's input cells fails (the total follows from them)."""
    stored = report.cells
    out = []
    for cid, _table, shape in _plan(report.format_id, rule_id):
        value = stored.get(cid)
        if value is None:
            continue
        test = _first_failing(shape, value, level)
        if test is not None:
            out.append((cid, value, test))
    derived = _derived(report.format_id)
    if any(c not in derived for c, _, _ in out):
        out = [f for f in out if f[0] not in derived]
    return out


@cache
def _derived(format_id: str) -> frozenset[str]:
    return frozenset(get_format(format_id).derived_cells)


# ---------------------------------------------------------------------------------------- NONNEG


# shape → values known to pass it (the common case, decided by one set lookup)
_PASSING: dict[int, set[Number]] = {}


def nonneg_failures(
    report: Report, tables: frozenset[str] | None = None
) -> list[tuple[str, str, Number, str]]:
    """(rule, cell, value, reason) for every stored number its NONNEG rule refuses: the data's test, or the
    cell's own type (a count of 件 is a non-negative integer, 本年增/减 may be negative)."""
    format_id = report.format_id
    rules = format_rule_ids(format_id)
    stored = report.cells
    out = []
    for rid in NONNEG_RULES:
        if rid not in rules:
            continue
        for cid, table, shape in _plan(format_id, rid):
            value = stored.get(cid)
            if value is None or (tables is not None and table not in tables):
                continue
            passing = _PASSING.get(shape)
            if passing is None:
                passing = _PASSING[shape] = set()
            if value in passing:
                continue
            reason = _nonneg_reason(shape, value)
            if reason is None:
                if len(passing) < 5000:
                    passing.add(value)
                continue
            out.append((rid, cid, value, reason))
    derived = _derived(format_id)
    if any(c not in derived for _, c, _, _ in out):
        out = [f for f in out if f[1] not in derived]
    return out


def _nonneg_reason(shape: int, value: Number) -> str | None:
    cell_type = _SHAPE_TESTS[shape][1]
    test = _first_failing(shape, value)
    if test is not None:
        if isinstance(test, Call) and test.fn == "is_int":
            return "应为整数"
        return "应为非负数" if cell_type == "decimal" else "应为非负整数"
    try:
        parse_cell_value(value, cell_type)
    except CellInputError as e:
        return str(e)
    return None


def nonneg(report: Report, context: CheckContext) -> list[Issue]:
    """Every stored number has the type the format data gives it (T2-NONNEG … T4-NONNEG)."""
    fmt = report.fmt
    return [
        Issue(
            rid,
            "error",
            f"{fmt.cells[cid].label}：{reason}（现为 {format_number(value)}）",
            (cid,),
            None,
            value,
        )
        for rid, cid, value, reason in nonneg_failures(report)
    ]


# ----------------------------------------------------------------------------------------- 表二


def t2_county_rules(report: Report, context: CheckContext) -> list[Issue]:
    """规章 is made by 国务院部门 and provincial or 设区的市 governments only (立法法): the data's
    `level in [...] implies t2_1.rules.* == 0`, read at the level of the report's organ."""
    fmt = report.fmt
    level = LEVELS.get(report.unit_role, "")
    found = failing(report, "T2-COUNTY-RULES", level)
    if not found:
        return []
    section = fmt.section(fmt.cells[found[0][0]].section)
    listing = "、".join(f"{fmt.cells[c].label.rsplit('·', 1)[-1]} {as_text(v)}" for c, v, _ in found)
    return [
        Issue(
            "T2-COUNTY-RULES",
            "warning",
            f"表二 {section.caption}·规章：县级政府及其部门、乡镇（街道）、功能区没有规章制定权（《立法法》），"
            f"本行通常应为 0，现为 {listing}",
            tuple(c for c, _, _ in found),
            expected=0,
            actual=sum((v for _, v, _ in found), start=0),
        )
    ]


def t2_fee_precision(report: Report, context: CheckContext) -> list[Issue]:
    """收费金额 in 万元 with more decimals than the data's `round(…, 4) == …` allows (stored as printed)."""
    fmt = report.fmt
    issues = []
    for cid, value, _ in failing(report, "T2-FEE-PRECISION"):
        d = Decimal(value)
        places = -int(d.as_tuple().exponent)
        issues.append(
            Issue(
                "T2-FEE-PRECISION",
                "info",
                f"{fmt.cells[cid].label}：{as_text(d)} 万元有 {places} 位小数，万元金额保留2至4位小数即可"
                "（元→万元除以10000）",
                (cid,),
                expected=d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                actual=d,
            )
        )
    return issues


def t2_fee_unit(report: Report, context: CheckContext) -> list[Issue]:
    """A 万元 amount of 10亿元 or more (the cells T2-FEE-PRECISION reads) was probably typed in 元."""
    fmt = report.fmt
    issues = []
    for cid, _ in cell_tests(fmt.id, "T2-FEE-PRECISION"):
        value = report.cells.get(cid)
        if value is None or value < FEE_LARGE_WANYUAN:
            continue
        d = Decimal(value)
        issues.append(
            Issue(
                "T2-FEE-UNIT",
                "info",
                f"{fmt.cells[cid].label}：{as_text(d)} 万元即 {fmt_decimal(d / 10000, 2)} 亿元，数额很大，"
                f"请确认没有把元当作万元填写（元→万元需除以10000，应为 {fmt_decimal(d / 10000, 4)} 万元？）",
                (cid,),
                expected=None,
                actual=d,
            )
        )
    return issues
