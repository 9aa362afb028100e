"""审核: every issue of the current report, filterable by severity; a click shows the cell or paragraph;
warnings get a written explanation (stored with the rule, cells and the finding's fingerprint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.report import Report
from ruian_desk.domain.rollup import ADOPT_ACTION
from ruian_desk.domain.rule_titles import finding_title
from ruian_desk.domain.rules import SEVERITIES, SEVERITY_LABELS, Issue, counts
from ruian_desk.gui import style
from ruian_desk.gui.commands import FIELD_LABELS, store_error_text
from ruian_desk.gui.style import escape

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("级别", "问题", "位置", "详情", "说明")
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


def issue_location(fmt: FormatDef, issue: Issue) -> str:
    """Where an issue points, in the clerk's words: the cell label, or the part of the report."""
    for cid in issue.cells:
        if cid in fmt.cells:
            return fmt.cells[cid].label
    for cid in issue.cells:
        section_id = cid.split(".")[0]
        for table in fmt.tables.values():
            if any(s.id == section_id for s in table.sections):
                return f"{table.name}（小计）"
    part = issue.part or ""
    if part in FIELD_LABELS:
        return FIELD_LABELS[part]
    if part.startswith("p") and part[1:].isdigit():
        try:
            return fmt.part(part).title
        except KeyError:
            return part
    if part.startswith("metric"):
        return "指标"
    if part.startswith("sig"):
        return "落款"
    return part or "报告"


def issue_target(fmt: FormatDef, issue: Issue) -> str:
    """The navigation key of an issue: a cell id of the printed tables, else its part."""
    for cid in issue.cells:
        if cid in fmt.cells:
            return cid
    if issue.cells:
        return issue.cells[0]
    return issue.part or "checks"


class IssuesModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext | None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self.all_issues: list[Issue] = []
        self.rows: list[Issue] = []
        self.shown: set[str] = set(SEVERITIES)
        self.show_explained = True
        if ctx is not None:
            ctx.report_changed.connect(self._on_changed)
            ctx.report_switched.connect(self._on_report_switched)
            self.refresh()

    def _on_changed(self, _report_id: int) -> None:
        # Any report: the checks of this one read last year's report and the units it rolls up.
        self.refresh()

    def _on_report_switched(self, _report_id: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.ctx is None:
            return
        self.set_issues(self.ctx.report(), self.ctx.issues())

    def set_issues(self, report: Report | None, issues: list[Issue]) -> None:
        if report is self.report and issues == self.all_issues:
            return  # nothing to redraw (most keystrokes change no finding)
        if (
            report is not None
            and self.report is not None
            and report.id == self.report.id
            and issues == self.all_issues
        ):
            self.report = report
            return
        self.beginResetModel()
        self.report = report
        self.all_issues = list(issues)
        self._filter()
        self.endResetModel()

    def set_filter(self, severities: set[str], show_explained: bool) -> None:
        self.beginResetModel()
        self.shown = set(severities)
        self.show_explained = show_explained
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.rows = [
            i
            for i in self.all_issues
            if i.severity in self.shown and (self.show_explained or not i.explained)
        ]

    def issue(self, row: int) -> Issue | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, fingerprint: str) -> int:
        for i, issue in enumerate(self.rows):
            if issue.fingerprint == fingerprint:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        issue = self.issue(index.row()) if index.isValid() else None
        if issue is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return SEVERITY_LABELS.get(issue.severity, issue.severity)
            if col == 1:
                return finding_title(issue.rule)
            if col == 2:
                return issue_location(self.report.fmt, issue) if self.report else ""
            if col == 3:
                return issue.message
            if col == 4:
                if issue.explained:
                    return f"已说明：{issue.explanation}"
                return "需说明" if issue.severity == "warning" else ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return style.severity_icon("explained" if issue.explained else issue.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = ""
            if issue.expected is not None or issue.actual is not None:
                extra = f"\n应为：{issue.expected}　实为：{issue.actual}"
            # The rule code only here (and in the JSON of `check --json`), never as the visible name.
            return f"{finding_title(issue.rule)}（规则 {issue.rule}）：{issue.message}{extra}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and issue.explained:
                return QBrush(style.OK)
            if col == 4 and issue.severity == "warning":
                return QBrush(style.WARNING.darker(130))
            return None
        if role == ISSUE_ROLE:
            return issue.fingerprint
        return None


# Findings the list shows at least, also docked under an editor at 1366×768 (issue #15).
MIN_VISIBLE_ROWS = 8


class IssuesView(QTableView):
    """One line per finding (the whole message in the detail beside it and in the tooltip), so that at least
    `MIN_VISIBLE_ROWS` findings show, docked or not."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        row = self.fontMetrics().height() + 8
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(row)
        vertical.setMinimumSectionSize(row)
        self._fit_minimum()

    def _fit_minimum(self) -> None:
        row = self.verticalHeader().defaultSectionSize()
        header = max(self.horizontalHeader().sizeHint().height(), row)
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.setMinimumHeight(header + MIN_VISIBLE_ROWS * row + bar + 2 * self.frameWidth() + 2)

    def showEvent(self, event) -> None:  # noqa: ANN001
        super().showEvent(event)
        self._fit_minimum()  # the header's real height is known once the view is polished

    def visible_rows(self) -> int:
        """How many findings fit in the viewport (whole rows)."""
        return self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize())


class CheckPanel(QWidget):
    """The list of issues with filters, and the explanation box of the selected warning."""

    issue_activated = Signal(object)  # Issue: show its cell or paragraph

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = IssuesModel(ctx, self)
        self.view = IssuesView(self)
        self.view.setObjectName("issuesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        cw = self.fontMetrics().horizontalAdvance("中")
        for col, width in enumerate((5, 12, 14, 30, 8)):
            self.view.setColumnWidth(col, int(cw * width))
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)

        self.title = style.page_title(self.tr("审核"), self)
        self.summary = QLabel(self)
        self.filters: dict[str, QCheckBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(self.title)
        filters.addSpacing(12)
        filters.addWidget(self.summary)
        filters.addStretch(1)
        filters.addWidget(QLabel(self.tr("显示："), self))
        for sev in SEVERITIES:
            box = QCheckBox(SEVERITY_LABELS[sev], self)
            box.setChecked(True)
            box.setIcon(style.severity_icon(sev))
            box.toggled.connect(self._apply_filter)
            self.filters[sev] = box
            filters.addWidget(box)
        self.explained_box = QCheckBox(self.tr("已说明的"), self)
        self.explained_box.setChecked(True)
        self.explained_box.toggled.connect(self._apply_filter)
        filters.addWidget(self.explained_box)

        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = QPlainTextEdit(self)
        self.explanation.setObjectName("explanationEdit")
        self.explanation.setPlaceholderText(
            self.tr("警告须写明原因方可通过，例如：“本年机构调整，原XX局并入，结转数含其未办结申请。”")
        )
        self.explanation.setTabChangesFocus(True)
        self.save_button = QPushButton(self.tr("保存说明 (Ctrl+Enter)"), self)
        self.save_button.clicked.connect(self.save_explanation)
        self.clear_button = QPushButton(self.tr("删除说明"), self)
        self.clear_button.clicked.connect(self.clear_explanation)
        QShortcut(QKeySequence("Ctrl+Return"), self.explanation, self.save_explanation)
        self.goto_button = QPushButton(self.tr("转到位置"), self)
        self.goto_button.clicked.connect(self._goto_current)
        # X-AGG's one action: the units' sums stand, the main report's own figures of those tables are cleared.
        self.adopt_button = QPushButton(self.tr(ADOPT_ACTION), self)
        self.adopt_button.setObjectName("adoptUnitSums")
        self.adopt_button.clicked.connect(self.adopt_unit_sums)
        self.adopt_button.setVisible(False)
        # N-PUNCT's one action: every half-width mark made full-width, each change shown first, one undo step.
        self.punct_button = QPushButton(self.tr("一键改为全角标点…"), self)
        self.punct_button.setObjectName("fixPunctuation")
        self.punct_button.clicked.connect(self.open_punct_fix)
        self.punct_button.setVisible(False)
        self.punct_dialog: QDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.goto_button)
        buttons.addWidget(self.adopt_button)
        buttons.addWidget(self.punct_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        side = QWidget(self)
        side.setObjectName("issueDetail")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.detail)
        side_layout.addWidget(self.explanation, 1)
        side_layout.addLayout(buttons)
        # The list and the selected finding's detail side by side (resizable): docked under an editor, the
        # list keeps its full height for the findings.
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("issuesSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._current_fp: str | None = None
        # The warning whose explanation the box holds and the text it was loaded with: text typed into the
        # box is stored for that warning when the clerk leaves the box (a click on another row, another
        # page, closing), not lost.
        self._loaded: tuple[Issue, str] | None = None
        self.explanation.installEventFilter(self)
        ctx.flush_requested.connect(self.store_pending)
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        self.view.selectionModel().selectionChanged.connect(lambda _sel, _desel: self._show_current())
        self._restore()

    def _remember(self) -> None:
        issue = self.current_issue()
        self._current_fp = issue.fingerprint if issue else self._current_fp

    def _restore(self) -> None:
        c = counts(self.model.all_issues)
        explained = sum(1 for i in self.model.all_issues if i.explained)
        self.summary.setText(
            self.tr("错误 {0} · 警告 {1}（已说明 {2}） · 提示 {3}").format(
                c["error"], c["warning"], explained, c["info"]
            )
        )
        if not self.model.all_issues and self.model.report is not None:
            self.summary.setText(self.tr("未发现问题"))
        row = self.model.row_of(self._current_fp) if self._current_fp else -1
        if row >= 0:
            self.view.selectRow(row)
        else:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        self._show_current()

    def _apply_filter(self) -> None:
        shown = {s for s, box in self.filters.items() if box.isChecked()}
        self.model.set_filter(shown, self.explained_box.isChecked())

    def current_issue(self) -> Issue | None:
        """The selected finding (the one the detail shows)."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.issue(rows[0].row()) if rows else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.explanation and event.type() == QEvent.Type.FocusOut:
            self.store_pending()
        return False

    def store_pending(self) -> bool:
        """Store an explanation typed but not saved with the button (True when there was one and it was stored)."""
        loaded = self._loaded
        if loaded is None or not self.explanation.isEnabled():
            return False
        issue, shown = loaded
        text = self.explanation.toPlainText().strip()
        if text == shown.strip():
            return False
        return self._store(issue, text)

    def _show_current(self) -> None:
        """The detail is always the finding the list has selected (none selected: the hint)."""
        rows = self.view.selectionModel().selectedRows()
        self._show(rows[0].row() if rows else -1)

    def _show(self, row: int) -> None:
        issue = self.model.issue(row)
        self._loaded = None
        can_explain = issue is not None and issue.explainable and not self.ctx.readonly
        self.explanation.setEnabled(can_explain)
        self.save_button.setEnabled(can_explain)
        self.clear_button.setEnabled(can_explain and bool(issue and issue.explained))
        self.goto_button.setEnabled(issue is not None)
        self.adopt_button.setVisible(issue is not None and issue.rule == "X-AGG" and not self.ctx.readonly)
        self.punct_button.setVisible(issue is not None and issue.rule == "N-PUNCT" and not self.ctx.readonly)
        if issue is None:
            self.detail.setText(self.tr("选择一条问题查看详情；警告可写说明。"))
            self.explanation.clear()
            return
        self._current_fp = issue.fingerprint
        where = issue_location(self.model.report.fmt, issue) if self.model.report else ""
        if issue.severity == "error":
            hint = self.tr("错误须修改数据，不能以说明代替。")
        elif not issue.explainable:
            hint = self.tr("提示仅供参考，无需说明。")
        else:
            hint = self.tr("写明原因后该警告视为通过（数字改变后需重新说明）。")
        self.detail.setText(
            f"<b>{escape(finding_title(issue.rule))}</b>　{escape(where)}<br>{escape(issue.message)}"
            f"<br><span style='color:#5f6368'>{hint}</span>"
        )
        self.detail.setToolTip(self.tr("规则 {0}").format(issue.rule))
        shown = issue.explanation if issue.explained else ""
        self.explanation.setPlainText(shown)
        if can_explain:
            self._loaded = (issue, shown)

    def _clicked(self, index: QModelIndex) -> None:
        issue = self.model.issue(index.row())
        if issue is not None:
            if self.current_issue() is not issue:
                self.view.selectRow(index.row())
            self._show_current()
            self.issue_activated.emit(issue)

    def _goto_current(self) -> None:
        issue = self.current_issue()
        if issue is not None:
            self.issue_activated.emit(issue)

    def save_explanation(self) -> bool:
        issue = self.current_issue()
        if issue is None:
            return False
        return self._store(issue, self.explanation.toPlainText().strip())

    def _store(self, issue: Issue, text: str) -> bool:
        report = self.ctx.report()
        if report is None or report.id is None or not issue.explainable:
            return False
        try:
            explain = getattr(self.ctx.repo, "explain_issue", None)
            if explain is not None:
                # The check engine's own key for a finding (rule + its explanation cells), where it has one.
                explain(report.id, issue, text or None)
            else:
                self.ctx.repo.set_explanation(
                    report.id, issue.rule, issue.cells, issue.fingerprint, text or None
                )
        except Exception as exc:  # noqa: BLE001
            self.ctx.store_failed.emit(f"说明未保存：{store_error_text(exc)}")
            return False
        self._current_fp = issue.fingerprint
        self.ctx.notify_changed(report.id)
        return True

    def adopt_unit_sums(self) -> bool:
        """采用各单位汇总数（清除本级填写数） for the table of the selected X-AGG finding."""
        from ruian_desk.storage.assemble import adopt_unit_sums

        issue = self.current_issue()
        report = self.ctx.report()
        if issue is None or issue.rule != "X-AGG" or report is None or report.id is None:
            return False
        tables = tuple(dict.fromkeys(c.split(".", 1)[0].split("_", 1)[0] for c in issue.cells))
        try:
            adopt_unit_sums(self.ctx.repo, report.id, tables)
        except Exception as exc:  # noqa: BLE001
            self.ctx.store_failed.emit(f"未能清除本级填写数：{store_error_text(exc)}")
            return False
        self.ctx.notify_changed(report.id)
        return True

    def open_punct_fix(self) -> QDialog:
        """The preview of every change 一键改为全角标点 makes (window-modal; 全部改为全角 applies them)."""
        from ruian_desk.gui.find_replace import PunctFixDialog

        dialog = PunctFixDialog(self.ctx, self)
        self.punct_dialog = dialog
        dialog.open()
        return dialog

    def clear_explanation(self) -> bool:
        self.explanation.clear()
        return self.save_explanation()

    def select_issue(self, fingerprint: str) -> bool:
        row = self.model.row_of(fingerprint)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True
