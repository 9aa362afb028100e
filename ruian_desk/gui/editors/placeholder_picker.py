"""The placeholder list of the narrative editors: a metric, cell or subtotal to quote, with its current value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.narrative import placeholder_choices, placeholder_value
from ruian_desk.domain.report import Report


class PlaceholderPicker(QDialog):
    """Choose a metric, cell or subtotal to quote; the list shows each one's current value."""

    def __init__(self, report: Report, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("插入占位符"))
        self.resize(720, 520)
        self.report = report
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("输入关键字筛选，如“新收”“开通率”“予以公开”"))
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        for key, desc in placeholder_choices(report):
            value = placeholder_value(report, key)
            item = QListWidgetItem(f"{desc}　=　{value if value not in (None, '') else '（空）'}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{{{{{key}}}}}")
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("插入"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("占位符在导出和预览时替换为当前数值，表格或指标修改后自动更新。"), self)
        )
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self.accept)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self._apply_filter("")

    def _apply_filter(self, text: str) -> None:
        words = text.split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = item.text() + " " + str(item.data(Qt.ItemDataRole.UserRole))
            hide = any(w not in hay for w in words)
            item.setHidden(hide)
            if not hide and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def chosen_key(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else str(item.data(Qt.ItemDataRole.UserRole))
