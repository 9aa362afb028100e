"""#15 point 4: the placeholder list driven by keys alone; placeholders behave as one token; cancelling after
`{{` leaves no `{{`; a broken `{{…` is an N-PLACEHOLDER finding."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.gui.review_support import ime_commit, key

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _in_picker(action: Callable, seen: list) -> None:  # noqa: ANN001
    """Run `action(dialog)` once the picker's exec() shows it."""
    from ruian_desk.gui.editors.placeholder_picker import PlaceholderPicker

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, PlaceholderPicker):
        QTimer.singleShot(20, lambda: _in_picker(action, seen))
        return
    try:
        seen.append(action(dialog))
    except BaseException as exc:  # noqa: BLE001 - reported by the test, the dialog must not stay open
        seen.append(exc)
    if dialog.isVisible():
        dialog.reject()


def _editor_at_end(window):  # noqa: ANN001, ANN202
    page = window.show_node("p5", focus=True)
    editor = page.editor
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    return page, editor


def test_arrows_choose_and_enter_inserts_the_selected_one(window, qtbot) -> None:  # noqa: ANN001
    page, editor = _editor_at_end(window)
    before = editor.toPlainText()

    def drive(dialog):  # noqa: ANN001, ANN202
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.filter, timeout=3000)  # type at once
        ime_commit(dialog.filter, "本年新收")
        first = dialog.chosen_key()
        names = []
        for _ in range(10):
            if dialog.list.currentItem().text(0) == "总计":
                break
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)  # the filter keeps the focus
            names.append(dialog.list.currentItem().text(0))
        item = dialog.list.currentItem()
        shown = (item.text(0), item.text(1), item.text(2))
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
        return first, names, shown

    seen: list = []
    QTimer.singleShot(0, lambda: _in_picker(drive, seen))
    key(qtbot, Qt.Key.Key_BraceLeft, "{")
    key(qtbot, Qt.Key.Key_BraceLeft, "{")
    assert seen, "the list did not open on {{"
    assert not isinstance(seen[0], BaseException), seen[0]
    first, names, (name, cell, value) = seen[0]
    assert first == "t3.new.np"  # 自然人 is the first match …
    assert names[0].endswith("商业企业"), names
    assert name == "总计", names  # … ↓ moved on to 总计
    assert "表三" in cell and "本年新收" in cell and value == "2899"
    assert editor.toPlainText() == before + "{{t3.new.total}}"  # what was selected, not the first match
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is editor  # the clerk goes on typing


def test_escape_after_braces_leaves_no_braces(window, qtbot) -> None:  # noqa: ANN001
    page, editor = _editor_at_end(window)
    before = editor.toPlainText()

    def cancel(dialog):  # noqa: ANN001, ANN202
        ime_commit(dialog.filter, "开通率")
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
        return True

    seen: list = []
    QTimer.singleShot(0, lambda: _in_picker(cancel, seen))
    key(qtbot, Qt.Key.Key_BraceLeft, "{")
    key(qtbot, Qt.Key.Key_BraceLeft, "{")
    assert seen
    assert editor.toPlainText() == before


def test_typing_in_the_list_filters_and_backspace_edits_the_filter(app, qtbot, ctx) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.placeholder_picker import PlaceholderPicker

    picker = PlaceholderPicker(ctx.report())
    qtbot.addWidget(picker)
    picker.show()
    picker.list.setFocus()
    qtbot.keyClicks(picker.list, "t4")
    assert picker.filter.text() == "t4"
    assert all(item.data(0, Qt.ItemDataRole.UserRole).startswith("t4") for item in picker.visible_items())
    qtbot.keyClick(picker.list, Qt.Key.Key_Backspace)
    assert picker.filter.text() == "t"
    picker.filter.setText("没有这样的项目")
    assert picker.visible_items() == [] and picker.chosen_key() is None
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert picker.isVisible()  # nothing to insert: the list stays open
    qtbot.keyClick(picker.filter, Qt.Key.Key_Escape)
    assert not picker.isVisible()


def test_a_placeholder_is_one_token(window, qtbot) -> None:  # noqa: ANN001
    page, editor = _editor_at_end(window)
    ime_commit(editor, "共收到")
    editor.insertPlainText("{{t3.new.total}}")
    ime_commit(editor, "件")
    text = editor.toPlainText()
    start = text.rindex("{{")
    end = start + len("{{t3.new.total}}")

    # ← from after the token jumps over all of it; → back again.
    cursor = editor.textCursor()
    cursor.setPosition(end)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    assert editor.textCursor().position() == start
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    assert editor.textCursor().position() == end
    # Shift+← selects the whole token.
    qtbot.keyClick(editor, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectedText() == "{{t3.new.total}}"
    # A click inside puts the cursor at its nearer edge, never inside.
    cursor = editor.textCursor()
    cursor.setPosition(start + 3)
    editor.setTextCursor(cursor)
    assert editor.textCursor().position() == start
    cursor.setPosition(end - 2)
    editor.setTextCursor(cursor)
    assert editor.textCursor().position() == end

    # Backspace after it removes all of it (not "{{t3.new.total}"); one Ctrl+Z brings it back whole.
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == text[:start] + text[end:]
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == text
    # Delete before it does the same.
    cursor = editor.textCursor()
    cursor.setPosition(start)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.toPlainText() == text[:start] + text[end:]


def test_a_broken_placeholder_is_a_finding(window, qtbot) -> None:  # noqa: ANN001
    page, editor = _editor_at_end(window)
    ime_commit(editor, "共收到")
    editor.insertPlainText("{{t3.new.tota}")
    ime_commit(editor, "件。")
    page.binding.flush()
    QCoreApplication.processEvents()
    found = [i for i in window.ctx.issues() if i.rule == "N-PLACEHOLDER" and i.part == "p5"]
    assert found and found[0].severity == "error"
    assert "{{t3.new.tota}" in found[0].message
