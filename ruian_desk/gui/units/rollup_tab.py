"""汇总与明细 tab: the main report's roll-up scopes, its tables with unverified sums marked, the drill-down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.formats import TABLE_NAMES
from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.report import CellValue, format_number
from ruian_desk.domain.rollup import (
    ROLLUP_TABLES,
    SCOPE_OWN,
    SCOPE_ROLLUP,
    RolledUpReport,
    contributions,
    scope_key,
    scopes_from_settings,
)
from ruian_desk.exchange.tracker import HAS_ERRORS
from ruian_desk.gui.units.model import ERROR_FG, LABEL_BG, UNVERIFIED_BG, issue_item

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage


class RollupTab(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        v = QVBoxLayout(self)
        scopes = QGroupBox(self.tr("汇总口径（主报告单位）"))
        sh = QHBoxLayout(scopes)
        self.scope_boxes: dict[str, QComboBox] = {}
        for table in ROLLUP_TABLES:
            sh.addWidget(QLabel(TABLE_NAMES[table]))
            box = QComboBox()
            own = self.tr("市本级（本级填写）") if table == "t2" else self.tr("本级填写")
            box.addItem(own, SCOPE_OWN)
            box.addItem(self.tr("汇总各单位"), SCOPE_ROLLUP)
            box.currentIndexChanged.connect(lambda _i, t=table: self._on_scope(t))
            self.scope_boxes[table] = box
            sh.addWidget(box)
        sh.addStretch(1)
        v.addWidget(scopes)
        self.rollup_notes = QListWidget()
        self.rollup_notes.setMaximumHeight(96)
        self.rollup_notes.setWordWrap(True)
        v.addWidget(self.rollup_notes)

        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("表格")))
        self.grid_table = QComboBox()
        for table in ROLLUP_TABLES:
            self.grid_table.addItem(TABLE_NAMES[table], table)
        self.grid_table.setCurrentIndex(1)
        self.grid_table.currentIndexChanged.connect(lambda _i: self.fill_grid())
        pick.addWidget(self.grid_table)
        self.grid_note = QLabel()
        pick.addWidget(self.grid_note, 1)
        v.addLayout(pick)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.grid = QTableWidget()
        self.grid.horizontalHeader().setVisible(False)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setWordWrap(True)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.cellClicked.connect(self._on_grid_click)
        split.addWidget(self.grid)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.drill_title = QLabel(self.tr("点击左侧数字查看各单位的构成"))
        self.drill_title.setWordWrap(True)
        rv.addWidget(self.drill_title)
        self.drill = QTableWidget(0, 3)
        self.drill.setHorizontalHeaderLabels([self.tr("单位"), self.tr("数值"), self.tr("状态")])
        self.drill.verticalHeader().setVisible(False)
        self.drill.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):  # the figure and the status as wide as they are; the name takes the rest
            self.drill.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.drill.setWordWrap(True)  # a long unit name wraps onto a second line instead of ending in "…"
        self.drill.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.drill.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rv.addWidget(self.drill)
        split.addWidget(right)
        split.setSizes([760, 340])
        v.addWidget(split, 1)

    def refresh(self) -> None:
        page = self.page
        main_id = page.main_report_id()
        readonly = self.ctx.readonly
        settings = {}
        if main_id is not None:
            settings = {scope_key(t): self.ctx.repo.get_setting(main_id, scope_key(t)) for t in ROLLUP_TABLES}
        scopes = scopes_from_settings(settings)
        for table, box in self.scope_boxes.items():
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(scopes[table]))
            box.setEnabled(main_id is not None and not readonly)
            box.blockSignals(False)
        self.rollup_notes.clear()
        if main_id is None:
            self.rollup_notes.addItem(self.tr("主报告单位本年度还没有报告，无法汇总"))
        else:
            issues = [i for i in page.main_issues if i.rule.startswith("X-AGG")]
            if not issues:
                self.rollup_notes.addItem(self.tr("汇总检查未发现问题"))
            for issue in issues:
                self.rollup_notes.addItem(issue_item(issue))
        self.fill_grid()

    def _error_units(self) -> set[str]:
        return {s.unit.name for s in self.page.statuses if s.status == HAS_ERRORS}

    def fill_grid(self) -> None:
        self.grid.clear()
        self.grid.clearSpans()
        report = self.page.rolled
        table = self.grid_table.currentData()
        if report is None or table not in report.fmt.tables:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.grid_note.setText("")
            return
        grid = table_grid(report.format_id, table)
        self.grid.setRowCount(grid.n_rows)
        self.grid.setColumnCount(grid.n_cols)
        rolled = (
            isinstance(report, RolledUpReport)
            and report.rollup is not None
            and table in report.rollup.rolled_tables
        )
        units = self.page.rollup_units()
        bad = self._error_units()
        for gc in grid.cells:
            if gc.rowspan > 1 or gc.colspan > 1:
                self.grid.setSpan(gc.row, gc.col, gc.rowspan, gc.colspan)
            if gc.cell_id is None:
                item = QTableWidgetItem(gc.text)
                item.setBackground(QBrush(LABEL_BG))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                item = QTableWidgetItem(format_number(report.values.get(gc.cell_id), "0"))
                item.setData(Qt.ItemDataRole.UserRole, gc.cell_id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if rolled and bad:
                    suspect = [name for name, v in contributions(gc.cell_id, units) if v and name in bad]
                    if suspect:
                        item.setBackground(QBrush(UNVERIFIED_BG))
                        item.setToolTip(self.tr("含未通过审核单位的数据：") + "、".join(suspect))
                if report.fmt.cells[gc.cell_id].derived:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
            self.grid.setItem(gc.row, gc.col, item)
        metrics = self.grid.fontMetrics()
        widths = [64] * grid.n_cols
        for gc in grid.cells:
            if gc.cell_id is None and gc.colspan == 1 and gc.text:
                want = metrics.horizontalAdvance(gc.text) + 16
                widths[gc.col] = max(widths[gc.col], min(want, 90 if gc.rowspan >= 3 else 300))
        for col, width in enumerate(widths):
            self.grid.setColumnWidth(col, width)
        self.grid.resizeRowsToContents()
        scope = (
            self.tr("各单位之和（{n} 个单位）").format(n=len(units))
            if rolled
            else self.tr("本级填写的数（未汇总）")
        )
        self.grid_note.setText(self.tr("{table}：{scope}").format(table=TABLE_NAMES[table], scope=scope))

    def _on_grid_click(self, row: int, col: int) -> None:
        item = self.grid.item(row, col)
        cell_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if cell_id:
            self.show_drilldown(str(cell_id))

    def show_drilldown(self, cell_id: str) -> list[tuple[str, CellValue]]:
        """List each unit's contribution to a cell of the main report (the 汇总 drill-down)."""
        report = self.page.rolled
        units = self.page.rollup_units()
        rows = contributions(cell_id, units)
        label = report.fmt.cell(cell_id).label if report is not None else cell_id
        rolled = (
            isinstance(report, RolledUpReport)
            and report.rollup is not None
            and report.fmt.cell(cell_id).table in report.rollup.rolled_tables
        )
        total = report.values.get(cell_id) if report is not None else None
        head = f"{label}：{format_number(total, '0')}"
        if not rolled:
            head += self.tr("（本表为本级填写，下列各单位的数未计入）")
        self.drill_title.setText(head)
        statuses = {s.unit.name: s for s in self.page.statuses}
        self.drill.setRowCount(len(rows) + 1)
        for i, (name, value) in enumerate(rows):
            status = statuses.get(name)
            state = status.status if status is not None else ""
            cells = [
                QTableWidgetItem(name),
                QTableWidgetItem(format_number(value, "—")),
                QTableWidgetItem(state),
            ]
            cells[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if state == HAS_ERRORS:
                for c in cells:
                    c.setForeground(QBrush(ERROR_FG))
                cells[2].setText(self.tr("有错（未核实）"))
            for k, c in enumerate(cells):
                self.drill.setItem(i, k, c)
        sum_row = [
            QTableWidgetItem(self.tr("合计")),
            QTableWidgetItem(format_number(_sum(v for _, v in rows), "0")),
            QTableWidgetItem(""),
        ]
        for c in sum_row:
            font = c.font()
            font.setBold(True)
            c.setFont(font)
        sum_row[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for k, c in enumerate(sum_row):
            self.drill.setItem(len(rows), k, c)
        self.drill.resizeRowsToContents()
        self.page.tabs.setCurrentWidget(self)
        return rows

    def _on_scope(self, table: str) -> None:
        main_id = self.page.main_report_id()
        if main_id is None or self.ctx.readonly:
            return
        value = self.scope_boxes[table].currentData()
        self.set_scope(table, str(value))

    def set_scope(self, table: str, scope: str) -> None:
        main_id = self.page.main_report_id()
        if main_id is None:
            return
        from ruian_desk.gui.commands import store_setting

        label = TABLE_NAMES.get(table, table)
        text = f"{label}改为汇总各单位" if scope == "rollup" else f"{label}改为本级直接填写"
        store_setting(self.ctx, main_id, scope_key(table), scope, text)  # undoable: it changes the numbers
        self.page.refresh()


def _sum(values: Any) -> CellValue:
    total: CellValue = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total
