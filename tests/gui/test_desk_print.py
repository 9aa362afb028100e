"""#15 point 7: Ctrl+P and 文件 → 打印… / 打印预览… from any page (the whole report or the table on screen), the
preview no larger than the screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication


def _drain() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def _preview_pages(dialog) -> int:  # noqa: ANN001
    widget = dialog.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    _drain()
    return widget.pageCount()


def test_preview_of_the_whole_report_from_a_table_page_fits_the_screen(window, qtbot) -> None:  # noqa: ANN001
    window.resize(1366, 768)
    window.desk.preview_modal = False
    window.show_node("p3", focus=True)
    _drain()
    qtbot.keyClick(
        window.focusWidget(),
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    _drain()
    dialog = window.desk.last_preview
    assert dialog is not None and dialog.isVisible()
    area = window.screen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()
    assert dialog.frameGeometry().bottom() <= area.bottom() + 1
    assert _preview_pages(dialog) >= 3  # the whole report, not one page
    dialog.close()


def test_print_the_current_table_is_one_page(window, qtbot) -> None:  # noqa: ANN001
    window.desk.preview_modal = False
    window.show_node("p4", focus=True)
    _drain()
    window.desk.actions["print_table"].trigger()
    _drain()
    dialog = window.desk.last_preview
    assert dialog is not None and _preview_pages(dialog) == 1
    dialog.close()
    # On a page without a table there is nothing to print as a table: said in the status bar.
    window.show_node("p1")
    window.desk.last_preview = None
    window.desk.actions["print_table"].trigger()
    assert window.desk.last_preview is None
    assert "打印表格须在表格页" in window.ui.statusbar.currentMessage()


def test_ctrl_p_opens_the_print_dialog_from_any_page(window, qtbot) -> None:  # noqa: ANN001
    seen: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, close_dialog)
            return
        seen.append(type(dialog).__name__ if not isinstance(dialog, QPrintDialog) else "QPrintDialog")
        dialog.reject()

    for node in ("p1", "units"):
        window.show_node(node, focus=True)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        _drain()
        QTimer.singleShot(0, close_dialog)
        target = QApplication.focusWidget() or window
        qtbot.keyClick(target, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        _drain()
    assert seen == ["QPrintDialog", "QPrintDialog"]
    texts = [a.text() for a in window.ui.menuFile.actions()]
    assert "打印(&P)…" in texts and "打印预览(&V)…" in texts and "打印当前表格(&T)…" in texts
