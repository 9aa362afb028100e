"""发布核验 panel: published copies (files picked or dropped here, or a folder) read in a worker, each matched to its
unit and compared with the report in the workspace; one line per unit (一致 / 有差异（N处数字、M处文字）/
未找到发布稿 …) with its differences beneath. Nothing in the workspace changes but the stored result (time and
SHA-256), and — when asked — the publication date and link the pages state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.report import CellValue, format_number
from ruian_desk.exchange.documents.verify import NOT_FOUND, SAME, UnitVerification
from ruian_desk.gui.units.registry_tab import page_button

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage

DIFF_FG = QColor("#C00000")
MISSING_FG = QColor("#C55A11")
SAME_FG = QColor("#2E7D32")


def _show(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


class VerificationPanel(QWidget):
    verified = Signal(list)  # list[UnitVerification]

    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.results: list[UnitVerification] = []
        self.adopted: list[str] = []
        # Hooks replaced in tests; by default they ask the clerk.
        self.ask_files: Callable[[], list[str]] = self._ask_files
        self.ask_directory: Callable[[], str] = self._ask_directory
        self.setAcceptDrops(True)

        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.files_button = page_button(self, "核验发布稿文件…", self._on_files)
        self.folder_button = page_button(self, "核验文件夹…", self._on_folder)
        self.adopt = QCheckBox(self.tr("采用网页中的发布日期和链接"))
        self.adopt.setChecked(True)
        for w in (self.files_button, self.folder_button, self.adopt):
            bar.addWidget(w)
        bar.addStretch(1)
        v.addLayout(bar)
        hint = QLabel(
            self.tr(
                "选择各单位已发布的年报（保存的网页、PDF、Word），或把文件拖到这里：按单位名称与工作区中已确认的报告"
                "逐项比对。核验不修改工作区中的报告，只记录核验结果（时间和文件的 SHA-256）。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #595959")
        v.addWidget(hint)
        prog = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setFormat("%v / %m")
        prog.addWidget(self.progress, 1)
        self.status = QLabel()
        prog.addWidget(self.status, 2)
        v.addLayout(prog)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            [self.tr("单位"), self.tr("核验结果"), self.tr("发布稿文件"), self.tr("说明")]
        )
        self.tree.setWordWrap(True)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 200)
        self.tree.setColumnWidth(2, 260)
        v.addWidget(self.tree, 1)

    # --------------------------------------------------------------------------------- input

    def _ask_files(self) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择已发布的年报"),
            "",
            self.tr("年报文件 (*.html *.htm *.pdf *.docx *.txt);;所有文件 (*)"),
        )
        return list(files)

    def _ask_directory(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("选择存放已发布年报的文件夹"))

    def _on_files(self) -> None:
        files = self.ask_files()
        if files:
            self.verify_paths(files)

    def _on_folder(self) -> None:
        folder = self.ask_directory()
        if folder:
            self.verify_paths([folder])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.verify_paths(paths)

    # ---------------------------------------------------------------------------------- work

    def verify_paths(self, paths: Sequence[str | Path]) -> None:
        """Read the files in a worker, then compare on the GUI thread; `verified` carries the results."""
        from ruian_desk.exchange.documents.importer import collect_documents, read_files

        year = self.page.year()
        if year is None:
            self.status.setText(self.tr("工作区中还没有年度报告"))
            return
        files, problems = collect_documents(paths)
        self.tree.clear()
        for p in problems:
            self._problem_item(p)
        if not files:
            self.status.setText(self.tr("没有可核验的文件"))
            return
        self.status.setText(self.tr("正在读取 {n} 个文件…").format(n=len(files)))

        def done(result: object) -> None:
            self._compare(year, list(result), problems)  # type: ignore[call-overload]

        self.page.jobs.start(
            lambda progress: read_files(files, progress=progress), done, self._on_failed, self._on_progress
        )

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if name:
            self.status.setText(name)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("核验失败：") + message)

    def _compare(self, year: int, reads: list, problems: list[str]) -> None:  # noqa: ANN001 - ReadReport
        from ruian_desk.exchange.documents.verify import record_results, verify_documents

        repo = self.ctx.repo
        self.results = verify_documents(repo, year, reads)
        self.adopted = []
        if not self.ctx.readonly:
            record_results(repo, year, self.results)
            if self.adopt.isChecked():
                from ruian_desk.services.publication import adopt_from_pages

                found = [
                    (v.unit, v.file, v.published_date, v.link)
                    for v in self.results
                    if v.published_date is not None and (v.status == SAME or v.status.startswith("有差异"))
                ]
                self.adopted = adopt_from_pages(repo, year, found)
        self.show_results(self.results, problems)
        same = sum(1 for v in self.results if v.status == SAME)
        differ = sum(1 for v in self.results if v.file and v.status != SAME)
        missing = sum(1 for v in self.results if v.status == NOT_FOUND)
        self.status.setText(
            self.tr(
                "{year}年：一致 {same} 个，有差异或无法核验 {differ} 个，未找到发布稿 {missing} 个"
            ).format(year=year, same=same, differ=differ, missing=missing)
            + ("；" + "；".join(self.adopted) if self.adopted else "")
        )
        self.verified.emit(self.results)

    # ------------------------------------------------------------------------------- display

    def _problem_item(self, text: str) -> None:
        item = QTreeWidgetItem(["", self.tr("无法核验"), "", text])
        item.setForeground(1, QBrush(DIFF_FG))
        self.tree.addTopLevelItem(item)

    def show_results(self, results: Sequence[UnitVerification], problems: Sequence[str] = ()) -> None:
        self.tree.clear()
        for p in problems:
            self._problem_item(p)
        for v in results:
            item = QTreeWidgetItem([v.unit, v.status, v.file, "；".join(v.problems)])
            color = SAME_FG if v.status == SAME else (MISSING_FG if v.status == NOT_FOUND else DIFF_FG)
            item.setForeground(1, QBrush(color))
            for c in v.cells:
                item.addChild(
                    QTreeWidgetItem(
                        [
                            "",
                            self.tr("数字不同"),
                            c.label,
                            f"发布稿 {_show(c.published)}，工作区 {_show(c.stored)}",
                        ]
                    )
                )
            for s in v.sentences:
                item.addChild(
                    QTreeWidgetItem(
                        [
                            "",
                            self.tr("文字不同"),
                            s.part,
                            f"发布稿“{s.published or '（无）'}”；工作区“{s.stored or '（无）'}”",
                        ]
                    )
                )
            self.tree.addTopLevelItem(item)
            item.setExpanded(bool(v.cells or v.sentences) and len(results) <= 20)

    def lines(self) -> list[tuple[str, str]]:
        """(unit, status) of each top-level line, as shown."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [(item.text(0), item.text(1)) for item in items if item is not None]
