"""新增单位 / 编辑单位: name, role, code, contact (a new name keeps the old one in the history)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ruian_desk.domain.report import ROLES, Unit


class UnitDialog(QDialog):
    """Add or edit a unit: name, role, code, contact. A new name keeps the old one in the history."""

    def __init__(
        self, unit: Unit | None = None, history: Sequence[tuple[str, str]] = (), parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑单位") if unit else self.tr("新增单位"))
        self.unit = unit
        form = QFormLayout(self)
        self.name = QLineEdit(unit.name if unit else "")
        self.role = QComboBox()
        for key, label in ROLES.items():
            self.role.addItem(label, key)
        self.role.setCurrentIndex(max(0, self.role.findData(unit.role if unit else "department")))
        self.code = QLineEdit(unit.code if unit else "")
        self.code.setPlaceholderText(self.tr("如门户网站的单位编码（area=…）"))
        self.contact = QLineEdit(unit.contact if unit else "")
        self.contact.setPlaceholderText(self.tr("联系人、电话"))
        form.addRow(self.tr("单位名称"), self.name)
        form.addRow(self.tr("类型"), self.role)
        form.addRow(self.tr("代码"), self.code)
        form.addRow(self.tr("联系人"), self.contact)
        if unit is not None:
            note = self.tr("改名后原名称保留在历史中，旧模板仍可导入。")
            if history:
                note += "\n" + self.tr("曾用名：") + "、".join(n for n, _ in history)
            hint = QLabel(note)
            hint.setWordWrap(True)
            form.addRow(hint)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C00000")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text().strip(),
            "role": str(self.role.currentData()),
            "code": self.code.text().strip(),
            "contact": self.contact.text().strip(),
        }

    def _accept(self) -> None:
        if not self.values()["name"]:
            self.error.setText(self.tr("请填写单位名称"))
            return
        self.accept()
