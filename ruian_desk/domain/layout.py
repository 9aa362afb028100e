"""The official printed grids of 表二/表三/表四, computed from the format data.

One `Grid` per table: the exact rows, columns, labels and merged cells of the national format. Every view of a
table (the Qt editor, DOCX, PDF, HTML, XLSX, the Excel templates) draws from this one description.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ruian_desk.domain.formats import FormatDef, SectionDef, TableDef, get_format


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # corner | header | caption | label | input | derived
    text: str = ""
    cell_id: str | None = None

    @property
    def is_number(self) -> bool:
        return self.cell_id is not None


@dataclass(frozen=True)
class Grid:
    table: str
    n_rows: int
    n_cols: int
    header_rows: int  # rows repeated at the top of each printed page
    cells: tuple[GridCell, ...]

    def anchor_at(self, row: int, col: int) -> GridCell | None:
        """The cell whose merged area covers (row, col)."""
        return self._index().get((row, col))

    def _index(self) -> dict[tuple[int, int], GridCell]:
        cached = self.__dict__.get("_idx")
        if cached is None:
            cached = {}
            for c in self.cells:
                for r in range(c.row, c.row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        cached[(r, k)] = c
            object.__setattr__(self, "_idx", cached)
        return cached

    def position_of(self, cell_id: str) -> tuple[int, int]:
        for c in self.cells:
            if c.cell_id == cell_id:
                return c.row, c.col
        raise KeyError(cell_id)

    def merges(self) -> list[GridCell]:
        return [c for c in self.cells if c.rowspan > 1 or c.colspan > 1]

    def number_cells(self) -> list[GridCell]:
        return [c for c in self.cells if c.cell_id is not None]


def _number_kind(fmt: FormatDef, cell_id: str) -> str:
    return "derived" if fmt.cell(cell_id).derived else "input"


def _banded_grid(fmt: FormatDef, table: TableDef) -> Grid:
    """表二: 4 columns; each band = caption row + header row + data rows."""
    n_cols = 4
    cells: list[GridCell] = []
    r = 0
    for section in table.sections:
        cells.append(GridCell(r, 0, 1, n_cols, "caption", section.caption or ""))
        r += 1
        spans = _value_spans(section, n_cols - 1)
        cells.append(GridCell(r, 0, 1, 1, "header", section.label_header or "信息内容"))
        k = 1
        for col, span in zip(section.columns, spans, strict=True):
            cells.append(GridCell(r, k, 1, span, "header", col.label))
            k += span
        r += 1
        for row in section.rows:
            cells.append(GridCell(r, 0, 1, 1, "label", row.label))
            k = 1
            for col, span in zip(section.columns, spans, strict=True):
                cid = f"{section.id}.{row.id}.{col.id}"
                cells.append(GridCell(r, k, 1, span, _number_kind(fmt, cid), "", cid))
                k += span
            r += 1
    return Grid(table.id, r, n_cols, 0, tuple(cells))


def _value_spans(section: SectionDef, width: int) -> list[int]:
    spans = [c.colspan for c in section.columns]
    if sum(spans) < width:  # a band with fewer value columns: the last one takes the rest
        spans[-1] += width - sum(spans)
    return spans


def _matrix_grid(fmt: FormatDef, table: TableDef) -> Grid:
    """表三: 3 label columns + 7 number columns; 3 header rows; nested row labels."""
    section = table.sections[0]
    label_cols = 3
    n_cols = label_cols + len(section.columns)
    cells: list[GridCell] = [GridCell(0, 0, 3, label_cols, "corner", table.corner_label or "")]
    header = table.column_header
    cells.append(GridCell(0, label_cols, 1, len(section.columns), "header", header.get("top", "")))
    k = label_cols
    seen_groups: set[str] = set()
    for col in section.columns:
        if col.group:
            if col.group not in seen_groups:
                width = sum(1 for c in section.columns if c.group == col.group)
                cells.append(GridCell(1, k, 1, width, "header", col.group))
                seen_groups.add(col.group)
            cells.append(GridCell(2, k, 1, 1, "header", col.label))
        else:
            cells.append(GridCell(1, k, 2, 1, "header", col.label))
        k += 1

    r = 3

    def depth(row_id: str | None) -> int:
        d = 0
        while row_id:
            row_id = section.row(row_id).parent
            d += 1
        return d

    def height(row_id: str) -> int:
        row = section.row(row_id)
        if row.kind != "group":
            return 1
        return sum(height(c.id) for c in section.children(row_id))

    def emit(row_ids: list[str]) -> None:
        nonlocal r
        for row_id in row_ids:
            row = section.row(row_id)
            d = depth(row.parent)
            if row.kind == "group":
                cells.append(GridCell(r, d, height(row_id), 1, "label", row.label))
                emit([c.id for c in section.children(row_id)])
                continue
            cells.append(GridCell(r, d, 1, label_cols - d, "label", row.label))
            for j, col in enumerate(section.columns):
                cid = f"{section.id}.{row.id}.{col.id}"
                cells.append(GridCell(r, label_cols + j, 1, 1, _number_kind(fmt, cid), "", cid))
            r += 1

    emit([row.id for row in section.rows if row.parent is None])
    return Grid(table.id, r, n_cols, 3, tuple(cells))


def _column_header_grid(fmt: FormatDef, table: TableDef) -> Grid:
    """表四: a 3-row header over one row of 15 numbers."""
    section = table.sections[0]
    cols = section.columns
    cells: list[GridCell] = []
    k = 0
    for top in dict.fromkeys(c.top for c in cols):
        width = sum(1 for c in cols if c.top == top)
        cells.append(GridCell(0, k, 1, width, "header", top or ""))
        k += width
    k = 0
    done_subs: set[str] = set()
    for col in cols:
        if col.sub is None:
            cells.append(GridCell(1, k, 2, 1, "header", col.label))
        else:
            if col.sub not in done_subs:
                width = sum(1 for c in cols if c.sub == col.sub)
                cells.append(GridCell(1, k, 1, width, "header", col.sub))
                done_subs.add(col.sub)
            cells.append(GridCell(2, k, 1, 1, "header", col.label))
        k += 1
    row = section.number_rows()[0]
    for j, col in enumerate(cols):
        cid = f"{section.id}.{row.id}.{col.id}"
        cells.append(GridCell(3, j, 1, 1, _number_kind(fmt, cid), "", cid))
    return Grid(table.id, 4, len(cols), 3, tuple(cells))


@cache
def table_grid(format_id: str, table_id: str) -> Grid:
    fmt = get_format(format_id)
    table = fmt.tables[table_id]
    if table.sections[0].caption is not None:
        return _banded_grid(fmt, table)
    if table.corner_label:
        return _matrix_grid(fmt, table)
    return _column_header_grid(fmt, table)
