"""Review scenario 7: the workspace is open in another instance, so this window opens it read-only. Every
editor refuses edits with a Chinese message, nothing raises, nothing is written."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPushButton

from tests.gui.conftest import Dialogs
from tests.gui.review_support import ime_commit, key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")
ROOT = Path(__file__).resolve().parents[2]
READONLY = "只读"


@pytest.fixture
def held_elsewhere(sample_path: Path) -> Iterator[Path]:
    """Another instance (another process) holds the workspace open for writing."""
    code = (
        "import sys, time\n"
        "from ruian_desk.storage.workspace import open_workspace\n"
        f"ws = open_workspace({str(sample_path)!r}, daily_backup=False)\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield sample_path
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=20)


def _digest(path: Path) -> str:
    """The workspace's content as another program would read it (file plus its WAL)."""
    h = hashlib.sha256()
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_every_editor_refuses_in_a_read_only_workspace(
    app, qtbot, held_elsewhere: Path, dialogs: Dialogs
) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import MainWindow

    path = held_elsewhere
    w = MainWindow()
    w.remember = False
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.resize(1440, 900)
    dialogs.answer = True
    assert w.open_path(path)
    # The other instance is named, and read-only is offered.
    assert "进程" in dialogs.asked[0][1] and "以只读方式打开" in dialogs.asked[0][1]
    assert w.ws.readonly and w.status_saved.text() == READONLY and "（只读）" in w.windowTitle()
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    ctx = w.ctx
    rid = ctx.report_id
    before = _digest(path)
    told: list[str] = []
    ctx.store_failed.connect(told.append)

    # 表二 (own scope): typing, Delete, paste — each says why at the cell.
    page = w.show_node("p2", focus=True)
    assert page.readonly_banner.isVisibleTo(page)
    page.select_cell("t2_1.normative.made")
    type_text(qtbot, "7")
    assert page.view.message_visible() and READONLY in page.view.last_message
    key(qtbot, Qt.Key.Key_Delete)
    assert READONLY in page.view.last_message
    page.view.hide_cell_message()
    assert page.view.paste_text("1\t2\n") is False and READONLY in page.view.last_message
    assert not page.scope_button.isEnabled()

    # Part 一: typed keys and input-method text change nothing, and the clerk is told.
    text = w.show_node("p1", focus=True)
    original = text.editor.toPlainText()
    cursor = text.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    text.editor.setTextCursor(cursor)
    type_text(qtbot, "a")
    ime_commit(text.editor, "新增")
    assert text.editor.toPlainText() == original
    assert told and READONLY in told[-1]
    assert not text.insert_button.isEnabled() and not text.limit_spin.isEnabled()
    key(qtbot, Qt.Key.Key_K, modifier=Qt.KeyboardModifier.ControlModifier)  # no picker opens
    assert QApplication.activeModalWidget() is None

    # Title and 落款.
    title = w.show_node("title", focus=True)
    title.title_edit.setFocus()
    told.clear()
    type_text(qtbot, "x")
    assert told and READONLY in told[-1]
    title.use_default_title()
    sig = w.show_node("signature")
    assert sig.organ_edit.isReadOnly() and not sig.date_check.isEnabled()

    # Metrics: typing, Delete, the buttons.
    metrics = w.show_node("metrics", focus=True)
    metrics.view.setCurrentIndex(metrics.model.index(0, 1))
    metrics.view.setFocus()
    type_text(qtbot, "5")
    assert READONLY in metrics.message.text()
    metrics.message.clear()
    key(qtbot, Qt.Key.Key_Delete)
    assert READONLY in metrics.message.text()
    assert not metrics.catalogue_button.isEnabled() and not metrics.add_button.isEnabled()
    assert metrics.model.rowCount() == 30

    # Check panel: no explanation can be written.
    panel = w.show_node("checks")
    panel.view.selectRow(0)
    assert not panel.explanation.isEnabled() and not panel.save_button.isEnabled()
    assert not panel.save_explanation() or not ctx.repo.explanations(rid)

    # Units page, new report, undo: refused or disabled.
    units = w.show_node("units")
    units.refresh()
    writers = [b for b in units.findChildren(QPushButton) if b.property("writes")]
    assert writers and not any(b.isEnabled() for b in writers)
    assert w.new_report(False) is None and any(READONLY in t for _, t in dialogs.told)
    w.undo()
    w.redo()

    # Nothing was written, by any of it.
    w.close_workspace()
    assert _digest(path) == before
