"""Frozen header rows and label columns of a table grid (like Excel's 冻结窗格).

The grid view keeps a margin at its top and left; three read-only views of the same model sit in it: the
header rows (scrolling sideways with the grid), the label columns (scrolling up and down with it) and the
corner. The frozen rows and columns are hidden in the grid itself, so nothing shows twice and the scroll
offsets of the grid and of the panes are the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QTableView

if TYPE_CHECKING:
    from ruian_desk.domain.layout import Grid

HEADER_KINDS = frozenset({"corner", "header", "caption"})
LABEL_KINDS = frozenset({"corner", "label", "header"})


def frozen_extent(grid: Grid) -> tuple[int, int]:
    """(rows, columns) to freeze: the leading rows holding only headings — when no heading row follows
    further down (表二's sections each have their own) — and the leading columns holding only labels."""
    row_kinds: dict[int, set[str]] = {}
    col_kinds: dict[int, set[str]] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            row_kinds.setdefault(r, set()).add(cell.kind)
        for c in range(cell.col, cell.col + cell.colspan):
            col_kinds.setdefault(c, set()).add(cell.kind)
    rows = 0
    while rows < grid.n_rows - 1 and row_kinds.get(rows, set()) <= HEADER_KINDS:
        rows += 1
    if any(row_kinds.get(r, set()) & {"header", "caption"} for r in range(rows, grid.n_rows)):
        rows = 0
    cols = 0
    while cols < grid.n_cols - 1 and col_kinds.get(cols, set()) <= LABEL_KINDS:
        cols += 1
    # A span crossing the frozen edge cannot be cut in two: freeze nothing on that side then.
    for cell in grid.cells:
        if cell.row < rows < cell.row + cell.rowspan:
            rows = 0
        if cell.col < cols < cell.col + cell.colspan:
            cols = 0
    return rows, cols


class FrozenPane(QTableView):
    """A read-only window on part of the grid's model (its selection shared with the grid)."""

    def __init__(self, grid: QTableView, name: str):
        super().__init__(grid)
        self.setObjectName(name)
        self.setModel(grid.model())
        self.setSelectionModel(grid.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.horizontalHeader().setMinimumSectionSize(0)
        self.verticalHeader().setMinimumSectionSize(0)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrap(True)
        self.setStyleSheet(grid.styleSheet())
        self.setToolTipDuration(-1)


class FrozenPanes:
    """The three panes of one grid view, kept in step with its sizes, spans and scrolling."""

    def __init__(self, view: QTableView):
        self.view = view
        self.rows = 0
        self.cols = 0
        self.top = FrozenPane(view, "frozenRows")
        self.left = FrozenPane(view, "frozenColumns")
        self.corner = FrozenPane(view, "frozenCorner")
        for pane in self.panes():
            pane.hide()
            pane.doubleClicked.connect(view.doubleClicked)
        view.horizontalScrollBar().valueChanged.connect(self.top.horizontalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(self.left.verticalScrollBar().setValue)

    def panes(self) -> tuple[FrozenPane, FrozenPane, FrozenPane]:
        return self.top, self.left, self.corner

    def apply(self, grid: Grid, widths: list[int], heights: list[int]) -> None:
        """Freeze the grid's heading rows and label columns, with the sizes the grid view uses."""
        view = self.view
        self.rows, self.cols = frozen_extent(grid)
        n_rows, n_cols = grid.n_rows, grid.n_cols
        for pane in self.panes():
            pane.clearSpans()
            for cell in grid.cells:
                if cell.rowspan > 1 or cell.colspan > 1:
                    pane.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        for c in range(n_cols):
            frozen = c < self.cols
            view.setColumnHidden(c, frozen)
            self.top.setColumnHidden(c, frozen)
            self.left.setColumnHidden(c, not frozen)
            self.corner.setColumnHidden(c, not frozen)
            for pane in self.panes():
                pane.setColumnWidth(c, widths[c])
        for r in range(n_rows):
            frozen = r < self.rows
            view.setRowHidden(r, frozen)
            self.top.setRowHidden(r, not frozen)
            self.left.setRowHidden(r, frozen)
            self.corner.setRowHidden(r, not frozen)
            for pane in self.panes():
                pane.setRowHeight(r, heights[r])
        self.top.setVisible(self.rows > 0)
        self.left.setVisible(self.cols > 0)
        self.corner.setVisible(self.rows > 0 and self.cols > 0)
        self.top_height = sum(heights[: self.rows])
        self.left_width = sum(widths[: self.cols])
        view.setViewportMargins(self.left_width, self.top_height, 0, 0)
        self.place()

    def place(self) -> None:
        """Put the panes in the grid's margins (after a resize)."""
        view = self.view
        frame = view.frameWidth()
        port = view.viewport().geometry()
        self.corner.setGeometry(frame, frame, self.left_width, self.top_height)
        self.top.setGeometry(port.left(), frame, port.width(), self.top_height)
        self.left.setGeometry(frame, port.top(), self.left_width, port.height())
        self.top.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
        self.left.verticalScrollBar().setValue(view.verticalScrollBar().value())
        for pane in self.panes():
            pane.raise_()
