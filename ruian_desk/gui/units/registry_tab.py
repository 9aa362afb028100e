"""单位与报送 tab: the units of the year with their status, the selected unit's findings, registry edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.exchange.tracker import (
    CONFIRMED,
    REPORTED,
    ConfirmError,
    UnitStatus,
)
from ruian_desk.gui.dialogs.unit_dialog import UnitDialog
from ruian_desk.gui.units.model import UnitsModel, issue_item, short_time
from ruian_desk.services import tracker

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage


def page_button(owner: QWidget, text: str, slot: Callable[[], object], writes: bool = True) -> QPushButton:
    """A tab's button; `writes` ones are disabled in a read-only workspace and while a worker runs."""
    b = QPushButton(owner.tr(text))
    b.clicked.connect(lambda _checked=False: slot())
    b.setProperty("writes", writes)
    return b


class RegistryTab(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = page_button(self, "新增单位…", self._on_add)
        self.edit_button = page_button(self, "编辑/改名…", self._on_edit)
        self.retire_button = page_button(self, "撤销单位", self._on_retire)
        self.open_button = page_button(self, "打开此单位报告", self._on_open_report)
        self.confirm_button = page_button(self, "确认数据", self._on_confirm)
        self.unconfirm_button = page_button(self, "取消确认", self._on_unconfirm)
        for b in (
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.open_button,
            self.confirm_button,
            self.unconfirm_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        self.show_retired = QCheckBox(self.tr("显示已撤销单位"))
        self.show_retired.toggled.connect(lambda _c: page.refresh())
        bar.addWidget(self.show_retired)
        v.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setModel(page.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(UnitsModel.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # The widths from the rows on screen, not from all of 500 units' rows at every layout (which asked the
        # model for 60,000 values when the page was shown); the status column, whose longest texts may be
        # off screen, as wide as the longest status there is.
        header.setResizeContentsPrecision(0)
        header.setSectionResizeMode(UnitsModel.STATUS_COL, QHeaderView.ResizeMode.Interactive)
        longest = max(self.table.fontMetrics().horizontalAdvance(t) for t in UnitsModel.STATUS_TEXTS)
        self.table.setColumnWidth(
            UnitsModel.STATUS_COL, longest + 3 * self.table.fontMetrics().averageCharWidth()
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_selection())
        self.table.doubleClicked.connect(lambda _i: self._on_open_report())
        split.addWidget(self.table)

        detail = QWidget()
        dv = QVBoxLayout(detail)
        dv.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        dv.addWidget(self.detail_title)
        self.issue_list = QListWidget()
        self.issue_list.setWordWrap(True)
        dv.addWidget(self.issue_list)
        split.addWidget(detail)
        split.setSizes([420, 180])
        v.addWidget(split, 1)
        legend = QLabel(
            self.tr("橙色底：参与汇总但尚未报送；红字：数据有错误（汇总数含未核实数据）；绿字：已确认。")
        )
        legend.setStyleSheet("color: #595959")
        v.addWidget(legend)

    # -------------------------------------------------------------------------------- selection

    def selected_unit_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.page.model.data(rows[0], Qt.ItemDataRole.UserRole)

    def selected_status(self) -> UnitStatus | None:
        uid = self.selected_unit_id()
        return self.page.status_of(uid) if uid is not None else None

    def select_unit(self, unit_id: int) -> bool:
        for i, row in enumerate(self.page.model.rows):
            if row.unit.id == unit_id:
                self.table.selectRow(i)
                return True
        return False

    def show_selection(self) -> None:
        status = self.selected_status()
        writable = not self.ctx.readonly and not self.page.busy
        for b in (
            self.edit_button,
            self.retire_button,
            self.open_button,
            self.confirm_button,
            self.unconfirm_button,
        ):
            b.setEnabled(status is not None and (writable or b is self.open_button))
        self.issue_list.clear()
        if status is None:
            self.detail_title.setText(self.tr("选择一个单位查看其审核结果"))
            return
        self.retire_button.setText(self.tr("恢复单位") if status.unit.retired else self.tr("撤销单位"))
        self.confirm_button.setEnabled(writable and status.status in (REPORTED,) and not status.is_main)
        self.unconfirm_button.setEnabled(writable and status.status == CONFIRMED)
        history = self.ctx.repo.unit_name_history(int(status.unit.id or 0))
        bits = [f"<b>{status.unit.name}</b>（{status.unit.role_label}）"]
        if history:
            bits.append(self.tr("曾用名：") + "、".join(n for n, _ in history))
        if status.last_import:
            bits.append(
                self.tr("最近导入：{file}（{at}）").format(
                    file=status.last_import.get("file"), at=short_time(status.last_import.get("at"))
                )
            )
        self.detail_title.setText("　".join(bits))
        shown = [i for i in status.issues if i.severity in ("error", "warning")]
        if not shown:
            text = self.tr("尚未报送") if status.report_id is None else self.tr("审核未发现错误或警告")
            self.issue_list.addItem(text)
        for issue in shown:
            self.issue_list.addItem(issue_item(issue))

    # ---------------------------------------------------------------------------- registry edits

    def _on_add(self) -> None:
        dialog = UnitDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.page.add_unit(**dialog.values())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("新增单位"), str(exc))

    def _on_edit(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        history = self.ctx.repo.unit_name_history(int(status.unit.id or 0))
        dialog = UnitDialog(status.unit, history, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.page.update_unit(int(status.unit.id or 0), **dialog.values())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("编辑单位"), str(exc))

    def _on_retire(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.is_main:
            QMessageBox.information(self, self.tr("撤销单位"), self.tr("主报告单位不能撤销"))
            return
        retire = not status.unit.retired
        year = self.page.year()
        if retire:
            answer = QMessageBox.question(
                self,
                self.tr("撤销单位"),
                self.tr(
                    "撤销“{name}”？撤销后不再参与{year}的汇总、不再下发模板；"
                    "以前年度已报送的数字仍计入当年汇总。已有报告保留，可随时恢复。"
                ).format(
                    name=status.unit.name,
                    year=self.tr("本年度（{0}年）").format(year) if year else self.tr("以后"),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.page.set_retired(int(status.unit.id or 0), retire)

    def _on_open_report(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.report_id is None and self.ctx.readonly:
            QMessageBox.information(self, self.tr("打开报告"), self.tr("该单位尚无报告，只读工作区不能新建"))
            return
        self.page.open_unit_report(int(status.unit.id or 0))

    def _on_confirm(self) -> None:
        status = self.selected_status()
        year = self.page.year()
        if status is None or year is None:
            return
        try:
            tracker.confirm(self.ctx.repo, int(status.unit.id or 0), year)
        except ConfirmError as exc:
            QMessageBox.warning(self, self.tr("确认数据"), str(exc))
            return
        self.page.notify_main()
        self.page.refresh()

    def _on_unconfirm(self) -> None:
        status = self.selected_status()
        year = self.page.year()
        if status is None or year is None:
            return
        tracker.unconfirm(self.ctx.repo, int(status.unit.id or 0), year)
        self.page.refresh()
