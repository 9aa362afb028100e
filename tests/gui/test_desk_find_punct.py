"""#15 point 5: 查找/替换 (Ctrl+F / Ctrl+H) across the report's text; 一键改为全角标点 from an N-PUNCT finding,
every change previewed, one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from ruian_desk.domain.text_edits import field_texts, half_width_marks
from tests.gui.conftest import db_field
from tests.gui.review_support import ime_commit

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _drain() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def _keys_to_window(window, qtbot, key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, key, mods)
    _drain()


def test_find_walks_every_part_and_replace_all_is_one_undo_step(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    texts = field_texts(ctx.report())
    needle = "政府信息"
    total = sum(t.count(needle) for t in texts.values())
    assert total > 3 and sum(1 for t in texts.values() if needle in t) >= 3  # in several parts

    window.show_node("p3", focus=True)  # from any page
    _keys_to_window(window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window.desk.find_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.find_edit)
    ime_commit(dialog.find_edit, needle)
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)  # 查找下一个 is the default button
    _drain()
    title = window.findChild(QLineEdit, "field_title")
    assert title.isVisible() and title.selectedText() == needle  # the first one: in the title, shown
    assert f"共 {total} 处" in dialog.result_label.text()
    fields = []
    for _ in range(total - 1):
        hit = dialog.find_next()
        fields.append(hit.field)
        if hit.field != "title":
            editor = window.findChild(QPlainTextEdit, f"text_{hit.field}")
            assert editor.isVisible() and editor.textCursor().selectedText() == needle
    assert set(fields) >= {"intro", "p1"}  # every part, in reading order
    assert dialog.find_next().field == "title"  # past the last one: from the top again
    # Replace all: every occurrence, one step in the undo history.
    _keys_to_window(window, qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert dialog.replace_edit.isEnabled()
    dialog.replace_edit.setText("")
    ime_commit(dialog.replace_edit, "政务信息")
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    _drain()
    assert dialog.result_label.text().startswith(f"已替换 {total} 处")
    after = field_texts(ctx.report())
    assert sum(t.count(needle) for t in after.values()) == 0
    assert needle not in db_field(sample_path, rid, "p1")
    window.undo()
    _drain()
    assert field_texts(ctx.report()) == texts  # one Ctrl+Z takes all of it back


def test_punctuation_fix_from_the_finding_previews_every_change(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    texts = field_texts(ctx.report())
    marks = sum(len(half_width_marks(t)) for t in texts.values())
    assert marks > 100  # the sample's published text has many (124 commas in part 一 alone)
    panel = window.show_node("checks")
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "N-PUNCT")
    panel.view.selectRow(row)
    assert panel.punct_button.isVisible()
    qtbot.mouseClick(panel.punct_button, Qt.MouseButton.LeftButton)
    _drain()
    dialog = panel.punct_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.topLevelItemCount() == marks  # every change listed
    first = dialog.list.topLevelItem(0)
    assert any(m in first.text(1) for m in ",:;()") and not any(m in first.text(2) for m in ",:;()")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    _drain()
    assert not dialog.isVisible()
    fixed = field_texts(ctx.report())
    assert sum(len(half_width_marks(t)) for t in fixed.values()) == 0
    assert not any(i.rule == "N-PUNCT" for i in ctx.issues())
    assert "，" in db_field(sample_path, rid, "p1")
    # Nothing else changed: the same text with full-width marks.
    table = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
    for field, text in texts.items():
        assert len(fixed[field]) == len(text)
        assert fixed[field].translate(table) == text.translate(table)
    window.undo()
    _drain()
    assert field_texts(ctx.report()) == texts  # one undo step
