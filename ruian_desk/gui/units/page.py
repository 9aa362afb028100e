"""单位/报送/汇总 page: the year, the summary line and three tabs (units registry and submission tracker,
Excel templates out and in with 审核意见, roll-up scopes and drill-down). The page holds the year's statuses
and the rolled-up main report that the tabs show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ruian_desk.domain.report import CellValue, Report, Unit
from ruian_desk.domain.rules import Issue
from ruian_desk.exchange.tracker import (
    CONFIRMED,
    HAS_ERRORS,
    NOT_REPORTED,
    REPORTED,
    UnitStatus,
)
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.units.model import UnitsModel
from ruian_desk.gui.units.registry_tab import RegistryTab
from ruian_desk.gui.units.rollup_tab import RollupTab
from ruian_desk.gui.workers import Jobs
from ruian_desk.services import units
from ruian_desk.services.tracker import year_overview
from ruian_desk.storage.check_cache import CheckCache

if TYPE_CHECKING:
    from ruian_desk.gui.units.exchange_tab import ExchangeTab
    from ruian_desk.gui.units.review_tab import ReviewTab


class UnitsPage(QWidget):
    """单位/报送/汇总. Writes go through `ctx.repo` (one transaction each), then `ctx.notify_*`."""

    import_finished = Signal(list)  # list[FileResult]
    templates_finished = Signal(list)  # list[Path]
    busy_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._set_busy)
        self.statuses: list[UnitStatus] = []
        self._check_cache: tuple[Path, CheckCache] | None = None
        self.rolled: Report | None = None
        self.main_issues: list[Issue] = []
        self._rollup_units: tuple[Report, ...] = ()
        self.busy = False
        # Edits elsewhere only mark the page stale: checking every unit is done once, when it is seen.
        self._dirty = False
        self._scheduled = False

        self.model = UnitsModel(self)
        self.model.inclusion_toggled.connect(self._on_inclusion)
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
        self.registry = RegistryTab(self)
        self.rollup = RollupTab(self)
        # 模板与导入 and 发布与考核 are built when first shown or used (their modules and widgets are a third
        # of the page's first showing); a slot holds each tab's place until then.
        self._exchange: ExchangeTab | None = None
        self._review: ReviewTab | None = None
        self._exchange_slot, self._review_slot = self._slot(), self._slot()
        self.tabs.addTab(self.registry, self.tr("单位与报送"))
        self.tabs.addTab(self._exchange_slot, self.tr("模板与导入"))
        self.tabs.addTab(self.rollup, self.tr("汇总与明细"))
        self.tabs.addTab(self._review_slot, self.tr("发布与考核"))
        self._rollup_due = True
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())

        self._reload_years()
        ctx.report_changed.connect(lambda _id: self._schedule_refresh())
        ctx.report_switched.connect(lambda _id: self._follow_report_year())
        ctx.workspace_changed.connect(self._reload_years)

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
        if self._dirty and not self.ctx.closed:
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
                b.setEnabled(not readonly and not self.busy)
        if year is None:
            self.model.set_rows([])
            self.summary.setText(self.tr("工作区中还没有年度报告"))
            return
        selected = self.selected_unit_id()
        overview = year_overview(
            self.ctx.repo,
            year,
            include_retired=self.registry.show_retired.isChecked(),
            persist=not readonly,
            stored=self._stored_checks(),
        )
        self.rolled, self.main_issues, self.statuses = overview.rolled, overview.main_issues, overview.statuses
        self._rollup_units = overview.rollup_units
        self.model.set_rows(self.statuses, self._published(year))
        if selected is not None:
            self.select_unit(selected)
        self._update_summary()
        self.registry.show_selection()
        # The 汇总与明细 tab (a grid of every unit's cells) is filled when it is the tab shown.
        self._rollup_due = True
        self._fill_rollup_if_shown()
        if self._review is not None:
            self._review.refresh()

    def _stored_checks(self) -> CheckCache:
        """The units' findings kept between sessions, for this page's workspace (one connection per workspace)."""
        path = Path(self.ctx.workspace.path)
        if self._check_cache is None or self._check_cache[0] != path:
            if self._check_cache is not None:
                self._check_cache[1].close()
            self._check_cache = (path, CheckCache(path))
        return self._check_cache[1]

    def _published(self, year: int) -> dict[int, tuple[str, str, str, bool]]:
        """unit id → (发布日期 or 逾期未发布, 链接, 核验结果, late) for the tracker's last columns."""
        from ruian_desk.services.publication import is_tracked, tracking

        tracked = is_tracked(self.ctx.repo, year)
        out = {}
        for row in tracking(self.ctx.repo, year):
            late = tracked and row.status in ("逾期发布", "逾期未发布")
            date = row.date.isoformat() if row.date else ("逾期未发布" if late else "")
            out[int(row.unit.id or 0)] = (date, row.link, row.verification, late)
        return out

    def _update_summary(self) -> None:
        rows = [s for s in self.statuses if not s.is_main and s.included and not s.unit.retired]
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
        return next((s for s in self.statuses if s.unit.id == unit_id), None)

    def selected_unit_id(self) -> int | None:
        return self.registry.selected_unit_id()

    def selected_status(self) -> UnitStatus | None:
        return self.registry.selected_status()

    def select_unit(self, unit_id: int) -> bool:
        return self.registry.select_unit(unit_id)

    def rollup_units(self) -> tuple[Report, ...]:
        return self._rollup_units

    def show_drilldown(self, cell_id: str) -> list[tuple[str, CellValue]]:
        self.tabs.setCurrentWidget(self.rollup)
        return self.rollup.show_drilldown(cell_id)

    @staticmethod
    def _slot() -> QWidget:
        return QWidget()

    def _tab_shown(self) -> None:
        current = self.tabs.currentWidget()
        if current is self._exchange_slot:
            self.exchange  # noqa: B018 - built now
        elif current is self._review_slot:
            self.review  # noqa: B018 - built now
        self._fill_rollup_if_shown()

    @property
    def exchange(self) -> ExchangeTab:
        if self._exchange is None:
            from ruian_desk.gui.units.exchange_tab import ExchangeTab  # built when first used

            self._exchange = ExchangeTab(self)
            self._place(self._exchange_slot, self._exchange)
        return self._exchange

    @property
    def review(self) -> ReviewTab:
        if self._review is None:
            from ruian_desk.gui.units.review_tab import ReviewTab  # built when first used

            self._review = ReviewTab(self)
            self._place(self._review_slot, self._review)
            if self.statuses:
                self._review.refresh()
        return self._review

    def _place(self, slot: QWidget, tab: QWidget) -> None:
        """The built tab in its slot's place (the same index, title and, if it was shown, still shown)."""
        index = self.tabs.indexOf(slot)
        shown = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        try:
            title = self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, title)
            if shown:
                self.tabs.setCurrentIndex(index)
        finally:
            self.tabs.blockSignals(False)
        slot.deleteLater()
        for b in tab.findChildren(QPushButton):
            if b.property("writes"):
                b.setEnabled(not self.busy and not self.ctx.readonly)

    def _fill_rollup_if_shown(self) -> None:
        if self._rollup_due and self.tabs.currentWidget() is self.rollup:
            self._rollup_due = False
            self.rollup.refresh()

    # ---------------------------------------------------------------------------- registry edits

    def _after_registry_change(self, unit_id: int) -> None:
        self.ctx.notify_workspace_changed()
        self.notify_main()
        self.refresh()
        self.select_unit(unit_id)

    def add_unit(self, name: str, role: str, code: str = "", contact: str = "") -> Unit:
        """Raises UnitError (a ValueError, in Chinese) when refused."""
        unit = units.add_unit(self.ctx.repo, name, role, code, contact, year=self.year())
        self._after_registry_change(int(unit.id or 0))
        return unit

    def update_unit(self, unit_id: int, **changes: object) -> Unit:
        unit = units.update_unit(self.ctx.repo, unit_id, **changes)
        self._after_registry_change(unit_id)
        return unit

    def set_retired(self, unit_id: int, retired: bool) -> Unit:
        """撤销/恢复 (see services.units.set_retired): the unit leaves or rejoins the roll-up of the year shown."""
        unit = units.set_retired(self.ctx.repo, unit_id, retired, self.year())
        self._after_registry_change(unit_id)
        return unit

    def _on_inclusion(self, unit_id: int, included: bool) -> None:
        year = self.year()
        if year is None:
            return
        units.set_included(self.ctx.repo, unit_id, year, included)
        self.notify_main()
        self.refresh()

    def notify_main(self) -> None:
        """The roll-up depends on units and their inclusion: views of the main report must refresh."""
        main_id = self.main_report_id()
        if main_id is not None:
            self.ctx.notify_changed(main_id)

    def main_report_id(self) -> int | None:
        return units.main_report_id(self.ctx.repo, self.year())

    # ------------------------------------------------------------------------------ unit reports

    def open_unit_report(self, unit_id: int) -> int:
        """Make the unit's report of the year the current one (created empty if missing)."""
        year = self.year()
        assert year is not None
        opened = units.open_unit_report(self.ctx.repo, unit_id, year)
        if opened.created:
            self.ctx.notify_workspace_changed()
        self.ctx.switch_report(opened.report_id)
        return opened.report_id

    # ----------------------------------------------------------------------------------- workers

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for b in self.findChildren(QPushButton):
            if b.property("writes"):
                b.setEnabled(not busy and not self.ctx.readonly)
        self.busy_changed.emit(busy)

    def start_worker(self, fn: Callable[..., object], done: Callable[[object], None]) -> None:
        def finished(result: object) -> None:
            if self.ctx.closed:
                return  # the workspace closed while the files were read: nothing is stored
            try:
                done(result)
            finally:
                self.refresh()

        self.jobs.start(fn, finished, self.exchange.on_failed, self.exchange.on_progress)
