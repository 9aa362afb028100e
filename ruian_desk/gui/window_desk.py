"""The clerk's desk actions of the window, from any page: 文件 → 打印… (Ctrl+P) / 打印预览… / 打印当前表格…,
编辑 → 查找… (Ctrl+F) / 替换… (Ctrl+H)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

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
    return desk


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
