"""Placeholders as one token in a plain-text editor: the cursor never stops inside `{{…}}`, ←/→ step over
it, Backspace/Delete next to it remove all of it (one undo step), a selection touching it takes all of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from ruian_desk.domain.narrative import PLACEHOLDER


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every well-formed placeholder of `text`."""
    return [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]


def _block_spans(cursor: QTextCursor) -> tuple[int, list[tuple[int, int]]]:
    block = cursor.block()
    base = block.position()
    return base, [(base + s, base + e) for s, e in token_spans(block.text())]


def token_around(cursor: QTextCursor, pos: int) -> tuple[int, int] | None:
    """The placeholder `pos` is strictly inside of (None at its edges or elsewhere)."""
    probe = QTextCursor(cursor.document())
    probe.setPosition(pos)
    _, spans = _block_spans(probe)
    return next(((s, e) for s, e in spans if s < pos < e), None)


def key_on_token(editor: QPlainTextEdit, event: QKeyEvent) -> bool:
    """Handle a key that meets a placeholder as a whole; True when it was handled here."""
    cursor = editor.textCursor()
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    pos = cursor.position()
    _, spans = _block_spans(cursor)
    if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and not cursor.hasSelection() and not mods:
        touching = (
            next(((s, e) for s, e in spans if s < pos <= e), None)
            if key == Qt.Key.Key_Backspace
            else next(((s, e) for s, e in spans if s <= pos < e), None)
        )
        if touching is None or editor.isReadOnly():
            return False
        flush = getattr(editor, "flush_pending", None)
        if flush is not None:
            flush()  # what was typed before is its own undo step …
        cursor.setPosition(touching[0])
        cursor.setPosition(touching[1], QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        editor.setTextCursor(cursor)
        if flush is not None:
            flush()  # … and the removed placeholder another: one Ctrl+Z brings it back whole
        return True
    if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and mods in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.ShiftModifier,
    ):
        mode = (
            QTextCursor.MoveMode.KeepAnchor
            if mods == Qt.KeyboardModifier.ShiftModifier
            else QTextCursor.MoveMode.MoveAnchor
        )
        if not cursor.hasSelection() or mode == QTextCursor.MoveMode.KeepAnchor:
            if key == Qt.Key.Key_Left:
                span = next(((s, e) for s, e in spans if s < pos <= e), None)
                target = span[0] if span else None
            else:
                span = next(((s, e) for s, e in spans if s <= pos < e), None)
                target = span[1] if span else None
            if target is not None:
                cursor.setPosition(target, mode)
                editor.setTextCursor(cursor)
                return True
    return False


def snap_cursor(editor: QPlainTextEdit) -> bool:
    """After a click or a selection: a cursor inside a placeholder moves to its nearer edge; a selection
    reaching into one takes all of it. True when the cursor was moved."""
    cursor = editor.textCursor()
    anchor, pos = cursor.anchor(), cursor.position()
    new_anchor, new_pos = anchor, pos
    if cursor.hasSelection():
        forward = pos >= anchor
        inside = token_around(cursor, anchor)
        if inside is not None:
            new_anchor = inside[0] if forward else inside[1]
        inside = token_around(cursor, pos)
        if inside is not None:
            new_pos = inside[1] if forward else inside[0]
    else:
        inside = token_around(cursor, pos)
        if inside is not None:
            s, e = inside
            new_pos = new_anchor = s if pos - s <= e - pos else e
    if (new_anchor, new_pos) == (anchor, pos):
        return False
    cursor.setPosition(new_anchor)
    cursor.setPosition(new_pos, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    return True
