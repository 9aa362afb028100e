"""Printing from any page: 文件 → 打印… (Ctrl+P) and 打印预览… print the whole report as the PDF lays it out;
打印当前表格… prints the table being edited. The preview is sized to the screen it opens on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QWidget

if TYPE_CHECKING:
    from ruian_desk.export.view import ReportView
    from ruian_desk.gui.main_window import MainWindow

PREFERRED = QSize(900, 1000)


def fit_to_screen(dialog: QWidget, anchor: QWidget) -> QSize:
    """Resize `dialog` to its preferred size, never beyond the available area of `anchor`'s screen."""
    screen = anchor.screen() or dialog.screen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
    size = QSize(min(PREFERRED.width(), area.width() - 20), min(PREFERRED.height(), area.height() - 40))
    dialog.resize(size)
    dialog.move(area.left() + (area.width() - size.width()) // 2, area.top() + 10)
    return size


def make_printer(title: str):  # noqa: ANN201 - QPrinter (QtPrintSupport)
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setFullPage(True)  # paint_document places the 公文 margins itself
    printer.setDocName(title)
    return printer


def render_report(view: ReportView, printer) -> int:  # noqa: ANN001 - QPrinter
    """The same QTextDocument the PDF uses, painted on `printer`; returns the pages."""
    from ruian_desk.export.pdf import build_document, paint_document

    printer.setFullPage(True)
    doc = build_document(view, printer)
    return doc.pageCount() if paint_document(doc, printer) else 0


def render_widget(widget: QWidget, printer) -> int:  # noqa: ANN001 - QPrinter
    """A table page as it shows on screen (the whole grid), scaled to the paper's width: one page."""
    pixmap = widget.grab()
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    margin = page.width() // 14
    target = page.adjusted(margin, margin, -margin, -margin)
    scaled = pixmap.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.drawPixmap(QRect(target.topLeft(), scaled), pixmap)
    painter.end()
    return 1


def _report_view(w: MainWindow) -> ReportView | None:
    from ruian_desk.export.view import build_view

    if w.ctx is None or w.ctx.report_id is None:
        return None
    w.ctx.flush_edits()
    return build_view(w.ctx.repo, w.ctx.report_id, workspace=str(w.ctx.workspace.path))


def current_table(w: MainWindow) -> QWidget | None:
    """The table editor on screen (its grid widget), or None on another page."""
    from ruian_desk.gui.editors.table_editor import TableEditor

    page = w.ui.pageStack.currentWidget()
    return page if isinstance(page, TableEditor) else None


def print_preview(w: MainWindow, table: bool = False) -> QDialog | None:
    """打印预览 of the whole report (or of the table on screen), sized to the screen; shown modally unless
    `w.desk.preview_modal` is False (tests look at it)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    page = current_table(w) if table else None
    view = None if table else _report_view(w)
    if page is None and view is None:
        w.ui.statusbar.showMessage(w.tr("没有可打印的内容：请先打开报告（打印表格须在表格页）"), 8000)
        return None
    report = w.ctx.report() if w.ctx is not None else None
    printer = make_printer(report.title if report is not None else "")
    dialog = QPrintPreviewDialog(printer, w)
    dialog.setWindowTitle(w.tr("打印预览"))
    if page is not None:
        dialog.paintRequested.connect(lambda p: render_widget(page.printable(), p))  # type: ignore[attr-defined]
    else:
        assert view is not None
        dialog.paintRequested.connect(lambda p: render_report(view, p))
    fit_to_screen(dialog, w)
    w.desk.last_preview = dialog
    w.desk.last_printer = printer  # the dialog does not own its printer: kept alive while it shows
    if w.desk.preview_modal:
        dialog.exec()
    else:
        dialog.show()
    return dialog


def print_now(w: MainWindow, table: bool = False) -> int:
    """打印…: the system's print dialog, then the report (or the table on screen); returns the pages."""
    from PySide6.QtPrintSupport import QPrintDialog

    page = current_table(w) if table else None
    view = None if table else _report_view(w)
    if page is None and view is None:
        w.ui.statusbar.showMessage(w.tr("没有可打印的内容：请先打开报告（打印表格须在表格页）"), 8000)
        return 0
    report = w.ctx.report() if w.ctx is not None else None
    printer = make_printer(report.title if report is not None else "")
    dialog = QPrintDialog(printer, w)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return 0
    if page is not None:
        return render_widget(page.printable(), printer)  # type: ignore[attr-defined]
    assert view is not None
    return render_report(view, printer)
