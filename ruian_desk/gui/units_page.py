"""单位/报送/汇总 page: units registry, submission tracker, Excel templates out and in, 审核意见, roll-up
scopes and drill-down."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.formats import TABLE_NAMES
from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.report import ROLES, CellValue, Report, Unit, default_report, format_number
from ruian_desk.domain.rollup import (
    ROLLUP_TABLES,
    SCOPE_OWN,
    SCOPE_ROLLUP,
    RolledUpReport,
    contributions,
    scope_key,
    scopes_from_settings,
)
from ruian_desk.domain.rules import SEVERITY_LABELS, Issue
from ruian_desk.exchange.tracker import (
    CONFIRMED,
    HAS_ERRORS,
    NOT_REPORTED,
    REPORTED,
    ConfirmError,
    UnitStatus,
    confirm_unit,
    unconfirm_unit,
    unit_statuses,
)
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.workers import Worker, preload_worker_modules
from ruian_desk.storage.assemble import effective_report

MISSING_BG = QColor("#FCE4D6")  # included but not reported yet
ERROR_FG = QColor("#C00000")
CONFIRMED_FG = QColor("#2E7D32")
RETIRED_FG = QColor("#8C8C8C")
UNVERIFIED_BG = QColor("#FFF2CC")  # a roll-up cell that includes a unit with errors
LABEL_BG = QColor("#F2F2F2")


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
    )
    INCLUDED_COL = 4
    STATUS_COL = 5

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[UnitStatus] = []
        self.readonly = False

    def set_rows(self, rows: Sequence[UnitStatus]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
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
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == self.INCLUDED_COL and not row.is_main:
            return Qt.CheckState.Checked if row.included else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and row.missing:
            return QBrush(MISSING_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.unit.retired:
                return QBrush(RETIRED_FG)
            if col in (self.STATUS_COL, 8) and row.status == HAS_ERRORS:
                return QBrush(ERROR_FG)
            if col == self.STATUS_COL and row.status == CONFIRMED:
                return QBrush(CONFIRMED_FG)
        if role == Qt.ItemDataRole.FontRole and (row.is_main or (col == self.STATUS_COL and row.missing)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.missing:
                return "参与汇总但尚未报送"
            if row.status == HAS_ERRORS:
                return "数据有错误：汇总数中该单位的数据未经核实，请退回审核意见"
            if col == 7 and row.last_import:
                return str(row.last_import.get("result") or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (8, 9):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.unit.id
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
            return _short_time(row.issued.get("at")) if row.issued else ""
        if col == 7:
            if not row.last_import:
                return ""
            result = str(row.last_import.get("result") or "")
            mark = "（已拒绝）" if result.startswith("已拒绝") else ""
            return f"{_short_time(row.last_import.get('at'))}{mark}"
        if col == 8:
            return str(row.errors) if row.report_id is not None else ""
        if col == 9:
            return str(row.warnings) if row.report_id is not None else ""
        return ""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (
            index.isValid()
            and index.column() == self.INCLUDED_COL
            and not self.rows[index.row()].is_main
            and not self.readonly
        ):
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

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


def _short_time(value: object) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ")


# --------------------------------------------------------------------------------------- dialogs


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


def _show(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


# ------------------------------------------------------------------------------------------ page


class UnitsPage(QWidget):
    """单位/报送/汇总. Writes go through `ctx.repo` (one transaction each), then `ctx.notify_*`."""

    import_finished = Signal(list)  # list[FileResult]
    templates_finished = Signal(list)  # list[Path]
    busy_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._workers: list[Worker] = []  # keep running workers (and their signals) alive
        self._statuses: list[UnitStatus] = []
        self._rolled: Report | None = None
        self._main_issues: list[Issue] = []
        self._busy = False
        # Hooks replaced in tests; by default they ask the clerk.
        self.confirm_replace: Callable[[Any], bool] = self._ask_replace
        self.ask_directory: Callable[[str], str] = self._ask_directory
        self.ask_files: Callable[[str], list[str]] = self._ask_files

        # Edits elsewhere only mark the page stale: checking every unit is done once, when it is seen.
        self._dirty = False
        self._scheduled = False

        self._build()
        self._reload_years()
        ctx.report_changed.connect(lambda _id: self._schedule_refresh())
        ctx.report_switched.connect(lambda _id: self._follow_report_year())
        ctx.workspace_changed.connect(self._reload_years)

    # ---------------------------------------------------------------------------------- layout

    def _build(self) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.refresh() if self.isVisible() else self._schedule_refresh()
        )
        top.addWidget(self.year_box)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.summary, 1)
        root.addLayout(top)

        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_units_tab(), self.tr("单位与报送"))
        self.tabs.addTab(self._build_exchange_tab(), self.tr("模板与导入"))
        self.tabs.addTab(self._build_rollup_tab(), self.tr("汇总与明细"))

    def _button(self, text: str, slot: Callable[[], object], writes: bool = True) -> QPushButton:
        b = QPushButton(self.tr(text))
        b.clicked.connect(lambda _checked=False: slot())
        b.setProperty("writes", writes)
        return b

    def _build_units_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.add_button = self._button("新增单位…", self._on_add)
        self.edit_button = self._button("编辑/改名…", self._on_edit)
        self.retire_button = self._button("撤销单位", self._on_retire)
        self.open_button = self._button("打开此单位报告", self._on_open_report)
        self.confirm_button = self._button("确认数据", self._on_confirm)
        self.unconfirm_button = self._button("取消确认", self._on_unconfirm)
        for b in (
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.open_button,
            self.confirm_button,
            self.unconfirm_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        self.show_retired = QCheckBox(self.tr("显示已撤销单位"))
        self.show_retired.toggled.connect(lambda _c: self.refresh())
        bar.addWidget(self.show_retired)
        v.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = UnitsModel(self)
        self.model.inclusion_toggled.connect(self._on_inclusion)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(UnitsModel.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.table.doubleClicked.connect(lambda _i: self._on_open_report())
        split.addWidget(self.table)

        detail = QWidget()
        dv = QVBoxLayout(detail)
        dv.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        dv.addWidget(self.detail_title)
        self.issue_list = QListWidget()
        self.issue_list.setWordWrap(True)
        dv.addWidget(self.issue_list)
        split.addWidget(detail)
        split.setSizes([420, 180])
        v.addWidget(split, 1)
        legend = QLabel(
            self.tr("橙色底：参与汇总但尚未报送；红字：数据有错误（汇总数含未核实数据）；绿字：已确认。")
        )
        legend.setStyleSheet("color: #595959")
        v.addWidget(legend)
        return w

    def _build_exchange_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.template_button = self._button("生成填报模板…", self._on_templates)
        self.import_button = self._button("导入交回的文件…", self._on_import_files)
        self.import_dir_button = self._button("导入文件夹…", self._on_import_folder)
        self.import_reports_button = self._button("导入报告文档（Word/网页/PDF）…", self._on_import_reports)
        self.feedback_button = self._button("导出审核意见（有错误的单位）…", self._on_feedback, writes=False)
        self.feedback_kind = QComboBox()
        self.feedback_kind.addItem("Excel (.xlsx)", "xlsx")
        self.feedback_kind.addItem("Word (.docx)", "docx")
        for b in (
            self.template_button,
            self.import_button,
            self.import_dir_button,
            self.import_reports_button,
            self.feedback_button,
        ):
            bar.addWidget(b)
        bar.addWidget(self.feedback_kind)
        bar.addStretch(1)
        v.addLayout(bar)
        hint = QLabel(
            self.tr(
                "模板为每个单位一个 .xlsx（选中单位时只生成该单位的）；交回的文件逐个校验，"
                "有问题的文件整份拒绝并列出单元格，不影响其他文件。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #595959")
        v.addWidget(hint)
        prog = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        prog.addWidget(self.progress, 1)
        self.progress_label = QLabel()
        prog.addWidget(self.progress_label, 2)
        v.addLayout(prog)
        self.results = QTreeWidget()
        self.results.setColumnCount(4)
        self.results.setHeaderLabels([self.tr("文件"), self.tr("单位"), self.tr("结果"), self.tr("说明")])
        self.results.setWordWrap(True)
        self.results.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        v.addWidget(self.results, 1)
        return w

    def _build_rollup_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
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
        self.grid_table.currentIndexChanged.connect(lambda _i: self._fill_grid())
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
        self.drill.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rv.addWidget(self.drill)
        split.addWidget(right)
        split.setSizes([760, 340])
        v.addWidget(split, 1)
        return w

    # ------------------------------------------------------------------------------- refreshing

    def year(self) -> int | None:
        data = self.year_box.currentData()
        return int(data) if data is not None else None

    def set_year(self, year: int) -> None:
        i = self.year_box.findData(year)
        if i < 0:
            self.year_box.addItem(f"{year}年", year)
            i = self.year_box.findData(year)
        self.year_box.setCurrentIndex(i)

    def _schedule_refresh(self) -> None:
        self._dirty = True
        if self.isVisible() and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        self._scheduled = False
        if self._dirty:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _reload_years(self) -> None:
        repo = self.ctx.repo
        years = sorted(set(repo.years()) | repo.import_years("template"))
        current = self.year()
        if current is None:
            report = self.ctx.report()
            current = report.year if report is not None else (years[-1] if years else None)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in years:
            self.year_box.addItem(f"{y}年", y)
        if current is not None and self.year_box.findData(current) < 0:
            self.year_box.addItem(f"{current}年", current)
        if current is not None:
            self.year_box.setCurrentIndex(self.year_box.findData(current))
        self.year_box.blockSignals(False)
        self._schedule_refresh()

    def _follow_report_year(self) -> None:
        report = self.ctx.report()
        if report is not None and report.year != self.year():
            self.set_year(report.year)

    def refresh(self) -> None:
        """Reload statuses, roll-up and the selected unit's detail (statuses that changed are stored)."""
        self._dirty = False
        year = self.year()
        readonly = self.ctx.readonly
        self.model.readonly = readonly
        for b in self.findChildren(QPushButton):
            if b.property("writes"):
                b.setEnabled(not readonly and not self._busy)
        if year is None:
            self.model.set_rows([])
            self.summary.setText(self.tr("工作区中还没有年度报告"))
            return
        selected = self.selected_unit_id()
        main_id = self._main_report_id()
        self._rolled = effective_report(self.ctx.repo, main_id) if main_id is not None else None
        self._main_issues = self._rollup_issues()
        checked = {main_id: (self._rolled, self._main_issues)} if main_id is not None and self._rolled else {}
        loaded = {int(u.id): u for u in self.rollup_units() if u.id is not None}
        self._statuses = unit_statuses(
            self.ctx.repo,
            year,
            include_retired=self.show_retired.isChecked(),
            persist=not readonly,
            checked=checked,  # type: ignore[arg-type]
            loaded=loaded,
        )
        self.model.set_rows(self._statuses)
        if selected is not None:
            self.select_unit(selected)
        self._update_summary()
        self._on_selection()
        self._refresh_rollup()

    def _update_summary(self) -> None:
        rows = [s for s in self._statuses if not s.is_main and s.included and not s.unit.retired]
        count = {
            k: sum(1 for s in rows if s.status == k) for k in (NOT_REPORTED, REPORTED, HAS_ERRORS, CONFIRMED)
        }
        parts = [
            self.tr("{year}年：参与汇总 {n} 个单位").format(year=self.year(), n=len(rows)),
            self.tr("已确认 {n}").format(n=count[CONFIRMED]),
            self.tr("已报 {n}").format(n=count[REPORTED]),
        ]
        errors = self.tr("有错 {n}").format(n=count[HAS_ERRORS])
        missing = self.tr("未报 {n}").format(n=count[NOT_REPORTED])
        parts.append(f"<span style='color:#C00000'>{errors}</span>" if count[HAS_ERRORS] else errors)
        parts.append(f"<b style='color:#C55A11'>{missing}</b>" if count[NOT_REPORTED] else missing)
        self.summary.setText("，".join(parts))

    def status_of(self, unit_id: int) -> UnitStatus | None:
        return next((s for s in self._statuses if s.unit.id == unit_id), None)

    # -------------------------------------------------------------------------------- selection

    def selected_unit_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.data(rows[0], Qt.ItemDataRole.UserRole)

    def selected_status(self) -> UnitStatus | None:
        uid = self.selected_unit_id()
        return self.status_of(uid) if uid is not None else None

    def select_unit(self, unit_id: int) -> bool:
        for i, row in enumerate(self.model.rows):
            if row.unit.id == unit_id:
                self.table.selectRow(i)
                return True
        return False

    def _on_selection(self) -> None:
        status = self.selected_status()
        writable = not self.ctx.readonly and not self._busy
        for b in (
            self.edit_button,
            self.retire_button,
            self.open_button,
            self.confirm_button,
            self.unconfirm_button,
        ):
            b.setEnabled(status is not None and (writable or b is self.open_button))
        self.issue_list.clear()
        if status is None:
            self.detail_title.setText(self.tr("选择一个单位查看其审核结果"))
            return
        self.retire_button.setText(self.tr("恢复单位") if status.unit.retired else self.tr("撤销单位"))
        self.confirm_button.setEnabled(writable and status.status in (REPORTED,) and not status.is_main)
        self.unconfirm_button.setEnabled(writable and status.status == CONFIRMED)
        history = self.ctx.repo.unit_name_history(int(status.unit.id or 0))
        bits = [f"<b>{status.unit.name}</b>（{status.unit.role_label}）"]
        if history:
            bits.append(self.tr("曾用名：") + "、".join(n for n, _ in history))
        if status.last_import:
            bits.append(
                self.tr("最近导入：{file}（{at}）").format(
                    file=status.last_import.get("file"), at=_short_time(status.last_import.get("at"))
                )
            )
        self.detail_title.setText("　".join(bits))
        shown = [i for i in status.issues if i.severity in ("error", "warning")]
        if not shown:
            text = self.tr("尚未报送") if status.report_id is None else self.tr("审核未发现错误或警告")
            self.issue_list.addItem(text)
        for issue in shown:
            self.issue_list.addItem(_issue_item(issue))

    # ---------------------------------------------------------------------------- registry edits

    def add_unit(self, name: str, role: str, code: str = "", contact: str = "") -> Unit:
        repo = self.ctx.repo
        if repo.unit_by_name(name) is not None:
            raise ValueError(self.tr("已有名为“{name}”的单位（或曾用名）").format(name=name))
        unit = repo.add_unit(Unit(name=name, role=role, code=code, contact=contact))
        year = self.year()
        if year is not None:
            repo.set_unit_year(int(unit.id or 0), year, included=True)
        self.ctx.notify_workspace_changed()
        self._notify_main()
        self.refresh()
        self.select_unit(int(unit.id or 0))
        return unit

    def update_unit(self, unit_id: int, **changes: object) -> Unit:
        repo = self.ctx.repo
        old = repo.unit(unit_id)
        new_name = str(changes.get("name", old.name))
        if new_name != old.name:
            other = repo.unit_by_name(new_name)
            if other is not None and other.id != unit_id:
                raise ValueError(self.tr("已有名为“{name}”的单位（或曾用名）").format(name=new_name))
        unit = repo.update_unit(Unit(**{**old.__dict__, **changes}))
        self.ctx.notify_workspace_changed()
        self._notify_main()
        self.refresh()
        self.select_unit(unit_id)
        return unit

    def _on_add(self) -> None:
        dialog = UnitDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.add_unit(**dialog.values())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("新增单位"), str(exc))

    def _on_edit(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        history = self.ctx.repo.unit_name_history(int(status.unit.id or 0))
        dialog = UnitDialog(status.unit, history, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.update_unit(int(status.unit.id or 0), **dialog.values())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("编辑单位"), str(exc))

    def _on_retire(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.is_main:
            QMessageBox.information(self, self.tr("撤销单位"), self.tr("主报告单位不能撤销"))
            return
        retire = not status.unit.retired
        if retire:
            answer = QMessageBox.question(
                self,
                self.tr("撤销单位"),
                self.tr(
                    "撤销“{name}”？撤销后不再参与{year}的汇总、不再下发模板；"
                    "以前年度已报送的数字仍计入当年汇总。已有报告保留，可随时恢复。"
                ).format(
                    name=status.unit.name,
                    year=self.tr("本年度（{0}年）").format(self.year()) if self.year() else self.tr("以后"),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.set_retired(int(status.unit.id or 0), retire)

    def set_retired(self, unit_id: int, retired: bool) -> Unit:
        """撤销/恢复 a unit as one transaction: with it, the unit leaves (or rejoins) the roll-up of the year
        shown. Other years keep their 参与汇总 flags: a retired unit's earlier reports still count in their
        years (published figures do not change)."""
        repo = self.ctx.repo
        year = self.year()
        with self.ctx.workspace.db.atomic():
            if year is not None:
                repo.set_unit_year(unit_id, year, included=not retired)
            unit = repo.update_unit(Unit(**{**repo.unit(unit_id).__dict__, "retired": retired}))
        self.ctx.notify_workspace_changed()
        self._notify_main()
        self.refresh()
        self.select_unit(unit_id)
        return unit

    def _on_inclusion(self, unit_id: int, included: bool) -> None:
        year = self.year()
        if year is None:
            return
        self.ctx.repo.set_unit_year(unit_id, year, included=included)
        self._notify_main()
        self.refresh()

    def _notify_main(self) -> None:
        """The roll-up depends on units and their inclusion: views of the main report must refresh."""
        main_id = self._main_report_id()
        if main_id is not None:
            self.ctx.notify_changed(main_id)

    def _main_report_id(self) -> int | None:
        main = self.ctx.repo.main_organ()
        year = self.year()
        if main is None or year is None:
            return None
        return self.ctx.repo.find_report(main.name, year)

    # ------------------------------------------------------------------------------ unit reports

    def open_unit_report(self, unit_id: int) -> int:
        """Make the unit's report of the year the current one (created empty if missing)."""
        repo = self.ctx.repo
        year = self.year()
        assert year is not None
        unit = repo.unit(unit_id)
        rid = repo.find_report(unit.name, year)
        if rid is None:
            from ruian_desk.exchange.unit_template import year_format

            rid = repo.save_report(default_report(unit, year, year_format(repo, year)))
            self.ctx.notify_workspace_changed()
        self.ctx.switch_report(rid)
        return rid

    def _on_open_report(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.report_id is None and self.ctx.readonly:
            QMessageBox.information(self, self.tr("打开报告"), self.tr("该单位尚无报告，只读工作区不能新建"))
            return
        self.open_unit_report(int(status.unit.id or 0))

    def _on_confirm(self) -> None:
        status = self.selected_status()
        year = self.year()
        if status is None or year is None:
            return
        try:
            confirm_unit(self.ctx.repo, int(status.unit.id or 0), year)
        except ConfirmError as exc:
            QMessageBox.warning(self, self.tr("确认数据"), str(exc))
            return
        self._notify_main()
        self.refresh()

    def _on_unconfirm(self) -> None:
        status = self.selected_status()
        year = self.year()
        if status is None or year is None:
            return
        unconfirm_unit(self.ctx.repo, int(status.unit.id or 0), year)
        self.refresh()

    # ------------------------------------------------------------------------- templates & import

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for b in self.findChildren(QPushButton):
            if b.property("writes"):
                b.setEnabled(not busy and not self.ctx.readonly)
        self.busy_changed.emit(busy)

    def _start(self, fn: Callable[..., object], done: Callable[[object], None]) -> None:
        preload_worker_modules()
        worker = Worker(fn)
        worker.signals.progressed.connect(self._on_progress)
        worker.signals.done.connect(lambda result: self._finish(worker, done, result))
        worker.signals.failed.connect(lambda message: self._fail(worker, message))
        self._workers.append(worker)
        self._set_busy(True)
        self.pool.start(worker)

    def _finish(self, worker: Worker, done: Callable[[object], None], result: object) -> None:
        try:
            done(result)
        finally:
            self._workers.remove(worker)
            self._set_busy(False)
            self.refresh()

    def _fail(self, worker: Worker, message: str) -> None:
        self._workers.remove(worker)
        self._set_busy(False)
        self.progress_label.setText(self.tr("失败：") + message)
        QMessageBox.critical(self, self.tr("操作失败"), message)

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(name)

    def generate_templates_to(self, out_dir: str | Path, unit_ids: Sequence[int] | None = None) -> None:
        """Write templates (for the given units, or every included unit) in a worker; `templates_finished`."""
        from ruian_desk.exchange.unit_template import TemplateError, record_issued, template_jobs, write_jobs

        year = self.year()
        if year is None:
            return
        repo = self.ctx.repo
        units = [repo.unit(u) for u in unit_ids] if unit_ids else None
        try:
            jobs = template_jobs(repo, year, Path(out_dir), units=units)
        except TemplateError as exc:
            QMessageBox.warning(self, self.tr("生成填报模板"), str(exc))
            return
        self.tabs.setCurrentIndex(1)
        self.results.clear()
        self.progress_label.setText(self.tr("正在生成模板…"))

        def done(result: object) -> None:
            paths = list(result)  # type: ignore[call-overload]
            if not self.ctx.readonly:
                record_issued(repo, jobs)
            self.results.clear()
            for path in paths:
                item = QTreeWidgetItem([Path(path).name, "", self.tr("已生成"), str(Path(path).parent)])
                self.results.addTopLevelItem(item)
            self.progress_label.setText(
                self.tr("已生成 {n} 个模板：{dir}").format(n=len(paths), dir=str(Path(out_dir)))
            )
            self.templates_finished.emit(paths)

        self._start(lambda progress: write_jobs(jobs, progress), done)

    def import_paths(self, paths: Sequence[str | Path]) -> None:
        """Read the files in a worker (progress bar), then store each valid one, asking before replacing a
        unit's existing data; `import_finished` carries the per-file results."""
        from ruian_desk.exchange.template_import import (
            collect_files,
            import_context,
            parse_files,
            store_parsed,
        )

        files, path_problems = collect_files(paths)
        known = import_context(self.ctx.repo)
        self.tabs.setCurrentIndex(1)
        self.results.clear()
        for problem in path_problems:
            self.results.addTopLevelItem(QTreeWidgetItem(["", "", self.tr("已拒绝"), problem]))
        if not files:
            self.progress_label.setText(self.tr("没有可导入的 .xlsx 文件"))
            self.import_finished.emit([])
            return
        self.progress_label.setText(self.tr("正在读取…"))

        def done(result: object) -> None:
            parsed = list(result)  # type: ignore[call-overload]
            self.progress_label.setText(self.tr("正在写入…"))
            results = store_parsed(self.ctx.workspace, parsed, confirm=self.confirm_replace)
            self._show_results(results)
            ok = sum(1 for r in results if r.ok and not r.skipped)
            refused = sum(1 for r in results if not r.ok)
            skipped = sum(1 for r in results if r.skipped)
            text = self.tr("共 {n} 个文件：导入 {ok} 个，拒绝 {bad} 个").format(
                n=len(results), ok=ok, bad=refused
            )
            if skipped:
                text += self.tr("，跳过 {n} 个").format(n=skipped)
            self.progress_label.setText(text)
            if ok:
                self.ctx.notify_workspace_changed()
                self._notify_main()
                current = self.ctx.report_id
                if current is not None and current != self._main_report_id():
                    self.ctx.notify_changed(current)
            self.import_finished.emit(results)

        self._start(lambda progress: parse_files(files, known, progress), done)

    def _show_results(self, results: Sequence[Any]) -> None:
        for r in results:
            if r.ok:
                verdict = self.tr("已跳过") if r.skipped else self.tr("已导入")
                note = r.summary.lstrip("：")
            else:
                verdict = self.tr("已拒绝")
                note = self.tr("{n} 处问题").format(n=len(r.problems))
            item = QTreeWidgetItem([r.name, r.unit_name, verdict, note])
            item.setToolTip(0, str(r.path))
            if not r.ok:
                for k in range(4):
                    item.setForeground(k, QBrush(ERROR_FG))
                for problem in r.problems:
                    child = QTreeWidgetItem(["", "", "", problem])
                    child.setToolTip(3, problem)
                    item.addChild(child)
            elif r.changes and not r.skipped:
                for change in r.changes[:50]:
                    item.addChild(
                        QTreeWidgetItem(
                            [
                                "",
                                "",
                                "",
                                f"{change.ref} {change.label}: {_show(change.old)} → {_show(change.new)}",
                            ]
                        )
                    )
            self.results.addTopLevelItem(item)
            item.setExpanded(not r.ok)  # refused files open with every problem listed
        self.results.resizeColumnToContents(0)
        self.results.resizeColumnToContents(1)

    def _ask_replace(self, plan: Any) -> bool:
        if not plan.changes and not plan.blank_to_zero:
            return True  # nothing would change: no need to ask
        dialog = ChangePreviewDialog(plan, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _ask_directory(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title)

    def _ask_files(self, title: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self, title, "", self.tr("Excel 工作簿 (*.xlsx)"))
        return list(files)

    def _on_templates(self) -> None:
        out = self.ask_directory(self.tr("选择保存模板的文件夹"))
        if not out:
            return
        status = self.selected_status()
        ids = [int(status.unit.id or 0)] if status is not None and not status.is_main else None
        self.generate_templates_to(out, ids)

    def _on_import_files(self) -> None:
        files = self.ask_files(self.tr("选择各单位交回的模板"))
        if files:
            self.import_paths(files)

    def _on_import_reports(self) -> None:
        """Units' filled-in national templates, saved portal pages, PDFs: read, reviewed, then stored."""
        window = self.window()
        if hasattr(window, "import_reports"):
            window.import_reports()

    def _on_import_folder(self) -> None:
        folder = self.ask_directory(self.tr("选择存放交回模板的文件夹"))
        if folder:
            self.import_paths([folder])

    def export_feedback_to(self, out_dir: str | Path, kind: str | None = None) -> list[Path]:
        from ruian_desk.exchange.feedback import export_feedback
        from ruian_desk.exchange.unit_template import TemplateError

        year = self.year()
        if year is None:
            return []
        try:
            written, _ = export_feedback(
                self.ctx.repo, year, Path(out_dir), kind=kind or self.feedback_kind.currentData()
            )
        except TemplateError as exc:
            QMessageBox.warning(self, self.tr("导出审核意见"), str(exc))
            return []
        self.tabs.setCurrentIndex(1)
        self.results.clear()
        for path in written:
            self.results.addTopLevelItem(
                QTreeWidgetItem([path.name, "", self.tr("审核意见"), str(path.parent)])
            )
        self.progress_label.setText(
            self.tr("已导出 {n} 份审核意见").format(n=len(written))
            if written
            else self.tr("没有需要退回修改的单位")
        )
        return written

    def _on_feedback(self) -> None:
        out = self.ask_directory(self.tr("选择保存审核意见的文件夹"))
        if out:
            self.export_feedback_to(out)

    # --------------------------------------------------------------------------- roll-up, drill-down

    def _refresh_rollup(self) -> None:
        main_id = self._main_report_id()
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
            issues = [i for i in self._main_issues if i.rule.startswith("X-AGG")]
            if not issues:
                self.rollup_notes.addItem(self.tr("汇总检查未发现问题"))
            for issue in issues:
                self.rollup_notes.addItem(_issue_item(issue))
        self._fill_grid()

    def _rollup_issues(self) -> list[Issue]:
        if self._rolled is None:
            return []
        from ruian_desk.domain.rules import run_checks
        from ruian_desk.storage.assemble import check_context

        return run_checks(self._rolled, check_context(self.ctx.repo, self._rolled))

    def rollup_units(self) -> tuple[Report, ...]:
        if isinstance(self._rolled, RolledUpReport) and self._rolled.rollup is not None:
            return self._rolled.rollup.units
        return ()

    def _error_units(self) -> set[str]:
        return {s.unit.name for s in self._statuses if s.status == HAS_ERRORS}

    def _fill_grid(self) -> None:
        self.grid.clear()
        self.grid.clearSpans()
        report = self._rolled
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
        units = self.rollup_units()
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
        report = self._rolled
        units = self.rollup_units()
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
        statuses = {s.unit.name: s for s in self._statuses}
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
        self.tabs.setCurrentIndex(2)
        return rows

    def _on_scope(self, table: str) -> None:
        main_id = self._main_report_id()
        if main_id is None or self.ctx.readonly:
            return
        value = self.scope_boxes[table].currentData()
        self.set_scope(table, str(value))

    def set_scope(self, table: str, scope: str) -> None:
        main_id = self._main_report_id()
        if main_id is None:
            return
        from ruian_desk.gui.commands import store_setting

        label = TABLE_NAMES.get(table, table)
        text = f"{label}改为汇总各单位" if scope == "rollup" else f"{label}改为本级直接填写"
        store_setting(self.ctx, main_id, scope_key(table), scope, text)  # undoable: it changes the numbers
        self.refresh()


def _sum(values: Any) -> CellValue:
    total: CellValue = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total


def _issue_item(issue: Issue) -> QListWidgetItem:
    label = SEVERITY_LABELS.get(issue.severity, issue.severity)
    mark = "（已说明）" if issue.explained else ""
    item = QListWidgetItem(f"[{label}] {issue.message}{mark}")
    if issue.severity == "error":
        item.setForeground(QBrush(ERROR_FG))
    item.setToolTip(issue.rule)
    return item
