"""模板与导入 tab: Excel templates out, returned workbooks in (read in a worker), 审核意见 out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.gui.dialogs.change_preview import ChangePreviewDialog
from ruian_desk.gui.units.model import ERROR_FG, show_value
from ruian_desk.gui.units.registry_tab import page_button

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage


class ExchangeTab(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        # Hooks replaced in tests; by default they ask the clerk.
        self.confirm_replace: Callable[[Any], bool] = self._ask_replace
        self.ask_directory: Callable[[str], str] = self._ask_directory
        self.ask_files: Callable[[str], list[str]] = self._ask_files
        self.ask_all_units: Callable[[str], bool] = self._ask_all_units

        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.template_button = page_button(self, "生成填报模板…", self._on_templates)
        self.import_button = page_button(self, "导入交回的文件…", self._on_import_files)
        self.import_dir_button = page_button(self, "导入文件夹…", self._on_import_folder)
        self.import_reports_button = page_button(
            self, "导入报告文档（Word/网页/PDF）…", self._on_import_reports
        )
        self.feedback_button = page_button(
            self, "导出审核意见（有错误的单位）…", self._on_feedback, writes=False
        )
        self.feedback_kind = QComboBox()
        self.feedback_kind.addItem("Excel (.xlsx)", "xlsx")
        self.feedback_kind.addItem("Word (.docx)", "docx")
        for b in (
            self.template_button,
            self.import_button,
            self.import_dir_button,
            self.import_reports_button,
            self.feedback_button,
        ):
            bar.addWidget(b)
        bar.addWidget(self.feedback_kind)
        bar.addStretch(1)
        v.addLayout(bar)
        hint = QLabel(
            self.tr(
                "模板为每个单位一个 .xlsx（选中单位时只生成该单位的）；交回的文件逐个校验，"
                "有问题的文件整份拒绝并列出单元格，不影响其他文件。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #595959")
        v.addWidget(hint)
        prog = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        prog.addWidget(self.progress, 1)
        self.progress_label = QLabel()
        prog.addWidget(self.progress_label, 2)
        v.addLayout(prog)
        self.results = QTreeWidget()
        self.results.setColumnCount(4)
        self.results.setHeaderLabels([self.tr("文件"), self.tr("单位"), self.tr("结果"), self.tr("说明")])
        self.results.setWordWrap(True)
        # File and unit names in full (a long 单位 name is the point of the list): the note column stretches.
        for col in (0, 1, 2):
            self.results.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.results.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        v.addWidget(self.results, 1)

    def _show_tab(self) -> None:
        self.page.tabs.setCurrentWidget(self)

    def on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(name)

    def on_failed(self, message: str) -> None:
        self.progress_label.setText(self.tr("失败：") + message)
        QMessageBox.critical(self, self.tr("操作失败"), message)

    def generate_templates_to(self, out_dir: str | Path, unit_ids: Sequence[int] | None = None) -> None:
        """Write templates (for the given units, or every included unit) in a worker; `templates_finished`."""
        from ruian_desk.exchange.unit_template import TemplateError
        from ruian_desk.services.templates import plan_templates, record_issued, write_jobs

        year = self.page.year()
        if year is None:
            return
        repo = self.ctx.repo
        try:
            jobs = plan_templates(repo, year, out_dir, unit_ids)
        except TemplateError as exc:
            QMessageBox.warning(self, self.tr("生成填报模板"), str(exc))
            return
        self._show_tab()
        self.results.clear()
        self.progress_label.setText(self.tr("正在生成模板…"))

        def done(result: object) -> None:
            paths = list(result)  # type: ignore[call-overload]
            if not self.ctx.readonly:
                record_issued(repo, jobs)
            self.results.clear()
            for path in paths:
                item = QTreeWidgetItem([Path(path).name, "", self.tr("已生成"), str(Path(path).parent)])
                item.setToolTip(0, str(path))
                self.results.addTopLevelItem(item)
            self.progress_label.setText(
                self.tr("已生成 {n} 个模板：{dir}").format(n=len(paths), dir=str(Path(out_dir)))
            )
            self.page.templates_finished.emit(paths)

        self.page.start_worker(lambda progress: write_jobs(jobs, progress), done)

    def import_paths(self, paths: Sequence[str | Path]) -> None:
        """Read the files in a worker (progress bar), then store each valid one, asking before replacing a
        unit's existing data; `import_finished` carries the per-file results."""
        from ruian_desk.exchange.template_import import parse_files
        from ruian_desk.services.imports import plan_template_import, store_templates

        plan = plan_template_import(self.ctx.workspace, paths)
        files, path_problems, known = plan.files, plan.problems, plan.known
        self._show_tab()
        self.results.clear()
        for problem in path_problems:
            self.results.addTopLevelItem(QTreeWidgetItem(["", "", self.tr("已拒绝"), problem]))
        if not files:
            self.progress_label.setText(self.tr("没有可导入的 .xlsx 文件"))
            self.page.import_finished.emit([])
            return
        self.progress_label.setText(self.tr("正在读取…"))

        def done(result: object) -> None:
            parsed = list(result)  # type: ignore[call-overload]
            self.progress_label.setText(self.tr("正在写入…"))
            results = store_templates(self.ctx.workspace, parsed, confirm=self.confirm_replace)
            self._show_results(results)
            ok = sum(1 for r in results if r.ok and not r.skipped)
            refused = sum(1 for r in results if not r.ok)
            skipped = sum(1 for r in results if r.skipped)
            text = self.tr("共 {n} 个文件：导入 {ok} 个，拒绝 {bad} 个").format(
                n=len(results), ok=ok, bad=refused
            )
            if skipped:
                text += self.tr("，跳过 {n} 个").format(n=skipped)
            self.progress_label.setText(text)
            if ok:
                self.ctx.notify_workspace_changed()
                self.page.notify_main()
                current = self.ctx.report_id
                if current is not None and current != self.page.main_report_id():
                    self.ctx.notify_changed(current)
            self.page.import_finished.emit(results)

        self.page.start_worker(lambda progress: parse_files(files, known, progress), done)

    def _show_results(self, results: Sequence[Any]) -> None:
        for r in results:
            if r.ok:
                verdict = self.tr("已跳过") if r.skipped else self.tr("已导入")
                note = r.summary.lstrip("：")
            else:
                verdict = self.tr("已拒绝")
                note = self.tr("{n} 处问题").format(n=len(r.problems))
            item = QTreeWidgetItem([r.name, r.unit_name, verdict, note])
            item.setToolTip(0, str(r.path))
            if not r.ok:
                for k in range(4):
                    item.setForeground(k, QBrush(ERROR_FG))
                for problem in r.problems:
                    child = QTreeWidgetItem(["", "", "", problem])
                    child.setToolTip(3, problem)
                    item.addChild(child)
            elif r.changes and not r.skipped:
                for change in r.changes[:50]:
                    item.addChild(
                        QTreeWidgetItem(
                            [
                                "",
                                "",
                                "",
                                f"{change.ref} {change.label}: {show_value(change.old)} → {show_value(change.new)}",
                            ]
                        )
                    )
            self.results.addTopLevelItem(item)
            item.setExpanded(not r.ok)  # refused files open with every problem listed
        self.results.resizeColumnToContents(0)
        self.results.resizeColumnToContents(1)

    def _ask_replace(self, plan: Any) -> bool:
        if not plan.changes and not plan.blank_to_zero:
            return True  # nothing would change: no need to ask
        dialog = ChangePreviewDialog(plan, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _ask_all_units(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("生成填报模板"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_directory(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title)

    def _ask_files(self, title: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self, title, "", self.tr("Excel 工作簿 (*.xlsx)"))
        return list(files)

    def _on_templates(self) -> None:
        out = self.ask_directory(self.tr("选择保存模板的文件夹"))
        if not out:
            return
        # Every unit of the roll-up by default; the unit selected in the list narrows it only when asked to.
        status = self.page.selected_status()
        ids = None
        if status is not None and not status.is_main:
            question = self.tr("为汇总范围内的全部单位生成填报模板？\n选“否”则只为选中的“{0}”生成。").format(
                status.unit.name
            )
            if not self.ask_all_units(question):
                ids = [int(status.unit.id or 0)]
        self.generate_templates_to(out, ids)

    def _on_import_files(self) -> None:
        files = self.ask_files(self.tr("选择各单位交回的模板"))
        if files:
            self.import_paths(files)

    def _on_import_reports(self) -> None:
        """Units' filled-in national templates, saved portal pages, PDFs: read, reviewed, then stored."""
        self.ctx.report_import_requested.emit()

    def _on_import_folder(self) -> None:
        folder = self.ask_directory(self.tr("选择存放交回模板的文件夹"))
        if folder:
            self.import_paths([folder])

    def export_feedback_to(self, out_dir: str | Path, kind: str | None = None) -> list[Path]:
        from ruian_desk.exchange.feedback import export_feedback
        from ruian_desk.exchange.unit_template import TemplateError

        year = self.page.year()
        if year is None:
            return []
        try:
            written, _ = export_feedback(
                self.ctx.repo, year, Path(out_dir), kind=kind or self.feedback_kind.currentData()
            )
        except TemplateError as exc:
            QMessageBox.warning(self, self.tr("导出审核意见"), str(exc))
            return []
        self._show_tab()
        self.results.clear()
        for path in written:
            self.results.addTopLevelItem(
                QTreeWidgetItem([path.name, "", self.tr("审核意见"), str(path.parent)])
            )
        self.progress_label.setText(
            self.tr("已导出 {n} 份审核意见").format(n=len(written))
            if written
            else self.tr("没有需要退回修改的单位")
        )
        return written

    def _on_feedback(self) -> None:
        out = self.ask_directory(self.tr("选择保存审核意见的文件夹"))
        if out:
            self.export_feedback_to(out)
