"""考核评分 panel: the units of the year scored under the rubric (the workspace's own copy, else the default) and
ranked, each deduction with its reason and the figures behind it; 生成通报和整改通知 writes the DOCX files; the
rubric is edited as JSON in a dialog that refuses a broken one with the item named (nothing stored)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.rubric import RubricError, num
from ruian_desk.gui.units.registry_tab import page_button
from ruian_desk.services.evaluation import Evaluation, default_rubric_text, evaluate, load_rubric, save_rubric
from ruian_desk.storage.publications import rubric_text

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage

BELOW_FG = QColor("#C00000")


class RubricDialog(QDialog):
    """The clerk's rubric as JSON: 保存 checks it first (a broken one is named and nothing is stored)."""

    def __init__(self, parent: QWidget, repo) -> None:  # noqa: ANN001 - Repository
        super().__init__(parent)
        self.repo = repo
        self.setWindowTitle(self.tr("编辑评分细则"))
        self.resize(760, 620)
        v = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "每项：id（编号）、name（名称）、points（最多扣分）、per（每处扣分）、tie（计分依据：severity 按审核结果类别、"
                "rule 按规则、similarity 与其他单位雷同、deadline 发布期限、published 发布稿差异、missing 缺项）。"
            )
        )
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.editor = QPlainTextEdit()
        own = rubric_text(repo)
        self.editor.setPlainText(_pretty(own) if own else default_rubric_text())
        v.addWidget(self.editor, 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C00000")
        v.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.reset_button = QPushButton(self.tr("恢复默认细则"))
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(lambda _c=False: self.editor.setPlainText(default_rubric_text()))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)

    def save(self) -> bool:
        text = self.editor.toPlainText()
        try:
            if text.strip() == default_rubric_text().strip():
                save_rubric(self.repo, None)
            else:
                save_rubric(self.repo, text)
        except RubricError as exc:
            self.error.setText("\n".join([self.tr("未保存：评分细则有误"), *exc.problems]))
            return False
        self.accept()
        return True


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except json.JSONDecodeError:
        return text


class ScoresPanel(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.evaluation: Evaluation | None = None
        self.today: dt.date | None = None
        self.written: list[Path] = []
        self.ask_directory: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(
            self, self.tr("通报和整改通知保存到")
        )
        self.open_rubric: Callable[[RubricDialog], object] = lambda d: d.exec()

        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.score_button = page_button(self, "计算得分", self.recompute, writes=False)
        self.rubric_button = page_button(self, "编辑评分细则…", self.edit_rubric)
        self.docs_button = page_button(self, "生成通报和整改通知…", self._on_documents, writes=False)
        for b in (self.score_button, self.rubric_button, self.docs_button):
            bar.addWidget(b)
        bar.addStretch(1)
        v.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("名次"), self.tr("单位"), self.tr("得分"), self.tr("扣分")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_detail)
        split.addWidget(self.table)
        self.detail = QListWidget()
        self.detail.setWordWrap(True)
        split.addWidget(self.detail)
        split.setSizes([520, 480])
        v.addWidget(split, 1)

    def recompute(self) -> None:
        year = self.page.year()
        if year is None:
            return
        repo = self.ctx.repo
        try:
            rubric = load_rubric(repo)
        except RubricError as exc:
            self.summary.setText(str(exc))
            self.summary.setStyleSheet("color: #C00000")
            self.evaluation = None
            self.table.setRowCount(0)
            return
        self.summary.setStyleSheet("")
        ev = evaluate(repo, year, rubric, self.today, statuses=self.page.statuses or None)
        self.evaluation = ev
        self.table.setRowCount(len(ev.units))
        for r, u in enumerate(ev.units):
            below = u.report_id is not None and u.score.score < rubric.rectify_below
            lost = sum((d.points for d in u.score.deductions), Decimal(0))
            values = (str(u.score.rank), u.unit, str(num(u.score.score)), u.score.note or f"-{num(lost)}")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if below and c == 2:
                    item.setForeground(QBrush(BELOW_FG))
                self.table.setItem(r, c, item)
        below_n = len(ev.below())
        self.summary.setText(
            self.tr(
                "{year}年，按《{name}》（满分 {total} 分）：{n} 个单位，低于 {t} 分须整改的 {b} 个。"
            ).format(
                year=year,
                name=rubric.name,
                total=num(rubric.total),
                n=len(ev.units),
                t=num(rubric.rectify_below),
                b=below_n,
            )
            + "".join(f" {note}。" for note in ev.notes)
        )
        if ev.units:
            self.table.selectRow(0)

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.evaluation is None or not rows or rows[0].row() >= len(self.evaluation.units):
            return
        u = self.evaluation.units[rows[0].row()]
        self.detail.clear()
        if u.score.note:
            self.detail.addItem(u.score.note)
        if not u.score.deductions and not u.score.note:
            self.detail.addItem(self.tr("无扣分"))
        for d in u.score.deductions:
            self.detail.addItem(d.reason)
            for detail in d.details[:20]:
                self.detail.addItem("    " + detail)

    def edit_rubric(self) -> None:
        dialog = RubricDialog(self, self.ctx.repo)
        self.open_rubric(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted:
            self.recompute()

    def _on_documents(self) -> None:
        folder = self.ask_directory()
        if folder:
            self.write_documents(Path(folder))

    def write_documents(self, folder: Path) -> list[Path]:
        from ruian_desk.export.bundle import ExportError
        from ruian_desk.services.notices import write_evaluation_documents

        if self.evaluation is None:
            self.recompute()
        if self.evaluation is None:
            return []
        main = self.ctx.repo.main_organ()
        issuer = ""
        if main is not None:
            issuer = f"{main.name}办公室" if main.role == "county_government" else main.name
        try:
            self.written = write_evaluation_documents(self.evaluation, folder, issuer)
        except ExportError as exc:
            self.summary.setText(str(exc))
            self.summary.setStyleSheet("color: #C00000")
            return []
        self.summary.setText(
            self.tr("已生成通报 1 份、整改通知 {n} 份：{dir}").format(
                n=len(self.written) - 1, dir=str(folder)
            )
        )
        return self.written
