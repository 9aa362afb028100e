"""The start page: new report, new from last year's, open a workspace, the sample, recent workspaces."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QWidget

from ruian_desk.domain.report import ROLES
from ruian_desk.gui.forms.ui_start_page import Ui_StartPage
from ruian_desk.storage.workspace import Workspace


class StartPage(QWidget):
    new_report_requested = Signal()
    from_previous_requested = Signal()
    open_requested = Signal()
    sample_requested = Signal()
    recent_chosen = Signal(str)
    report_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_StartPage()
        self.ui.setupUi(self)
        self.ui.titleLabel.setStyleSheet("font-size: 22pt; font-weight: bold; color: #174ea6;")
        self.ui.subtitleLabel.setStyleSheet("font-size: 11pt; color: #3c4043;")
        self.ui.footerLabel.setStyleSheet("color: #5f6368;")
        for label in (self.ui.actionsLabel, self.ui.reportsLabel, self.ui.recentLabel):
            label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        for button in (
            self.ui.newReportButton,
            self.ui.fromPreviousButton,
            self.ui.openButton,
            self.ui.sampleButton,
        ):
            button.setMinimumHeight(38)
            button.setStyleSheet("text-align: left; padding: 6px 14px; font-size: 11pt;")
        self.ui.newReportButton.clicked.connect(self.new_report_requested)
        self.ui.fromPreviousButton.clicked.connect(self.from_previous_requested)
        self.ui.openButton.clicked.connect(self.open_requested)
        self.ui.sampleButton.clicked.connect(self.sample_requested)
        self.ui.recentList.itemActivated.connect(self._recent_activated)
        self.ui.reportList.itemActivated.connect(self._report_activated)

    def set_recent(self, paths: list[str]) -> None:
        self.ui.recentList.clear()
        for path in paths:
            p = Path(path)
            item = QListWidgetItem(f"{p.name}\n{p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            if not p.exists():
                item.setText(f"{p.name}（文件不存在）\n{p.parent}")
                item.setForeground(Qt.GlobalColor.gray)
            self.ui.recentList.addItem(item)
        if not paths:
            empty = QListWidgetItem(self.tr("（还没有打开过工作区）"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.ui.recentList.addItem(empty)

    def set_workspace(self, ws: Workspace | None) -> None:
        self.ui.reportList.clear()
        has_reports = False
        if ws is None:
            self.ui.workspaceLabel.setText(self.tr("未打开工作区。新建报告时使用默认工作区。"))
        else:
            mode = self.tr("（只读）") if ws.readonly else ""
            self.ui.workspaceLabel.setText(self.tr("当前工作区{0}：{1}").format(mode, ws.path))
            main = ws.repo.main_organ()
            rows = ws.repo.report_index()
            rows.sort(
                key=lambda r: (
                    -int(str(r["year"])),
                    0 if main and r["unit_id"] == main.id else 1,
                    int(str(r["unit_id"])),
                )
            )
            for row in rows:
                role = ROLES.get(str(row["role"]), str(row["role"]))
                mark = self.tr("（主报告）") if main and row["unit_id"] == main.id else ""
                item = QListWidgetItem(f"{row['year']}年　{row['unit']}{mark}　· {role} · {row['format']}")
                item.setData(Qt.ItemDataRole.UserRole, int(str(row["id"])))
                self.ui.reportList.addItem(item)
                has_reports = True
        if not has_reports:
            empty = QListWidgetItem(
                self.tr("（本工作区还没有报告：请“新建年度报告”）") if ws else self.tr("（未打开工作区）")
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.ui.reportList.addItem(empty)
        self.ui.fromPreviousButton.setEnabled(has_reports)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.recent_chosen.emit(str(path))

    def _report_activated(self, item: QListWidgetItem) -> None:
        rid = item.data(Qt.ItemDataRole.UserRole)
        if rid is not None:
            self.report_chosen.emit(int(rid))
