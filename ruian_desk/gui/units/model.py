"""The units of a year with their submission status (the 单位 page's table model) and the page's colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidgetItem

from ruian_desk.domain.report import CellValue, format_number
from ruian_desk.domain.rules import SEVERITY_LABELS, Issue
from ruian_desk.exchange.tracker import CONFIRMED, HAS_ERRORS, STATUSES, UnitStatus

MISSING_BG = QColor("#FCE4D6")  # included but not reported yet
ERROR_FG = QColor("#C00000")
CONFIRMED_FG = QColor("#2E7D32")
RETIRED_FG = QColor("#8C8C8C")
UNVERIFIED_BG = QColor("#FFF2CC")  # a roll-up cell that includes a unit with errors
LABEL_BG = QColor("#F2F2F2")

# What `data` and `flags` answer, made once: the view asks for every role of every cell shown at each paint
# (thousands of calls at 200 units), and an enum's `|` or a member looked up per call is most of each one.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_CHECK = Qt.ItemDataRole.CheckStateRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_USER = Qt.ItemDataRole.UserRole
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_CHECKABLE_FLAGS = _FLAGS | Qt.ItemFlag.ItemIsUserCheckable
_MISSING_BRUSH, _ERROR_BRUSH = QBrush(MISSING_BG), QBrush(ERROR_FG)
_CONFIRMED_BRUSH, _RETIRED_BRUSH = QBrush(CONFIRMED_FG), QBrush(RETIRED_FG)


# ---------------------------------------------------------------------------------------- model


class UnitsModel(QAbstractTableModel):
    """The units of a year with their submission status; 参与汇总 is checkable."""

    inclusion_toggled = Signal(int, bool)  # unit id, included

    COLUMNS = (
        "单位名称",
        "类型",
        "代码",
        "联系人",
        "参与汇总",
        "状态",
        "模板下发",
        "最近导入",
        "错误",
        "警告",
        "发布日期",
        "链接",
        "核验结果",
    )
    INCLUDED_COL = 4
    STATUS_COL = 5
    # Every text the status column can show (its width): see status_text.
    STATUS_TEXTS = ("主报告单位（汇总）", "已撤销", *(f"不参与汇总（{s}）" for s in STATUSES), *STATUSES)
    PUBLISHED_COL = 10  # 发布日期, 链接, 核验结果 (issue 12's tracking)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[UnitStatus] = []
        self.published: dict[int, tuple[str, str, str, bool]] = {}  # unit id → date, link, 核验结果, late
        self.readonly = False

    def set_rows(
        self, rows: Sequence[UnitStatus], published: dict[int, tuple[str, str, str, bool]] | None = None
    ) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if published is not None:
            self.published = published
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def status_text(self, row: UnitStatus) -> str:
        if row.is_main:
            return "主报告单位（汇总）"
        if row.unit.retired:
            return "已撤销"
        if not row.included:
            return f"不参与汇总（{row.status}）"
        return row.status

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            return self._display(row, col)
        if role == _CHECK and col == self.INCLUDED_COL and not row.is_main:
            return _CHECKED if row.included else _UNCHECKED
        if role == _BACKGROUND and row.missing:
            return _MISSING_BRUSH
        if role == _FOREGROUND:
            return self._foreground(row, col)
        if role == _FONT and (row.is_main or (col == self.STATUS_COL and row.missing)):
            font = QFont()
            font.setBold(True)
            return font
        if role == _TOOLTIP:
            if row.missing:
                return "参与汇总但尚未报送"
            if row.status == HAS_ERRORS:
                return "数据有错误：汇总数中该单位的数据未经核实，请退回审核意见"
            if col == 7 and row.last_import:
                return str(row.last_import.get("result") or "")
        if role == _ALIGNMENT and col in (8, 9):
            return _RIGHT
        if role == _USER:
            return row.unit.id
        return None

    def _foreground(self, row: UnitStatus, col: int) -> QBrush | None:
        if row.unit.retired:
            return _RETIRED_BRUSH
        if col in (self.STATUS_COL, 8) and row.status == HAS_ERRORS:
            return _ERROR_BRUSH
        if col == self.STATUS_COL and row.status == CONFIRMED:
            return _CONFIRMED_BRUSH
        if col >= self.PUBLISHED_COL:
            pub = self.published.get(int(row.unit.id or 0))
            if pub and (
                (col == self.PUBLISHED_COL and pub[3])
                or (col == self.PUBLISHED_COL + 2 and pub[2] not in ("", "一致"))
            ):
                return _ERROR_BRUSH
        return None

    def _display(self, row: UnitStatus, col: int) -> str:
        if col == 0:
            return row.unit.name
        if col == 1:
            return row.unit.role_label
        if col == 2:
            return row.unit.code
        if col == 3:
            return row.unit.contact
        if col == self.INCLUDED_COL:
            return "—" if row.is_main else ("是" if row.included else "否")
        if col == self.STATUS_COL:
            return self.status_text(row)
        if col == 6:
            return short_time(row.issued.get("at")) if row.issued else ""
        if col == 7:
            if not row.last_import:
                return ""
            result = str(row.last_import.get("result") or "")
            mark = "（已拒绝）" if result.startswith("已拒绝") else ""
            return f"{short_time(row.last_import.get('at'))}{mark}"
        if col == 8:
            return str(row.errors) if row.report_id is not None else ""
        if col == 9:
            return str(row.warnings) if row.report_id is not None else ""
        if col >= self.PUBLISHED_COL:
            pub = self.published.get(int(row.unit.id or 0))
            return str(pub[col - self.PUBLISHED_COL]) if pub else ""
        return ""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags  # the root (Qt's model tester holds models to this)
        if index.column() == self.INCLUDED_COL and not self.rows[index.row()].is_main and not self.readonly:
            return _CHECKABLE_FLAGS
        return _FLAGS

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.INCLUDED_COL or self.readonly:
            return False
        row = self.rows[index.row()]
        if row.is_main:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.inclusion_toggled.emit(int(row.unit.id or 0), bool(checked))
        return True


def short_time(value: object) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ")


def show_value(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


def issue_item(issue: Issue) -> QListWidgetItem:
    label = SEVERITY_LABELS.get(issue.severity, issue.severity)
    mark = "（已说明）" if issue.explained else ""
    item = QListWidgetItem(f"[{label}] {issue.message}{mark}")
    if issue.severity == "error":
        item.setForeground(QBrush(ERROR_FG))
    item.setToolTip(issue.rule)
    return item
