"""New reports: an empty one for a unit and year, or a draft based on last year's report (no Qt here).

The carried figures come from the format data itself: every cross-year rule of the form
`cell == prev.a ± prev.b ± current…` (T3-XYEAR-CARRY: 上年结转 = last year's 结转下年度; T2-XYEAR-VALID:
现行有效件数 base; T2-19-XYEAR-ITEMS: 上一年项目数量) gives this year's starting value, with this year's own
figures still blank.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from decimal import Decimal

from ruian_desk.domain.formats import FormatDef, format_for_year
from ruian_desk.domain.report import CellValue, Metric, Report, Signature, Unit, default_report, format_number

# Report settings a draft inherits from last year's report (roll-up scope, length limit of part 一).
INHERITED_SETTINGS = ("scope.t2", "scope.t3", "scope.t4", "limit.p1")

_TERM = re.compile(r"\s*([+-]?)\s*(prev\.)?([A-Za-z0-9_]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+)\s*")


def carried_cells(fmt: FormatDef, previous: Report) -> dict[str, CellValue]:
    """This year's starting values from last year's report, per the format's cross-year equality rules.

    Terms of the current year (本年制发、本年废止 …) are blank in a new draft, so they count as 0. A rule is
    skipped when last year's report has none of its cells (another format) or all of them blank.
    """
    prev_values = previous.values
    out: dict[str, CellValue] = {}
    for rdef in fmt.rules:
        if "prev." not in rdef.expr or rdef.expr.count("==") != 1:
            continue
        for expr in _expanded(fmt, rdef):
            lhs, rhs = (side.strip() for side in expr.split("=="))
            target = fmt.cells.get(lhs)
            if target is None or target.derived:
                continue
            total = _evaluate(rhs, previous, prev_values)
            if total is not None:
                out[lhs] = total
    return out


def _expanded(fmt: FormatDef, rdef) -> list[str]:  # noqa: ANN001 - RuleDef
    """The rule's expression for every binding; a `{row}` the data leaves unbound ranges over the rows of
    the section its left-hand side names (T2-19-XYEAR-ITEMS is written that way)."""
    out: list[str] = []
    for binding in rdef.expansions():
        expr = rdef.expr
        for key, value in binding.items():
            expr = expr.replace("{" + key + "}", value)
        if "{row}" in expr:
            # An unbound {row} ranges over the rows of the section its left-hand side names — and, as the check
            # T2-19-XYEAR-ITEMS reads it, over every other section of that table with the same column (2019
            # 表二: 上一年项目数量 of 第（五）（六）（八）项).
            lhs_section, _, lhs_col = expr.split("==")[0].strip().split(".")
            try:
                table = fmt.section(lhs_section).table
            except KeyError:
                continue
            for section in fmt.tables[table].sections:
                if lhs_col not in {c.id for c in section.columns}:
                    continue
                moved = expr.replace(f"{lhs_section}.", f"{section.id}.")
                out.extend(moved.replace("{row}", row.id) for row in section.number_rows())
        else:
            out.append(expr)
    return out


def _evaluate(rhs: str, previous: Report, prev_values) -> CellValue:  # noqa: ANN001 - CellValues
    pos = 0
    total: int | Decimal = 0
    seen_prev = False
    while pos < len(rhs):
        m = _TERM.match(rhs, pos)
        if m is None or m.end() == pos:
            return None  # an expression this simple evaluator does not understand: carry nothing
        pos = m.end()
        sign, is_prev, cell_id = m.group(1), m.group(2), m.group(3)
        if not is_prev:
            continue  # this year's own figure: blank in a new draft
        if cell_id not in previous.fmt.cells:
            return None
        value = prev_values.get(cell_id)
        if value is None:
            continue
        seen_prev = True
        total = total - value if sign == "-" else total + value
    return total if seen_prev else None


def _next_year_text(text: str, old_year: int, new_year: int) -> str:
    return text.replace(f"{old_year}年", f"{new_year}年")


def draft_from_previous(previous: Report, year: int, rolled: Collection[str] = ()) -> Report:
    """Last year's structure and text as this year's draft, figures blank except the carried ones.

    `rolled`: tables whose figures will be the units' sum (the main organ's tables in roll-up scope).
    Nothing is carried into them: a carried value would be a hidden own figure that X-AGG compares with
    this year's units (an error no explanation passes); T3-XYEAR-CARRY compares the rolled-up numbers.

    The title follows the new year; the introduction's years move on (its statistics period); parts 一/五/六
    are copied as they were (the clerk rewrites them; the 雷同 check says how much is still the same).
    Metrics keep their names, units and sources, with blank values and last year's value in the note.
    """
    fmt = format_for_year(year)
    base = default_report(Unit(name=previous.unit, role=previous.unit_role), year, fmt.id)
    metrics = tuple(
        Metric(
            key=m.key,
            label=m.label,
            value=None,
            unit=m.unit,
            source=m.source,
            note=f"上年（{previous.year}年）：{format_number(m.value, '空')}{m.unit}",
        )
        for m in previous.metrics
    )
    return replace(
        base,
        title=_next_year_text(previous.title, previous.year, year) if previous.title else base.title,
        intro=_next_year_text(previous.intro, previous.year, year),
        parts={k: previous.part(k) for k in ("p1", "p5", "p6")},
        cells={
            cid: v for cid, v in carried_cells(fmt, previous).items() if fmt.cells[cid].table not in rolled
        },
        metrics=metrics,
        signature=Signature(organ=previous.signature.organ or previous.unit),
    )


def new_report(unit: Unit, year: int) -> Report:
    """An empty report; the format is the one the year prescribes."""
    return default_report(unit, year)
