"""Before a re-import replaces a unit's data: every cell that changes, old → new."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.gui.units.model import show_value as _show


class ChangePreviewDialog(QDialog):
    """Before a re-import replaces a unit's data: every cell that changes, old → new."""

    def __init__(self, plan: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入将替换已有数据"))
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        n = len(plan.changes)
        head = self.tr("“{unit}”{year}年已有数据。导入“{file}”将替换其中 {n} 处：").format(
            unit=plan.unit.name, year=plan.year, file=plan.parsed.name, n=n
        )
        if not n:
            head = self.tr("“{unit}”{year}年已有数据，“{file}”中的数字与之相同，没有变化。").format(
                unit=plan.unit.name, year=plan.year, file=plan.parsed.name
            )
        label = QLabel(head)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.table = QTableWidget(n, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("位置"), self.tr("项目"), self.tr("原值"), self.tr("新值")]
        )
        for i, change in enumerate(plan.changes):
            for k, text in enumerate((change.ref, change.label, _show(change.old), _show(change.new))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if k >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, k, item)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        if plan.blank_to_zero:
            layout.addWidget(QLabel(self.tr("另有 {n} 个空白格将记为 0。").format(n=plan.blank_to_zero)))
        buttons = QDialogButtonBox()
        self.replace_button = buttons.addButton(self.tr("替换"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("跳过此文件"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
