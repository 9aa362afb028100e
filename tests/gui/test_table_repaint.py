"""One typed number repaints the cell, its totals and their outlines — never the whole grid (issue 16: the
two full repaints per edit were more than half of an edit's cost)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_value
from tests.gui.test_table_editor import type_keys


class PaintRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


def test_a_typed_number_repaints_only_the_cells_it_changes(window, qtbot, sample_path) -> None:  # noqa: ANN001
    page = window.show_node("p3", focus=True)
    view, model = page.view, page.model
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    total_before = int(model.data(model.index_of("t3.new.total")))
    np_before = int(model.data(model.index_of("t3.new.np")))
    # The first stored edit shows 已保存 in the status bar, which settles the window's layout once (a resize
    # repaints everything, legitimately): edit another cell first, then watch the edit that matters.
    assert page.select_cell("t3.new.oth")
    type_keys(qtbot, view, "1")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(50)
    changed.clear()
    total_before = int(model.data(model.index_of("t3.new.total")))
    assert page.select_cell("t3.new.np")
    qtbot.wait(20)
    recorder = PaintRecorder()
    view.viewport().installEventFilter(recorder)
    type_keys(qtbot, view, "2400")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(50)
    view.viewport().removeEventFilter(recorder)

    assert db_value(sample_path, window.ctx.report_id, "t3.new.np") == "2400"
    assert model.data(model.index_of("t3.new.total")) == str(total_before + 2400 - np_before)  # totals follow
    # dataChanged names single cells: the typed one and the totals it feeds, not the grid
    assert changed and all(a == c and b == d for a, b, c, d in changed), changed
    named = {model.anchor(model.index(r, c)).cell_id for r, c, _, _ in changed}
    assert "t3.new.np" in named and "t3.new.total" in named
    assert len(named) < 12, named
    # and no paint covered the grid: each repainted area is a few cells wide at most
    whole = view.viewport().rect()
    assert recorder.rects, "the edit was not repainted at all"
    for rect in recorder.rects:
        assert rect.width() * rect.height() < whole.width() * whole.height() / 3, (rect, whole)
