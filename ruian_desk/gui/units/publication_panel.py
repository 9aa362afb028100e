"""发布情况 panel: per unit of the year its deadline, 发布日期, 链接, timeliness and the last 核验结果; a date and link
typed for the selected unit; the deadlines of the workspace edited. Bad input is named under the table, in red,
and nothing is stored."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.report import ROLES
from ruian_desk.gui.units.registry_tab import page_button
from ruian_desk.services import publication as pub

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage

COLUMNS = ("单位", "类别", "发布期限", "发布日期", "链接", "发布情况", "核验结果")
LATE_FG = QColor("#C00000")
OK_FG = QColor("#2E7D32")


class PublicationPanel(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.rows: list[pub.TrackRow] = []
        self.today: dt.date | None = None  # tests fix the date the timeliness is judged against

        v = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 250), (1, 90), (2, 90), (3, 90), (5, 170), (6, 170)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._on_selection)
        v.addWidget(self.table, 1)

        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("发布日期")))
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("2020-01-20")
        self.date_edit.setMaximumWidth(130)
        form.addWidget(self.date_edit)
        form.addWidget(QLabel(self.tr("链接")))
        self.link_edit = QLineEdit()
        self.link_edit.setPlaceholderText("https://")
        form.addWidget(self.link_edit, 1)
        self.record_button = page_button(self, "登记发布", self.record_selected)
        self.clear_button = page_button(self, "清除登记", self.clear_selected)
        form.addWidget(self.record_button)
        form.addWidget(self.clear_button)
        v.addLayout(form)

        dl = QHBoxLayout()
        dl.addWidget(QLabel(self.tr("发布期限（条例第四十九条）")))
        self.role_box = QComboBox()
        for role, label in ROLES.items():
            self.role_box.addItem(label, role)
        self.role_box.currentIndexChanged.connect(lambda _i: self._show_deadline())
        dl.addWidget(self.role_box)
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setMaximumWidth(90)
        dl.addWidget(self.deadline_edit)
        self.deadline_button = page_button(self, "修改期限", self.change_deadline)
        dl.addWidget(self.deadline_button)
        dl.addStretch(1)
        v.addLayout(dl)
        self.message = QLabel()
        self.message.setWordWrap(True)
        v.addWidget(self.message)
        self._show_deadline()

    # ----------------------------------------------------------------------------------- data

    def refresh(self) -> None:
        year = self.page.year()
        selected = self.selected_unit()
        self.rows = pub.tracking(self.ctx.repo, year, self.today) if year is not None else []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (
                row.unit.name,
                row.unit.role_label,
                row.deadline.isoformat(),
                row.date.isoformat() if row.date else "",
                row.link,
                row.status + (f"（{row.days_late}天）" if row.days_late else ""),
                row.verification,
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 5:
                    late = row.status in ("逾期发布", "逾期未发布")
                    item.setForeground(QBrush(LATE_FG if late else OK_FG if row.date else QColor("#595959")))
                if c == 6 and text and text != "一致":
                    item.setForeground(QBrush(LATE_FG))
                if c == 4 and text:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        if selected is not None:
            self.select(selected)
        self._show_deadline()

    def selected_unit(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()].unit.name

    def select(self, unit: str) -> bool:
        for r, row in enumerate(self.rows):
            if row.unit.name == unit:
                self.table.selectRow(r)
                return True
        return False

    def cell_text(self, unit: str, column: str) -> str:
        r = next(i for i, row in enumerate(self.rows) if row.unit.name == unit)
        item = self.table.item(r, COLUMNS.index(column))
        return item.text() if item is not None else ""

    def _on_selection(self) -> None:
        name = self.selected_unit()
        row = next((r for r in self.rows if r.unit.name == name), None)
        self.date_edit.setText(row.date.isoformat() if row and row.date else "")
        self.link_edit.setText(row.link if row else "")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C00000" if error else "color: #2E7D32")
        self.message.setText(text)

    # ---------------------------------------------------------------------------------- edits

    def record_selected(self) -> bool:
        name, year = self.selected_unit(), self.page.year()
        if name is None or year is None:
            self._say(self.tr("请先在表中选择一个单位"), error=True)
            return False
        try:
            pub.record_publication(self.ctx.repo, name, year, self.date_edit.text(), self.link_edit.text())
        except pub.PublicationError as exc:
            self._say(str(exc), error=True)
            return False
        self._say(self.tr("已登记“{unit}”{year}年报告的发布").format(unit=name, year=year))
        self._changed(name)
        return True

    def clear_selected(self) -> None:
        name, year = self.selected_unit(), self.page.year()
        if name is None or year is None:
            return
        if pub.clear_publication(self.ctx.repo, name, year):
            self._say(self.tr("已清除“{unit}”的发布登记").format(unit=name))
        self._changed(name)

    def _show_deadline(self) -> None:
        role = self.role_box.currentData()
        self.deadline_edit.setText(pub.deadlines(self.ctx.repo).get(str(role), ""))

    def change_deadline(self) -> bool:
        role = str(self.role_box.currentData())
        try:
            pub.set_deadline(self.ctx.repo, role, self.deadline_edit.text())
        except pub.PublicationError as exc:
            self._say(str(exc), error=True)
            return False
        self._say(
            self.tr("已修改{role}的发布期限：{d}").format(
                role=ROLES[role], d=pub.deadlines(self.ctx.repo)[role]
            )
        )
        self._changed(None)
        return True

    def _changed(self, unit: str | None) -> None:
        """W-DEADLINE reads these: the reports' checks must run again."""
        repo = self.ctx.repo
        year = self.page.year()
        self.refresh()
        if unit is not None:
            self.select(unit)
        rid = repo.find_report(unit, year) if unit is not None and year is not None else None
        if rid is not None:
            self.ctx.notify_changed(rid)
        self.ctx.notify_changed()  # the report on screen, whose W-DEADLINE may change too
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
