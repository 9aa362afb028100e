"""Review scenario 6: the metrics register driven with the keyboard: a catalogue rate, its numerator and
denominator, the computed rate (half-up), the mismatch mark, delete, undo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.review_support import key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def test_catalogue_rate_typed_with_the_keyboard(sample_window, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.metrics import COL_DEN, COL_NUM, COL_RATE, COL_VALUE

    w = sample_window
    ctx = w.ctx
    page = w.show_node("metrics", focus=True)
    model = page.model
    view = page.view
    n = model.rowCount()

    # 从常用指标添加 → 零次跑事项: the catalogue menu as the clerk opens it.
    page.catalogue_menu.aboutToShow.emit()
    action = next(a for a in page.catalogue_menu.actions() if a.text().startswith("零次跑事项"))
    action.trigger()
    assert model.rowCount() == n + 1
    row = model.row_of("zero_visit_items")
    assert view.currentIndex().row() == row and QApplication.focusWidget() is view

    # Its value, typed over the selected cell, Enter.
    view.setCurrentIndex(model.index(row, COL_VALUE))
    type_text(qtbot, "3,023")
    key(qtbot, Qt.Key.Key_Return)
    assert ctx.report().metric("zero_visit_items").value == Decimal("3023")
    # Enter goes down, as in the table editors and Excel: the next metric's value can be typed at once.
    assert QApplication.focusWidget() is view
    below = min(row + 1, model.rowCount() - 1)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (below, COL_VALUE)
    # Enter outside an editor goes down too, Shift+Enter back up.
    view.setCurrentIndex(model.index(0, COL_VALUE))
    key(qtbot, Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1 and view.state() != view.State.EditingState
    key(qtbot, Qt.Key.Key_Return, modifier=Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().row() == 0
    assert ctx.report().metric("zero_visit_items").value == Decimal("3023")  # nothing else changed

    # The rate 零次跑实现率 (already in the sample as a stated 98.15%): numerator, Tab, denominator, Enter.
    rate = model.row_of("zero_visit_rate")
    view.setCurrentIndex(model.index(rate, COL_NUM))
    type_text(qtbot, "3023")
    key(qtbot, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (rate, COL_DEN)
    type_text(qtbot, "3080")
    key(qtbot, Qt.Key.Key_Return)
    m = ctx.report().metric("zero_visit_rate")
    assert (m.numerator, m.denominator) == (Decimal("3023"), Decimal("3080"))
    # 3023 / 3080 = 98.1493…% → 98.15 half-up: agrees with the stated value, no mark.
    assert model.data(model.index(rate, COL_RATE)) == "98.15%"
    assert model.data(model.index(rate, COL_VALUE), Qt.ItemDataRole.BackgroundRole) is None
    # A stated value that disagrees is marked, with the reason in the tooltip.
    view.setCurrentIndex(model.index(rate, COL_VALUE))
    type_text(qtbot, "98.2")
    key(qtbot, Qt.Key.Key_Return)
    assert model.data(model.index(rate, COL_VALUE), Qt.ItemDataRole.BackgroundRole) is not None
    assert "98.1%" in model.data(model.index(rate, COL_RATE), Qt.ItemDataRole.ToolTipRole)
    assert any(i.rule == "X-METRIC-RATE" and "零次跑实现率" in i.message for i in ctx.issues())

    # Delete the added metric with the Delete key, then undo it back.
    view.setCurrentIndex(model.index(model.row_of("zero_visit_items"), 0))
    key(qtbot, Qt.Key.Key_Delete)
    assert ctx.report().metric("zero_visit_items") is None and model.rowCount() == n
    # The row that took its place is current, with the focus: the clerk can go on.
    assert QApplication.focusWidget() is view and view.currentIndex().row() == min(row, n - 1)
    key(qtbot, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert ctx.report().metric("zero_visit_items").value == Decimal("3023")
    assert model.row_of("zero_visit_items") == row  # back in its place
    key(qtbot, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert ctx.report().metric("zero_visit_rate").value == Decimal("98.15")


def test_full_width_digits_from_an_input_method_replace_a_value(sample_window, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtGui import QInputMethodEvent

    w = sample_window
    page = w.show_node("metrics", focus=True)
    page.view.setCurrentIndex(page.model.index(0, 1))
    event = QInputMethodEvent()
    event.setCommitString("１８")  # full-width mode: committed with no composition
    QApplication.sendEvent(QApplication.focusWidget(), event)
    key(qtbot, Qt.Key.Key_Return)
    assert w.ctx.report().metrics[0].value == Decimal("18")


def test_every_column_shows_at_1366_and_placeholders_whole(sample_window, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.metrics import COL_KEY, COL_LABEL

    w = sample_window
    w.resize(1366, 768)
    w.show()
    page = w.show_node("metrics", focus=True)
    qtbot.wait(20)
    view, model = page.view, page.model
    # No column pushed off the screen: the view needs no horizontal scrolling.
    assert view.horizontalScrollBar().maximum() == 0
    fm = view.fontMetrics()
    keys = [str(model.data(model.index(r, COL_KEY))) for r in range(model.rowCount())]
    assert keys and all(k.startswith("{{") for k in keys)
    # The placeholder the clerk copies into the text is never cut, nor are the names of the sample's metrics
    # up to the cap (a longer name shows whole in its tooltip).
    assert view.columnWidth(COL_KEY) >= max(fm.horizontalAdvance(k) for k in keys)
    assert view.columnWidth(COL_LABEL) >= fm.horizontalAdvance("市政府主要领导出席新闻发布会")
