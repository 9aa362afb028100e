"""Helpers of the review scenarios (tests/gui/test_review_*.py): keyboard and input-method events as a clerk
sends them, and a guard that fails a test when an exception escapes a Qt slot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication


def ime_commit(widget, text: str) -> None:  # noqa: ANN001
    """A Chinese input method committing a candidate (never keyClicks with Chinese: it aborts)."""
    QApplication.sendEvent(widget, QInputMethodEvent("", []))
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def key(qtbot, k, text: str = "", modifier=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """One key to whatever has the focus, as the keyboard sends it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if text and ord(text) >= 0x100:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, modifier, text))
    else:
        qtbot.keyClick(target, k, modifier)
    if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        # The item delegates commit an edit through a queued call: let it run, as the event loop would.
        qtbot.wait(10)


def type_text(qtbot, text: str) -> None:  # noqa: ANN001
    """Characters one by one to the focused widget (full-width ones as key events carrying their text)."""
    for ch in text:
        key(qtbot, ch if ord(ch) < 0x100 else 0, ch)


def report_rows(path: Path, report_id: int) -> dict[str, list[tuple]]:
    """Everything stored for one report, read by a connection of its own (to prove nothing changed)."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table, key_col in (
            ("reports", "id"),
            ("cells", "report_id"),
            ("metrics", "report_id"),
            ("report_settings", "report_id"),
            ("explanations", "report_id"),
        ):
            rows = conn.execute(f"SELECT * FROM {table} WHERE {key_col} = ?", [report_id]).fetchall()
            out[table] = sorted(rows, key=repr)
    finally:
        conn.close()
    return out
