"""Narrative editors: Chinese through the input method, debounced stores, placeholders, counts, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_field


def ime_commit(widget, text: str) -> None:  # noqa: ANN001
    """What a Chinese input method sends when the user picks a candidate (never keyClicks: it aborts)."""
    QApplication.sendEvent(widget, QInputMethodEvent("", []))  # composition starts (pre-edit empty)
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def ime_preedit(widget, text: str) -> None:  # noqa: ANN001
    QApplication.sendEvent(widget, QInputMethodEvent(text, []))


def _end_of(editor) -> None:  # noqa: ANN001
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)


def test_chinese_typed_through_the_input_method_is_stored(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = window.show_node("p6", focus=True)
    editor = page.editor
    before = db_field(sample_path, rid, "p6")
    assert before == "本机关无其他报告事项。"
    _end_of(editor)
    ime_preedit(editor, "zheng")  # still composing: nothing is typed yet
    assert not page.binding.pending
    ime_commit(editor, "本年度收取信息处理费0元。")
    assert editor.toPlainText() == before + "本年度收取信息处理费0元。"
    # Pending until half a second of quiet; the status bar says so, the database still has the old text.
    assert page.binding.pending
    assert window.status_saved.text() == "正在输入…"
    assert db_field(sample_path, rid, "p6") == before
    qtbot.waitUntil(
        lambda: db_field(sample_path, rid, "p6") == before + "本年度收取信息处理费0元。", timeout=3000
    )
    assert window.status_saved.text().startswith("已保存")
    assert not page.binding.pending


def test_focus_out_stores_at_once_and_undo_restores(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    page = window.show_node("title", focus=True)
    line = page.title_edit
    line.setFocus()
    line.setCursorPosition(len(line.text()))
    ime_commit(line, "（送审稿）")
    assert line.text().endswith("（送审稿）")
    # Leaving the field stores it without waiting for the timer.
    page.intro.editor.setFocus()
    QApplication.processEvents()
    assert db_field(sample_path, rid, "title") == "瑞安市人民政府2019年政府信息公开工作年度报告（送审稿）"
    window.undo()
    assert db_field(sample_path, rid, "title") == "瑞安市人民政府2019年政府信息公开工作年度报告"
    assert line.text() == "瑞安市人民政府2019年政府信息公开工作年度报告"
    window.redo()
    assert line.text().endswith("（送审稿）")


def test_undo_first_stores_what_is_still_pending(window, qtbot, sample_path) -> None:  # noqa: ANN001
    """Ctrl+Z right after typing: the typed text becomes its own step and is undone — nothing else is."""
    rid = window.ctx.report_id
    page = window.show_node("p5", focus=True)
    editor = page.editor
    original = db_field(sample_path, rid, "p5")
    _end_of(editor)
    ime_commit(editor, "新增一句。")
    window.undo()
    assert db_field(sample_path, rid, "p5") == original
    assert editor.toPlainText() == original
    window.redo()
    assert db_field(sample_path, rid, "p5") == original + "新增一句。"


def test_placeholders_render_current_values_in_the_preview(window, qtbot) -> None:  # noqa: ANN001
    page = window.show_node("p6", focus=True)
    editor = page.editor
    _end_of(editor)
    editor.insertPlainText(
        "全年新收申请{{t3.new.total}}件，政务服务事项{{gov_service_items}}项，{{no_such_key}}。"
    )
    page.refresh_preview()
    html = page.preview.toPlainText()
    assert "全年新收申请2899件" in html
    assert "政务服务事项3080项" in html
    assert "未知占位符 no_such_key" in html
    # A table edit changes the quoted value.
    ctx = window.ctx
    ctx.repo.set_cell(ctx.report_id, "t3.new.np", 2400)
    ctx.notify_changed(ctx.report_id)
    qtbot.waitUntil(lambda: "全年新收申请2926件" in page.preview.toPlainText(), timeout=2000)


def test_character_count_and_limit_setting(window, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.domain.narrative import char_count, render_placeholders

    ctx = window.ctx
    page = window.show_node("p1")
    report = ctx.report()
    count = char_count(render_placeholders(report.part("p1"), report))
    page.refresh_preview()
    assert (
        page.count_label.text() == f"字数 {count}，超出上限 {count - 1000} 字"
    )  # the default limit: 1000 字
    page.limit_spin.setValue(5000)
    page.limit_spin.editingFinished.emit()
    assert ctx.repo.get_setting(ctx.report_id, "limit.p1") == "5000"
    page.refresh_preview()
    assert page.count_label.text() == f"字数 {count} / 5000"


def test_sub_headings_of_part_one_follow_the_text(window, qtbot, sample_path) -> None:  # noqa: ANN001
    page = window.show_node("p1", focus=True)
    keys = [k for k, _ in window.node_keys() if k.startswith("p1@")]
    labels = [label for k, label in window.node_keys() if k.startswith("p1@")]
    assert labels[0] == "(一)加强政策解读和回应关切" and len(keys) == 5
    # The node of a sub-heading puts the cursor on its line.
    window.show_node(keys[1])
    assert page.editor.textCursor().block().text().startswith("(二)加强决策和执行公开")
    _end_of(page.editor)
    page.editor.insertPlainText("\n（六）加强监督保障")
    page.binding.flush()
    labels = [label for k, label in window.node_keys() if k.startswith("p1@")]
    assert labels[-1] == "（六）加强监督保障" and len(labels) == 6


def test_signature_date_is_stored_and_undoable(window, qtbot, sample_path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QDate

    rid = window.ctx.report_id
    page = window.show_node("signature")
    assert page.date_check.isChecked()
    assert page.date_edit.date() == QDate(2020, 2, 19)
    page.date_edit.setDate(QDate(2020, 3, 20))
    assert db_field(sample_path, rid, "sig_date") == "2020-03-20"
    assert "2020年3月20日" in page.preview.text()
    page.date_check.setChecked(False)
    assert db_field(sample_path, rid, "sig_date") is None
    window.undo()
    assert db_field(sample_path, rid, "sig_date") == "2020-03-20"
    assert page.date_check.isChecked()


def test_text_fields_are_read_only_in_a_read_only_workspace(app, qtbot, sample_path, dialogs) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import MainWindow
    from ruian_desk.storage.workspace import open_workspace

    w = MainWindow()
    w.remember = False
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.set_workspace(open_workspace(sample_path, readonly=True))
    page = w.show_node("p6")
    assert page.editor.isReadOnly()
    table = w.show_node("p3")
    assert not table.model.flags(table.model.index_of("t3.new.np")) & Qt.ItemFlag.ItemIsEditable
    assert table.readonly_banner.isVisibleTo(table)
    assert w.status_saved.text() == "只读"
    w.close_workspace()
