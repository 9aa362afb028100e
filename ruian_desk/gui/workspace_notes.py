"""What an opened workspace has to tell, shown where the clerk sees it: a daily backup that failed, a file
opened read-only and why, edits in a `-wal` that could not be read. A red button in the status bar (its
tooltip and its click give the whole text), so nothing stays hidden in `Workspace.notes`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

if TYPE_CHECKING:
    from ruian_desk.gui.main_window import MainWindow
    from ruian_desk.storage.workspace import Workspace

POLL_MS = 500


def watch_notes(w: MainWindow, ws: Workspace) -> None:
    """Show `ws.notes` now, and again once today's backup (a background thread) has finished."""
    show_notes(w, ws)
    timer = QTimer(w)
    timer.setInterval(POLL_MS)

    def poll() -> None:
        if ws.closed or not ws.backup_running:
            timer.stop()
            timer.deleteLater()
            if not ws.closed:
                show_notes(w, ws)

    timer.timeout.connect(poll)
    timer.start()


def notes_button(w: MainWindow) -> QPushButton:
    button = w.findChild(QPushButton, "workspaceNotes")
    if button is None:
        button = QPushButton(w)
        button.setObjectName("workspaceNotes")
        button.setFlat(True)
        button.setStyleSheet("color: #d32f2f; font-weight: bold; padding: 0 8px;")
        button.clicked.connect(lambda: w.inform(w.tr("工作区提示"), button.toolTip()))
        w.ui.statusbar.addPermanentWidget(button)
    return button


def show_notes(w: MainWindow, ws: Workspace) -> None:
    notes = list(ws.notes)
    button = notes_button(w)
    if not notes:
        button.setVisible(False)
        return
    failed_backup = any("备份" in n for n in notes)
    button.setText(w.tr("⚠ 今天的自动备份没有成功") if failed_backup else w.tr("⚠ 工作区提示"))
    button.setToolTip("\n".join(notes))
    button.setVisible(True)


__all__ = ["show_notes", "watch_notes"]
