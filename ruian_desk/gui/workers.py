"""Work off the GUI thread: a QRunnable that runs a function on plain data and reports by signal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal


class WorkerSignals(QObject):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)


# Imported in the GUI thread before a worker starts: a first import inside a worker thread goes through
# shiboken's import hook concurrently with the GUI thread and can crash the interpreter.
_WORKER_MODULES = (
    "openpyxl",
    "openpyxl.styles",
    "openpyxl.utils",
    "openpyxl.workbook.protection",
    "openpyxl.worksheet.datavalidation",
    "openpyxl.worksheet._read_only",
    "openpyxl.reader.excel",
    "ruian_desk.export.bundle",
    "ruian_desk.exchange.unit_template",
    "ruian_desk.exchange.template_import",
    # Reading documents (import-report): python-docx, lxml, pdfplumber/pdfminer, OpenCC, charset-normalizer.
    "docx",
    "lxml.html",
    "pdfplumber",
    "pdfminer.pdfdocument",
    "pdfminer.pdfparser",
    "charset_normalizer",
    "opencc",
    "ruian_desk.exchange.documents.importer",
)


def preload_worker_modules() -> None:
    import importlib

    for name in _WORKER_MODULES:
        importlib.import_module(name)


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
