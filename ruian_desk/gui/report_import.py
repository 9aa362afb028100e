"""文件 → 导入已发布/报送的报告…: documents read in a worker with a progress bar, then a review of each file —
per table its confidence, every figure beside the place it was read from and what is stored now, the parts'
text, the problems — and 全部导入 / 按勾选导入 (per table) / 跳过."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import format_number
from ruian_desk.exchange.documents.importer import (
    KIND_LABELS,
    DocPlan,
    collect_documents,
    plan_document,
    read_files,
)
from ruian_desk.exchange.documents.result import TABLE_NAMES, TABLES, ReadReport
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.workers import Jobs
from ruian_desk.services.imports import store_documents

ERROR_FG = QColor("#b00020")
CHANGED_BG = QColor("#fff4c2")
FILE_FILTER = "报告文件 (*.docx *.html *.htm *.pdf *.txt);;所有文件 (*)"


@dataclass
class Choice:
    """What the clerk chose for one file."""

    read: ReadReport
    tables: set[str]
    take_text: bool = True
    skip: bool = False


class ReviewDialog(QDialog):
    """One row per file on the left; the selected file's figures, text and problems on the right."""

    def __init__(self, reads: Sequence[ReadReport], plans: Sequence[DocPlan], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入报告：核对读取结果"))
        self.choices = [Choice(rr, set(p.tables) if p.ok else set(), skip=not p.ok) for rr, p in zip(reads, plans, strict=True)]
        self.plans = list(plans)
        self.mode = ""  # "all" | "chosen" after accept
        v = QVBoxLayout(self)
        ok = sum(1 for p in plans if p.ok)
        self.summary = QLabel(
            self.tr("共 {n} 个文件：可导入 {ok} 个，无法导入 {bad} 个。请逐个核对后导入。").format(
                n=len(plans), ok=ok, bad=len(plans) - ok
            )
        )
        v.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.files = QListWidget()
        for rr, plan in zip(reads, plans, strict=True):
            item = QListWidgetItem(self._file_line(rr, plan))
            item.setToolTip(rr.path)
            if not plan.ok:
                item.setForeground(QBrush(ERROR_FG))
            self.files.addItem(item)
        self.files.currentRowChanged.connect(self._show)
        split.addWidget(self.files)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rv.addWidget(self.head)
        boxes = QHBoxLayout()
        self.table_boxes: dict[str, QCheckBox] = {}
        for t in TABLES:
            box = QCheckBox(TABLE_NAMES[t])
            box.toggled.connect(lambda on, t=t: self._toggle_table(t, on))
            self.table_boxes[t] = box
            boxes.addWidget(box)
        self.text_box = QCheckBox(self.tr("文字部分（标题、引言、一、五、六、落款）"))
        self.text_box.toggled.connect(self._toggle_text)
        boxes.addWidget(self.text_box)
        self.skip_box = QCheckBox(self.tr("跳过此文件"))
        self.skip_box.toggled.connect(self._toggle_skip)
        boxes.addStretch(1)
        boxes.addWidget(self.skip_box)
        rv.addLayout(boxes)
        self.tabs = QTabWidget()
        self.figures = QTableWidget(0, 6)
        self.figures.setHorizontalHeaderLabels(
            [self.tr("表"), self.tr("项目"), self.tr("读出"), self.tr("原文"), self.tr("工作区现值"), self.tr("出处")]
        )
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures.verticalHeader().setVisible(False)
        header = self.figures.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, 220)
        self.figures.setWordWrap(False)
        self.tabs.addTab(self.figures, self.tr("数字"))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.tabs.addTab(self.text, self.tr("文字"))
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.tabs.addTab(self.problems, self.tr("问题"))
        rv.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setSizes([260, 740])
        v.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.all_button = QPushButton(self.tr("全部导入"))
        self.all_button.setToolTip(self.tr("每个可导入的文件都导入其读出的全部表格和文字"))
        self.all_button.clicked.connect(lambda: self._finish("all"))
        self.chosen_button = QPushButton(self.tr("按勾选导入"))
        self.chosen_button.setToolTip(self.tr("只导入勾选的表格和文字，跳过勾选“跳过此文件”的文件"))
        self.chosen_button.clicked.connect(lambda: self._finish("chosen"))
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        for b in (self.all_button, self.chosen_button, cancel):
            buttons.addWidget(b)
        self.all_button.setEnabled(ok > 0)
        self.chosen_button.setEnabled(ok > 0)
        v.addLayout(buttons)
        self._updating = False
        self.files.setCurrentRow(0)

    def _file_line(self, rr: ReadReport, plan: DocPlan) -> str:
        if not plan.ok:
            return self.tr("✗ {name}（无法导入）").format(name=rr.name)
        return f"{rr.name}\n    {plan.unit_name} {plan.year}年"

    def current(self) -> int:
        return max(self.files.currentRow(), 0)

    def _show(self, row: int) -> None:
        if row < 0 or row >= len(self.choices):
            return
        choice = self.choices[row]
        plan = self.plans[row]
        rr = choice.read
        self._updating = True
        try:
            for t, box in self.table_boxes.items():
                box.setEnabled(plan.ok and t in rr.found_tables)
                box.setChecked(t in choice.tables)
            self.text_box.setEnabled(plan.ok)
            self.text_box.setChecked(choice.take_text and plan.ok)
            self.skip_box.setEnabled(plan.ok)
            self.skip_box.setChecked(choice.skip)
        finally:
            self._updating = False
        self.head.setText(self._head_text(rr, plan))
        self._fill_figures(rr, plan)
        self._fill_text(rr)
        self.problems.clear()
        for p in ([rr.refused] if rr.refused else []) + ([plan.refused] if plan.refused and plan.refused != rr.refused else []) + rr.problems:
            item = QListWidgetItem(p)
            if p in (rr.refused, plan.refused):
                item.setForeground(QBrush(ERROR_FG))
            self.problems.addItem(item)
        self.tabs.setTabText(2, self.tr("问题（{n}）").format(n=self.problems.count()))
        if not plan.ok:
            self.tabs.setCurrentIndex(2)

    def _head_text(self, rr: ReadReport, plan: DocPlan) -> str:
        if not rr.ok:
            return self.tr("无法读取：{reason}").format(reason=rr.refused)
        kind = KIND_LABELS.get(rr.kind, rr.kind)
        conf = "，".join(
            f"{TABLE_NAMES[t]} {round(rr.confidence[t] * 100)}%" if t in rr.found_tables else f"{TABLE_NAMES[t]} 未找到"
            for t in TABLES
        )
        if plan.existing is None:
            what = self.tr("将新建报告") + ("（新单位）" if plan.unit is None else "")
        elif plan.changes:
            what = self.tr("将改变 {n} 处").format(n=len(plan.changes))
        else:
            what = self.tr("与工作区中的报告相同")
        fmt = rr.format_id or ""
        return self.tr("{kind}：{unit} {year}年（{fmt}）；表格可信度：{conf}；{what}").format(
            kind=kind, unit=plan.unit_name or rr.unit or "？", year=rr.year or "？", fmt=fmt, conf=conf, what=what
        )

    def _fill_figures(self, rr: ReadReport, plan: DocPlan) -> None:
        self.figures.setRowCount(0)
        if not rr.ok or rr.format_id is None:
            return
        fmt = get_format(rr.format_id)
        rows = [cid for cid in fmt.cells if cid in rr.cells]
        self.figures.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, cid in enumerate(rows):
            cdef = fmt.cells[cid]
            value = rr.cells[cid]
            before = plan.existing.values.get(cid) if plan.existing is not None else None
            texts = [
                TABLE_NAMES[cdef.table],
                cdef.label.split(" ", 1)[-1],
                "空白" if value is None else format_number(value),
                rr.raw.get(cid, ""),
                ("空白" if before is None else format_number(before)) if plan.existing is not None else "",
                rr.sources.get(cid, "").split("，", 1)[0],  # the page or table row; the label is column 2
            ]
            changed = plan.existing is not None and before != value
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c in (1, 5):
                    item.setToolTip(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if changed:
                    item.setBackground(QBrush(CHANGED_BG))
                    if c == 2:
                        item.setFont(bold)
                self.figures.setItem(r, c, item)

    def _fill_text(self, rr: ReadReport) -> None:
        if not rr.ok:
            self.text.setPlainText("")
            return
        parts = [
            ("标题", rr.title),
            ("引言", rr.intro),
            ("一、总体情况", rr.parts.get("p1", "")),
            ("五、存在的主要问题及改进情况", rr.parts.get("p5", "")),
            ("六、其他需要报告的事项", rr.parts.get("p6", "")),
            ("落款", rr.signature_text),
        ]
        self.text.setPlainText("\n\n".join(f"【{k}】\n{v or '（未读到）'}" for k, v in parts))

    def _toggle_table(self, table: str, on: bool) -> None:
        if self._updating:
            return
        tables = self.choices[self.current()].tables
        tables.add(table) if on else tables.discard(table)

    def _toggle_text(self, on: bool) -> None:
        if not self._updating:
            self.choices[self.current()].take_text = on

    def _toggle_skip(self, on: bool) -> None:
        if not self._updating:
            self.choices[self.current()].skip = on

    def _finish(self, mode: str) -> None:
        self.mode = mode
        self.accept()

    def chosen(self) -> list[Choice]:
        """The files to store and how (after 全部导入 every readable file whole)."""
        out: list[Choice] = []
        for choice, plan in zip(self.choices, self.plans, strict=True):
            if not plan.ok:
                continue
            if self.mode == "all":
                out.append(Choice(choice.read, set(plan.tables), True))
            elif not choice.skip and (choice.tables or choice.take_text):
                out.append(choice)
        return out


class ReportImport(QObject):
    """Read (worker) → review (dialog) → store (GUI thread, one transaction per file)."""

    finished = Signal(list)  # report ids stored
    message = Signal(str)  # a one-line result for the status bar

    def __init__(self, ctx: AppContext, parent: QWidget):
        super().__init__(parent)
        self.ctx = ctx
        self.widget = parent
        self.jobs = Jobs(self)
        self._progress: QProgressDialog | None = None
        self.dialog: ReviewDialog | None = None

    def ask_and_start(self, folder: bool = False) -> None:
        if folder:
            chosen = QFileDialog.getExistingDirectory(self.widget, self.tr("选择存放报告文件的文件夹"))
            paths = [chosen] if chosen else []
        else:
            paths, _ = QFileDialog.getOpenFileNames(
                self.widget, self.tr("选择各单位报送或已发布的报告"), "", self.tr(FILE_FILTER)
            )
        if paths:
            self.start(paths)

    def start(self, paths: Sequence[str | Path]) -> None:
        if self.ctx.readonly:
            QMessageBox.information(self.widget, self.tr("导入报告"), self.tr("工作区以只读方式打开，不能导入。"))
            return
        files, problems = collect_documents(paths)
        if not files:
            QMessageBox.warning(self.widget, self.tr("导入报告"), "\n".join(problems) or self.tr("没有可导入的文件"))
            self.finished.emit([])
            return
        self._progress = QProgressDialog(self.tr("正在读取报告…"), "", 0, len(files), self.widget)
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle(self.tr("导入报告"))
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(300)
        self.jobs.start(
            lambda progress: read_files(files, progress=progress), self._on_read, self._on_failed, self._on_progress
        )

    def wait(self) -> None:
        """Tests: until the worker has finished (signals still need the event loop)."""
        self.jobs.wait()

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self._progress is not None:
            self._progress.setMaximum(max(total, 1))
            self._progress.setValue(done)
            self._progress.setLabelText(self.tr("正在读取：{name}").format(name=name) if name else "")

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        QMessageBox.critical(self.widget, self.tr("导入报告"), self.tr("读取失败：{m}").format(m=message))
        self.finished.emit([])

    def _on_read(self, result: object) -> None:
        self._close_progress()
        reads = list(result)  # type: ignore[call-overload]
        plans = [plan_document(self.ctx.repo, rr) for rr in reads]
        self.dialog = ReviewDialog(reads, plans, self.widget)
        self.dialog.resize(1100, 680)
        self.dialog.finished.connect(lambda code: self._on_review(code, reads))
        self.dialog.open()

    def _on_review(self, code: int, reads: list[ReadReport]) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is None or code != QDialog.DialogCode.Accepted:
            self.finished.emit([])
            return
        self.ctx.flush_edits()
        repo = self.ctx.repo
        plans = [plan_document(repo, c.read, tables=c.tables, take_text=c.take_text) for c in dialog.chosen()]
        plans += [p for p in dialog.plans if not p.ok]  # logged as refused, like the Excel returns
        try:
            ids = store_documents(self.ctx.workspace, plans)
        except Exception as exc:  # noqa: BLE001 - a refused backup or write: nothing of this file is stored
            QMessageBox.critical(self.widget, self.tr("导入报告"), self.tr("导入失败，未写入：{m}").format(m=exc))
            self.finished.emit([])
            return
        names = "、".join(f"{p.unit_name} {p.year}年" for p in plans if p.ok)
        self.message.emit(self.tr("已导入 {n} 个文件：{names}").format(n=len(ids), names=names) if ids else "")
        self.ctx.notify_workspace_changed()
        if self.ctx.report_id is None and ids:
            self.ctx.switch_report(ids[0])
        else:
            for rid in set(ids):
                self.ctx.notify_changed(rid)
        self.finished.emit(ids)
