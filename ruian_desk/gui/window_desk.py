"""The clerk's desk actions of the window, from any page: 文件 → 打印… (Ctrl+P) / 打印预览… / 打印当前表格…,
编辑 → 查找… (Ctrl+F) / 替换… (Ctrl+H)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox

from ruian_desk.gui import printing

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from ruian_desk.gui.main_window import MainWindow


@dataclass
class DeskActions:
    actions: dict[str, QAction] = field(default_factory=dict)
    preview_modal: bool = True  # tests show the preview without blocking
    last_preview: QDialog | None = None
    last_printer: object | None = None
    find_dialog: QDialog | None = None
    picker_keys: QObject | None = None
    status_elider: QObject | None = None


def _action(w: MainWindow, text: str, shortcut: QKeySequence | None, slot) -> QAction:  # noqa: ANN001
    action = QAction(text, w)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    w.addAction(action)
    return action


def install(w: MainWindow) -> DeskActions:
    desk = DeskActions()
    a = desk.actions
    a["print"] = _action(
        w, w.tr("打印(&P)…"), QKeySequence(QKeySequence.StandardKey.Print), lambda: printing.print_now(w)
    )
    a["preview"] = _action(
        w, w.tr("打印预览(&V)…"), QKeySequence("Ctrl+Shift+P"), lambda: printing.print_preview(w)
    )
    a["print_table"] = _action(
        w, w.tr("打印当前表格(&T)…"), None, lambda: printing.print_preview(w, table=True)
    )
    before = w.ui.actionCloseWorkspace
    for key in ("print", "preview", "print_table"):
        w.ui.menuFile.insertAction(before, a[key])
    w.ui.menuFile.insertSeparator(before)
    a["find"] = _action(w, w.tr("查找(&F)…"), QKeySequence("Ctrl+F"), lambda: open_find(w, desk, False))
    a["replace"] = _action(w, w.tr("替换(&H)…"), QKeySequence("Ctrl+H"), lambda: open_find(w, desk, True))
    w.ui.menuEdit.addSeparator()
    w.ui.menuEdit.addAction(a["find"])
    w.ui.menuEdit.addAction(a["replace"])
    desk.picker_keys = PickerKeys(w)
    for combo in (w.ui.unitCombo, w.ui.yearCombo):
        combo.installEventFilter(desk.picker_keys)
        # A message about the report left behind does not stay once another one is picked.
        combo.currentIndexChanged.connect(lambda _i: w.ui.statusbar.clearMessage())
    desk.status_elider = StatusElider(w)
    return desk


class StatusElider(QObject):
    """A status message longer than the room left of the counts is elided (whole text in the tooltip),
    so it never runs into 错误/警告 counts or 已保存."""

    def __init__(self, w: MainWindow):
        super().__init__(w)
        self.w = w
        self.busy = False
        self.full = ""
        w.ui.statusbar.messageChanged.connect(self.on_message)

    def room(self) -> int:
        w = self.w
        right = [x.geometry().left() for x in (w.status_counts, w.status_saved) if x.isVisible()]
        edge = min(right) if right else w.ui.statusbar.width()
        return max(80, edge - 24)

    def on_message(self, text: str) -> None:
        bar = self.w.ui.statusbar
        if self.busy:
            return
        self.full = text
        bar.setToolTip(text)
        if not text:
            return
        elided = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.room())
        if elided != text:
            self.busy = True
            try:
                bar.showMessage(elided, 15000)
            finally:
                self.busy = False


_LIST_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class PickerKeys(QObject):
    """An arrow key on the closed unit/year picker opens its list instead of switching report at once (a
    report per key press); ↑/↓ then move in the list and Enter switches, Esc keeps the report."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QComboBox)
            and isinstance(event, QKeyEvent)
            and event.key() in _LIST_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            watched.showPopup()
            return True
        return False


def open_find(w: MainWindow, desk: DeskActions, replace: bool) -> QDialog | None:
    """查找 / 替换 across the report's text (one dialog, kept while the report is open)."""
    from ruian_desk.gui.find_replace import FindReplaceDialog

    if w.ctx is None or w.ctx.report_id is None:
        return None
    dialog = desk.find_dialog
    if not isinstance(dialog, FindReplaceDialog):
        dialog = FindReplaceDialog(w)
        desk.find_dialog = dialog
    dialog.show_for(replace)
    return dialog
