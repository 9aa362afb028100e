"""#15 acceptance: the whole 1366×768 day — start, sample, correct a unit, write text, find/replace, fix
punctuation, print preview, export, close, reopen — nothing lost, no English on screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from ruian_desk.domain.text_edits import field_texts, half_width_marks
from tests.gui.review_support import ime_commit

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")

UNIT = "瑞安市公安局（示例单位）"
# Latin words that are not English prose on screen: formats, file types, keys, the notice's id.
ALLOWED = {
    "gov",
    "docx",
    "pdf",
    "xlsx",
    "html",
    "json",
    "sqlite",
    "Excel",
    "WPS",
    "Word",
    "PDF",
    "HTML",
    "Ctrl",
    "Tab",
    "Shift",
    "Enter",
    "Delete",
    "Esc",
    "Alt",
    "www",
    "ruian",
    "com",
    "raxxgkk",
    "XX",
    "PgUp",
    "PgDn",
    "JSON",
    "DOCX",
    "XLSX",
    "PNG",
    "SVG",
    "CSV",
}
WORD = re.compile(r"[A-Za-z]{3,}")


def _drain() -> None:
    for _ in range(4):
        QCoreApplication.processEvents()


def _english_on_screen(window: QWidget) -> list[str]:
    out = []
    widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
    for w in widgets:
        if not w.isVisible() or not w.text():
            continue
        text = re.sub(r"<[^>]+>", "", w.text())
        text = re.sub(r"\S*[/\\]\S*", "", text)  # file paths are names, not English
        out += [m for m in WORD.findall(text) if m not in ALLOWED]
    for action in window.menuBar().actions():
        menu = action.menu()
        for a in [action, *(menu.actions() if menu else [])]:
            out += [m for m in WORD.findall(a.text()) if m not in ALLOWED]
    return out


def test_a_whole_day_at_1366(app, qtbot, dialogs, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import MainWindow

    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    w = MainWindow()
    w.remember = False
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    # Start: the sample.
    w.ui.actionOpenSample.trigger()
    _drain()
    path = Path(w.ws.path)
    english = _english_on_screen(w)
    assert english == [], english

    # Correct a unit: 公安局's 表三 一、本年新收·自然人 typed in its own report.
    assert w.select_report(UNIT, 2019)
    page = w.show_node("p3", focus=True)
    assert page.select_cell("t3.new.np")
    old = w.ctx.report().values.get("t3.new.np")
    typed = str(int(old) + 1)
    qtbot.keyClicks(page.view, typed[0])  # type-to-replace opens the cell's editor …
    qtbot.keyClicks(QApplication.focusWidget(), typed[1:])  # … which takes the rest
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    _drain()
    assert w.ctx.report().values.get("t3.new.np") == int(old) + 1
    assert w.select_report("瑞安市人民政府", 2019)
    _drain()

    # Write text in part 五.
    p5 = w.show_node("p5", focus=True)
    cursor = p5.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    p5.editor.setTextCursor(cursor)
    ime_commit(p5.editor, "下一步，我们将加强政府信息公开培训。")
    _drain()

    # Find/replace across the report.
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    _drain()
    finder = w.desk.find_dialog
    finder.find_edit.setText("")
    ime_commit(finder.find_edit, "培训")
    ime_commit(finder.replace_edit, "业务培训")
    assert finder.replace_all() >= 1
    finder.close()

    # Fix the punctuation from the N-PUNCT finding.
    panel = w.show_node("checks")
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "N-PUNCT")
    panel.view.selectRow(row)
    qtbot.mouseClick(panel.punct_button, Qt.MouseButton.LeftButton)
    _drain()
    qtbot.mouseClick(panel.punct_dialog.apply_button, Qt.MouseButton.LeftButton)
    _drain()
    assert sum(len(half_width_marks(t)) for t in field_texts(w.ctx.report()).values()) == 0

    # Print preview, sized to the screen.
    w.desk.preview_modal = False
    w.desk.actions["preview"].trigger()
    _drain()
    preview = w.desk.last_preview
    area = w.screen().availableGeometry()
    assert preview.height() <= area.height() and preview.width() <= area.width()
    preview.close()

    # Export (JSON, read back).
    export = w.show_node("export")
    for name, box in export.format_boxes.items():
        box.setChecked(name == "json")
    export.folder_edit.setText(str(tmp_path / "out"))
    export.confirm_errors = lambda *_a: True
    with qtbot.waitSignal(export.export_finished, timeout=60000) as blocker:
        export.export_button.click()
    doc = json.loads(Path(next(f for f in blocker.args[0] if "manifest" not in f)).read_text("utf-8"))
    assert "下一步，我们将加强政府信息公开业务培训。" in doc["parts"]["p5"]
    assert _english_on_screen(w) == []

    # Close, reopen: nothing lost.
    texts = field_texts(w.ctx.report())
    w.close_workspace()
    assert w.open_path(path)
    _drain()
    assert field_texts(w.ctx.report()) == texts
    assert "下一步，我们将加强政府信息公开业务培训。" in texts["p5"]
    assert w.select_report(UNIT, 2019)
    assert w.ctx.report().values.get("t3.new.np") == int(old) + 1
    w.close_workspace()
