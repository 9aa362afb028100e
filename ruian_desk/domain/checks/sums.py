"""The arithmetic rules of the format data (lhs/rhs sums per forEach binding), run by the engine (`rules.py`)
and the roll-up checks. The number-type rules (NONNEG) are the data's expressions too: `cell_rules.py`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from ruian_desk.domain.formats import FormatDef, RuleDef
from ruian_desk.domain.issues import Issue
from ruian_desk.domain.report import Number, Report, format_number

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


def sum_rules(report: Report) -> list[Issue]:
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
