"""新建年度报告: unit, role, year (the format follows the year), optionally based on last year's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ruian_desk.domain.formats import FormatError, format_for_year
from ruian_desk.domain.report import ROLES
from ruian_desk.gui.forms.ui_new_report_dialog import Ui_NewReportDialog
from ruian_desk.storage.repository import Repository


@dataclass(frozen=True)
class NewReportChoice:
    unit: str
    role: str
    year: int
    main_organ: bool
    from_previous: bool


def default_report_year(today: dt.date | None = None) -> int:
    """Reports are compiled in winter for the year just ended (published by 1月31日 / 3月31日)."""
    today = today or dt.date.today()
    return today.year - 1 if today.month <= 6 else today.year


class NewReportDialog(QDialog):
    def __init__(
        self,
        repo: Repository | None,
        from_previous: bool = False,
        unit: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ui = Ui_NewReportDialog()
        self.ui.setupUi(self)
        self.repo = repo
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("新建"))
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        for role, label in ROLES.items():
            self.ui.roleCombo.addItem(label, role)
        main = repo.main_organ() if repo is not None else None
        names = [u.name for u in repo.units(include_retired=False)] if repo is not None else []
        if main is not None and main.name in names:
            names.remove(main.name)
            names.insert(0, main.name)
        self.ui.unitCombo.addItems(names)
        self.ui.mainOrganCheck.setChecked(main is None)
        self.ui.mainOrganCheck.setEnabled(main is None or repo is None)
        if unit:
            self.ui.unitCombo.setCurrentText(unit)
        elif main is not None:
            self.ui.unitCombo.setCurrentText(main.name)
        else:
            self.ui.unitCombo.setCurrentText("")
            self.ui.roleCombo.setCurrentIndex(list(ROLES).index("county_government"))
        self.ui.yearSpin.setValue(default_report_year())
        if from_previous:
            self.setWindowTitle(self.tr("以上年报告为基础新建"))
            self.ui.fromPreviousCheck.setChecked(True)
            last = self._last_year(self.ui.unitCombo.currentText())
            if last is not None:
                self.ui.yearSpin.setValue(last + 1)
        self.ui.unitCombo.currentTextChanged.connect(self._update)
        self.ui.yearSpin.valueChanged.connect(self._update)
        self.ui.fromPreviousCheck.toggled.connect(self._update)
        self.ui.buttonBox.accepted.connect(self._accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._update()

    def _last_year(self, unit: str) -> int | None:
        if self.repo is None or not unit:
            return None
        years = [int(str(r["year"])) for r in self.repo.report_index() if r["unit"] == unit]
        return max(years) if years else None

    def _update(self, *_args: object) -> None:
        year = self.ui.yearSpin.value()
        format_ok = True
        try:
            fmt = format_for_year(year)
            self.ui.formatLabel.setText(f"{fmt.id}（{fmt.notice_no}，适用于{fmt.first_year}年度起）")
            self.ui.formatLabel.setStyleSheet("")
        except FormatError as exc:
            format_ok = False
            self.ui.formatLabel.setText(str(exc))
            self.ui.formatLabel.setStyleSheet("color: #d32f2f;")
        name = self.ui.unitCombo.currentText().strip()
        unit = self.repo.unit_by_name(name) if self.repo is not None and name else None
        if unit is not None:
            self.ui.roleCombo.setCurrentIndex(
                max(0, list(ROLES).index(unit.role) if unit.role in ROLES else 0)
            )
        self.ui.roleCombo.setEnabled(unit is None)
        has_prev = bool(self.repo is not None and name and self.repo.find_report(name, year - 1) is not None)
        exists = bool(self.repo is not None and name and self.repo.find_report(name, year) is not None)
        self.ui.fromPreviousCheck.setEnabled(has_prev)
        if not has_prev:
            self.ui.fromPreviousCheck.setChecked(False)
        if exists:
            self.ui.previousInfo.setText(self.tr("该单位{0}年的报告已存在，确定后直接打开它。").format(year))
        elif has_prev and self.ui.fromPreviousCheck.isChecked():
            self.ui.previousInfo.setText(
                self.tr(
                    "将复制{0}年报告的标题、引言和正文作为草稿；表三“上年结转”取自{0}年“结转下年度”，"
                    "表二基数（现行有效件数等）一并带入；指标保留名称，数值清空待填。"
                ).format(year - 1)
            )
        elif has_prev:
            self.ui.previousInfo.setText(
                self.tr("该单位有{0}年的报告，可勾选“以上年报告为基础”。").format(year - 1)
            )
        else:
            self.ui.previousInfo.setText(self.tr("新建空白报告：标题按单位和年度生成，表格为空白。"))
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("打开") if exists else self.tr("新建"))
        ok.setEnabled(bool(name) and format_ok)

    def choice(self) -> NewReportChoice:
        return NewReportChoice(
            unit=self.ui.unitCombo.currentText().strip(),
            role=str(self.ui.roleCombo.currentData()),
            year=self.ui.yearSpin.value(),
            main_organ=self.ui.mainOrganCheck.isChecked(),
            from_previous=self.ui.fromPreviousCheck.isChecked() and self.ui.fromPreviousCheck.isEnabled(),
        )

    def _accept(self) -> None:
        if not self.ui.unitCombo.currentText().strip():
            self.ui.previousInfo.setText(self.tr("请填写单位全称。"))
            return
        self.accept()
