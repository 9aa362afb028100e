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
    install_qt_chinese(app)
    return app


_QT_TRANSLATORS: list[object] = []  # kept alive for the application's lifetime


def install_qt_chinese(app) -> None:  # noqa: ANN001 - QApplication
    """Qt's own texts in Chinese: the Yes/No/OK/Cancel of message boxes, the file and print dialogs, the
    context menu of every text field (撤消/剪切/复制/粘贴); and the Chinese locale for the calendar of the
    落款 date (二月, 星期一). Without it they show in English. Once per process (tests create the app often)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if _QT_TRANSLATORS:
        return
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(china)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(china, "qtbase", "_", folder):
        app.installTranslator(translator)
        _QT_TRANSLATORS.append(translator)


# The Qt-free layers the main window needs before its first paint (the checks come after it).
_CORE_MODULES = (
    "ruian_desk.storage.workspace",
    "ruian_desk.storage.assemble",
    "ruian_desk.storage.lock",
    "ruian_desk.domain.narrative",
)


def import_core_before_qt() -> None:
    """Import the Qt-free layers before PySide6. PySide6 reads the source file of every module imported
    after it (to see whether the module uses its `__feature__` switches): about a tenth of a millisecond
    per module, ten milliseconds of start-up for the domain and storage layers and their standard-library
    imports. Imported first, they are not read again."""
    import importlib

    for name in _CORE_MODULES:
        importlib.import_module(name)


def run_gui(workspace: str | None = None, sample: bool = False) -> int:
    """The GUI: the workspace asked for (or the sample, or the default one) opens straight into its report;
    without any, the start page shows. Errors opening it are shown in the window, never as a traceback."""
    import gc

    # Start-up creates tens of thousands of long-lived objects (modules, classes, Qt enums) and no garbage
    # cycles: the cycle collector would only walk them, again and again (several ms). It resumes with the
    # event loop, and what start-up built is frozen out of its future walks (no full collection pausing
    # typing, a quicker exit). The window unfreezes them when it lets go of the first workspace.
    gc.disable()
    if "PySide6.QtCore" not in sys.modules:
        import_core_before_qt()
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
    from PySide6.QtCore import QTimer

    def resume_gc() -> None:
        gc.freeze()
        gc.enable()

    QTimer.singleShot(0, resume_gc)
    when = os.environ.get("RUIAN_DESK_EXIT_WHEN_IDLE")
    if when:
        # The start-up benchmark: print (wall clock) when the event loop is first idle, then quit; with
        # "checked", also when the status bar shows the report's check counts, and quit then.
        import time

        def checked() -> None:
            print(f"RUIAN-DESK-CHECKED {time.time():.6f}", flush=True)
            app.quit()

        def idle() -> None:
            print(f"RUIAN-DESK-IDLE {time.time():.6f}", flush=True)
            if when == "checked" and window.checks_pending():
                window.checks_shown.connect(checked)
            elif when == "checked":
                checked()
            else:
                app.quit()

        QTimer.singleShot(0, idle)
    return int(app.exec())
