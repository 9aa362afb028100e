"""Review scenario 1: a clerk with no workspace starts a 2021 report for a new unit and keys in 表三."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_value
from tests.gui.review_support import ime_commit, key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _fill_new_report_dialog(unit: str, year: int, done: list[str]) -> None:
    """Runs inside the dialog's exec(): type the unit through the input method, the year, press Enter."""
    from ruian_desk.gui.dialogs.new_report import NewReportDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, NewReportDialog):
        QTimer.singleShot(20, lambda: _fill_new_report_dialog(unit, year, done))
        return
    ui = dialog.ui
    line = ui.unitCombo.lineEdit()
    line.setFocus()
    line.selectAll()
    ime_commit(line, unit)
    ui.yearSpin.setValue(year)
    done.append(ui.formatLabel.text())
    done.append(ui.previousInfo.text())
    ui.buttonBox.button(ui.buttonBox.StandardButton.Ok).click()


def test_fresh_start_new_2021_report_typed_with_the_keyboard(
    app, qtbot, dialogs, tmp_path, monkeypatch
) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import MainWindow, open_main_window

    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    w = open_main_window(None)
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.showing_start()

    seen: list[str] = []
    QTimer.singleShot(0, lambda: _fill_new_report_dialog("瑞安市审计局", 2021, seen))
    w.start_page.ui.newReportButton.click()
    assert "gov-2021" in seen[0]
    # The offscreen platform does not hand activation back to the window when a dialog closes (a desktop
    # does): do it as the window manager would.
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert not w.showing_start()
    ws_path = Path(tmp_path / "home" / "workspace.sqlite")
    assert w.ws.path == ws_path
    report = w.ctx.report()
    assert (report.unit, report.year, report.format_id) == ("瑞安市审计局", 2021, "gov-2021")
    rid = w.ctx.report_id

    page = w.show_node("p3", focus=True)
    view = page.view
    model = page.model
    assert QApplication.focusWidget() is view
    assert page.current_cell_id() == "t3.new.np"  # the first typed cell of the grid
    qtbot.wait(50)

    # 本年新收: 自然人 12, then Tab along the row: 商业企业 3 (full-width), 科研机构 blank, …
    type_text(qtbot, "12")
    key(qtbot, Qt.Key.Key_Tab)
    assert page.current_cell_id() == "t3.new.ce"
    type_text(qtbot, "３")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "0")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "1,000")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert db_value(ws_path, rid, "t3.new.np") == "12"
    assert db_value(ws_path, rid, "t3.new.ce") == "3"
    assert db_value(ws_path, rid, "t3.new.ri") == "0"
    assert db_value(ws_path, rid, "t3.new.spo") == "1000"
    assert model.data(model.index_of("t3.new.total")) == "1015"
    # Enter moved down the column.
    assert page.current_cell_id() == "t3.carry_in.spo"
    assert QApplication.focusWidget() is view

    # 予以公开 自然人 = 12: (七）总计 follows.
    assert page.select_cell("t3.r1_open.np")
    type_text(qtbot, "12")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    totals = model.index_of("t3.r7_total.np")
    assert model.data(totals) == "12"
    assert model.data(model.index_of("t3.r7_total.total")) == "12"
    assert w.status_saved.text().startswith("已保存")
    counts_before = w.status_counts.text()
    assert counts_before.startswith("错误")

    # Delete → blank (not 0), the total follows, the status bar counts follow the checks.
    assert page.select_cell("t3.new.ri")
    key(qtbot, Qt.Key.Key_Delete)
    assert db_value(ws_path, rid, "t3.new.ri") in (None, ())  # blank: no value stored
    assert model.data(model.index_of("t3.new.ri")) == ""
    from ruian_desk.domain.rules import counts

    c = counts(w.ctx.issues())
    assert w.status_counts.text() == f"错误 {c['error']}  警告 {c['warning']}  提示 {c['info']}"

    # Type-to-replace on a cell with a value.
    assert page.select_cell("t3.new.np")
    type_text(qtbot, "20")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert db_value(ws_path, rid, "t3.new.np") == "20"
    assert model.data(model.index_of("t3.new.total")) == "1023"

    # Undo / redo with the keyboard.
    key(qtbot, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert db_value(ws_path, rid, "t3.new.np") == "12"
    assert model.data(model.index_of("t3.new.total")) == "1015"
    key(qtbot, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert db_value(ws_path, rid, "t3.new.ri") == "0"
    key(qtbot, Qt.Key.Key_Y, modifier=Qt.KeyboardModifier.ControlModifier)
    assert db_value(ws_path, rid, "t3.new.ri") in (None, ())  # blank: no value stored
    key(qtbot, Qt.Key.Key_Y, modifier=Qt.KeyboardModifier.ControlModifier)
    assert db_value(ws_path, rid, "t3.new.np") == "20"
    # The clerk keeps typing after undo/redo: the grid still has the focus.
    assert QApplication.focusWidget() is view

    # Close and reopen: everything is there.
    w.close()
    w2 = MainWindow()
    w2.ask = dialogs.ask
    w2.inform = dialogs.inform
    qtbot.addWidget(w2)
    assert w2.open_path(ws_path)
    r2 = w2.ctx.report()
    assert (r2.unit, r2.year, r2.format_id) == ("瑞安市审计局", 2021, "gov-2021")
    page2 = w2.show_node("p3")
    m2 = page2.model
    assert m2.data(m2.index_of("t3.new.np")) == "20"
    assert m2.data(m2.index_of("t3.new.ri")) == ""
    assert m2.data(m2.index_of("t3.new.total")) == "1023"
    assert m2.data(m2.index_of("t3.r7_total.total")) == "12"
    w2.close_workspace()


def commit_only(widget, text: str) -> None:  # noqa: ANN001
    """An input method in full-width mode: the characters are committed with no composition before."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_full_width_digits_from_an_input_method_replace_the_cell(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = window.show_node("p3", focus=True)
    page.select_cell("t3.r3_2.ce")
    commit_only(QApplication.focusWidget(), "１２")
    key(qtbot, Qt.Key.Key_Return)
    assert db_value(sample_path, rid, "t3.r3_2.ce") == "12"
    assert page.current_cell_id() == "t3.r3_3.ce"
    # With a composition first (pinyin), as before.
    page.select_cell("t3.r3_2.np")
    QApplication.sendEvent(QApplication.focusWidget(), QInputMethodEvent("yi", []))
    commit_only(QApplication.focusWidget(), "３４")
    key(qtbot, Qt.Key.Key_Return)
    assert db_value(sample_path, rid, "t3.r3_2.np") == "34"
    # On a computed total: refused with the reason, nothing opened.
    page.select_cell("t3.new.total")
    commit_only(QApplication.focusWidget(), "５")
    assert page.view.state() != page.view.State.EditingState
    assert "自动计算" in page.view.last_message
