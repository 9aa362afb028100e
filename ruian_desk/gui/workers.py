"""Work off the GUI thread: a QRunnable that runs a function on plain data and reports by signal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal


class WorkerSignals(QObject):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)


def preload_worker_modules() -> None:
    """Imported in the GUI thread before a worker starts: a first import inside a worker thread goes through
    shiboken's import hook concurrently with the GUI thread and can crash the interpreter. Plain imports, so a
    missing one fails here, loudly, and PyInstaller sees them."""
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import lxml.html  # noqa: F401
    import opencc  # noqa: F401
    import openpyxl  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401
    import openpyxl.styles  # noqa: F401
    import openpyxl.utils  # noqa: F401
    import openpyxl.workbook.protection  # noqa: F401
    import openpyxl.worksheet._read_only  # noqa: F401
    import openpyxl.worksheet.datavalidation  # noqa: F401
    import pdfminer.pdfdocument  # noqa: F401
    import pdfminer.pdfparser  # noqa: F401
    import pdfplumber  # noqa: F401

    import ruian_desk.exchange.documents.importer  # noqa: F401
    import ruian_desk.exchange.template_import  # noqa: F401
    import ruian_desk.exchange.unit_template  # noqa: F401
    import ruian_desk.export.bundle  # noqa: F401


class Worker(QRunnable):
    """Runs `fn(progress=…)` off the GUI thread on plain data; results come back by signal."""

    def __init__(self, fn: Callable[..., object]):
        super().__init__()
        self.fn = fn
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progressed.emit)
        except Exception as exc:  # noqa: BLE001 - reported to the clerk, never lost silently
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.signals.done.emit(result)
