"""The 导出 page: formats, folder, export in a worker thread with progress, print preview and printing, and
the batch export of every unit's own report."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.export.bundle import ExportError, export_bundle, formats
from ruian_desk.export.view import ExportOptions, ReportView, build_view, safe_file_name
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.settings import app_settings
from ruian_desk.gui.workers import Jobs
from ruian_desk.paths import user_data_dir

DEFAULT_FORMATS = ("docx", "pdf", "xlsx", "html", "json")
# (check box, settings key under export/, default): the options as the clerk last exported with them.
OPTIONS = (
    ("signature_box", "signature", "true"),
    ("charts_box", "charts", "false"),
    ("open_after_box", "open_after", "false"),
)


def write_bundles(
    jobs: list[tuple[ReportView, Path]], names: list[str], progress: Callable[[int, int, str], None]
) -> list[str]:
    """Writes one bundle per job (off the GUI thread). Jobs are (ReportView, folder): plain data assembled on
    the GUI thread, so the worker never touches the GUI's database connection or widgets. Progress is in
    thousandths of the whole."""
    written: list[str] = []
    n_jobs = max(1, len(jobs))
    for j, (view, folder) in enumerate(jobs):
        unit = view.report.unit

        def step(done: int, total: int, label: str, j: int = j, unit: str = unit) -> None:
            share = (j + done / max(1, total)) / n_jobs
            progress(int(share * 1000), 1000, f"{unit}：{label}")

        written += [str(p) for p in export_bundle(view, names, folder, step)]
    return written


def describe_export_error(exc: Exception) -> str:
    if isinstance(exc, ExportError):
        return str(exc)
    _log_exception()  # called inside the worker's `except`: the traceback is the one of this failure
    return f"导出失败（程序内部错误）：{exc}"


def _log_exception() -> None:
    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "export-error.log").open("a", encoding="utf-8") as f:
            f.write(traceback.format_exc() + "\n")
    except OSError:
        pass


class ExportPage(QWidget):
    """导出: one report (the current one) or every unit's own report of the same year."""

    export_finished = Signal(list)  # files written
    export_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.jobs = Jobs(self)
        self._last_folder: Path | None = None
        self.last_print_pages = 0
        self._settings = app_settings()
        self._build()
        ctx.report_switched.connect(self.refresh)
        ctx.report_changed.connect(self.refresh)
        ctx.workspace_changed.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------------------------------------- UI
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.report_label)

        fmt_box = QGroupBox(self.tr("导出格式"))
        fmt_layout = QGridLayout(fmt_box)
        saved = self._settings.value("export/formats")
        chosen = set(str(saved).split(",")) if saved else set(DEFAULT_FORMATS)
        self.format_boxes: dict[str, QCheckBox] = {}
        for i, (name, fmt) in enumerate(formats().items()):
            box = QCheckBox(fmt.label)
            box.setToolTip(f".{fmt.extension}")
            box.setChecked(name in chosen)
            box.setObjectName(f"format_{name}")
            self.format_boxes[name] = box
            fmt_layout.addWidget(box, i // 3, i % 3)
        outer.addWidget(fmt_box)

        opt_box = QGroupBox(self.tr("选项"))
        opt_layout = QVBoxLayout(opt_box)
        self.signature_box = QCheckBox(self.tr("印落款（单位名称与成文日期）(&N)"))
        self.charts_box = QCheckBox(self.tr("在 Word、PDF、网页中附上图解与图表(&G)"))
        self.open_after_box = QCheckBox(self.tr("导出后打开文件夹(&O)"))
        # The options stay as the clerk last exported with them.
        for attr, option, default in OPTIONS:
            getattr(self, attr).setChecked(str(self._settings.value(f"export/{option}", default)) == "true")
        for w in (self.signature_box, self.charts_box, self.open_after_box):
            opt_layout.addWidget(w)
        outer.addWidget(opt_box)

        folder_row = QHBoxLayout()
        folder_label = QLabel(self.tr("保存到(&S)："))
        folder_row.addWidget(folder_label)
        self.folder_edit = QLineEdit(
            str(self._settings.value("export/folder", "") or default_export_folder())
        )
        folder_label.setBuddy(self.folder_edit)
        folder_row.addWidget(self.folder_edit, 1)
        self.browse_button = QPushButton(self.tr("选择(&C)…"))
        self.browse_button.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.browse_button)
        self.open_folder_button = QPushButton(self.tr("打开文件夹(&W)"))
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row.addWidget(self.open_folder_button)
        outer.addLayout(folder_row)

        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("导出(&D)"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_current)
        self.batch_button = QPushButton(self.tr("批量导出各单位报告(&L)"))
        self.batch_button.setToolTip(self.tr("本年度每个单位自己的报告，各放一个子文件夹"))
        self.batch_button.clicked.connect(self.export_batch)
        self.preview_button = QPushButton(self.tr("打印预览(&V)…"))
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.print_button.clicked.connect(self.print_report)
        for b in (self.export_button, self.batch_button, self.preview_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        outer.addLayout(buttons)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        outer.addWidget(self.progress)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        self.file_list = QListWidget()
        self.file_list.itemActivated.connect(self._open_file)
        outer.addWidget(self.file_list, 1)

    def refresh(self, *_: object) -> None:
        report = self.ctx.report()
        has_report = report is not None
        for b in (self.export_button, self.preview_button, self.print_button, self.batch_button):
            b.setEnabled(has_report and not self.jobs.busy)
        if report is None:
            self.report_label.setText(self.tr("未打开报告"))
            return
        # Open findings, as the status bar counts them: an explained warning has passed.
        c = {"error": 0, "warning": 0, "info": 0}
        explained = 0
        for issue in self.ctx.issues():
            if issue.explained:
                explained += 1
            else:
                c[issue.severity] = c.get(issue.severity, 0) + 1
        text = self.tr("{unit} {year}年（{fmt}） · 审核：错误 {e}，警告 {w}，提示 {i}").format(
            unit=report.unit,
            year=report.year,
            fmt=report.format_id,
            e=c["error"],
            w=c["warning"],
            i=c["info"],
        )
        if explained:
            text += self.tr("（已说明 {n}）").format(n=explained)
        if report.is_sample:
            text += self.tr(" · 含示例数据，导出文件会标注")
        self.report_label.setText(text)

    # --------------------------------------------------------------------------------------- actions
    def selected_formats(self) -> list[str]:
        return [name for name, box in self.format_boxes.items() if box.isChecked()]

    def options(self) -> ExportOptions:
        charts = self.charts_box.isEnabled() and self.charts_box.isChecked()
        return ExportOptions(signature=self.signature_box.isChecked(), charts=charts, tujie=charts)

    def folder(self) -> Path | None:
        text = self.folder_edit.text().strip()
        return Path(text) if text else None

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择导出文件夹"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def current_view(self) -> ReportView | None:
        rid = self.ctx.report_id
        if rid is None:
            return None
        return build_view(self.ctx.repo, rid, workspace=str(self.ctx.workspace.path), options=self.options())

    def confirm_errors(self, errors: int, detail: str = "") -> bool:
        """Asked before exporting a report whose checks still find errors."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("审核仍有错误"))
        box.setText(self.tr("审核仍有{n}个错误，仍要导出吗？").format(n=errors))
        if detail:
            box.setInformativeText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _checked_inputs(self) -> tuple[list[str], Path] | None:
        names = self.selected_formats()
        if not names:
            self._fail(self.tr("请至少选择一种导出格式。"))
            return None
        folder = self.folder()
        if folder is None:
            self._fail(self.tr("请选择导出文件夹。"))
            return None
        return names, folder

    def export_current(self) -> bool:
        """Export the current report; returns False when nothing was started."""
        inputs = self._checked_inputs()
        if inputs is None:
            return False
        names, folder = inputs
        view = self.current_view()
        if view is None:
            self._fail(self.tr("未打开报告。"))
            return False
        errors = view.counts.get("error", 0)
        if errors and not self.confirm_errors(errors):
            self.status_label.setText(self.tr("已取消导出。"))
            return False
        self._start([(view, folder)], names, folder)
        return True

    def export_batch(self) -> bool:
        """Every unit's own report of the current year, one sub-folder per unit."""
        inputs = self._checked_inputs()
        if inputs is None:
            return False
        names, folder = inputs
        report = self.ctx.report()
        if report is None:
            self._fail(self.tr("未打开报告。"))
            return False
        repo = self.ctx.repo
        main = repo.main_organ()
        opts = self.options()
        jobs: list[tuple[ReportView, Path]] = []
        errors, units_with_errors = 0, []
        for row in repo.report_index():
            if row["year"] != report.year or (main is not None and row["unit_id"] == main.id):
                continue
            report_id = cast(int, row["id"])
            view = build_view(repo, report_id, workspace=str(self.ctx.workspace.path), options=opts)
            jobs.append((view, folder / safe_file_name(str(row["unit"]))))
            if view.counts.get("error", 0):
                errors += view.counts["error"]
                units_with_errors.append(str(row["unit"]))
        if not jobs:
            self._fail(self.tr("{year}年没有其他单位的报告可导出。").format(year=report.year))
            return False
        if errors:
            detail = self.tr("有错误的单位：{units}").format(units="、".join(units_with_errors))
            if not self.confirm_errors(errors, detail):
                self.status_label.setText(self.tr("已取消导出。"))
                return False
        self._start(jobs, names, folder)
        return True

    def _start(self, jobs: list[tuple[ReportView, Path]], names: list[str], folder: Path) -> None:
        if "pdf" in names:
            from ruian_desk.export.qtsupport import prepare_fonts

            prepare_fonts()  # font registration belongs on the GUI thread
        self._settings.setValue("export/folder", str(folder))
        self._settings.setValue("export/formats", ",".join(names))
        for attr, option, _ in OPTIONS:
            self._settings.setValue(
                f"export/{option}", "true" if getattr(self, attr).isChecked() else "false"
            )
        self._last_folder = folder
        self.file_list.clear()
        self.progress.setValue(0)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("正在导出…"))
        self._set_busy(True)
        self.jobs.start(
            lambda progress: write_bundles(jobs, names, progress),
            lambda files: self._on_finished(cast(list[str], files)),
            self._on_failed,
            self._on_progress,
            describe=describe_export_error,
        )

    def _set_busy(self, busy: bool) -> None:
        for b in (self.export_button, self.batch_button, self.preview_button, self.print_button):
            b.setEnabled(not busy)
        for box in self.format_boxes.values():
            box.setEnabled(not busy)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setValue(done * 100 // max(1, total))
        self.status_label.setText(self.tr("正在写入：{what}").format(what=label))

    def _on_finished(self, files: list[str]) -> None:
        self._set_busy(False)
        self.progress.setValue(100)
        for f in files:
            item = QListWidgetItem(f)
            item.setData(Qt.ItemDataRole.UserRole, f)
            self.file_list.addItem(item)
        self.status_label.setText(
            self.tr("已导出 {n} 个文件到 {folder}").format(n=len(files), folder=self._last_folder)
        )
        if self.open_after_box.isChecked():
            self.open_folder()
        self.export_finished.emit(files)

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.progress.setValue(0)
        self._fail(message)
        self.export_failed.emit(message)

    def _fail(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)
        if self.isVisible():
            QMessageBox.warning(self, self.tr("导出失败"), message)

    def open_folder(self) -> bool:
        folder = self._last_folder or self.folder()
        if folder is None or not folder.is_dir():
            self._fail(self.tr("文件夹不存在：{folder}").format(folder=folder or ""))
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _open_file(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.data(Qt.ItemDataRole.UserRole))))

    def wait(self, msecs: int = 30000) -> bool:
        """Block until a running export has finished (tests, closing the window)."""
        return self.jobs.wait(msecs)

    # ---------------------------------------------------------------------------------------- print
    def make_printer(self):  # noqa: ANN201 - QPrinter, imported lazily (QtPrintSupport)
        from ruian_desk.gui.printing import make_printer

        report = self.ctx.report()
        return make_printer((report.title or report.unit) if report is not None else "")

    def render_to_printer(self, view: ReportView, printer) -> int:  # noqa: ANN001 - QPrinter
        """The same pages the PDF uses, laid out for and painted on `printer`; returns the pages."""
        from ruian_desk.gui.printing import render_report

        pages = render_report(view, printer)
        self.last_print_pages = pages
        return pages

    def _view_for_print(self) -> ReportView | None:
        view = self.current_view()
        if view is None:
            self._fail(self.tr("未打开报告。"))
        return view

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        view = self._view_for_print()
        if view is None:
            return
        printer = self.make_printer()
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印预览"))
        dialog.paintRequested.connect(lambda p: self.render_to_printer(view, p))
        from ruian_desk.gui.printing import fit_to_screen

        fit_to_screen(dialog, self)  # never taller than the screen (a 768-pixel one)
        dialog.exec()

    def print_report(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        view = self._view_for_print()
        if view is None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.render_to_printer(view, printer)


def default_export_folder() -> str:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(docs or Path.home()) / "年报导出")
