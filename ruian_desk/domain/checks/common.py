"""What the check rules share: the texts in their reading form, where a phrase is, figures as printed.

Every rule is a pure function `(report, context) -> list[Issue]` listed in `domain/registry.py`; rules of one
format version run only where that format's data lists them. Messages are Chinese and name the place (table
cell, or part + paragraph + the quoted phrase) and both numbers.
"""

from __future__ import annotations

from decimal import Decimal

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.narrative import render_placeholders
from ruian_desk.domain.report import Number, Report, format_number
from ruian_desk.domain.textfigures import (
    fmt_decimal,
    paragraph_label,
    quote,
    reading_form,
    sentence_at,
)

# Parts whose text the narrative checks read, in reading order.
NARRATIVE_KEYS = ("intro", "p1", "p5", "p6")
PART_NAMES = {"title": "标题", "intro": "引言"}


# ----------------------------------------------------------------------------------------- helpers


def text_of(report: Report, key: str) -> str:
    return rendered(report).get(key, "")


def rendered(report: Report) -> dict[str, str]:
    """Every text of the report as it will be printed (placeholders show their current value) in its reading
    form (`textfigures.reading_form`: figures split by spaces or line breaks read whole), computed once per
    report object: a dozen rules read them."""
    cached = report.__dict__.get("_checks_texts")  # same trick as functools.cached_property on a frozen class
    if cached is None:
        cached = {}
        for key in ("title", "intro", "p1", "p5", "p6"):
            if key == "title":
                text = report.title
            elif key == "intro":
                text = report.intro
            else:
                text = report.part(key)
            text = text or ""
            cached[key] = reading_form(render_placeholders(text, report) if "{{" in text else text)
        report.__dict__["_checks_texts"] = cached
    return cached


def texts_of(report: Report, keys: tuple[str, ...] = NARRATIVE_KEYS) -> list[tuple[str, str]]:
    texts = rendered(report)
    return [(key, texts[key]) for key in keys if texts.get(key, "").strip()]


def part_name(fmt: FormatDef, key: str) -> str:
    if key in PART_NAMES:
        return PART_NAMES[key]
    try:
        return fmt.part(key).title
    except KeyError:
        return key


def place_of(fmt: FormatDef, key: str, text: str, pos: int) -> str:
    label = paragraph_label(text, pos) if key not in ("title",) else ""
    return f"{part_name(fmt, key)}{' ' + label if label else ''}"


def quote_span(text: str, start: int, end: int) -> str:
    return quote(text, start, end)


_CLAUSE_BREAKS = "，,；;：:"


def lead_in(text: str, pos: int, reach: int = 20, clauses: int = 1) -> int:
    """Where a quoted phrase ending at a figure should start: back to the start of the clause holding
    `pos` (or of the clause before it, with clauses=2), at most `reach` characters per clause."""
    s_start = sentence_at(text, pos)[0]
    start = pos
    for _ in range(clauses):
        low = max(s_start, start - reach)
        cut = max(text.rfind(sep, low, start) for sep in _CLAUSE_BREAKS)
        if cut < 0:
            return low
        start = cut
    return start + 1


def as_text(value: Number | Decimal | None) -> str:
    if value is None:
        return "空白"
    return fmt_decimal(Decimal(value)) if isinstance(value, Decimal) else format_number(value)


def unit_of(fmt: FormatDef, cell_id: str) -> str:
    cell = fmt.cells.get(cell_id)
    return (cell.unit if cell else "件").split("（")[0]


def cell_sum(report: Report, ids: tuple[str, ...]) -> Number | None:
    """Sum of cells or group subtotals as printed; None when every one of them is blank."""
    values = report.values
    total: Number = 0
    seen = False
    for i in ids:
        v = values.get(i)
        if v is not None:
            total += v
            seen = True
    return total if seen else None


def part_of_table(fmt: FormatDef, table: str) -> str:
    for p in fmt.parts:
        if p.table == table:
            return p.key
    return ""


def table_has_values(report: Report, prefix: str) -> bool:
    return any(v is not None for c, v in report.cells.items() if c.startswith(prefix))
