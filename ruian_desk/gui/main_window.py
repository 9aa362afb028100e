"""The main window: start page, report picker, navigation tree, the editor of the selected node, status bar.

Window chrome comes from `ui/main_window.ui` (composition: `self.ui = Ui_MainWindow()`); the editors are
created the first time their node is selected, and pages of other parts of the app are imported then too.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QTreeWidgetItem, QWidget

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.narrative import paragraphs
from ruian_desk.domain.report import SAMPLE_MARK, Unit, format_number
from ruian_desk.domain.rules import Issue
from ruian_desk.domain.rules import counts as count_issues
from ruian_desk.gui import settings as app_settings
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.forms.ui_main_window import Ui_MainWindow
from ruian_desk.gui.pages import HOSTED_PAGES, create_hosted_page
from ruian_desk.paths import default_workspace_path, user_data_dir
from ruian_desk.storage.workspace import Workspace, WorkspaceError, open_workspace, start_daily_backup

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent
    from PySide6.QtWidgets import QDockWidget

    from ruian_desk.gui.editors.checks import CheckPanel
    from ruian_desk.gui.start_page import StartPage


def __getattr__(name: str) -> object:
    """`main_window.QMessageBox` / `QFileDialog` as before: the dialogs are imported when first used, not
    with the window (touching a Qt class the first time builds it and its enums: start-up time)."""
    if name in ("QMessageBox", "QFileDialog"):
        from PySide6 import QtWidgets

        return getattr(QtWidgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


KEY_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_PAGES = {"p1", "p5", "p6"}
TABLE_PAGES = {"p2": "t2", "p3": "t3", "p4": "t4"}
FIELD_PAGES = {"title": "title", "intro": "title", "sig_organ": "signature", "sig_date": "signature"}
SHORTCUT_NODES = ("title", "p1", "p2", "p3", "p4", "p5", "p6", "signature", "metrics")

SHORTCUT_HELP = """<h3>快捷键</h3>
<table cellpadding="3">
<tr><td><b>Ctrl+1 … Ctrl+9</b></td><td>标题与引言、一、二(表二)、三(表三)、四(表四)、五、六、落款、指标</td></tr>
<tr><td><b>Ctrl+PgUp / Ctrl+PgDn</b></td><td>上一个 / 下一个导航节点</td></tr>
<tr><td><b>Alt+U / Alt+Y</b></td><td>选择单位 / 年度</td></tr>
<tr><td><b>Ctrl+Z / Ctrl+Y</b></td><td>撤销 / 重做（单元格、粘贴、文字、指标）</td></tr>
<tr><td><b>F5</b></td><td>审核面板</td></tr><tr><td><b>F8</b></td><td>转到下一个问题</td></tr>
<tr><td colspan="2"><br><b>表格</b></td></tr>
<tr><td>直接输入</td><td>替换单元格内容（全角数字、“1,234”均可）</td></tr>
<tr><td>Enter / Tab / Shift+Tab</td><td>下移 / 下一格 / 上一格（跳过自动计算的总计）</td></tr>
<tr><td>F2</td><td>修改单元格内容</td></tr><tr><td>Delete</td><td>清空（空白不等于0）</td></tr>
<tr><td>Ctrl+C / Ctrl+V</td><td>复制 / 粘贴 Excel、WPS 表格区域（整块一次保存，有错则整块不保存）</td></tr>
<tr><td colspan="2"><br><b>正文</b></td></tr>
<tr><td>Ctrl+K 或输入 {{</td><td>插入占位符（表格数字或指标，随数据自动更新）</td></tr>
</table>
<p>每处修改在停顿半秒后或离开输入框时即写入工作区；状态栏显示“已保存”即已写入磁盘。</p>"""


class MainWindow(QMainWindow):
    checks_shown = Signal()  # the status bar and the navigation marks show the current report's checks

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

        self._build_status_bar()
        self._build_actions()
        self.ui.navTree.currentItemChanged.connect(self._on_nav_changed)
        self.ui.unitCombo.activated.connect(self._on_unit_picked)
        self.ui.yearCombo.activated.connect(self._on_year_picked)
        # The start page itself is built when first shown (not at all when a workspace opens straight away).
        self.ui.modeStack.setCurrentWidget(self.ui.startHost)
        self._update_status()

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

    def _build_status_bar(self) -> None:
        bar = self.ui.statusbar
        self.status_unit = QLabel(self)
        self.status_year = QLabel(self)
        self.status_format = QLabel(self)
        self.status_saved = QLabel(self)
        self.status_saved.setObjectName("savedLabel")
        self.status_counts = QPushButton(self)
        self.status_counts.setObjectName("issueCounts")
        self.status_counts.setFlat(True)
        self.status_counts.setToolTip(self.tr("打开审核面板（F5）"))
        self.status_counts.clicked.connect(self.show_checks)
        for w in (self.status_unit, self.status_year, self.status_format):
            w.setStyleSheet("padding: 0 8px;")
            bar.addWidget(w)
        bar.addPermanentWidget(self.status_counts)
        bar.addPermanentWidget(self.status_saved)
        bar.messageChanged.connect(self._on_status_message)

    def _on_status_message(self, text: str) -> None:
        # A temporary message covers the unit/year/format labels. QStatusBar hides them itself, but its next
        # re-layout (any permanent widget changing size, e.g. the counts turning red) shows them again under
        # the message, and both texts are drawn over each other. Hidden explicitly, they stay hidden.
        for label in (self.status_unit, self.status_year, self.status_format):
            label.setVisible(not text)

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
        ui.actionShortcuts.triggered.connect(lambda: self.inform(self.tr("快捷键说明"), SHORTCUT_HELP))
        ui.actionAbout.triggered.connect(self._about)
        ui.menuRecent.aboutToShow.connect(self._fill_recent_menu)

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

    def import_reports(self, paths: list[str] | None = None) -> None:
        """文件 → 导入已发布/报送的报告…: choose files (or take `paths`), read, review, store."""
        from ruian_desk.gui.report_import import ReportImport

        if self.ctx is None:
            self.inform(self.tr("导入报告"), self.tr("请先打开或新建一个工作区。"))
            return
        job = ReportImport(self.ctx, self)
        job.message.connect(lambda text: self.ui.statusbar.showMessage(text, 10000) if text else None)
        job.finished.connect(lambda _ids: self._refresh_start_page())
        job.finished.connect(job.deleteLater)
        self.report_import = job
        if paths:
            job.start(paths)
        else:
            job.ask_and_start()

    def _fill_recent_menu(self) -> None:
        menu = self.ui.menuRecent
        menu.clear()
        recent = app_settings.recent_workspaces()
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(Path(p)))
        if not recent:
            menu.addAction(self.tr("（无）")).setEnabled(False)

    def _about(self) -> None:
        self.inform(
            self.tr("关于瑞安年报助手"),
            self.tr(
                "<h3>瑞安年报助手</h3><p>政府信息公开工作年度报告的填报、汇总、审核与导出（离线）。</p>"
                "<p>支持 gov-2019（国办公开办函〔2019〕60号）与 gov-2021（国办公开办函〔2021〕30号）两种格式。</p>"
                "<p>界面字体：思源黑体/Noto Sans CJK SC（SIL Open Font License）。</p>"
            ),
        )

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
        """Open a workspace file; another instance holding it → offer read-only; a damaged file → offer its
        newest backup (when the backup module is there); any other error → a message in Chinese."""
        try:
            # Today's backup starts once the window is drawn (below): its thread would compete with
            # drawing the report for the interpreter.
            ws = open_workspace(path, create=create, daily_backup=False)
        except Exception as exc:  # noqa: BLE001 - WorkspaceError, LockError …: the user is told in Chinese
            recovered = self._recover(path, exc)
            if recovered is None:
                return False
            ws = recovered
        self.set_workspace(ws)
        self._when_drawn(lambda: start_daily_backup(ws))  # nothing for a read-only, new or closed one
        return True

    def _recover(self, path: Path, exc: Exception) -> Workspace | None:
        """Read-only beside another instance, or the newest backup of a damaged file (backup_page decides)."""
        from ruian_desk.gui.backup_page import recover_open_error

        if not isinstance(exc, WorkspaceError):
            self._warn(self.tr("无法打开工作区"), str(exc))
            return None
        try:
            return recover_open_error(self, path, exc, ask=self._choose)
        except Exception as exc2:  # noqa: BLE001 - shown to the user, the window stays usable
            self._warn(self.tr("无法打开工作区"), str(exc2))
            return None

    def _choose(self, title: str, text: str, choices: list[str]) -> int:
        """The window's questions in the shape the backup module asks them: index of the choice, -1 none."""
        if len(choices) <= 1:
            self._warn(title, text)
            return 0
        return 0 if self.ask(title, f"{text}\n\n{choices[0]}？") else 1

    def set_workspace(self, ws: Workspace) -> None:
        _release_startup_objects()
        self.close_workspace(show_start=False)
        ctx = AppContext(ws, None, self)
        self.ctx = ctx
        ctx.report_switched.connect(self._on_report_switched)
        ctx.report_changed.connect(self._on_report_changed)
        ctx.workspace_changed.connect(self._on_workspace_changed)
        ctx.saved.connect(self._on_saved)
        ctx.pending_changed.connect(self._on_pending)
        ctx.store_failed.connect(self._on_store_failed)
        ctx.checked.connect(self._on_checked)
        ctx.navigation_requested.connect(self.navigate)
        ctx.undo_stack.canUndoChanged.connect(self.action_undo.setEnabled)
        ctx.undo_stack.canRedoChanged.connect(self.action_redo.setEnabled)
        ctx.undo_stack.undoTextChanged.connect(self._on_undo_text)
        ctx.undo_stack.redoTextChanged.connect(self._on_redo_text)
        if self.remember:
            try:
                app_settings.add_recent(ws.path)
            except OSError:
                pass
        self._refresh_start_page()
        self._fill_picker()
        rid = self._initial_report()
        if rid is None:
            self._show_start()
        else:
            ctx.switch_report(rid)
        self._update_title()

    def _initial_report(self) -> int | None:
        assert self.ws is not None
        repo = self.ws.repo
        last = app_settings.last_report(self.ws.path) if self.remember else None
        if last is not None:
            rid = repo.find_report(*last)
            if rid is not None:
                return rid
        rows = repo.report_index()
        if not rows:
            return None
        main = repo.main_organ()
        own = [r for r in rows if main is not None and r["unit_id"] == main.id]
        best = max(own or rows, key=lambda r: (_int(r["year"]), -_int(r["unit_id"])))
        return _int(best["id"])

    def close_workspace(self, show_start: bool = True) -> None:
        if show_start:
            _release_startup_objects()
        if self.ctx is not None:
            self.ctx.flush_edits()
            report = self.ctx.report() if self.ctx.report_id is not None else None
            if report is not None and self.ws is not None and self.remember:
                try:
                    app_settings.set_last_report(self.ws.path, report.unit, report.year)
                except OSError:
                    pass
        for page in self.pages.values():
            _stop_timers(page)
            self.ui.pageStack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        if self.check_panel is not None:
            _stop_timers(self.check_panel)
            if self._checks_dock is not None:
                self._checks_dock.setWidget(None)  # type: ignore[arg-type]
            self.check_panel.deleteLater()
            self.check_panel = None
        self._hide_checks_dock()
        if self.ctx is not None:
            # A window closed before it was ever drawn still leaves today's backup (close waits for it).
            start_daily_backup(self.ctx.workspace)
            self.ctx.workspace.close()
            self.ctx.deleteLater()
            self.ctx = None
        self.ui.navTree.clear()
        self.ui.unitCombo.clear()
        self.ui.yearCombo.clear()
        self.action_undo.setEnabled(False)
        self.action_redo.setEnabled(False)
        self._refresh_start_page()
        if show_start:
            self._show_start()
        self._update_status()
        self._update_title()

    def choose_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.ws.path.parent if self.ws else user_data_dir())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开工作区"), start, self.tr("工作区 (*.sqlite *.db);;所有文件 (*)")
        )
        if path:
            self.open_path(Path(path))

    def open_sample(self) -> bool:
        """A fresh copy of the 瑞安市人民政府 2019 sample (any earlier copy is replaced)."""
        from ruian_desk.app import sample_workspace_path
        from ruian_desk.exchange.sample import build_sample

        path = sample_workspace_path()
        if self.ws is not None and Path(self.ws.path).resolve() == path.resolve():
            self.close_workspace()
        try:
            build_sample(path, force=True).close()
        except Exception as exc:  # noqa: BLE001
            self._warn(self.tr("无法创建示例工作区"), str(exc))
            return False
        return self.open_path(path)

    def save_copy(self) -> None:
        if self.ws is None:
            return
        if self.ctx is not None:
            self.ctx.flush_edits()
        from PySide6.QtWidgets import QFileDialog

        target, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出工作区副本"),
            str(self.ws.path.with_name(self.ws.path.stem + "-副本.sqlite")),
            self.tr("工作区 (*.sqlite)"),
        )
        if target:
            try:
                copy_workspace(self.ws, Path(target))
            except (OSError, sqlite3.Error) as exc:
                self._warn(self.tr("副本未写出"), str(exc))
                return
            self.ui.statusbar.showMessage(self.tr("已导出工作区副本：{0}").format(target), 8000)

    # ------------------------------------------------------------------------------ reports

    def new_report(self, from_previous: bool = False) -> int | None:
        from ruian_desk.gui.dialogs.new_report import NewReportDialog

        if self.ws is None and not self.open_path(default_workspace_path(), create=True):
            return None
        assert self.ws is not None and self.ctx is not None
        if self.ws.readonly:
            self._warn(self.tr("只读"), self.tr("工作区以只读方式打开，不能新建报告。"))
            return None
        current = self.ctx.report()
        dialog = NewReportDialog(self.ws.repo, from_previous, current.unit if current else None, self)
        if dialog.exec() != NewReportDialog.DialogCode.Accepted:
            return None
        c = dialog.choice()
        return self.create_report(c.unit, c.role, c.year, c.main_organ, c.from_previous)

    def create_report(
        self, unit: str, role: str, year: int, main_organ: bool, from_previous: bool
    ) -> int | None:
        """Create (or open, if it exists) the report of (unit, year); one transaction."""
        from ruian_desk.domain.rollup import SCOPE_ROLLUP, scopes_from_settings
        from ruian_desk.gui.drafts import INHERITED_SETTINGS, draft_from_previous, new_report
        from ruian_desk.storage.assemble import effective_report

        assert self.ws is not None and self.ctx is not None
        repo = self.ws.repo
        existing = repo.find_report(unit, year)
        if existing is not None:
            self.ctx.switch_report(existing)
            return existing
        prev_id = repo.find_report(unit, year - 1) if from_previous else None
        try:
            with self.ws.db.atomic():
                if prev_id is not None:
                    # As published: a county's tables in roll-up scope are its units' sums (the stored
                    # own cells may be stale), and 上年结转 must equal the 结转下年度 it printed. Tables this
                    # year's county report sums from its units carry nothing of its own (X-AGG would object).
                    previous = effective_report(repo, prev_id)
                    settings = {key: repo.get_setting(prev_id, key) for key in INHERITED_SETTINGS}
                    main, known = repo.main_organ(), repo.unit_by_name(unit)
                    is_main = main_organ or main is None or (known is not None and main.id == known.id)
                    rolled = [t for t, s in scopes_from_settings(settings).items() if s == SCOPE_ROLLUP]
                    report = draft_from_previous(previous, year, rolled if is_main else ())
                    rid = repo.save_report(report, source=f"上年报告（{year - 1}年）")
                    for key in INHERITED_SETTINGS:
                        value = repo.get_setting(prev_id, key)
                        if value is not None:
                            repo.set_setting(rid, key, value)
                else:
                    known = repo.unit_by_name(unit)
                    report = new_report(known or Unit(name=unit, role=role), year)
                    rid = repo.save_report(report)
                if main_organ or repo.main_organ() is None:
                    created = repo.unit_by_name(report.unit)
                    assert created is not None and created.id is not None
                    repo.set_main_organ(created.id)
        except Exception as exc:  # noqa: BLE001
            self._warn(self.tr("报告未创建"), str(exc))
            return None
        self._refresh_start_page()
        self.ctx.notify_workspace_changed()
        self.ctx.switch_report(rid)
        self.ui.statusbar.showMessage(self.tr("已新建 {0} {1}年报告").format(unit, year), 8000)
        return rid

    def open_report(self, report_id: int) -> None:
        if self.ctx is not None:
            if report_id == self.ctx.report_id:
                self._show_work()
            self.ctx.switch_report(report_id)

    def _fill_picker(self) -> None:
        combo, years = self.ui.unitCombo, self.ui.yearCombo
        combo.blockSignals(True)
        combo.clear()
        if self.ws is not None:
            repo = self.ws.repo
            main = repo.main_organ()
            seen: dict[int, str] = {}
            for row in repo.report_index():
                seen.setdefault(_int(row["unit_id"]), str(row["unit"]))
            order = sorted(seen, key=lambda uid: (0 if main and uid == main.id else 1, uid))
            for uid in order:
                label = seen[uid] + (self.tr("（主报告）") if main and uid == main.id else "")
                combo.addItem(label, seen[uid])
        combo.blockSignals(False)
        self._sync_picker()
        years.setEnabled(combo.count() > 0)

    def _sync_picker(self) -> None:
        report = self.ctx.report() if self.ctx is not None and self.ctx.report_id is not None else None
        combo = self.ui.unitCombo
        combo.blockSignals(True)
        if report is not None:
            i = combo.findData(report.unit)
            if i >= 0:
                combo.setCurrentIndex(i)
        combo.blockSignals(False)
        self._fill_years(report.year if report is not None else None)

    def _fill_years(self, select: int | None) -> None:
        years = self.ui.yearCombo
        years.blockSignals(True)
        years.clear()
        unit = self.ui.unitCombo.currentData()
        if self.ws is not None and unit:
            for row in sorted(self.ws.repo.report_index(), key=lambda r: -_int(r["year"])):
                if row["unit"] == unit:
                    years.addItem(f"{row['year']}年", _int(row["id"]))
                    if select is not None and _int(row["year"]) == select:
                        years.setCurrentIndex(years.count() - 1)
        years.blockSignals(False)

    def _on_unit_picked(self, _index: int) -> None:
        report = self.ctx.report() if self.ctx is not None and self.ctx.report_id is not None else None
        self._fill_years(report.year if report else None)
        if self.ui.yearCombo.count():
            if self.ui.yearCombo.currentIndex() < 0:
                self.ui.yearCombo.setCurrentIndex(0)
            self._on_year_picked(self.ui.yearCombo.currentIndex())

    def _on_year_picked(self, index: int) -> None:
        rid = self.ui.yearCombo.itemData(index)
        if rid is not None and self.ctx is not None:
            self.ctx.switch_report(int(rid))
            # Picked with Alt+U / Alt+Y and Enter: the keys go back to the editor shown, not to the picker
            # (whose type-ahead would swallow the next figure typed).
            self.show_node(self.current_node() or "title", focus=True)

    def select_report(self, unit: str, year: int) -> bool:
        """Switch to (unit, year) as the picker would."""
        if self.ws is None or self.ctx is None:
            return False
        rid = self.ws.repo.find_report(unit, year)
        if rid is None:
            return False
        self.ctx.switch_report(rid)
        return True

    def _on_report_switched(self, report_id: int) -> None:
        if self.ctx is None or report_id < 0:
            self._show_start()
            return
        current_key = self.current_node()
        self._build_nav()
        self._sync_picker()
        self._show_work()
        self.show_node(current_key or "title")
        self._update_status(counts_now=False)
        self._update_title()
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
        self._update_status()
        self._refresh_nav_marks()
        self.checks_shown.emit()

    def _on_report_changed(self, report_id: int) -> None:
        # Any report: a unit's or last year's edit can change this report's checks.
        if self.ctx is None or self.ctx.report_id is None:
            return
        self._update_status()
        self._refresh_nav_marks()

    def _on_workspace_changed(self) -> None:
        """Units, years or imports changed (another page did it): lists and checks follow."""
        self._fill_picker()
        if self.ws is not None:
            self._refresh_start_page()
        self._refresh_checks_view()

    # ------------------------------------------------------------------------------ navigation

    def _build_nav(self) -> None:
        tree = self.ui.navTree
        tree.blockSignals(True)
        tree.clear()
        report = self.ctx.report() if self.ctx else None
        if report is not None:
            fmt = report.fmt

            def add(
                key: str, label: str, parent: QTreeWidgetItem | None = None, tip: str = ""
            ) -> QTreeWidgetItem:
                item = QTreeWidgetItem([label])
                item.setData(0, KEY_ROLE, key)
                item.setToolTip(0, f"{label}（{tip}）" if tip else label)
                if parent is None:
                    tree.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                return item

            add("title", self.tr("标题与引言"))
            for part in fmt.parts:
                tip = fmt.tables[part.table].name if part.table else ""
                item = add(part.key, part.title, tip=tip)
                if part.key == "p1":
                    self._add_p1_children(item, report.part("p1"))
                    item.setExpanded(True)
            add("signature", self.tr("落款"))
            sep = add("", "")
            sep.setFlags(Qt.ItemFlag.NoItemFlags)
            for key in ("units", "metrics", "charts", "checks", "export", "backup"):
                label = (
                    HOSTED_PAGES[key].title
                    if key in HOSTED_PAGES
                    else {"metrics": "指标", "checks": "审核"}[key]
                )
                add(key, label)
        tree.blockSignals(False)
        self._p1_text = report.part("p1") if report is not None else ""
        self._marks = None

    def _add_p1_children(self, item: QTreeWidgetItem, text: str) -> None:
        for p in paragraphs(text):
            if p.kind == "heading":
                child = QTreeWidgetItem([f"{p.number}{p.heading}"])
                child.setData(0, KEY_ROLE, f"p1@{p.index}")
                child.setToolTip(0, f"{p.number}{p.heading}")
                item.addChild(child)

    def _p1_item(self) -> QTreeWidgetItem | None:
        tree = self.ui.navTree
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if item is not None and item.data(0, KEY_ROLE) == "p1":
                return item
        return None

    def _refresh_nav_marks(self) -> None:
        """Sub-headings of part 一 follow its text; nodes with unresolved issues get a mark."""
        if self.ctx is None:
            return
        report = self.ctx.report()
        if report is None:
            return
        p1 = self._p1_item()
        if p1 is not None and report.part("p1") != self._p1_text:
            self._p1_text = report.part("p1")
            wanted = [
                (f"p1@{p.index}", f"{p.number}{p.heading}")
                for p in paragraphs(report.part("p1"))
                if p.kind == "heading"
            ]
            children = [c for c in (p1.child(i) for i in range(p1.childCount())) if c is not None]
            have = [(c.data(0, KEY_ROLE), c.text(0)) for c in children]
            if wanted != have:
                tree = self.ui.navTree
                tree.blockSignals(True)
                current = self.current_node()
                p1.takeChildren()
                self._add_p1_children(p1, report.part("p1"))
                if current and current.startswith("p1@"):
                    self._select_item(current if current in dict(wanted) else "p1")
                tree.blockSignals(False)
        marks = issue_marks(report.fmt, self.ctx.issues())
        from ruian_desk.gui import style

        if marks == self._marks:
            return
        self._marks = marks
        for item in self._all_items():
            key = item.data(0, KEY_ROLE)
            sev = marks.get(key)
            item.setIcon(0, style.severity_icon(sev) if sev else style.blank_icon())

    def _all_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        tree = self.ui.navTree
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            if top is None:
                continue
            out.append(top)
            out.extend(c for c in (top.child(j) for j in range(top.childCount())) if c is not None)
        return out

    def node_keys(self) -> list[tuple[str, str]]:
        """(key, label) of every navigation node, in tree order (snapshots walk these)."""
        return [(str(i.data(0, KEY_ROLE)), i.text(0)) for i in self._all_items() if i.data(0, KEY_ROLE)]

    def current_node(self) -> str | None:
        item = self.ui.navTree.currentItem()
        return str(item.data(0, KEY_ROLE)) if item is not None and item.data(0, KEY_ROLE) else None

    def _select_item(self, key: str) -> bool:
        for item in self._all_items():
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
            editor = (
                getattr(page, "editor", None)
                or getattr(page, "view", None)
                or getattr(page, "title_edit", None)
            )
            if editor is not None:
                editor.setFocus()
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
        if line is not None:
            page.goto_line(line)  # type: ignore[attr-defined]
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
            self._checks_dock.setWidget(None)  # type: ignore[arg-type]
            self._checks_dock.hide()
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
            if units is not None and hasattr(units, "show_drilldown") and cell_id in fmt.cells:
                units.refresh()  # type: ignore[attr-defined]
                units.show_drilldown(cell_id)  # type: ignore[attr-defined]
            return units
        if target in fmt.cells or target in fmt.groups:
            table = target.split(".")[0].split("_")[0]
            key = next((k for k, t in TABLE_PAGES.items() if t == table), None)
            if key is None:
                return None
            page = self.show_node(key)
            if page is not None and target in fmt.cells:
                page.select_cell(target)  # type: ignore[attr-defined]
            return page
        if target in FIELD_PAGES:
            page = self.show_node(FIELD_PAGES[target])
            widget = {"title": "title_edit", "sig_organ": "organ_edit", "sig_date": "date_edit"}.get(target)
            if page is not None and widget:
                getattr(page, widget).setFocus()
            elif page is not None and target == "intro":
                page.intro.editor.setFocus()  # type: ignore[attr-defined]
            return page
        if target.startswith("metric"):
            page = self.show_node("metrics")
            key = target.split(":", 1)[1] if ":" in target else ""
            if page is not None and key:
                page.select_metric(key)  # type: ignore[attr-defined]
            return page
        if target.startswith("sig"):
            return self.show_node("signature")
        page = self.show_node(target, focus=True)
        return page

    def goto_issue(self, issue: Issue) -> None:
        from ruian_desk.gui.editors.checks import issue_target

        if self.ctx is None:
            return
        report = self.ctx.report()
        if report is None:
            return
        if self.ui.pageStack.currentWidget() is self.check_panel:
            self._dock_checks()
        target = issue_target(report.fmt, issue)
        page = self.navigate(target)
        if page is None or not hasattr(page, "select_text") or target in ("title", "sig_organ", "sig_date"):
            return
        # A finding in the text: its line, then the phrase it quotes (the check engine's `paragraph` and
        # `anchor`), else the figure it complains about, so the clerk sees what the check means.
        line = getattr(issue, "paragraph", None)
        anchor = getattr(issue, "anchor", "") or ""
        if isinstance(line, int):
            page.goto_line(line)  # type: ignore[attr-defined]
        if anchor and page.select_text(anchor, line):
            return
        if isinstance(issue.actual, (int, Decimal)):
            page.select_text(format_number(issue.actual), line)

    def next_issue(self) -> None:
        if self.ctx is None:
            return
        issues = [i for i in self.ctx.issues() if not i.explained]
        if not issues:
            self.ui.statusbar.showMessage(self.tr("没有待处理的问题"), 5000)
            return
        self._issue_cursor = (self._issue_cursor + 1) % len(issues)
        issue = issues[self._issue_cursor]
        self.goto_issue(issue)
        self.ui.statusbar.showMessage(f"[{issue.rule}] {issue.message}", 15000)
        if self.check_panel is not None:
            self.check_panel.select_issue(issue.fingerprint)

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

    def _set_saved(self, text: str, css: str, tip: str = "") -> None:
        self.status_saved.setText(text)
        self.status_saved.setToolTip(tip)
        # Style sheets are costly to re-apply; this runs after every keystroke's store.
        if self.status_saved.styleSheet() != css:
            self.status_saved.setStyleSheet(css)

    def _on_saved(self, text: str) -> None:
        self._set_saved(text, "color: #2e7d32; padding: 0 8px;", self.tr("每处修改都已写入工作区文件"))

    def _on_pending(self, pending: bool) -> None:
        if pending:
            self._set_saved(
                self.tr("正在输入…"),
                "color: #5f6368; padding: 0 8px;",
                self.tr("停顿半秒或离开输入框后自动保存"),
            )

    def _on_store_failed(self, text: str) -> None:
        self._set_saved(text[:80], "color: #d32f2f; font-weight: bold; padding: 0 8px;", text)

    def _update_status(self, counts_now: bool = True) -> None:
        report = self.ctx.report() if self.ctx is not None and self.ctx.report_id is not None else None
        if report is None:
            for w in (self.status_unit, self.status_year, self.status_format, self.status_saved):
                w.setText("")
            self.status_counts.setText("")
            self.status_counts.setVisible(False)
            return
        fmt = report.fmt
        self.status_unit.setText(self.tr("单位：{0}").format(report.unit))
        self.status_year.setText(self.tr("{0}年度").format(report.year))
        self.status_format.setText(
            f"{fmt.id}（{fmt.notice_no}）" + (f" · {SAMPLE_MARK}" if report.is_sample else "")
        )
        if self.ctx is not None and self.ctx.readonly:
            self._set_saved(self.tr("只读"), "color: #5f6368; font-weight: bold; padding: 0 8px;")
        elif not self.status_saved.text():
            self._set_saved(self.tr("已保存"), "color: #2e7d32; padding: 0 8px;")
        self.status_counts.setVisible(True)
        if not counts_now:
            self.status_counts.setText(self.tr("审核中…"))
            return
        issues = self.ctx.issues() if self.ctx else []
        # What is still open: a warning with a written explanation has passed (as in the navigation marks).
        c = count_issues(issues, include_explained=False)
        explained = sum(1 for i in issues if i.explained)
        text = self.tr("错误 {0}  警告 {1}  提示 {2}").format(c["error"], c["warning"], c["info"])
        if explained:
            text += self.tr("  （已说明 {0}）").format(explained)
        self.status_counts.setText(text)
        color = "#d32f2f" if c["error"] else ("#b06000" if c["warning"] else "#2e7d32")
        css = f"color: {color}; font-weight: bold; padding: 0 8px;"
        if self.status_counts.styleSheet() != css:
            self.status_counts.setStyleSheet(css)

    def _update_title(self) -> None:
        parts = [self.tr("瑞安年报助手")]
        report = self.ctx.report() if self.ctx is not None and self.ctx.report_id is not None else None
        if report is not None:
            parts.append(f"{report.unit} {report.year}年")
        if self.ws is not None:
            parts.append(self.ws.path.name + (self.tr("（只读）") if self.ws.readonly else ""))
        self.setWindowTitle(" — ".join(parts))

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


def _stop_timers(widget: QWidget) -> None:
    """A page is deleted later, at the next event-loop pass; a timer of it that is due (a preview refresh, a
    debounced save) would fire first and query the workspace just closed. Stopped now, none fires."""
    for timer in widget.findChildren(QTimer):
        timer.stop()


def _release_startup_objects() -> None:
    """The app froze what start-up built out of the cycle collector's walks (`app.run_gui`); once the
    window lets go of the workspace it opened with, those pages and reports may become garbage: hand them
    back to the collector (no-op when nothing is frozen)."""
    import gc

    gc.unfreeze()


def _int(value: object) -> int:
    """An id or year from a report-index row (typed `object` there)."""
    return int(str(value))


def issue_marks(fmt: FormatDef, issues: list[Issue]) -> dict[str, str]:
    """Navigation key → the worst open severity of the issues that belong there."""
    rank = {"error": 0, "warning": 1, "info": 2}
    out: dict[str, str] = {}

    def put(key: str, severity: str) -> None:
        if key not in out or rank[severity] < rank[out[key]]:
            out[key] = severity

    for issue in issues:
        if issue.explained or issue.severity not in rank:
            continue
        key = _issue_node(fmt, issue)
        if key:
            put(key, issue.severity)
            put("checks", issue.severity)
    return out


def _issue_node(fmt: FormatDef, issue: Issue) -> str | None:
    for cid in issue.cells:
        table = cid.split(".")[0].split("_")[0]
        for key, t in TABLE_PAGES.items():
            if t == table:
                return key
    part = issue.part or ""
    if part in ("title", "intro"):
        return "title"
    if part in TEXT_PAGES:
        return part
    if part.startswith("sig"):
        return "signature"
    if part.startswith("metric"):
        return "metrics"
    return None


def copy_workspace(ws: Workspace, target: Path) -> None:
    """A consistent copy of the open workspace (SQLite backup API), written to a temp file and renamed."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=".ruian-copy-", suffix=".sqlite", dir=target.parent)
    os.close(fd)
    try:
        dst = sqlite3.connect(tmp)
        try:
            ws.db.conn.backup(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def open_main_window(path: Path | None) -> MainWindow:
    """The window, with `path` opened when given (errors are shown and the start page stays)."""
    window = MainWindow()
    window.restore_geometry()
    if path is None or not window.open_path(path, create=not path.exists()):
        window._show_start()
    return window
