"""指标: the register of figures quoted in the narrative (浙江 "最多跑一次" statistics and others).

A rate has numerator and denominator where known; the computed rate (half-up, 2 decimals) is shown beside
the stated one and a disagreement is marked. Common indicators are picked from a catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.numbers import with_value
from ruian_desk.domain.report import (
    CellInputError,
    Metric,
    Report,
    format_number,
    normalize_number_text,
    parse_decimal,
)
from ruian_desk.domain.rules import SEVERITY_LABELS, Issue
from ruian_desk.gui import style
from ruian_desk.gui.commands import store_metric
from ruian_desk.gui.editors.fields import type_committed_text

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    label: str
    unit: str
    numerator: str | None = None  # key of the metric whose value is the numerator
    denominator: str | None = None
    note: str = ""


# Indicators of 浙江 "最多跑一次" reform and of 政务公开 work that county reports commonly quote.
CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("gov_service_items", "政务服务事项总数", "项"),
    CatalogueEntry("online_items", "网上可办事项", "项"),
    CatalogueEntry("online_rate", "网上办理开通率", "%", "online_items", "gov_service_items"),
    CatalogueEntry("mobile_items", "掌上可办事项", "项"),
    CatalogueEntry("mobile_rate", "掌上办理开通率", "%", "mobile_items", "gov_service_items"),
    CatalogueEntry("instant_items", "即办事项", "项"),
    CatalogueEntry("instant_share", "即办事项占比", "%", "instant_items", "gov_service_items"),
    CatalogueEntry("citywide_items", "全市通办事项", "项"),
    CatalogueEntry("citywide_share", "全市通办事项占比", "%", "citywide_items", "gov_service_items"),
    CatalogueEntry("time_limit_compression", "承诺时限压缩比", "%", note="（法定时限−承诺时限）÷法定时限"),
    CatalogueEntry("zero_visit_items", "零次跑事项", "项"),
    CatalogueEntry("zero_visit_rate", "零次跑实现率", "%", "zero_visit_items", "gov_service_items"),
    CatalogueEntry("notify_commit_items", "告知承诺事项", "项"),
    CatalogueEntry(
        "notify_commit_share", "告知承诺事项占比", "%", "notify_commit_items", "gov_service_items"
    ),
    CatalogueEntry("tolerance_items", "容缺受理事项", "项"),
    CatalogueEntry("tolerance_share", "容缺受理事项占比", "%", "tolerance_items", "gov_service_items"),
    CatalogueEntry("run_once_items", "“最多跑一次”事项", "项"),
    CatalogueEntry("run_once_rate", "“最多跑一次”实现率", "%", "run_once_items", "gov_service_items"),
    CatalogueEntry("normative_interpreted", "政策文件解读", "份"),
    CatalogueEntry("press_conferences", "新闻发布会", "场"),
    CatalogueEntry("gov_website_items", "政府网站发布信息", "条"),
    CatalogueEntry("new_media_items", "政务新媒体发布信息", "条"),
    CatalogueEntry("gazette_issues", "政府公报", "期"),
    CatalogueEntry("info_fee_cases", "收取信息处理费的申请", "件"),
    CatalogueEntry("info_fee_amount", "信息处理费", "元"),
)

COLUMNS = ("名称", "数值", "单位", "分子", "分母", "计算比率", "来源单位", "备注", "占位符")
COL_LABEL, COL_VALUE, COL_UNIT, COL_NUM, COL_DEN, COL_RATE, COL_SOURCE, COL_NOTE, COL_KEY = range(9)
READONLY_MESSAGE = "工作区以只读方式打开，不能修改"
COMPUTED_MESSAGE = "计算比率和占位符由程序生成，不能填写：请填分子和分母"
NUMBER_COLUMNS = {COL_VALUE: "value", COL_NUM: "numerator", COL_DEN: "denominator"}
TEXT_COLUMNS = {COL_LABEL: "label", COL_UNIT: "unit", COL_SOURCE: "source", COL_NOTE: "note"}


def parse_metric_number(text: str) -> Decimal | None:
    """ "3,080", "７６.７５", "76.75%" → Decimal; blank → None; raises CellInputError with a Chinese reason."""
    s = str(text).strip().rstrip("%％").strip()
    if not s:
        return None
    return parse_decimal(normalize_number_text(s))


def metric_issues(issues: list[Issue], metric: Metric) -> list[Issue]:
    """The issues about one metric: `part` names it (metric:<key>), or a metrics issue quotes its name."""
    out = []
    for issue in issues:
        part = issue.part or ""
        if not part.startswith("metric"):
            continue
        named = re.split(r"[:.]", part, maxsplit=1)
        if len(named) == 2 and named[1] == metric.key:
            out.append(issue)
        elif len(named) == 1 and (metric.label in issue.message or metric.key in issue.message):
            out.append(issue)
    return out


def rate_mismatch(metric: Metric) -> Decimal | None:
    """The computed rate when it differs from the stated one (at the stated precision)."""
    if not metric.is_rate or metric.value is None:
        return None
    places = max(0, -int(metric.value.as_tuple().exponent))  # type: ignore[arg-type]
    computed = metric.computed_rate(places)
    if computed is None or computed == metric.value:
        return None
    return computed


class MetricsModel(QAbstractTableModel):
    input_refused = Signal(int, int, str)

    def __init__(self, ctx: AppContext | None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self.readonly = False
        self._issues: list[Issue] | None = None
        if ctx is not None:
            ctx.report_changed.connect(self._on_changed)
            ctx.report_switched.connect(self._on_report_switched)
            self.refresh()

    def _on_changed(self, report_id: int) -> None:
        if self.ctx is not None and report_id == self.ctx.report_id:
            self.refresh()
        else:
            self._issues = None  # another report's edit may change this report's metric checks

    def _on_report_switched(self, _report_id: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.set_report(self.ctx.report() if self.ctx else None, bool(self.ctx and self.ctx.readonly))

    def set_report(self, report: Report | None, readonly: bool = False) -> None:
        """Show a report. The same rows again (an edit of a value): only the data changes, so the view
        keeps its current cell and the focus and the clerk goes on typing; rows added, removed or another
        report: a reset."""
        old = self.report
        same_rows = (
            report is not None
            and old is not None
            and report.id == old.id
            and readonly == self.readonly
            and [m.key for m in report.metrics] == [m.key for m in old.metrics]
        )
        if same_rows:
            self.report = report
            self._issues = None
            if self.metrics:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.metrics) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.report = report
        self.readonly = readonly
        self._issues = None
        self.endResetModel()

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return self.report.metrics if self.report is not None else ()

    def issues(self) -> list[Issue]:
        if self._issues is None:
            self._issues = self.ctx.issues() if self.ctx is not None and self.report is not None else []
        return self._issues

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.metrics)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() not in (COL_RATE, COL_KEY) and not self.readonly:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.metrics):
            return None
        m = self.metrics[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col in NUMBER_COLUMNS:
                return format_number(getattr(m, NUMBER_COLUMNS[col]))
            if col in TEXT_COLUMNS:
                return getattr(m, TEXT_COLUMNS[col])
            if col == COL_RATE:
                rate = m.computed_rate()
                return f"{format_number(rate)}%" if rate is not None else ("—" if m.is_rate else "")
            if col == COL_KEY:
                return f"{{{{{m.key}}}}}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in NUMBER_COLUMNS or col == COL_RATE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col in (COL_RATE, COL_VALUE) and rate_mismatch(m) is not None:
                return QBrush(style.WARNING.lighter(170))
            if col in (COL_RATE, COL_KEY):
                return QBrush(style.DERIVED_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_LABEL and any(i.severity == "error" for i in metric_issues(self.issues(), m)):
                return QBrush(style.ERROR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(m, col)
        return None

    def _tooltip(self, m: Metric, col: int) -> str:
        lines = []
        if col in (COL_LABEL, COL_SOURCE, COL_NOTE):
            lines.append(str(getattr(m, TEXT_COLUMNS[col])))
        if col == COL_RATE:
            lines.append("分子 ÷ 分母 × 100%，四舍五入保留2位小数")
        if col == COL_KEY:
            lines.append("在正文中写这个占位符，预览和导出时替换为数值")
        mismatch = rate_mismatch(m)
        if mismatch is not None and col in (COL_VALUE, COL_RATE):
            lines.append(
                f"填写的比率 {format_number(m.value)}% 与分子/分母计算的 {format_number(mismatch)}% 不一致"
            )
        for issue in metric_issues(self.issues(), m):
            lines.append(
                f"[{SEVERITY_LABELS.get(issue.severity, issue.severity)}] {issue.rule}：{issue.message}"
            )
        return "\n".join(lines)

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.readonly or self.report is None:
            return False
        row, col = index.row(), index.column()
        m = self.metrics[row]
        text = "" if value is None else str(value)
        if col in NUMBER_COLUMNS:
            try:
                number = parse_metric_number(text)
            except CellInputError as exc:
                self.input_refused.emit(
                    row, col, f"{m.label}·{COLUMNS[col]}：{with_value(text, exc)}，未保存"
                )
                return False
            field_name = NUMBER_COLUMNS[col]
            if field_name == "value":
                new = replace(m, value=number)
            elif field_name == "numerator":
                new = replace(m, numerator=number)
            else:
                new = replace(m, denominator=number)
        elif col in TEXT_COLUMNS:
            text = text.strip()
            if col == COL_LABEL and not text:
                self.input_refused.emit(row, col, "指标名称不能为空，未保存")
                return False
            new = replace(m, **{TEXT_COLUMNS[col]: text})  # type: ignore[arg-type]
        else:
            return False
        if new == m:
            return True
        return self._store(m, new, row, f"修改指标 {m.label}")

    def add(self, metric: Metric) -> bool:
        if self.report is None or self.readonly:
            return False
        if self.report.metric(metric.key) is not None:
            self.input_refused.emit(0, 0, f"已有指标“{metric.label}”")
            return False
        return self._store(None, metric, len(self.metrics), f"添加指标 {metric.label}")

    def remove(self, row: int) -> bool:
        if self.report is None or self.readonly or not 0 <= row < len(self.metrics):
            return False
        m = self.metrics[row]
        return self._store(m, None, row, f"删除指标 {m.label}")

    def _store(self, before: Metric | None, after: Metric | None, position: int, text: str) -> bool:
        if self.ctx is None or self.report is None or self.report.id is None:
            return False
        return store_metric(self.ctx, self.report.id, before, after, position, text)

    def row_of(self, key: str) -> int:
        for i, m in enumerate(self.metrics):
            if m.key == key:
                return i
        return -1


def metric_from_catalogue(entry: CatalogueEntry, report: Report | None) -> Metric:
    """A new metric from the catalogue; a rate takes numerator/denominator from metrics already there."""
    numerator = denominator = value = None
    if report is not None and entry.numerator and entry.denominator:
        num, den = report.metric(entry.numerator), report.metric(entry.denominator)
        numerator = num.value if num else None
        denominator = den.value if den else None
        if numerator is not None and denominator:
            value = Metric(entry.key, entry.label, None, "%", numerator, denominator).computed_rate()
    return Metric(
        key=entry.key,
        label=entry.label,
        value=value,
        unit=entry.unit,
        numerator=numerator,
        denominator=denominator,
        source=report.unit if report is not None else "",
        note=entry.note,
    )


def custom_key(report: Report | None) -> str:
    taken = {m.key for m in report.metrics} if report is not None else set()
    n = 1
    while f"custom_{n}" in taken:
        n += 1
    return f"custom_{n}"


class MetricsView(QTableView):
    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Full-width digits committed by an input method replace the cell, as typed digits do.
        if not type_committed_text(self, event):
            super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        page = self.parent()
        while page is not None and not isinstance(page, MetricsPage):
            page = page.parent()
        if page is not None and self.state() != QAbstractItemView.State.EditingState:
            model = page.model
            typed = event.text()
            types = typed.isprintable() and typed.strip() != "" or event.key() == Qt.Key.Key_F2
            if model.readonly and (types or event.key() == Qt.Key.Key_Delete):
                # Keys on a read-only register would do nothing at all: say why.
                page._refused(-1, -1, READONLY_MESSAGE)
                return
            if event.key() == Qt.Key.Key_Delete:
                page.remove_selected()
                return
            index = self.currentIndex()
            if types and index.isValid() and not model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                page._refused(index.row(), index.column(), COMPUTED_MESSAGE)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # As in the table editors and Excel: Enter goes down, Shift+Enter up.
                up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._step(-1 if up else 1)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Enter in an open editor stores the value and goes down, as Enter outside an editor does.
        down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if down else hint)
        if down:
            self._step(1)

    def _step(self, rows: int) -> None:
        index = self.currentIndex()
        model = self.model()
        if not index.isValid() or model is None:
            return
        row = min(max(index.row() + rows, 0), model.rowCount() - 1)
        self.setCurrentIndex(model.index(row, index.column()))


class MetricsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = MetricsModel(ctx, self)
        self.view = MetricsView(self)
        self.view.setObjectName("metricsView")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        cw = self.fontMetrics().horizontalAdvance("中")
        for col, width in enumerate((16, 5.5, 3.5, 4.5, 4.5, 6, 9, 6, 14)):
            self.view.setColumnWidth(col, int(cw * width))
        # The texts that can be long (a document's title, a note) take what the window has to spare.
        header.setStretchLastSection(False)
        for col in (COL_SOURCE, COL_NOTE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

        title = style.page_title(self.tr("指标"), self)
        intro = QLabel(
            self.tr(
                "正文引用的数字（政务服务事项、开通率等）。比率填分子和分母后自动计算（四舍五入保留2位小数），"
                "与填写的数值不一致时标为橙色。正文中写 {{键}} 引用指标。"
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #5f6368;")
        self.catalogue_button = QToolButton(self)
        self.catalogue_button.setText(self.tr("从常用指标添加"))
        self.catalogue_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.catalogue_menu = QMenu(self)
        self.catalogue_menu.aboutToShow.connect(self._fill_catalogue)
        self.catalogue_button.setMenu(self.catalogue_menu)
        self.add_button = QPushButton(self.tr("添加自定义指标"), self)
        self.add_button.clicked.connect(self.add_custom)
        self.remove_button = QPushButton(self.tr("删除所选指标"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #a50e0e;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.catalogue_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.model.input_refused.connect(self._refused)
        self.model.modelReset.connect(self._update_buttons)
        self._place: tuple[str, int, int, bool] | None = None
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.modelReset.connect(self._restore_place)
        self._fitted_for: int | None = None
        self.model.modelReset.connect(self._fit_columns)
        self._update_buttons()
        self._fit_columns()

    def _fit_columns(self) -> None:
        """名称 and 占位符 as wide as their texts (up to a cap) when a report is shown, so that at 1366 px every
        column shows and neither is cut; 来源单位 (a document's long title) keeps its width, the whole text in
        its tooltip. Widths the clerk set by hand stay while the same report is shown."""
        report = self.model.report
        key = report.id if report is not None else None
        if key == self._fitted_for or not self.model.metrics:
            return
        self._fitted_for = key
        cw = self.fontMetrics().horizontalAdvance("中")
        for col, cap in ((COL_LABEL, 18), (COL_KEY, 20)):
            self.view.resizeColumnToContents(col)
            self.view.setColumnWidth(col, min(self.view.columnWidth(col), int(cw * cap)))

    def _remember_place(self) -> None:
        index = self.view.currentIndex()
        focused = QApplication.focusWidget()
        focus = focused is not None and (focused is self.view or self.view.isAncestorOf(focused))
        if index.isValid() and index.row() < len(self.model.metrics):
            self._place = (self.model.metrics[index.row()].key, index.row(), index.column(), focus)
        else:
            self._place = None

    def _restore_place(self) -> None:
        """After a metric was added or deleted (or undone): the same metric, else the row that took the
        deleted one's place, stays current, with the focus if it had it (Delete, Delete … works)."""
        place, self._place = self._place, None
        if place is None or not self.model.metrics:
            return
        key, row, col, focus = place
        found = self.model.row_of(key)
        row = found if found >= 0 else min(row, len(self.model.metrics) - 1)
        self.view.setCurrentIndex(self.model.index(row, col))
        if focus:
            self.view.setFocus()

    def _update_buttons(self) -> None:
        editable = self.model.report is not None and not self.model.readonly
        for w in (self.catalogue_button, self.add_button, self.remove_button):
            w.setEnabled(editable)

    def _refused(self, row: int, col: int, text: str) -> None:
        self.message.setText(text)
        self.ctx.store_failed.emit(text)

    def _fill_catalogue(self) -> None:
        self.catalogue_menu.clear()
        report = self.model.report
        present = {m.key for m in self.model.metrics}
        for entry in CATALOGUE:
            action = self.catalogue_menu.addAction(f"{entry.label}（{entry.unit}）")
            action.setEnabled(entry.key not in present)
            action.triggered.connect(lambda _checked=False, e=entry: self.add_from_catalogue(e))
        if report is None:
            self.catalogue_menu.setEnabled(False)

    def add_from_catalogue(self, entry: CatalogueEntry) -> bool:
        self.message.clear()
        ok = self.model.add(metric_from_catalogue(entry, self.model.report))
        if ok:
            self.select_metric(entry.key)
        return ok

    def add_custom(self) -> bool:
        self.message.clear()
        key = custom_key(self.model.report)
        source = self.model.report.unit if self.model.report else ""
        ok = self.model.add(Metric(key=key, label=self.tr("新指标"), value=None, source=source))
        if ok:
            row = self.model.row_of(key)
            index = self.model.index(row, COL_LABEL)
            self.view.setCurrentIndex(index)
            self.view.edit(index)
        return ok

    def remove_selected(self) -> bool:
        self.message.clear()
        index = self.view.currentIndex()
        if not index.isValid():
            return False
        return self.model.remove(index.row())

    def focus_target(self) -> QWidget:
        return self.view

    def select_metric(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        index = self.model.index(row, COL_VALUE)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        return True
