"""GUI wiring: the QApplication, fonts, the workspace to open, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ruian_desk.paths import default_workspace_path, user_data_dir

SAMPLE_FILE_NAME = "示例-瑞安市人民政府2019年报.sqlite"


def sample_workspace_path() -> Path:
    return user_data_dir() / SAMPLE_FILE_NAME


def resolve_workspace(workspace: str | None, sample: bool) -> Path | None:
    """Which file to open at start: the one asked for, the sample, or the default workspace (if any)."""
    if workspace:
        return Path(workspace)
    if sample:
        path = sample_workspace_path()
        if not path.exists():
            from ruian_desk.exchange.sample import build_sample

            build_sample(path).close()
        return path
    default = default_workspace_path()
    return default if default.exists() else None


def create_application(argv: list[str] | None = None):  # noqa: ANN201 - QApplication, imported lazily
    from PySide6.QtWidgets import QApplication

    from ruian_desk.gui.fonts import install_app_font

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("瑞安年报助手")
    app.setOrganizationName("RuianDesk")
    install_app_font(app)  # type: ignore[arg-type]
    return app


def run_gui(workspace: str | None = None, sample: bool = False) -> int:
    """The GUI: the workspace asked for (or the sample, or the default one) opens straight into its report;
    without any, the start page shows. Errors opening it are shown in the window, never as a traceback."""
    app = create_application()
    from ruian_desk.gui.main_window import open_main_window

    try:
        path = resolve_workspace(workspace, sample)
    except Exception as exc:  # noqa: BLE001 - e.g. the sample cannot be written: say so, show the start page
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "无法打开示例工作区", str(exc))
        path = None
    window = open_main_window(path)
    window.show()
    if os.environ.get("RUIAN_DESK_EXIT_WHEN_IDLE"):
        # Used by the start-up benchmark: quit as soon as the event loop is idle.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    return int(app.exec())
