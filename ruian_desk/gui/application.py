"""The QApplication: its names, its icon, the bundled font, and Qt's own texts in Chinese."""

from __future__ import annotations

import sys


def create_application(argv: list[str] | None = None):  # noqa: ANN201 - QApplication, imported lazily
    from PySide6.QtWidgets import QApplication

    from ruian_desk.gui.fonts import install_app_font

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("瑞安年报助手")
    app.setOrganizationName("RuianDesk")
    install_icon(app)
    install_app_font(app)  # type: ignore[arg-type]
    install_qt_chinese(app)
    return app


def install_icon(app) -> None:  # noqa: ANN001 - QApplication
    """The app's icon (the red 年 of the Windows bundle) on every window, dialog and the task bar."""
    from PySide6.QtGui import QIcon

    from ruian_desk.paths import resource

    path = resource("icons", "ruian-desk.png")
    if not path.is_file():
        raise FileNotFoundError(f"缺少程序图标文件：{path}")
    app.setWindowIcon(QIcon(str(path)))


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
    # Installed first, so asked last: only for the strings qtbase_zh_CN lacks.
    fallback = qt_fallback_translator(app)
    app.installTranslator(fallback)
    _QT_TRANSLATORS.append(fallback)
    translator = QTranslator(app)
    if translator.load(china, "qtbase", "_", folder):
        app.installTranslator(translator)
        _QT_TRANSLATORS.append(translator)


# Qt texts that the shipped qtbase_zh_CN.qm does not translate (their mnemonics changed in Qt 6): without them the
# file dialog Qt draws on Linux says "Look in:" and "Files of type:" (issue #15).
QT_MISSING_ZH = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Computer"): "计算机",
    ("QFileSystemModel", "Computer"): "计算机",
    ("QPrintPreviewDialog", "Close"): "关闭",
}


def qt_fallback_translator(app):  # noqa: ANN001, ANN201 - QApplication → QTranslator
    from PySide6.QtCore import QTranslator

    class FallbackTranslator(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1) -> str | None:  # noqa: ANN001
            # None (a null string) lets Qt fall back to the source text; "" would blank every other text.
            return QT_MISSING_ZH.get((context, source))

        def isEmpty(self) -> bool:
            return False

    return FallbackTranslator(app)
