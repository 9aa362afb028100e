"""The placeholder list of the narrative editors: a metric, cell or subtotal to quote, with its current value.

Driven by keys alone: type to filter (the filter box keeps the focus), ↑/↓/PgUp/PgDn/Home/End move the
selection, Enter inserts the selected one (not the first match), Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.narrative import placeholder_choices, placeholder_value
from ruian_desk.domain.report import Report

KEY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("名称", "单元格", "当前值")
# Keys typed in the filter box that move the list's selection.
_MOVE_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


def split_label(key: str, desc: str) -> tuple[str, str]:
    """(name, cell) of a choice: “总计” and “表三 一、本年新收政府信息公开申请数量” for t3.new.total."""
    if desc.startswith("指标："):
        return desc.removeprefix("指标："), "指标"
    if "/ " in desc:
        where, name = desc.rsplit("/ ", 1)
        return name.strip(), where.strip()
    if "·" in desc:
        where, name = desc.rsplit("·", 1)
        return name, where.replace("·", " · ")
    return desc, key.split(".", 1)[0]


class PlaceholderPicker(QDialog):
    """Choose a metric, cell or subtotal to quote; the list shows its name, its cell and its current value."""

    def __init__(self, report: Report, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("插入占位符"))
        self.report = report
        self.filter = QLineEdit(self)
        self.filter.setObjectName("placeholderFilter")
        self.filter.setPlaceholderText(
            self.tr("输入关键字筛选，如“新收 总计”“开通率”；↑↓ 选择，Enter 插入，Esc 取消")
        )
        self.list = QTreeWidget(self)
        self.list.setObjectName("placeholderList")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        cw = self.fontMetrics().horizontalAdvance("中")
        header.resizeSection(0, cw * 16)
        items = []
        for key, desc in placeholder_choices(report):
            value = placeholder_value(report, key)
            name, cell = split_label(key, desc)
            item = QTreeWidgetItem([name, cell, value if value not in (None, "") else self.tr("（空）")])
            item.setData(0, KEY_ROLE, key)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = f"{desc}\n{{{{{key}}}}}"
            for col in range(len(COLUMNS)):
                item.setToolTip(col, tip)
            items.append(item)
        self.list.addTopLevelItems(items)
        self._items = items
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("插入"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("占位符在导出和预览时替换为当前数值，表格或指标修改后自动更新。"), self)
        )
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self.accept)
        self.filter.installEventFilter(self)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item, _col: self.accept())
        self.list.itemDoubleClicked.connect(lambda _item, _col: self.accept())
        self._apply_filter("")
        self.filter.setFocus()

    def fit_to(self, available_width: int, available_height: int) -> None:
        self.resize(min(860, available_width - 40), min(560, available_height - 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.filter and key in _MOVE_KEYS:
            # The arrows move the list's selection while the filter keeps the focus (type, ↓, ↓, Enter).
            QCoreApplication.sendEvent(
                self.list, QKeyEvent(event.type(), key, event.modifiers(), event.text())
            )
            return True
        if watched is self.filter and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return True
        if watched is self.list and event.text().isprintable() and event.text().strip():
            # Typing in the list goes on filtering.
            self.filter.setFocus()
            self.filter.insert(event.text())
            return True
        if watched is self.list and key == Qt.Key.Key_Backspace:
            self.filter.setFocus()
            self.filter.backspace()
            return True
        return False

    def visible_items(self) -> list[QTreeWidgetItem]:
        return [item for item in self._items if not item.isHidden()]

    def _apply_filter(self, text: str) -> None:
        words = text.split()
        shown = 0
        for item in self._items:
            hay = " ".join(item.text(c) for c in range(len(COLUMNS))) + " " + str(item.data(0, KEY_ROLE))
            hide = any(w.lower() not in hay.lower() for w in words)
            item.setHidden(hide)
            shown += 0 if hide else 1
        current = self.list.currentItem()
        if current is None or current.isHidden():
            visible = self.visible_items()
            if visible:
                self.list.setCurrentItem(visible[0])
            else:
                self.list.setCurrentIndex(QModelIndex())
        current = self.list.currentItem()
        if current is not None:
            self.list.scrollToItem(current)
        self.count.setText(self.tr("共 {0} 项").format(shown) if shown else self.tr("没有匹配的项"))

    def chosen_key(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else str(item.data(0, KEY_ROLE))

    def accept(self) -> None:
        if self.chosen_key() is None:
            return  # nothing matches: stay open
        super().accept()
