"""落款: the organ and the date printed under the report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.gui import style
from ruian_desk.gui.commands import store_field
from ruian_desk.gui.editors.fields import FieldBinding, UndoKeyFilter
from ruian_desk.gui.style import escape

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext


class SignaturePage(QWidget):
    """落款: the organ and the date under the report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        heading = style.page_title(self.tr("落款"), self)
        self.organ_edit = QLineEdit(self)
        self.organ_edit.setObjectName("field_sig_organ")
        self.organ_binding = FieldBinding(ctx, "sig_organ", self.organ_edit, self)
        self.date_check = QCheckBox(self.tr("落款写日期"), self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.installEventFilter(UndoKeyFilter(self))
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.preview.setStyleSheet(
            "background: white; border: 1px solid #dadce0; padding: 24px 48px; font-size: 13pt;"
        )
        self.preview.setMinimumHeight(140)
        note = QLabel(
            self.tr(
                "落款用于报送备案的纸质件（单位负责人签发并加盖公章）；网站发布稿和 PDF 可不带落款。"
                "报告日期通常在次年1月（部门）或3月31日前（本级政府）。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        form = QFormLayout()
        form.addRow(self.tr("落款机关(&O)"), self.organ_edit)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_check)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        date_label = QLabel(self.tr("落款日期(&D)"), self)
        date_label.setBuddy(self.date_check)
        form.addRow(date_label, date_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("预览"), self))
        layout.addWidget(self.preview)
        layout.addWidget(note)
        layout.addStretch(1)
        self._loading = False
        self.date_check.toggled.connect(self._store_date)
        self.date_edit.dateChanged.connect(self._store_date)
        self.organ_edit.textChanged.connect(self._update_preview)
        ctx.report_changed.connect(self._on_changed)
        ctx.report_switched.connect(self._on_report_switched)
        self.load()

    def focus_field(self, name: str) -> bool:
        widget = {"sig_organ": self.organ_edit, "sig_date": self.date_edit}.get(name)
        if widget is not None:
            widget.setFocus()
        return widget is not None

    def _on_changed(self, report_id: int) -> None:
        if report_id == self.ctx.report_id:
            self.load()

    def _on_report_switched(self, _report_id: int) -> None:
        self.load()

    def load(self) -> None:
        report = self.ctx.report()
        self._loading = True
        try:
            date = report.signature.date if report else None
            self.date_check.setChecked(date is not None)
            if date is not None:
                self.date_edit.setDate(QDate(date.year, date.month, date.day))
            elif report is not None:
                # A sensible first value when the box is ticked: the statutory publication deadline.
                self.date_edit.setDate(QDate(report.year + 1, 3, 31))
            self.date_edit.setEnabled(date is not None and not self.ctx.readonly)
            self.date_check.setEnabled(report is not None and not self.ctx.readonly)
        finally:
            self._loading = False
        self._update_preview()

    def _store_date(self, *_args: object) -> None:
        if self._loading:
            return
        report = self.ctx.report()
        if report is None or report.id is None:
            return
        self.date_edit.setEnabled(self.date_check.isChecked())
        value = None
        if self.date_check.isChecked():
            q = self.date_edit.date()
            value = dt.date(q.year(), q.month(), q.day()).isoformat()
        store_field(self.ctx, report.id, "sig_date", value)

    def _update_preview(self, *_args: object) -> None:
        organ = self.organ_edit.text()
        date = ""
        if self.date_check.isChecked():
            q = self.date_edit.date()
            date = f"{q.year()}年{q.month()}月{q.day()}日"
        self.preview.setText(f"{escape(organ)}<br>{date}")
