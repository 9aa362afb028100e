"""The summary view (汇总图表): the report's charts on a matplotlib canvas, with year and unit selectors.

matplotlib and its Qt canvas are never imported at app start: the window warms them up in small steps once
it shows its checks (`warmup.py`), and a panel opened before that finishes does the remaining steps one per
pass of the event loop, then builds its canvas, so opening the page never holds the window. The charts' data (the roll-up, the units, the other years, the checks of what is drawn) is worked out off the
GUI thread on a read-only connection of its own (`services.chart_inputs`); the GUI thread only draws the
chart on screen on the reused figure. After edits the panel refreshes through a short debounce; saving a
chart or the 图解 page renders a fresh figure in a worker thread from plain chart data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.charts.data import Chart, ChartInputs, report_charts, tujie_page
from ruian_desk.domain.report import Report
from ruian_desk.domain.rules import Issue, run_checks
from ruian_desk.gui import warmup
from ruian_desk.gui.chart_files import describe_save_error, format_of, with_suffix, write_chart
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.workers import Jobs, preload_chart_modules
from ruian_desk.services.chart_inputs import ChartReader

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

REDRAW_DELAY_MS = 250  # after the last edit: typing in another page is never held up by drawing
SAVE_DPI = 200


class ChartPanel(QWidget):
    """汇总图表: a chart picker, year and unit selectors, the chart, and saving as PNG/SVG (图解: PNG/PDF)."""

    chart_saved = Signal(str)  # path of a chart or 图解 file written
    save_failed = Signal(str)
    redrawn = Signal(str)  # key of the chart just drawn

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._charts: list[Chart] = []
        self._report: Report | None = None
        self._report_id: int | None = None
        self._units_cache: tuple[Report, ...] | None = None
        self._history_cache: tuple[Report, ...] | None = None
        self._checks_cache: dict[int, list[Issue]] = {}
        self._dirty = True
        self.jobs = Jobs(self)
        self.data_jobs = Jobs(self)  # the charts' data, one job at a time on the reader's connection
        self._reader: ChartReader | None = None
        self._generation = 0  # of the data asked for last: an older result is dropped
        self._again = False  # asked for again while a job was running
        self._closing = False
        self.message_box: QMessageBox | None = None  # the last warning shown (tests close it)
        self.last_redraw_ms = 0.0

        self.year_box = QComboBox()
        self.unit_box = QComboBox()
        self.unit_box.setMinimumContentsLength(16)
        self.unit_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.save_chart_button = QPushButton(self.tr("保存图表…"))
        self.save_chart_button.setToolTip(self.tr("把当前图表保存为 PNG 图片或 SVG 矢量图"))
        self.save_page_button = QPushButton(self.tr("保存图解页…"))
        self.save_page_button.setToolTip(self.tr("把多张图表排成一页 A4 图解，保存为 PNG 或 PDF"))
        self.picker = QListWidget()
        self.picker.setMaximumWidth(220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        # The figure and its canvas, built once matplotlib is imported (`_build_canvas`); till then a label.
        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.warmup = warmup.Warmup(parent=self)
        self.warmup.finished.connect(self._warmed)
        self.warmup.stepped.connect(self._warm_step)
        self.placeholder = QLabel(self.tr("正在准备图表…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMinimumSize(480, 320)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.year_box)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("单位")))
        top.addWidget(self.unit_box, 1)
        top.addStretch(1)
        top.addWidget(self.save_chart_button)
        top.addWidget(self.save_page_button)
        body = QHBoxLayout()
        body.addWidget(self.picker)
        body.addWidget(self.placeholder, 1)
        self._body = body
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        ctx.closing.connect(self._close)

        self.year_box.currentIndexChanged.connect(self._year_picked)
        self.unit_box.currentIndexChanged.connect(self._unit_picked)
        self.picker.currentRowChanged.connect(self._chart_picked)
        self.save_chart_button.clicked.connect(self._ask_save_chart)
        self.save_page_button.clicked.connect(self._ask_save_page)
        ctx.report_changed.connect(self._report_edited)
        ctx.report_switched.connect(self._report_switched)
        ctx.workspace_changed.connect(self._workspace_changed)

        if warmup.ready():
            self._build_canvas()  # matplotlib is there already (the window warmed it up)
        self._fill_years(select_report=ctx.report_id)
        self.status.setText(self.tr("正在生成图表…"))
        # Worked out when first shown (showEvent), off the GUI thread.

    # ------------------------------------------------------------------------------ selection

    def _fill_years(self, select_report: int | None = None) -> None:
        """Fill the year list; select the year (and unit) of `select_report`, else keep the current one."""
        repo = self.ctx.repo
        wanted_year = self.current_year()
        wanted_unit = self.current_unit()
        if select_report is not None:
            report = self._load(select_report)
            wanted_year, wanted_unit = report.year, report.unit
        years = repo.years()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in reversed(years):  # newest first
            self.year_box.addItem(self.tr("%1年").replace("%1", str(y)), y)
        index = self.year_box.findData(wanted_year) if wanted_year is not None else 0
        self.year_box.setCurrentIndex(max(index, 0))
        self.year_box.blockSignals(False)
        self._fill_units(wanted_unit)

    def _fill_units(self, wanted: str | None) -> None:
        year = self.current_year()
        repo = self.ctx.repo
        main = repo.main_organ()
        names = [str(r["unit"]) for r in repo.report_index() if r["year"] == year]
        if main is not None and main.name in names:  # the compiled report first
            names.remove(main.name)
            names.insert(0, main.name)
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        for name in names:
            self.unit_box.addItem(name, name)
        index = self.unit_box.findData(wanted) if wanted else -1
        self.unit_box.setCurrentIndex(index if index >= 0 else (0 if names else -1))
        self.unit_box.blockSignals(False)
        self._select_report()

    def _select_report(self) -> None:
        year, unit = self.current_year(), self.current_unit()
        rid = self.ctx.repo.find_report(unit, year) if (year is not None and unit) else None
        if rid != self._report_id:
            self._report_id = rid
            self._units_cache = None
            self._history_cache = None
        self._dirty = True

    def current_year(self) -> int | None:
        data = self.year_box.currentData()
        return int(data) if data is not None else None

    def current_unit(self) -> str | None:
        data = self.unit_box.currentData()
        return str(data) if data is not None else None

    def current_key(self) -> str | None:
        item = self.picker.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_year(self, year: int) -> None:
        self.year_box.setCurrentIndex(self.year_box.findData(year))
        self.settle()

    def select_unit(self, unit: str) -> None:
        self.unit_box.setCurrentIndex(self.unit_box.findData(unit))
        self.settle()

    def select_chart(self, key: str) -> None:
        if self._dirty or self.busy():
            self.settle()
        for row in range(self.picker.count()):
            if self.picker.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.picker.setCurrentRow(row)
                return
        raise KeyError(key)

    def chart(self, key: str | None = None) -> Chart | None:
        """The data of the chart shown (or of `key`), as last built."""
        key = key or self.current_key()
        return next((c for c in self._charts if c.key == key), None)

    def charts(self) -> list[Chart]:
        return list(self._charts)

    def _year_picked(self, _index: int) -> None:
        self._fill_units(self.current_unit())
        self.refresh()

    def _unit_picked(self, _index: int) -> None:
        self._select_report()
        self.refresh()

    def _chart_picked(self, _row: int) -> None:
        self._draw_current()

    # ------------------------------------------------------------------------------ data

    def _load(self, report_id: int) -> Report:
        if report_id == self.ctx.report_id:
            report = self.ctx.report()
            if report is not None:
                return report
        from ruian_desk.storage.assemble import effective_report

        # Another year or unit: as its tables show it (a county's roll-up applied), never stale own cells.
        return effective_report(self.ctx.repo, report_id)

    def _checks(self, report: Report) -> list[Issue]:
        """Check results of a report other than the context's (a unit, another year): cached until that
        report is edited. Only their errors on drawn cells are used, and those need no cross-year context,
        so the context (and its extra loading for every unit) is left out."""
        if report.id is not None and report.id == self.ctx.report_id:
            return self.ctx.issues()
        key = report.id if report.id is not None else -1
        if key not in self._checks_cache:
            self._checks_cache[key] = run_checks(report)
        return self._checks_cache[key]

    def _inputs(self) -> ChartInputs | None:
        if self._report_id is None:
            return None
        report = self._load(self._report_id)
        self._report = report
        repo = self.ctx.repo
        if self._units_cache is None:
            from ruian_desk.storage.assemble import unit_reports

            self._units_cache = unit_reports(repo, report)
        if self._history_cache is None:
            from ruian_desk.export.view import report_history

            self._history_cache = report_history(repo, report)
        return ChartInputs(
            report=report,
            issues=tuple(self._checks(report)),
            units=self._units_cache,
            history=self._history_cache,
            issues_of=self._checks,
        )

    # ------------------------------------------------------------------------------ drawing

    def schedule_redraw(self) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def busy(self) -> bool:
        """The charts' data is being worked out, or matplotlib is still being imported for the canvas (the
        chart on screen is not the latest yet)."""
        return self.data_jobs.busy or self.canvas is None

    def _build_canvas(self) -> None:
        """The figure and its Qt canvas in place of the label, then the chart drawn if its data is there."""
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from ruian_desk.charts.fonts import chart_font_family

        chart_font_family()
        self.figure = Figure(figsize=(8, 5), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(480, 320)
        self._body.replaceWidget(self.placeholder, self.canvas)
        self.placeholder.hide()
        if self._charts or not self._dirty:
            self._draw_current()

    def _warm_step(self, _done: int) -> None:
        if self.warmup.past_heavy() and self._dirty and self.isVisible() and not self.data_jobs.busy:
            self.refresh()  # the data now, beside the short steps that remain

    def _warmed(self) -> None:
        self._build_canvas()
        if self._dirty and self.isVisible() and not self.data_jobs.busy:
            self.refresh()  # the charts' data, held back while matplotlib was being imported

    def refresh(self) -> None:
        """Work the charts out off the GUI thread, then draw the one on screen (`redrawn` says when)."""
        self._timer.stop()
        if self.canvas is None and not self.warmup.past_heavy():
            # matplotlib's heavy imports first, then the data: the two would share one interpreter lock, each
            # step holding the window twice as long, and the page would not be ready any sooner.
            self.warmup.start()
            return
        if self._report_id is None:
            self.redraw_now()
            return
        if self.data_jobs.busy:
            self._again = True
            return
        rid = self._report_id
        known = self.ctx.report() if rid == self.ctx.report_id else None
        issues = tuple(self.ctx.issues()) if known is not None else ()
        if self._reader is None:
            self._reader = ChartReader(self.ctx.workspace.path)
        reader = self._reader
        self._generation += 1
        generation = self._generation

        def work(progress: object = None) -> tuple[int, Report, list[Chart]]:
            report, charts = reader.charts(rid, known, issues)
            return generation, report, charts

        self.data_jobs.start(work, self._computed, self._compute_failed, preload=_preload_chart_data)

    def _computed(self, result: object) -> None:
        generation, report, charts = cast(tuple[int, Report, list[Chart]], result)
        if self._closing:
            return
        if generation == self._generation and report.id == self._report_id and not self._again:
            self._report = report
            self._charts = charts
            self._fill_picker()
            self._draw_current()
            self._dirty = False
        if self._again or generation != self._generation:
            self._again = False
            self.refresh()

    def _compute_failed(self, message: str) -> None:
        self._again = False
        self.status.setText(self.tr("无法生成图表：") + message)

    def settle(self, timeout_ms: int = 60000) -> bool:
        """Wait until the charts on screen are the latest (tests, snapshots, programmatic selection)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        self.warmup.start()
        if self._dirty and not self.data_jobs.busy:
            self.refresh()
        deadline = QDeadlineTimer(timeout_ms)
        while self.busy() or self._dirty:
            if deadline.hasExpired():
                return False
            self.data_jobs.wait(50)
            QCoreApplication.processEvents()
            if self._dirty and not self.data_jobs.busy:
                self.refresh()
        return True

    def _close(self) -> None:
        from PySide6.QtCore import QCoreApplication

        self._timer.stop()
        self._closing = True
        self.data_jobs.wait()
        # A result still queued is handled now, while the page exists (and dropped: it is closing).
        for worker in list(self.data_jobs.running):
            QCoreApplication.sendPostedEvents(worker.signals)
        self._closing = False
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def redraw_now(self) -> None:
        """Rebuild the chart data from the workspace on the GUI thread and draw the chart on screen at once
        (the benchmark calls this after one cell edit; the page itself uses `refresh`)."""
        import time

        started = time.perf_counter()
        self._timer.stop()
        self.warmup.run_all()  # every step now: this redraw must happen at once
        self._build_canvas()
        inputs = self._inputs()
        self._charts = report_charts(inputs) if inputs is not None else []
        self._fill_picker()
        self._draw_current()
        self._dirty = False
        self.last_redraw_ms = (time.perf_counter() - started) * 1000

    def _fill_picker(self) -> None:
        keep = self.current_key()
        self.picker.blockSignals(True)
        self.picker.clear()
        for chart in self._charts:
            text = chart.name
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, chart.key)
            item.setToolTip(chart.title)
            if chart.errors:
                item.setText(text + self.tr("（数据有误）"))
                item.setForeground(QBrush(QColor("#b3261e")))
                item.setToolTip(chart.title + "\n" + "\n".join(chart.errors[:8]))
            elif not chart.has_data:
                item.setForeground(QBrush(QColor("#80868b")))
                item.setToolTip(chart.title + "\n" + chart.empty_reason)
            self.picker.addItem(item)
        row = next((i for i, c in enumerate(self._charts) if c.key == keep), 0)
        if self._charts:
            self.picker.setCurrentRow(row)
        self.picker.blockSignals(False)
        has = bool(self._charts)
        self.save_chart_button.setEnabled(has and not self.jobs.busy)
        self.save_page_button.setEnabled(has and not self.jobs.busy)

    def _draw_current(self) -> None:
        from ruian_desk.charts.figures import draw_chart

        if self.canvas is None or self.figure is None:
            self.warmup.start()  # drawn by _build_canvas once matplotlib is imported
            return
        chart = self.chart()
        if chart is None:
            self.figure.clear()
            text = self.tr("工作区中没有报告") if self._report_id is None else ""
            self.figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#5f6368")
            self.status.setText("")
        else:
            draw_chart(self.figure, chart)
            self.status.setText(self._status_text(chart))
        self.canvas.draw()
        self.redrawn.emit(chart.key if chart is not None else "")

    def _status_text(self, chart: Chart) -> str:
        if chart.errors:
            first = chart.errors[0]
            more = self.tr("等%1处").replace("%1", str(len(chart.errors))) if len(chart.errors) > 1 else ""
            return (
                self.tr("数据有误：")
                + first
                + more
                + self.tr("。请先在“审核”中更正，图与报表用的是同一数据。")
            )
        if not chart.has_data:
            return chart.empty_reason
        return ""

    # ------------------------------------------------------------------------------ context signals

    def _report_edited(self, report_id: int) -> None:
        self._checks_cache.pop(report_id, None)
        if self._units_cache is not None and any(r.id == report_id for r in self._units_cache):
            self._units_cache = None
        if self._history_cache is not None and any(r.id == report_id for r in self._history_cache):
            self._history_cache = None
        self.schedule_redraw()

    def _report_switched(self, report_id: int) -> None:
        self._fill_years(select_report=report_id if report_id >= 0 else None)
        self.schedule_redraw()

    def _workspace_changed(self) -> None:
        self._close()  # the file may have been replaced (a restore): the reader opens it again
        self._units_cache = None
        self._history_cache = None
        self._checks_cache.clear()
        self._report_id = None
        self._fill_years()
        self.schedule_redraw()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.warmup.start()
        if self._dirty:
            self._timer.start(0)

    # ------------------------------------------------------------------------------ saving

    def default_stem(self) -> str:
        r = self._report
        return f"{r.unit}{r.year}年政府信息公开工作年度报告" if r is not None else "图表"

    def _default_dir(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _ask_save_chart(self) -> None:
        chart = self.chart()
        if chart is None:
            return
        suggested = str(Path(self._default_dir()) / f"{self.default_stem()}-图表-{chart.name}.png")
        path, selected = QFileDialog.getSaveFileName(
            self, self.tr("保存图表"), suggested, self.tr("PNG 图片 (*.png);;SVG 矢量图 (*.svg)")
        )
        if path:
            self._save_from_dialog(
                self.save_chart, with_suffix(path, selected, {"SVG": ".svg", "PNG": ".png"})
            )

    def _ask_save_page(self) -> None:
        if not self._charts:
            return
        suggested = str(Path(self._default_dir()) / f"{self.default_stem()}-图解.png")
        path, selected = QFileDialog.getSaveFileName(
            self, self.tr("保存图解页"), suggested, self.tr("PNG 图片 (*.png);;PDF 文件 (*.pdf)")
        )
        if path:
            self._save_from_dialog(
                self.save_page, with_suffix(path, selected, {"PDF": ".pdf", "PNG": ".png"})
            )

    def _save_from_dialog(self, save: Callable[[str], None], path: str) -> None:
        try:
            save(path)
        except ValueError as exc:
            self._warn(self.tr("无法保存"), str(exc))

    def save_chart(self, path: str | Path, key: str | None = None) -> None:
        """Write the chart on screen (or `key`) to `path` as PNG or SVG, by its suffix, in a worker."""
        from ruian_desk.charts.render import render_chart

        chart = self.chart(key)
        if chart is None:
            raise KeyError(key)
        target = Path(path)
        fmt = format_of(target, ("png", "svg"))
        self._start_save(lambda: render_chart(chart, fmt, SAVE_DPI), target)

    def save_page(self, path: str | Path) -> None:
        """Write the one-page 图解 of the charts shown to `path` as PNG or PDF, by its suffix, in a worker."""
        from ruian_desk.charts.render import render_page

        inputs = self._inputs()
        if inputs is None:
            return
        page = tujie_page(inputs, self._charts)
        target = Path(path)
        fmt = format_of(target, ("png", "pdf"))
        self._start_save(lambda: render_page(page, fmt, SAVE_DPI), target)

    def _start_save(self, render: Callable[[], bytes], target: Path) -> None:
        self.save_chart_button.setEnabled(False)
        self.save_page_button.setEnabled(False)
        self.status.setText(self.tr("正在保存 %1 …").replace("%1", target.name))
        self.jobs.start(
            lambda progress: write_chart(render, target),
            lambda path: self._saved(str(path)),
            self._save_error,
            describe=describe_save_error(target),
            preload=preload_chart_modules,
        )

    def _save_done(self) -> None:
        if not self.jobs.busy:
            self.save_chart_button.setEnabled(bool(self._charts))
            self.save_page_button.setEnabled(bool(self._charts))

    def _saved(self, path: str) -> None:
        self._save_done()
        self.status.setText(self.tr("已保存：%1").replace("%1", path))
        self.chart_saved.emit(path)

    def _save_error(self, message: str) -> None:
        self._save_done()
        self.status.setText(message)
        self.save_failed.emit(message)
        if self.isVisible():
            self._warn(self.tr("保存失败"), message)

    def _warn(self, title: str, message: str) -> None:
        # open(), not exec(): a report from a worker must not start a nested event loop.
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box


def _preload_chart_data() -> None:
    """What the charts' data job imports (plain imports, in the GUI thread before it starts)."""
    import ruian_desk.services.chart_inputs  # noqa: F401
    import ruian_desk.storage.year_sums  # noqa: F401
