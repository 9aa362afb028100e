"""Binding a text widget to one stored field: debounced stores, flush on focus-out, Ctrl+Z to the app stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPlainTextEdit, QWidget

from ruian_desk.domain.report import Report
from ruian_desk.gui.commands import store_field
from ruian_desk.textsafe import clean_text

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext

IDLE_MS = 500  # a burst of typing is stored after this much quiet (and at once on focus-out)
READONLY_MESSAGE = "工作区以只读方式打开，不能修改"
NO_REPORT_MESSAGE = "未打开报告，不能输入"


def field_text(report: Report | None, name: str) -> str:
    if report is None:
        return ""
    if name == "title":
        return report.title
    if name == "intro":
        return report.intro
    if name == "sig_organ":
        return report.signature.organ
    if name == "sig_date":
        return report.signature.date.isoformat() if report.signature.date else ""
    return report.part(name)


class UndoKeyFilter(QObject):
    """Text widgets would swallow Ctrl+Z for their own undo; send it to the window's stack instead, so one
    undo history covers cells, paste, text and metrics."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                event.ignore()  # not for the widget: the application's 撤销/重做 shortcut runs
                return True
        return False


class FieldBinding(QObject):
    """Keeps a QLineEdit or QPlainTextEdit and a report field in step.

    Typing marks the field pending; after `IDLE_MS` of quiet, on focus-out, before undo, before switching
    report and on close, the text is stored as one transaction (`commands.store_field`). A stored edit that
    comes back through `report_changed` never overwrites what the user is typing.
    """

    pending_changed = Signal(bool)

    def __init__(
        self, ctx: AppContext, name: str, widget: QLineEdit | QPlainTextEdit, parent: QObject | None = None
    ):
        super().__init__(parent or widget)
        self.ctx = ctx
        self.name = name
        self.widget = widget
        self.pending = False
        self._loading = False
        self._shown = ""  # the stored text last shown or stored; edits are differences from it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self.flush)
        if isinstance(widget, QPlainTextEdit):
            widget.setUndoRedoEnabled(False)
            widget.textChanged.connect(self._on_edited)
        else:
            widget.textEdited.connect(self._on_edited)
        self._undo_filter = UndoKeyFilter(self)
        widget.installEventFilter(self)
        widget.installEventFilter(self._undo_filter)
        ctx.flush_requested.connect(self.flush)
        ctx.closing.connect(self._timer.stop)
        ctx.report_changed.connect(self._on_report_changed)
        ctx.report_switched.connect(self._on_report_switched)
        self.load()

    def text(self) -> str:
        w = self.widget
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()

    def _on_edited(self, *_args: object) -> None:
        # textChanged also fires for re-highlighting and input-method pre-edit: only a real change counts.
        if self._loading or (not self.pending and self.text() == self._shown):
            return
        if not self.pending:
            self.pending = True
            self.pending_changed.emit(True)
            self.ctx.pending_changed.emit(True)
        self._timer.start()

    def _on_report_changed(self, report_id: int) -> None:
        if report_id == self.ctx.report_id:
            self.load()

    def _on_report_switched(self, _report_id: int) -> None:
        self.load()

    def load(self) -> None:
        """Show the stored text, unless the user has typed something not yet stored."""
        if self.pending:
            return
        report = self.ctx.report()
        readonly = self.ctx.readonly or report is None
        if self.widget.isReadOnly() != readonly:  # the change event re-polishes the widget: only on a change
            self.widget.setReadOnly(readonly)
        stored = field_text(report, self.name)
        self._shown = stored
        if stored == self.text():
            return
        self._loading = True
        try:
            set_text_keeping_place(self.widget, stored)
        finally:
            self._loading = False

    def flush(self) -> bool:
        """Store pending text now (one transaction). True when nothing is left unsaved."""
        if not self.pending:
            return True
        self._timer.stop()
        rid = self.ctx.report_id
        if rid is None:
            return False
        text = self.text()
        ok = store_field(self.ctx, rid, self.name, text)
        if ok:
            stored = clean_text(text)
            if stored != text:
                # What was stored lost its invisible characters (Word's Shift+Enter, BEL, U+FFFF …): the
                # screen shows the stored text at once, not the pasted one until the next reload.
                self._loading = True
                try:
                    set_text_keeping_place(self.widget, stored)
                finally:
                    self._loading = False
            self._shown = stored
            self.pending = False
            self.pending_changed.emit(False)
            self.ctx.pending_changed.emit(False)
        return ok

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.widget:
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.flush()
        elif self.widget.isReadOnly() and kind in (QEvent.Type.KeyPress, QEvent.Type.InputMethod):
            # A read-only text widget ignores typing without a word (and Qt's text control still inserts an
            # input method's commit string): say why, and let nothing in.
            if kind == QEvent.Type.InputMethod:
                assert isinstance(event, QInputMethodEvent)
                typed = event.commitString()
            else:
                assert isinstance(event, QKeyEvent)
                control = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                typed = "" if event.modifiers() & control else event.text()
                typed = typed if typed.isprintable() or typed in ("\r", "\n") else ""
            if typed:
                self.ctx.store_failed.emit(READONLY_MESSAGE if self.ctx.readonly else NO_REPORT_MESSAGE)
            return kind == QEvent.Type.InputMethod
        return False


def set_text_keeping_place(widget: QWidget, text: str) -> None:
    """Replace a widget's text and leave the cursor where the change is (undo shows the place)."""
    if isinstance(widget, QPlainTextEdit):
        old = widget.toPlainText()
        first_diff = next(
            (i for i, (a, b) in enumerate(zip(old, text, strict=False)) if a != b), min(len(old), len(text))
        )
        bar = widget.verticalScrollBar().value()
        widget.setPlainText(text)
        cursor = widget.textCursor()
        cursor.setPosition(min(first_diff, len(text)))
        widget.setTextCursor(cursor)
        widget.verticalScrollBar().setValue(bar)
        widget.ensureCursorVisible()
    elif isinstance(widget, QLineEdit):
        pos = widget.cursorPosition()
        widget.setText(text)
        widget.setCursorPosition(min(pos, len(text)))


def move_cursor_to_line(editor: QPlainTextEdit, line: int) -> None:
    block = editor.document().findBlockByNumber(max(0, line))
    if not block.isValid():
        return
    cursor = QTextCursor(block)
    editor.setTextCursor(cursor)
    editor.centerCursor()
    editor.setFocus()


def type_committed_text(view: QAbstractItemView, event: QInputMethodEvent) -> bool:
    """Type-to-replace for text an input method commits into a grid with no composition before (full-width
    digits "１２" from a Chinese input method). Qt opens the cell editor for it, but the stored value then
    overwrites the committed text and the figure is lost; here the editor is opened and given the text, as
    a key press would be. True when the event was used; with a composition first Qt forwards it itself."""
    typed = event.commitString()
    index = view.currentIndex()
    if view.state() == QAbstractItemView.State.EditingState or not typed or event.preeditString():
        return False
    model = view.model()
    if not index.isValid() or model is None or not model.flags(index) & Qt.ItemFlag.ItemIsEditable:
        return False
    view.edit(index)
    editors = [w for w in view.viewport().findChildren(QLineEdit) if w.isVisible()]
    if view.state() != QAbstractItemView.State.EditingState or len(editors) != 1:
        return False
    editors[0].setText(typed)
    event.accept()
    return True
