"""An official grid for the PDF: cells measured with their text, rows grouped so that no row and no small
merged cell is ever cut by a page, each group an atom of the page flow (`pdf_flow`), the header rows an atom
repeated above a group that starts a page.

A merged cell spanning many rows (表三's 三、本年度办理结果, 22 rows) may be cut at a row boundary, but only where
the part above the cut is tall enough for its whole text (printed in that part, as Word prints a merged
cell that continues on the next page); a shorter merged cell (（五）不予处理, 5 rows) keeps its rows together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruian_desk.domain.layout import GridCell
from ruian_desk.export.common import TableContent
from ruian_desk.export.pdf_flow import Atom, Typesetter

LONG_SPAN_ROWS = 10  # a merged cell of at least this many rows may continue on the next page
CELL_PAD_MM = (0.8, 0.45)  # (horizontal, vertical) padding inside a cell: rows about as tall as in the DOCX
MIN_ROW_MM = 5.5
BORDER_PT = 0.5


@dataclass
class _Cell:
    cell: GridCell
    layout: Any
    lines: list[Any]
    need: float  # height its text needs, padding included


class TableFlow:
    def __init__(self, t: TableContent, ts: Typesetter, font: Any, pitch_pt: float, page_height: float):
        self.t = t
        self.ts = ts
        self.font = font
        self.pitch = ts.pt(pitch_pt)
        self.pad_x, self.pad_y = ts.mm(CELL_PAD_MM[0]), ts.mm(CELL_PAD_MM[1])
        widths = [ts.mm(w) for w in t.widths_mm]
        total = sum(widths)
        scale = min(1.0, ts.width / total) if total else 1.0
        widths = [w * scale for w in widths]
        self.x0 = (ts.width - sum(widths)) / 2
        self.xs = [self.x0]
        for w in widths:
            self.xs.append(self.xs[-1] + w)
        grid = t.grid
        self.cells = [self._measure(c) for c in grid.cells]
        self.heights = self._row_heights(grid.n_rows)
        self.ys = [0.0]
        for h in self.heights:
            self.ys.append(self.ys[-1] + h)
        self.page_height = page_height

    # measuring -------------------------------------------------------------------------------------
    def _align(self, cell: GridCell) -> str:
        grid = self.t.grid
        return "left" if cell.kind == "label" and cell.rowspan == 1 and grid.header_rows else "center"

    def _measure(self, cell: GridCell) -> _Cell:
        width = self.xs[cell.col + cell.colspan] - self.xs[cell.col] - 2 * self.pad_x
        text = self.t.text(cell)
        layout, lines = self.ts.layout(
            [(text, self.font)], width, self.pitch, self._align(cell), wrap=not cell.is_number
        )
        return _Cell(cell, layout, lines, len(lines) * self.pitch + 2 * self.pad_y)

    def _row_heights(self, n_rows: int) -> list[float]:
        heights = [max(self.ts.mm(MIN_ROW_MM), self.pitch + 2 * self.pad_y)] * n_rows
        for c in self.cells:
            if c.cell.rowspan == 1:
                heights[c.cell.row] = max(heights[c.cell.row], c.need)
        for c in sorted(self.cells, key=lambda c: c.cell.rowspan):
            r0, r1 = c.cell.row, c.cell.row + c.cell.rowspan
            have = sum(heights[r0:r1])
            if c.cell.rowspan > 1 and c.need > have:
                extra = (c.need - have) / c.cell.rowspan
                for r in range(r0, r1):
                    heights[r] += extra
        return heights

    def _cuttable(self, boundary: int) -> bool:
        """Whether a page may end between row boundary-1 and row boundary."""
        for c in self.cells:
            r0, r1 = c.cell.row, c.cell.row + c.cell.rowspan
            if not r0 < boundary < r1:
                continue
            if c.cell.rowspan < LONG_SPAN_ROWS and self.ys[r1] - self.ys[r0] < self.page_height / 2:
                return False
            if self.ys[boundary] - self.ys[r0] < c.need:
                return False  # its text would not fit in the part above the cut
        return True

    # atoms -----------------------------------------------------------------------------------------
    def atoms(self, space_before: float = 0.0) -> list[Atom]:
        grid = self.t.grid
        head = grid.header_rows
        header = Atom(self.ys[head], self._painter(0, head), kind="rows", text=f"{self.t.name} header")
        groups: list[tuple[int, int]] = []
        start = head
        for b in range(head + 1, grid.n_rows + 1):
            if b == grid.n_rows or self._cuttable(b):
                groups.append((start, b))
                start = b
        out = []
        for n, (a, b) in enumerate(groups):
            first = n == 0
            top = 0 if first else a
            atom = Atom(
                self.ys[b] - self.ys[top],
                self._painter(top, b),
                kind="rows",
                header=None if first else header,
                text=" ".join(self.t.text(c) for c in grid.cells if top <= c.row < b),
            )
            out.append(atom)
        if not out:
            out.append(header)
        out[0].space_before = space_before
        return out

    def _painter(self, a: int, b: int) -> Any:
        """Paint rows a..b-1 with their top at y."""

        def paint(painter: Any, x: float, y: float) -> None:
            from PySide6.QtCore import QPointF, QRectF, Qt
            from PySide6.QtGui import QPen

            pen = QPen(Qt.GlobalColor.black)
            pen.setWidthF(self.ts.pt(BORDER_PT))
            painter.save()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            base = y - self.ys[a]
            for c in self.cells:
                r0, r1 = c.cell.row, c.cell.row + c.cell.rowspan
                if r1 <= a or r0 >= b:
                    continue
                top, bottom = self.ys[max(r0, a)], self.ys[min(r1, b)]
                left, right = self.xs[c.cell.col], self.xs[c.cell.col + c.cell.colspan]
                painter.setPen(pen)
                painter.drawRect(QRectF(x + left, base + top, right - left, bottom - top))
                if r0 < a:
                    continue  # a long merged cell continued from the page before: its text is there
                text_h = len(c.lines) * self.pitch
                ty = base + top + (bottom - top - text_h) / 2
                for line in c.lines:  # each line sits at n × pitch in its layout
                    line.draw(painter, QPointF(x + left + self.pad_x, ty + (self.pitch - line.height()) / 2))
            painter.restore()

        paint.keep = self  # type: ignore[attr-defined]
        return paint
