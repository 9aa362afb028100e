"""The main window as chrome and routing: start page, report picker, navigation tree, the page of the selected
node, check dock, status bar. What the window does lives beside it: `window_workspace` (open, close, sample,
copy), `window_reports` (picker, new report, import), `window_nav` (the tree, its marks, going to a finding),
`window_status` (status bar, title, help texts).

Window chrome comes from `ui/main_window.ui` (composition: `self.ui = Ui_MainWindow()`); the editors are
created the first time their node is selected, and pages of other parts of the app are imported then too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QTreeWidgetItem, QWidget

from ruian_desk.domain.issues import Issue
from ruian_desk.gui import settings as app_settings
from ruian_desk.gui import window_desk, window_nav, window_reports, window_status, window_workspace
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.forms.ui_main_window import Ui_MainWindow
from ruian_desk.gui.page import CellPage, DrilldownPage, FieldPage, MetricPage, Page, TextPage
from ruian_desk.gui.pages import HOSTED_PAGES, create_hosted_page
from ruian_desk.gui.warmup import IDLE_GAP_MS, WINDOW_STEPS, Warmup
from ruian_desk.gui.window_nav import FIELD_PAGES, KEY_ROLE, SHORTCUT_NODES, TABLE_PAGES, TEXT_PAGES
from ruian_desk.storage.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent
    from PySide6.QtWidgets import QDockWidget

    from ruian_desk.gui.editors.checks import CheckPanel
    from ruian_desk.gui.report_import import ReportImport
    from ruian_desk.gui.start_page import StartPage


class MainWindow(QMainWindow):
    checks_shown = Signal()  # the status bar and the navigation marks show the current report's checks
    # The status bar's widgets (built by window_status.build_status_bar) and the report import under way.
    status_unit: QLabel
    status_year: QLabel
    status_format: QLabel
    status_saved: QLabel
    status_counts: QPushButton
    report_import: ReportImport
    desk: window_desk.DeskActions  # print, preview, find/replace (window_desk)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}
        # Work that waits until the window has been drawn: the checks of a report just switched to (see
        # _on_report_switched) and the daily backup of a workspace just opened.
        self._drawn = False
        self._after_drawn: list[Callable[[], None]] = []
        self._checks_due = False
        self.warmup = Warmup(WINDOW_STEPS, self, IDLE_GAP_MS)  # pages' imports, once the checks show
        self.checks_shown.connect(self.warmup.start_later)
        self.check_panel: CheckPanel | None = None
        self._issue_cursor = -1
        self._p1_text = ""
        self._marks: dict[str, str] | None = None
        self.remember = True  # recent list and last report per workspace (off for snapshots)
        # Replaceable in tests: the questions and messages the window asks and shows.
        self.ask: Callable[[str, str], bool] = self._ask
        self.inform: Callable[[str, str], None] = self._inform

        self._start_page: StartPage | None = None  # built the first time it is shown
        self.ui.splitter.setSizes([320, 1100])
        self.ui.splitter.setStretchFactor(1, 1)

        # Built when the check list is first docked (Qt classes cost start-up time the first time they are
        # touched; dialogs and the dock are not needed to show a report).
        self._checks_dock: QDockWidget | None = None

        window_status.build_status_bar(self)
        self._build_actions()
        self.ui.navTree.currentItemChanged.connect(self._on_nav_changed)
        self.ui.unitCombo.activated.connect(self._on_unit_picked)
        self.ui.yearCombo.activated.connect(self._on_year_picked)
        # The start page itself is built when first shown (not at all when a workspace opens straight away).
        self.ui.modeStack.setCurrentWidget(self.ui.startHost)
        window_status.update_status(self)

    # ------------------------------------------------------------------------------ chrome

    @property
    def checks_dock(self) -> QDockWidget:
        """The dock under the editor that holds the check list (F5)."""
        if self._checks_dock is None:
            from PySide6.QtWidgets import QDockWidget

            dock = QDockWidget(self.tr("审核"), self)
            dock.setObjectName("checksDock")
            dock.setAllowedAreas(
                Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
            )
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
            self._checks_dock = dock
        return self._checks_dock

    def _hide_checks_dock(self) -> None:
        if self._checks_dock is not None:
            self._checks_dock.hide()

    def _build_actions(self) -> None:
        ui = self.ui
        ui.actionStartPage.triggered.connect(self._show_start)
        ui.actionNewReport.triggered.connect(lambda: self.new_report(False))
        ui.actionNewFromPrevious.triggered.connect(lambda: self.new_report(True))
        ui.actionOpenWorkspace.triggered.connect(self.choose_workspace)
        ui.actionOpenSample.triggered.connect(self.open_sample)
        ui.actionSaveCopy.triggered.connect(self.save_copy)
        self.action_import_reports = QAction(self.tr("导入已发布/报送的报告…"), self)
        self.action_import_reports.setStatusTip(
            self.tr("读取各单位报送的 Word 模板、保存的网页、PDF 或文本，核对后导入（含上年已发布的报告）")
        )
        self.action_import_reports.triggered.connect(self.import_reports)
        ui.menuFile.insertAction(ui.actionSaveCopy, self.action_import_reports)
        ui.actionCloseWorkspace.triggered.connect(self.close_workspace)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionRunChecks.triggered.connect(self.show_checks)
        ui.actionNextIssue.triggered.connect(self.next_issue)
        ui.actionShortcuts.triggered.connect(
            lambda: self.inform(self.tr("快捷键说明"), window_status.SHORTCUT_HELP)
        )
        ui.actionAbout.triggered.connect(lambda: window_status.show_about(self))
        ui.menuRecent.aboutToShow.connect(self._fill_recent_menu)
        self.desk = window_desk.install(self)

        self.action_undo = QAction(self.tr("撤销"), self)
        self.action_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.action_undo.triggered.connect(self.undo)
        self.action_redo = QAction(self.tr("重做"), self)
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.action_redo.triggered.connect(self.redo)
        for a in (self.action_undo, self.action_redo):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setEnabled(False)
            ui.menuEdit.addAction(a)
            self.addAction(a)

        for n, key in enumerate(SHORTCUT_NODES, start=1):
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda k=key: self.show_node(k, focus=True))
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step_node(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step_node(-1))

    def _fill_recent_menu(self) -> None:
        menu = self.ui.menuRecent
        menu.clear()
        recent = app_settings.recent_workspaces()
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(Path(p)))
        if not recent:
            menu.addAction(self.tr("（无）")).setEnabled(False)

    def _ask(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _inform(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, title, text)

    def _warn(self, title: str, text: str) -> None:
        if self.inform is self._inform:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, title, text)
        else:
            self.inform(title, text)

    # ------------------------------------------------------------------------------ workspace

    @property
    def ws(self) -> Workspace | None:
        """The open workspace: the context's (a restore from backup may replace it in place)."""
        return self.ctx.workspace if self.ctx is not None else None

    def open_path(self, path: Path, create: bool = False) -> bool:
        return window_workspace.open_path(self, path, create)

    def set_workspace(self, ws: Workspace) -> None:
        window_workspace.set_workspace(self, ws)

    def close_workspace(self, show_start: bool = True) -> None:
        window_workspace.close_workspace(self, show_start)

    def choose_workspace(self) -> None:
        window_workspace.choose_workspace(self)

    def open_sample(self) -> bool:
        return window_workspace.open_sample(self)

    def save_copy(self) -> None:
        window_workspace.save_copy(self)

    # ------------------------------------------------------------------------------ reports

    def new_report(self, from_previous: bool = False) -> int | None:
        return window_reports.new_report(self, from_previous)

    def create_report(
        self, unit: str, role: str, year: int, main_organ: bool, from_previous: bool
    ) -> int | None:
        return window_reports.create_report(self, unit, role, year, main_organ, from_previous)

    def select_report(self, unit: str, year: int) -> bool:
        return window_reports.select_report(self, unit, year)

    def import_reports(self, paths: list[str] | None = None) -> None:
        window_reports.import_reports(self, paths)

    def _on_unit_picked(self, index: int) -> None:
        window_reports.on_unit_picked(self, index)

    def _on_year_picked(self, index: int) -> None:
        window_reports.on_year_picked(self, index)

    def open_report(self, report_id: int) -> None:
        if self.ctx is not None:
            if report_id == self.ctx.report_id:
                self._show_work()
            self.ctx.switch_report(report_id)

    def _on_report_switched(self, report_id: int) -> None:
        if self.ctx is None or report_id < 0:
            self._show_start()
            return
        current_key = self.current_node()
        window_nav.build_nav(self)
        window_reports.sync_picker(self)
        self._show_work()
        self.show_node(current_key or "title")
        window_status.update_status(self, counts_now=False)
        window_status.update_title(self)
        self._issue_cursor = -1
        # Opened from the start page, a new-report dialog or at start-up, the keyboard focus would land on the
        # unit picker (first in the chain), whose type-ahead switches reports on the next key: the navigation
        # tree is the safe place to start from. (The picker itself hands the focus to the editor.)
        focus = self.focusWidget()
        if focus is None or not focus.isVisible() or focus in (self.ui.unitCombo, self.ui.yearCombo):
            self.ui.navTree.setFocus()
        # The checks (which read last year's report and every unit of a roll-up) run once the window has
        # been drawn, so the report appears at once with 审核中… in the status bar; an editor that needs them
        # earlier asks for them itself, and the status bar and marks follow at once (`_on_checked`).
        self._checks_due = True
        self._when_drawn(self._run_due_checks)

    def _when_drawn(self, job: Callable[[], None]) -> None:
        """Run `job` in the event loop's next pass once the window has been drawn (at once if it has)."""
        if self._drawn:
            QTimer.singleShot(0, job)
        else:
            self._after_drawn.append(job)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._drawn:
            # The event loop's first pass after show() comes before the first paint: work started there
            # (checks, the backup thread) would keep a window that is being opened blank.
            self._drawn = True
            for job in self._after_drawn:
                QTimer.singleShot(0, job)
            self._after_drawn.clear()

    def checks_pending(self) -> bool:
        """The report shown still waits for its checks (the status bar says 审核中…)."""
        return self._checks_due

    def _run_due_checks(self) -> None:
        if self._checks_due:
            self._refresh_checks_view()

    def _on_checked(self) -> None:
        # Something needed the checks before their turn (an editor, the check panel): show them now.
        if self._checks_due:
            self._refresh_checks_view()

    def _refresh_checks_view(self) -> None:
        self._checks_due = False
        if self.ctx is None or self.ctx.report_id is None:
            return
        window_status.update_status(self)
        window_nav.refresh_nav_marks(self)
        self.checks_shown.emit()

    def _on_report_changed(self, report_id: int) -> None:
        # Any report: a unit's or last year's edit can change this report's checks.
        if self.ctx is None or self.ctx.report_id is None:
            return
        window_status.update_status(self)
        window_nav.refresh_nav_marks(self)

    def _on_workspace_changed(self) -> None:
        """Units, years or imports changed (another page did it): lists and checks follow."""
        window_reports.fill_picker(self)
        if self.ws is not None:
            self._refresh_start_page()
        self._refresh_checks_view()

    # ------------------------------------------------------------------------------ navigation

    def node_keys(self) -> list[tuple[str, str]]:
        """(key, label) of every navigation node, in tree order (snapshots walk these)."""
        return [
            (str(i.data(0, KEY_ROLE)), i.text(0)) for i in window_nav.all_items(self) if i.data(0, KEY_ROLE)
        ]

    def current_node(self) -> str | None:
        item = self.ui.navTree.currentItem()
        return str(item.data(0, KEY_ROLE)) if item is not None and item.data(0, KEY_ROLE) else None

    def _select_item(self, key: str) -> bool:
        for item in window_nav.all_items(self):
            if item.data(0, KEY_ROLE) == key:
                self.ui.navTree.setCurrentItem(item)
                return True
        return False

    def show_node(self, key: str, focus: bool = False) -> QWidget | None:
        """Select a navigation node and show its page (created on first use)."""
        if self.ctx is None or self.ctx.report_id is None:
            return None
        tree = self.ui.navTree
        tree.blockSignals(True)
        found = self._select_item(key)
        tree.blockSignals(False)
        if not found:
            return None
        page = self._show_page(key)
        if focus and page is not None:
            page.setFocus()
            if isinstance(page, Page):
                page.focus_target().setFocus()
        return page

    def _on_nav_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        key = current.data(0, KEY_ROLE)
        if key:
            self._show_page(str(key))

    def _step_node(self, step: int) -> None:
        keys = [k for k, _ in self.node_keys()]
        current = self.current_node()
        if not keys:
            return
        i = keys.index(current) if current in keys else -1
        self.show_node(keys[(i + step) % len(keys)], focus=True)

    def _show_page(self, key: str) -> QWidget | None:
        if self.ctx is None:
            return None
        self.ctx.flush_edits()
        line = None
        if key.startswith("p1@"):
            line = int(key.split("@", 1)[1])
            key = "p1"
        if key == "checks":
            return self._show_checks_central()
        page = self.page(key)
        if page is None:
            return None
        self.ui.pageStack.setCurrentWidget(page)
        if line is not None and isinstance(page, TextPage):
            page.goto_line(line)
        return page

    def page(self, key: str) -> QWidget | None:
        """The page of a node, created the first time it is needed."""
        if key in self.pages:
            return self.pages[key]
        assert self.ctx is not None
        ctx = self.ctx
        page: QWidget
        if key == "title":
            from ruian_desk.gui.editors.narrative import TitleIntroPage

            page = TitleIntroPage(ctx, self)
        elif key in TEXT_PAGES:
            from ruian_desk.gui.editors.narrative import NarrativeEditor

            report = ctx.report()
            title = report.fmt.part(key).title if report else key
            page = NarrativeEditor(ctx, key, title, self)
        elif key in TABLE_PAGES:
            from ruian_desk.gui.editors.table_editor import TableEditor

            page = TableEditor(ctx, TABLE_PAGES[key], self)
            page.view.message_shown.connect(lambda text: self.ui.statusbar.showMessage(text, 10000))
        elif key == "signature":
            from ruian_desk.gui.editors.signature import SignaturePage

            page = SignaturePage(ctx, self)
        elif key == "metrics":
            from ruian_desk.gui.editors.metrics import MetricsPage

            page = MetricsPage(ctx, self)
        elif key in HOSTED_PAGES:
            page = create_hosted_page(key, ctx, self)
        else:
            return None
        page.setObjectName(f"page_{key}")
        self.pages[key] = page
        self.ui.pageStack.addWidget(page)
        return page

    def _check_panel(self) -> CheckPanel:
        if self.check_panel is None:
            from ruian_desk.gui.editors.checks import CheckPanel

            assert self.ctx is not None
            panel = CheckPanel(self.ctx)
            panel.setObjectName("page_checks")
            panel.issue_activated.connect(self.goto_issue)
            self.check_panel = panel
        return self.check_panel

    def _show_checks_central(self) -> QWidget:
        panel = self._check_panel()
        if self._checks_dock is not None and self._checks_dock.widget() is panel:
            self._checks_dock.hide()  # the stack below takes the panel over (the dock lets go of it)
        if self.ui.pageStack.indexOf(panel) < 0:
            self.ui.pageStack.addWidget(panel)
        self.ui.pageStack.setCurrentWidget(panel)
        return panel

    def _dock_checks(self) -> None:
        """The check list moves to a dock under the editor, so the clerk sees both the issue and the cell."""
        panel = self._check_panel()
        if self.ui.pageStack.indexOf(panel) >= 0:
            self.ui.pageStack.removeWidget(panel)
        if self.checks_dock.widget() is not panel:
            self.checks_dock.setWidget(panel)
        self.checks_dock.show()
        self.resizeDocks([self.checks_dock], [max(220, self.height() // 3)], Qt.Orientation.Vertical)

    def show_checks(self) -> None:
        if self.ctx is None or self.ctx.report_id is None:
            return
        if self.ui.pageStack.currentWidget() is self.check_panel:
            return
        self._dock_checks()
        if self.check_panel is not None:
            self.check_panel.view.setFocus()

    def navigate(self, target: str) -> QWidget | None:
        """Show a cell id, a text field, a part, a metric or a page."""
        if self.ctx is None or not target:
            return None
        report = self.ctx.report()
        if report is None:
            return None
        fmt = report.fmt
        if target.startswith("drill:"):
            # A rolled-up cell: each unit's share, on the 单位 page's 汇总与明细 tab.
            cell_id = target.split(":", 1)[1]
            units = self.show_node("units")
            if isinstance(units, DrilldownPage) and cell_id in fmt.cells:
                units.refresh()
                units.show_drilldown(cell_id)
            return units
        if target in fmt.cells or target in fmt.groups:
            table = target.split(".")[0].split("_")[0]
            key = next((k for k, t in TABLE_PAGES.items() if t == table), None)
            if key is None:
                return None
            page = self.show_node(key)
            if isinstance(page, CellPage) and target in fmt.cells:
                page.select_cell(target)
            return page
        if target in FIELD_PAGES:
            page = self.show_node(FIELD_PAGES[target])
            if isinstance(page, FieldPage):
                page.focus_field(target)
            return page
        if target.startswith("metric"):
            page = self.show_node("metrics")
            key = target.split(":", 1)[1] if ":" in target else ""
            if isinstance(page, MetricPage) and key:
                page.select_metric(key)
            return page
        if target.startswith("sig"):
            return self.show_node("signature")
        page = self.show_node(target, focus=True)
        return page

    def goto_issue(self, issue: Issue) -> None:
        window_nav.goto_issue(self, issue)

    def next_issue(self) -> None:
        window_nav.next_issue(self)

    # ------------------------------------------------------------------------------ undo

    def _on_undo_text(self, text: str) -> None:
        self.action_undo.setText(self.tr("撤销 {0}").format(text).strip())

    def _on_redo_text(self, text: str) -> None:
        self.action_redo.setText(self.tr("重做 {0}").format(text).strip())

    def undo(self) -> None:
        if self.ctx is None:
            return
        # Typed text not yet stored becomes its own step first, so Ctrl+Z undoes exactly what was typed.
        self.ctx.flush_edits()
        self.ctx.undo_stack.undo()

    def redo(self) -> None:
        if self.ctx is None:
            return
        self.ctx.flush_edits()
        self.ctx.undo_stack.redo()

    # ------------------------------------------------------------------------------ status

    # ------------------------------------------------------------------------------ modes

    @property
    def start_page(self) -> StartPage:
        if self._start_page is None:
            from ruian_desk.gui.start_page import StartPage

            page = StartPage(self)
            self.ui.startHostLayout.addWidget(page)
            page.new_report_requested.connect(self._new_report_clicked)
            page.from_previous_requested.connect(self._new_from_previous_clicked)
            page.open_requested.connect(self.choose_workspace)
            page.sample_requested.connect(self.open_sample)
            page.recent_chosen.connect(self._recent_chosen)
            page.report_chosen.connect(self.open_report)
            self._start_page = page
            page.set_workspace(self.ws)
        return self._start_page

    def _refresh_start_page(self) -> None:
        if self._start_page is not None:
            self._start_page.set_workspace(self.ws)

    def _new_report_clicked(self) -> None:
        self.new_report(False)

    def _new_from_previous_clicked(self) -> None:
        self.new_report(True)

    def _recent_chosen(self, path: str) -> None:
        self.open_path(Path(path))

    def _show_start(self) -> None:
        try:
            self.start_page.set_recent(app_settings.recent_workspaces())
        except OSError:
            self.start_page.set_recent([])
        self.ui.modeStack.setCurrentWidget(self.ui.startHost)
        self._hide_checks_dock()

    def _show_work(self) -> None:
        self.ui.modeStack.setCurrentWidget(self.ui.workHost)

    def showing_start(self) -> bool:
        return self.ui.modeStack.currentWidget() is self.ui.startHost

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = app_settings.app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        # The window is going away: the start page is not built just to be shown while it closes.
        self.close_workspace(show_start=False)
        settings.sync()
        super().closeEvent(event)

    def restore_geometry(self) -> None:
        value = app_settings.app_settings().value("window/geometry")
        if isinstance(value, QByteArray) and not value.isEmpty():
            self.restoreGeometry(value)


def open_main_window(path: Path | None) -> MainWindow:
    """The window, with `path` opened when given (errors are shown and the start page stays)."""
    window = MainWindow()
    window.restore_geometry()
    if path is None or not window.open_path(path, create=not path.exists()):
        window._show_start()
    return window
