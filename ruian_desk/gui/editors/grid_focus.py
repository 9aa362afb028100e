"""Focus changes that repaint only what they change, for the table grids.

Qt's item views repaint the whole viewport when they gain or lose the keyboard focus (the focus frame and
the inactive selection colours). In a grid each typed number moves the focus twice — into the cell's editor
and back — so every edit repainted all of 表三's cells, the larger half of an edit's cost. The grids draw
their selection in one colour whatever the focus, so only the current cell (its focus rectangle), the
selection and the frame around the viewport change: those are repainted, nothing else."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QRegion
from PySide6.QtWidgets import QAbstractItemView, QTableView


class FocusRepaintsLittle(QTableView):
    """A table view whose focus changes repaint the current cell, the selection and the frame only."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        # What QAbstractItemView.focusInEvent does, without its update of the whole viewport: a view entered
        # by the keyboard without a current cell starts at the first one; typing is enabled on editable cells.
        model = self.selectionModel()
        current = self.currentIndex()
        if model is not None and not current.isValid() and event.reason() != Qt.FocusReason.MouseFocusReason:
            first = self.moveCursor(QAbstractItemView.CursorAction.MoveNext, Qt.KeyboardModifier.NoModifier)
            if first.isValid() and first.flags() & Qt.ItemFlag.ItemIsEnabled:
                model.setCurrentIndex(first, model.SelectionFlag.NoUpdate)
                current = first
        self.setAttribute(
            Qt.WidgetAttribute.WA_InputMethodEnabled,
            bool(current.isValid() and current.flags() & Qt.ItemFlag.ItemIsEditable),
        )
        self._repaint_focus_parts()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._repaint_focus_parts()

    def _repaint_focus_parts(self) -> None:
        viewport = self.viewport()
        region = QRegion()
        current = self.currentIndex()
        if current.isValid():
            region += self.visualRect(current).adjusted(-2, -2, 2, 2)
        model = self.selectionModel()
        if model is not None and model.hasSelection():
            region += self.visualRegionForSelection(model.selection())
        if not region.isEmpty():
            viewport.update(region)
        # The frame around the viewport (styles draw a focused frame), not the viewport inside it.
        self.update(QRegion(self.rect()) - QRegion(viewport.geometry()))
