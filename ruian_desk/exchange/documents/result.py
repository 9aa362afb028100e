"""What reading one document gives: the report's parts and figures with where each was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.report import CellValue

TABLES = ("t2", "t3", "t4")
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


@dataclass
class ReadReport:
    """What one document holds, read; nothing here has touched a workspace."""

    path: str
    name: str
    kind: str
    unit: str | None = None
    year: int | None = None
    format_id: str | None = None
    title: str = ""
    intro: str = ""
    parts: dict[str, str] = field(default_factory=lambda: {"p1": "", "p5": "", "p6": ""})
    signature_organ: str = ""
    signature_date: dt.date | None = None
    signature_text: str = ""
    cells: dict[str, CellValue] = field(default_factory=dict)  # input cells and stated totals
    sources: dict[str, str] = field(default_factory=dict)  # cell id → where it was read
    raw: dict[str, str] = field(default_factory=dict)  # cell id → the text as printed
    confidence: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TABLES, 0.0))
    found_tables: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    refused: str | None = None  # the reason the file could not be read at all
    sha256: str = ""
    duplicate_of: str | None = None  # another file of the batch for the same unit and year

    @property
    def ok(self) -> bool:
        return self.refused is None

    def to_json(self) -> dict[str, object]:
        fmt = get_format(self.format_id) if self.format_id else None
        return {
            "path": self.path,
            "unit": self.unit,
            "year": self.year,
            "format": self.format_id,
            "parts": {
                "title": self.title,
                "intro": self.intro,
                "p1": self.parts.get("p1", ""),
                "p5": self.parts.get("p5", ""),
                "p6": self.parts.get("p6", ""),
                "signature": self.signature_text,
            },
            "tables": tables_as_printed(fmt, self.cells) if fmt is not None else {},
            "sources": dict(self.sources),
            "confidence": {t: round(self.confidence.get(t, 0.0), 3) for t in TABLES},
            "problems": list(self.problems) if self.ok else [self.refused, *self.problems],
        }


def tables_as_printed(fmt: FormatDef, cells: dict[str, CellValue]) -> dict[str, object]:
    """The interchange JSON's table nesting, with the values as read (totals as printed, None = blank or not
    in the document)."""
    tables: dict[str, object] = {}
    for table in fmt.tables.values():
        t: dict[str, object] = {}
        for section in table.sections:
            target = t if section.id == table.id else t.setdefault(section.id, {})
            assert isinstance(target, dict)
            for row in section.number_rows():
                target[row.id] = {
                    col.id: cells.get(f"{section.id}.{row.id}.{col.id}") for col in section.columns
                }
        tables[table.id] = t
    return tables


