"""New reports: an empty one for a unit and year, or a draft based on last year's report (no Qt here).

The carried figures come from the format data's cross-year rules, read by `domain/carry.py` through the
same evaluator as the checks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from ruian_desk.domain.carry import carried_cells
from ruian_desk.domain.formats import format_for_year
from ruian_desk.domain.report import Metric, Report, Signature, Unit, default_report, format_number

# Report settings a draft inherits from last year's report (roll-up scope, length limit of part 一).
INHERITED_SETTINGS = ("scope.t2", "scope.t3", "scope.t4", "limit.p1")

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
