"""Review scenario 4: blocks pasted from Excel/WPS into 表三 as they really come off the clipboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_value

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _paste(qtbot, page, text: str) -> None:  # noqa: ANN001
    QApplication.clipboard().setText(text)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_windows_block_with_separators_full_width_and_a_blank(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    page = window.show_node("p3", focus=True)
    model = page.model
    page.select_cell("t3.r3_1.np")
    steps = ctx.undo_stack.count()
    # WPS on Windows: CRLF line ends, a trailing line end, "1,234", full-width digits, an empty cell.
    _paste(qtbot, page, "1,234\t５\t\t7\r\n８\t9\t10\t11\r\n")
    assert db_value(sample_path, rid, "t3.r3_1.np") == "1234"
    assert db_value(sample_path, rid, "t3.r3_1.ce") == "5"
    assert db_value(sample_path, rid, "t3.r3_1.ri") in (None, ())  # the empty cell of the block: blank
    assert db_value(sample_path, rid, "t3.r3_1.spo") == "7"
    assert db_value(sample_path, rid, "t3.r3_2.np") == "8"
    assert db_value(sample_path, rid, "t3.r3_2.spo") == "11"
    assert db_value(sample_path, rid, "t3.r3_3.np") not in ("", None, ())  # the line end added no row
    assert ctx.undo_stack.count() == steps + 1
    assert model.data(model.index_of("t3.r3_1.ri")) == ""
    assert QApplication.focusWidget() is page.view
    window.undo()
    assert db_value(sample_path, rid, "t3.r3_1.np") == "5"


def test_one_bad_value_refuses_the_whole_block_naming_the_cell(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = window.show_node("p3", focus=True)
    page.select_cell("t3.r3_1.np")
    _paste(qtbot, page, "100\t200\r\n300\t2O0\r\n")  # a letter O for a zero
    assert db_value(sample_path, rid, "t3.r3_1.np") == "5"
    msg = page.view.last_message
    assert page.view.message_visible() and "粘贴未执行" in msg
    assert "2O0" in msg and "2.其他法律行政法规禁止公开" in msg and "商业企业" in msg


def test_a_block_running_past_the_table_edge_is_refused(window, qtbot, sample_path) -> None:  # noqa: ANN001
    """Three numbers pasted at the last column: two would be lost. The block was started at the wrong
    cell; storing the first number alone would put a figure where it does not belong."""
    rid = window.ctx.report_id
    page = window.show_node("p3", focus=True)
    page.select_cell("t3.new.oth")
    steps = window.ctx.undo_stack.count()
    _paste(qtbot, page, "1\t2\t3\n")
    assert db_value(sample_path, rid, "t3.new.oth") == "90"
    assert window.ctx.undo_stack.count() == steps
    assert page.view.message_visible() and "超出" in page.view.last_message
    # Below the last row as well.
    page.select_cell("t3.carry_out.np")
    _paste(qtbot, page, "1\n2\n")
    assert db_value(sample_path, rid, "t3.carry_out.np") == "94"
    assert "超出" in page.view.last_message


def test_totals_in_a_pasted_block_are_checked_not_stored(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = window.show_node("p3", focus=True)
    page.select_cell("t3.new.np")
    # A whole row from a unit's sheet, 总计 included (and right): stored without a word about the total.
    _paste(qtbot, page, "10\t20\t0\t0\t0\t0\t30\n")
    assert db_value(sample_path, rid, "t3.new.np") == "10"
    assert db_value(sample_path, rid, "t3.new.total") == ()  # a computed total is never stored
    assert not page.view.message_visible()
    # A wrong total: the numbers are stored, the clerk is told the total is computed differently.
    _paste(qtbot, page, "10\t20\t0\t0\t0\t0\t99\n")
    assert page.view.message_visible() and "99" in page.view.last_message and "30" in page.view.last_message
