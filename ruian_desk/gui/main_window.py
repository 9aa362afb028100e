"""The main window (minimal: shows the open report; the full editor arrives with the data-entry GUI)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from ruian_desk.storage.workspace import Workspace, WorkspaceError, open_workspace


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace | None):
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle("瑞安年报助手")
        self.resize(1280, 800)
        text = "未打开工作区"
        if workspace is not None:
            main = workspace.repo.main_organ()
            reports = workspace.repo.report_index()
            text = f"工作区：{workspace.path}\n主报告单位：{main.name if main else '未设定'}\n报告数：{len(reports)}"
        self.setCentralWidget(QLabel(text))


def open_main_window(path: Path | None) -> MainWindow | None:
    ws = None
    if path is not None:
        try:
            ws = open_workspace(path, create=not path.exists())
        except WorkspaceError as exc:
            QMessageBox.critical(None, "无法打开工作区", str(exc))
            return None
    return MainWindow(ws)
