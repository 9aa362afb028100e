"""Review scenario 5: part 一 typed through the input method, a placeholder, the 1000-字 limit, a finding
clicked in the check panel, an explanation that holds until the quoted number changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_field
from tests.gui.review_support import ime_commit, key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _pick_placeholder(words: str, seen: list[str]) -> None:
    """Inside the picker's exec(): filter through the input method, Enter."""
    from ruian_desk.gui.editors.placeholder_picker import PlaceholderPicker

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, PlaceholderPicker):
        QTimer.singleShot(20, lambda: _pick_placeholder(words, seen))
        return
    dialog.filter.setFocus()
    ime_commit(dialog.filter, words)
    seen.append(dialog.list.currentItem().text(2))
    dialog.filter.returnPressed.emit()


def test_part_one_typed_quoted_checked_and_explained(sample_window, qtbot, sample_path) -> None:  # noqa: ANN001
    from ruian_desk.domain.narrative import char_count, render_placeholders

    w = sample_window
    ctx = w.ctx
    rid = ctx.report_id
    page = w.show_node("p1", focus=True)
    editor = page.editor
    assert QApplication.focusWidget() is editor
    before = editor.toPlainText()
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)

    # A new paragraph: Enter, then Chinese through the input method, then a placeholder with Ctrl+K.
    key(qtbot, Qt.Key.Key_Return)
    ime_commit(editor, "（六）加强监督保障。全年即办事项占比")
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _pick_placeholder("即办事项占比", seen))
    key(qtbot, Qt.Key.Key_K, modifier=Qt.KeyboardModifier.ControlModifier)
    assert seen and "76.75" in seen[0]
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert QApplication.focusWidget() is editor  # the clerk goes on typing
    type_text(qtbot, "%")
    ime_commit(editor, "。")
    typed = "\n（六）加强监督保障。全年即办事项占比{{instant_share}}%。"
    assert editor.toPlainText() == before + typed
    qtbot.waitUntil(lambda: db_field(sample_path, rid, "p1") == before + typed, timeout=3000)
    qtbot.waitUntil(lambda: "全年即办事项占比76.75%。" in page.preview.toPlainText(), timeout=3000)
    # The navigation follows the new sub-heading.
    assert "（六）加强监督保障。" in [lbl for _, lbl in w.node_keys()]

    # The count is of the text as published (placeholder replaced), against the 1000-字 limit.
    count = char_count(render_placeholders(before + typed, ctx.report()))
    assert page.count_label.text() == f"字数 {count}，超出上限 {count - 1000} 字"

    # A finding of part 一 in the check panel: a click shows the paragraph with the quoted figure selected.
    panel = w.show_node("checks")
    row = next(
        i
        for i, issue in enumerate(panel.model.rows)
        if issue.rule == "X-METRIC-RATE" and "全市通办事项占比" in issue.message
    )
    rect = panel.view.visualRect(panel.model.index(row, 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.ui.pageStack.currentWidget() is page
    assert "全市通办事项2167项" in editor.textCursor().block().text()
    assert "85.38" in editor.textCursor().selectedText()

    # Explain it from the dock: stored, shown as explained, no longer an open warning.
    warnings_before = sum(1 for i in ctx.issues() if i.severity == "warning" and not i.explained)
    panel.view.selectRow(panel.model.row_of(panel.model.rows[row].fingerprint))
    panel.explanation.setFocus()
    ime_commit(panel.explanation, "文中占比按全市通办事项口径另行统计，数据无误。")
    key(qtbot, Qt.Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
    issue = next(i for i in ctx.issues() if i.rule == "X-METRIC-RATE" and "全市通办事项占比" in i.message)
    assert issue.explained and issue.explanation == "文中占比按全市通办事项口径另行统计，数据无误。"
    row = panel.model.row_of(issue.fingerprint)
    assert panel.model.data(panel.model.index(row, 4)).startswith("已说明")
    assert sum(1 for i in ctx.issues() if i.severity == "warning" and not i.explained) == warnings_before - 1
    assert f"警告 {warnings_before - 1}" in w.status_counts.text()  # the status bar counts open warnings

    # The quoted number changes (the metric's value in the register): the explanation no longer applies.
    metrics = w.show_node("metrics")
    mrow = metrics.model.row_of("citywide_share")
    assert metrics.model.setData(metrics.model.index(mrow, 1), "85.40")
    issue = next(i for i in ctx.issues() if i.rule == "X-METRIC-RATE" and "全市通办事项占比" in i.message)
    assert not issue.explained
    row = panel.model.row_of(issue.fingerprint)
    assert panel.model.data(panel.model.index(row, 4)) == "需说明"


def test_a_text_finding_comes_back_when_its_count_changes(sample_window, qtbot) -> None:  # noqa: ANN001
    w = sample_window
    ctx = w.ctx
    panel = w.show_node("checks")
    issue = next(i for i in ctx.issues() if i.rule == "N-PUNCT" and i.part == "p5")
    panel.select_issue(issue.fingerprint)
    panel.explanation.setPlainText("引用文件名原文如此。")
    assert panel.save_explanation()
    assert next(i for i in ctx.issues() if i.rule == "N-PUNCT" and i.part == "p5").explained
    assert "（已说明 1）" in w.status_counts.text()
    # One more half-width comma between Chinese characters in part 五.
    page = w.show_node("p5", focus=True)
    cursor = page.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    page.editor.setTextCursor(cursor)
    ime_commit(page.editor, "下一步")
    type_text(qtbot, ",")
    ime_commit(page.editor, "继续改进。")
    page.binding.flush()
    again = next(i for i in ctx.issues() if i.rule == "N-PUNCT" and i.part == "p5")
    assert not again.explained and again.actual == issue.actual + 1
    assert "已说明" not in w.status_counts.text()


def test_a_sub_heading_with_its_text_on_the_same_line(sample_window, qtbot) -> None:  # noqa: ANN001
    """ "（六）加强监督保障。全年……" is a sub-heading followed by its text, not a 60-字 heading: the
    navigation shows the heading, the preview sets only the heading in bold."""
    from ruian_desk.domain.narrative import paragraphs

    (p,) = paragraphs("（六）加强监督保障。全年开展督查3次。")
    assert (p.kind, p.number, p.heading, p.body) == (
        "heading",
        "（六）",
        "加强监督保障。",
        "全年开展督查3次。",
    )
    assert p.text == "（六）加强监督保障。全年开展督查3次。"
    (q,) = paragraphs("（五）完善公开机制制度。")  # a heading ending with 。 and nothing after it
    assert (q.heading, q.body) == ("完善公开机制制度。", "")
    w = sample_window
    page = w.show_node("p1", focus=True)
    cursor = page.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    page.editor.setTextCursor(cursor)
    key(qtbot, Qt.Key.Key_Return)
    ime_commit(page.editor, "（六）加强监督保障。全年开展督查3次。")
    page.binding.flush()
    assert "（六）加强监督保障。" in [label for _, label in w.node_keys()]
    from ruian_desk.gui.editors.narrative import preview_html

    html = preview_html(page.editor.toPlainText(), w.ctx.report())
    assert "<b>（六）加强监督保障。</b>全年开展督查3次。</p>" in html


def test_an_explanation_being_typed_is_kept_when_the_clerk_clicks_elsewhere(sample_window, qtbot) -> None:  # noqa: ANN001
    w = sample_window
    ctx = w.ctx
    panel = w.show_node("checks")
    rows = [i for i, issue in enumerate(panel.model.rows) if issue.rule == "X-METRIC-RATE"]
    first = panel.model.rows[rows[0]]
    panel.view.selectRow(rows[0])
    panel.explanation.setFocus()
    ime_commit(panel.explanation, "口径不同，已核实。")
    # Without pressing 保存说明, the clerk clicks the next warning.
    rect = panel.view.visualRect(panel.model.index(rows[1], 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    stored = ctx.repo.explanations(ctx.report_id)
    assert stored.get(first.fingerprint) == "口径不同，已核实。"
    assert next(i for i in ctx.issues() if i.fingerprint == first.fingerprint).explained
    # The box now shows the issue clicked, which has no explanation yet.
    assert panel.current_issue().fingerprint == panel.model.rows[rows[1]].fingerprint
    assert panel.explanation.toPlainText() == ""


def test_invisible_characters_pasted_are_gone_from_the_screen_once_stored(sample_window, qtbot) -> None:  # noqa: ANN001
    """Word's Shift+Enter (vertical tab), BEL and U+FFFF pasted into a part: stored without them, and the
    editor shows the stored text at once (not the pasted one until the next reload)."""
    w = sample_window
    page = w.show_node("p6", focus=True)
    editor = page.editor
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.insertPlainText("第一行\x0b第二行\x07完\uffff")  # what a paste from Word can bring
    w.ctx.flush_edits()
    stored = w.ctx.repo.load_report(w.ctx.report_id).part("p6")
    assert stored.endswith("第一行\n第二行完")
    assert editor.toPlainText() == stored
    assert not any(ch in editor.toPlainText() for ch in "\x0b\x07\uffff")
