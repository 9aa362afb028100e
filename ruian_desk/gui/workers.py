"""Work off the GUI thread, one way for every page: `Jobs.start(fn, done)` runs `fn(progress=…)` on plain data
in the page's own thread pool and hands the result (or a Chinese message) back on the GUI thread.

The two rules every job follows, applied here and nowhere else:
- keep-alive: a worker is owned by its `Jobs` (auto-delete off) from `start` until its result or failure
  has been handled on the GUI thread, so neither the pool nor Python's collector deletes it (or its
  signals) while a queued signal is still on its way;
- preload: the modules a job imports are imported in the GUI thread before it starts (`preload`, by
  default `preload_worker_modules`): a first import inside a worker thread goes through shiboken's import
  hook concurrently with the GUI thread and can crash the interpreter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[int, int, str], None]  # done, total, what is being worked on


class WorkerSignals(QObject):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)


def preload_worker_modules() -> None:
    """What the import, template, document and export jobs import. Plain imports, so a missing one fails
    here, loudly, and PyInstaller sees them."""
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

    import ruian_desk.domain.rules  # noqa: F401 - not imported at start-up when the kept findings are shown
    import ruian_desk.exchange.documents.importer  # noqa: F401
    import ruian_desk.exchange.template_import  # noqa: F401
    import ruian_desk.exchange.unit_template  # noqa: F401
    import ruian_desk.export.bundle  # noqa: F401


def preload_chart_modules() -> None:
    """What drawing and saving a chart imports: matplotlib loads the writer of a format the first time a
    figure is saved in it."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_pdf  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401

    import ruian_desk.charts.render  # noqa: F401
    import ruian_desk.export.bundle  # noqa: F401


def describe_error(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


class Worker(QRunnable):
    """Runs `fn(progress=…)` off the GUI thread on plain data; results come back by signal. A failure is
    worded by `describe` (called inside the `except`, so it may log the traceback)."""

    def __init__(self, fn: Callable[..., object], describe: Callable[[Exception], str] = describe_error):
        super().__init__()
        self.setAutoDelete(False)  # owned by its Jobs until the result has been handled
        self.fn = fn
        self.describe = describe
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progressed.emit)
        except Exception as exc:  # noqa: BLE001 - reported to the clerk, never lost silently
            self.signals.failed.emit(self.describe(exc))
        else:
            self.signals.done.emit(result)


class Jobs(QObject):
    """A page's background jobs: its own thread pool (one thread unless told), each worker kept until its
    result is handled, `busy_changed` when the first starts and the last ends."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject, threads: int = 1):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.running: list[Worker] = []

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def start(
        self,
        fn: Callable[..., object],
        done: Callable[[object], None],
        failed: Callable[[str], None] | None = None,
        progress: Progress | None = None,
        *,
        describe: Callable[[Exception], str] = describe_error,
        preload: Callable[[], None] = preload_worker_modules,
    ) -> Worker:
        preload()
        worker = Worker(fn, describe)
        if progress is not None:
            worker.signals.progressed.connect(progress)
        worker.signals.done.connect(lambda result: self._finish(worker, done, result))
        worker.signals.failed.connect(lambda message: self._finish(worker, failed, message))
        self.running.append(worker)
        if len(self.running) == 1:
            self.busy_changed.emit(True)
        self.pool.start(worker)
        return worker

    def _finish(self, worker: Worker, handler: Callable[..., None] | None, value: object) -> None:
        # Released first: the handler sees the page idle again (and may start the next job).
        self.running.remove(worker)
        if not self.running:
            self.busy_changed.emit(False)
        if handler is not None:
            handler(value)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running jobs are done (tests, closing); their results still need the event loop."""
        return self.pool.waitForDone(msecs)
