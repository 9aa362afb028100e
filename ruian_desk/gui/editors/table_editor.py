"""The table editor page: title, banners, the grid of 表二/表三/表四 (`grid_view`) and its legend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ruian_desk.domain.report import SAMPLE_MARK
from ruian_desk.gui import style
from ruian_desk.gui.commands import store_setting
from ruian_desk.gui.editors.grid_view import DRILL_PREFIX, GridTableView, Index
from ruian_desk.gui.editors.table_model import KIND_ROLE, GridTableModel, rollup_units

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext

SCOPE_OWN, SCOPE_ROLLUP = "own", "rollup"
# The report setting `scope.tN` when it is not set: 表三/表四 are region-wide sums, 表二 the organ's own
# (DESIGN §3.2; the roll-up module holds the same defaults).
DEFAULT_SCOPES = {"t2": SCOPE_OWN, "t3": SCOPE_ROLLUP, "t4": SCOPE_ROLLUP}


class TableEditor(QWidget):
    """The page for one table: title, 示例数据 / 汇总 / 只读 banners, the grid, the legend."""

    def __init__(self, ctx: AppContext, table_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.table_id = table_id
        self.model = GridTableModel(ctx, table_id, parent=self)
        self.view = GridTableView(self.model, self)
        self.view.setObjectName(f"grid_{table_id}")

        self.title = style.page_title("", self)
        self.subtitle = QLabel(self)
        self.subtitle.setStyleSheet("color: #5f6368;")
        self.sample_banner = _banner(self, "#fff3cd", "#8a6d00")
        self.scope_banner = _banner(self, "#e8f0fe", "#174ea6")
        self.scope_banner.show()
        self.scope_button = QPushButton(self)
        self.scope_button.clicked.connect(self.toggle_scope)
        self.scope_row = QWidget(self)
        scope_layout = QHBoxLayout(self.scope_row)
        scope_layout.setContentsMargins(0, 0, 0, 0)
        scope_layout.addWidget(self.scope_banner, 1)
        scope_layout.addWidget(self.scope_button)
        self.scope_row.hide()
        self.readonly_banner = _banner(self, "#f1f3f4", "#3c4043")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")
        self.hint.setText(
            self.tr(
                "键盘：直接输入数字即替换 · Enter 下移 · Tab/Shift+Tab 下一格/上一格 · Delete 清空（空白不等于0）"
                " · Ctrl+V 粘贴 Excel/WPS 表格（“1,234”、全角数字均可） · Ctrl+Z 撤销"
            )
        )

        legend = QHBoxLayout()
        legend.setSpacing(14)
        for pix, text in (
            (style.swatch(style.DERIVED_BG), self.tr("自动计算（只读）")),
            (style.swatch(style.INPUT_BG, style.ERROR), self.tr("审核错误")),
            (style.swatch(style.INPUT_BG, style.WARNING), self.tr("审核警告")),
            (style.swatch(style.INPUT_BG, style.STATED, dashed=True), self.tr("来源文件填写的总计")),
            (style.swatch(style.SAMPLE_BG), self.tr(SAMPLE_MARK)),
        ):
            icon = QLabel(self)
            icon.setPixmap(pix)
            legend.addWidget(icon)
            legend.addWidget(QLabel(text, self))
        legend.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.sample_banner)
        layout.addWidget(self.scope_row)
        layout.addWidget(self.readonly_banner)
        layout.addWidget(self.view, 1)
        layout.addLayout(legend)
        layout.addWidget(self.hint)
        layout.addStretch(0)

        ctx.report_switched.connect(self._on_report_switched)
        ctx.report_changed.connect(self._on_changed)
        ctx.workspace_changed.connect(self._on_workspace_changed)
        ctx.workspace_changed.connect(self.model.refresh)
        ctx.flush_requested.connect(self.view.commit_open_editor)
        self.model.grid_rebuilt.connect(self.refresh_banners)
        self.view.doubleClicked.connect(self._on_double_click)
        self.refresh_banners()

    def _on_double_click(self, index: QModelIndex) -> None:
        """A cell of a rolled-up table: show each unit's contribution on the 单位 page (drill-down)."""
        cell = self.model.anchor(index)
        if self.model.rolled and cell is not None and cell.cell_id is not None:
            self.ctx.navigation_requested.emit(f"{DRILL_PREFIX}{cell.cell_id}")

    def _on_changed(self, report_id: int) -> None:
        if report_id == self.ctx.report_id:
            self.refresh_banners()

    def _on_report_switched(self, _report_id: int) -> None:
        self.refresh_banners()

    def _on_workspace_changed(self) -> None:
        self.refresh_banners()  # the roll-up scope or the main organ may have changed

    def refresh_banners(self) -> None:
        report = self.model.report
        fmt = self.model.fmt
        table = fmt.tables[self.table_id]
        self.title.setText(f"{table.part_title}")
        if report is None:
            self.subtitle.setText(self.tr("未打开报告"))
            for b in (self.sample_banner, self.scope_row, self.readonly_banner):
                b.hide()
            return
        self.subtitle.setText(f"{table.name} · {report.unit} · {report.year}年 · {fmt.id}（{fmt.notice_no}）")
        self.sample_banner.setVisible(self.model.is_sample_table())
        self.sample_banner.setText(
            self.tr("示例数据：本表数字为示例数据（由示例单位汇总），不是真实数据，正式报告前须替换。")
        )
        scope = self.scope()
        self.scope_row.setVisible(scope is not None)
        if scope is not None:
            units = len(rollup_units(report))
            if self.model.rolled:
                text = self.tr(
                    "本表为全市汇总：{0} 个单位的数据之和，只读。鼠标悬停或双击单元格可查看各单位的数；"
                    "修改请用左上角“单位”切换到该单位的报告。"
                ).format(units)
                button = self.tr("改为本级直接填写")
            elif scope == SCOPE_ROLLUP:
                text = self.tr("本表范围：汇总各单位。尚无可汇总的单位数据时，显示并可填写本级的数字。")
                button = self.tr("改为本级直接填写")
            else:
                text = self.tr("本表范围：本级直接填写（不汇总各单位）。")
                button = self.tr("改为汇总各单位")
            self.scope_banner.setText(text)
            self.scope_button.setText(button)
            self.scope_button.setEnabled(not self.ctx.readonly)
        self.readonly_banner.setVisible(self.ctx.readonly)
        self.readonly_banner.setText(self.tr("工作区以只读方式打开：可以查看，不能修改。"))

    def scope(self) -> str | None:
        """The roll-up scope of this table (`own` or `rollup`) for the main organ's report; None otherwise."""
        report = self.model.report
        main = self.ctx.repo.main_organ()
        if report is None or report.id is None or main is None or main.name != report.unit:
            return None
        value = self.ctx.repo.get_setting(report.id, f"scope.{self.table_id}")
        return value if value in (SCOPE_OWN, SCOPE_ROLLUP) else DEFAULT_SCOPES.get(self.table_id, SCOPE_OWN)

    def toggle_scope(self) -> bool:
        """Switch the table between 汇总各单位 and 本级直接填写 (report setting `scope.tN`)."""
        report = self.model.report
        scope = self.scope()
        if scope is None or report is None or report.id is None or self.ctx.readonly:
            return False
        new = SCOPE_OWN if scope == SCOPE_ROLLUP else SCOPE_ROLLUP
        table = self.model.fmt.tables[self.table_id].name
        text = f"{table}改为本级直接填写" if new == SCOPE_OWN else f"{table}改为汇总各单位"
        return store_setting(self.ctx, report.id, f"scope.{self.table_id}", new, text)

    def focus_target(self) -> QWidget:
        return self.view

    def select_cell(self, cell_id: str) -> bool:
        index = self.model.index_of(cell_id)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def current_cell_id(self) -> str | None:
        cell = self.model.anchor(self.view.currentIndex())
        return cell.cell_id if cell else None

    def snapshot_height(self) -> int:
        """Height of the page when the whole grid shows (used by `snapshot`)."""
        _, grid_h = self.view.full_size()
        return self.sizeHint().height() - self.view.sizeHint().height() + grid_h + 24

    def printable(self) -> QWidget:
        """The whole grid, unscrolled, with this page's title: what 打印当前表格 puts on paper."""
        sheet = QWidget()
        layout = QVBoxLayout(sheet)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"{self.title.text()}　{self.subtitle.text()}", sheet))
        grid = GridTableView(self.model, sheet)
        layout.addWidget(grid)
        width, height = self.view.full_size()
        grid.setFixedSize(width, height)
        grid.setMaximumHeight(height)
        sheet.adjustSize()
        grid.setFixedSize(width, height)
        return sheet

    def cell_kind(self, index: Index) -> str:
        return str(index.data(KIND_ROLE) or "")


def _banner(parent: QWidget, bg: str, fg: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setFrameShape(QFrame.Shape.NoFrame)
    label.setStyleSheet(
        f"background: {bg}; color: {fg}; padding: 6px 10px; border-radius: 3px; font-weight: bold;"
    )
    label.hide()
    return label
