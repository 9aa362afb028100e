"""Workspaces in the main window: open (read-only beside another instance, or a backup of a damaged file),
switch, close, the sample, a copy."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from ruian_desk.gui import settings as app_settings
from ruian_desk.gui import window_reports, window_status
from ruian_desk.gui.context import AppContext
from ruian_desk.gui.workspace_notes import watch_notes
from ruian_desk.paths import user_data_dir
from ruian_desk.services.opening import findings_left
from ruian_desk.storage.workspace import Workspace, WorkspaceError, open_workspace, start_daily_backup

if TYPE_CHECKING:
    from ruian_desk.gui.main_window import MainWindow


def open_path(w: MainWindow, path: Path, create: bool = False) -> bool:
    """Open a workspace file; another instance holding it → offer read-only; a damaged file → offer its
    newest backup (when the backup module is there); any other error → a message in Chinese."""
    try:
        # Today's backup starts once the window is drawn (below): its thread would compete with
        # drawing the report for the interpreter.
        ws = open_workspace(path, create=create, daily_backup=False)
    except Exception as exc:  # noqa: BLE001 - WorkspaceError, LockError …: the user is told in Chinese
        recovered = recover(w, path, exc)
        if recovered is None:
            return False
        ws = recovered
    set_workspace(w, ws)

    def daily() -> None:
        start_daily_backup(ws)  # nothing for a read-only, new or closed one
        watch_notes(w, ws)  # a failed backup (or a read-only reason) is shown in the status bar

    w._when_drawn(daily)
    return True


def recover(w: MainWindow, path: Path, exc: Exception) -> Workspace | None:
    """Read-only beside another instance, or the newest backup of a damaged file (backup_page decides)."""
    from ruian_desk.gui.backup_page import recover_open_error

    if not isinstance(exc, WorkspaceError):
        w._warn(w.tr("无法打开工作区"), str(exc))
        return None
    try:
        return recover_open_error(w, path, exc, ask=partial(choose, w))
    except Exception as exc2:  # noqa: BLE001 - shown to the user, the window stays usable
        w._warn(w.tr("无法打开工作区"), str(exc2))
        return None


def choose(w: MainWindow, title: str, text: str, choices: list[str]) -> int:
    """The window's questions in the shape the backup module asks them: index of the choice, -1 none."""
    if len(choices) <= 1:
        w._warn(title, text)
        return 0
    return 0 if w.ask(title, f"{text}\n\n{choices[0]}？") else 1


def set_workspace(w: MainWindow, ws: Workspace) -> None:
    _release_startup_objects()
    close_workspace(w, show_start=False)
    ctx = AppContext(ws, None, w)
    w.ctx = ctx
    ctx.report_switched.connect(w._on_report_switched)
    ctx.report_changed.connect(w._on_report_changed)
    ctx.workspace_changed.connect(w._on_workspace_changed)
    ctx.saved.connect(partial(window_status.on_saved, w))
    ctx.pending_changed.connect(partial(window_status.on_pending, w))
    ctx.store_failed.connect(partial(window_status.on_store_failed, w))
    ctx.checked.connect(w._on_checked)
    ctx.navigation_requested.connect(w.navigate)
    ctx.report_import_requested.connect(lambda: w.import_reports())
    ctx.undo_stack.canUndoChanged.connect(w.action_undo.setEnabled)
    ctx.undo_stack.canRedoChanged.connect(w.action_redo.setEnabled)
    ctx.undo_stack.undoTextChanged.connect(w._on_undo_text)
    ctx.undo_stack.redoTextChanged.connect(w._on_redo_text)
    if w.remember:
        try:
            app_settings.add_recent(ws.path)
        except OSError:
            pass
    w._refresh_start_page()
    window_reports.fill_picker(w)
    rid = initial_report(w)
    if rid is None:
        w._show_start()
    else:
        ctx.switch_report(rid, findings=findings_left(ws, rid))
    window_status.update_title(w)


def initial_report(w: MainWindow) -> int | None:
    assert w.ws is not None
    repo = w.ws.repo
    last = app_settings.last_report(w.ws.path) if w.remember else None
    if last is not None:
        rid = repo.find_report(*last)
        if rid is not None:
            return rid
    rows = repo.report_index()
    if not rows:
        return None
    main = repo.main_organ()
    own = [r for r in rows if main is not None and r["unit_id"] == main.id]
    best = max(
        own or rows, key=lambda r: (window_reports.row_int(r["year"]), -window_reports.row_int(r["unit_id"]))
    )
    return window_reports.row_int(best["id"])


def close_workspace(w: MainWindow, show_start: bool = True) -> None:
    if show_start:
        _release_startup_objects()
    if w.ctx is not None:
        w.ctx.flush_edits()
        report = w.ctx.report() if w.ctx.report_id is not None else None
        if report is not None and w.ws is not None and w.remember:
            try:
                app_settings.set_last_report(w.ws.path, report.unit, report.year)
            except OSError:
                pass
    for page in w.pages.values():
        _stop_timers(page)
        w.ui.pageStack.removeWidget(page)
        page.deleteLater()
    w.pages.clear()
    if w.check_panel is not None:
        _stop_timers(w.check_panel)
        w.check_panel.setParent(None)  # out of the dock or the stack now; deleted at the next pass
        w.check_panel.deleteLater()
        w.check_panel = None
    w._hide_checks_dock()
    if w.ctx is not None:
        # A window closed before it was ever drawn still leaves today's backup (close waits for it).
        start_daily_backup(w.ctx.workspace)
        w.ctx.close()
        w.ctx.deleteLater()
        w.ctx = None
    w.ui.navTree.clear()
    w.ui.unitCombo.clear()
    w.ui.yearCombo.clear()
    w.action_undo.setEnabled(False)
    w.action_redo.setEnabled(False)
    w._refresh_start_page()
    if show_start:
        w._show_start()
    window_status.update_status(w)
    window_status.update_title(w)


def choose_workspace(w: MainWindow) -> None:
    from PySide6.QtWidgets import QFileDialog

    start = str(w.ws.path.parent if w.ws else user_data_dir())
    path, _ = QFileDialog.getOpenFileName(
        w, w.tr("打开工作区"), start, w.tr("工作区 (*.sqlite *.db);;所有文件 (*)")
    )
    if path:
        open_path(w, Path(path))


def open_sample(w: MainWindow) -> bool:
    """A fresh copy of the 瑞安市人民政府 2019 sample. An earlier copy is replaced only while nobody has
    worked in it; an edited one is kept as it is and the fresh copy gets a new name (“…（2）.sqlite”)."""
    from ruian_desk.exchange.sample import fresh_sample_path
    from ruian_desk.paths import sample_workspace_path
    from ruian_desk.services.sample import build_sample

    usual = sample_workspace_path()
    if w.ctx is not None:
        w.ctx.flush_edits()  # typed text not yet stored counts as work
    path = fresh_sample_path(usual)
    if w.ws is not None and Path(w.ws.path).resolve() == path.resolve():
        close_workspace(w)
    try:
        build_sample(path, force=True).close()
    except Exception as exc:  # noqa: BLE001
        w._warn(w.tr("无法创建示例工作区"), str(exc))
        return False
    opened = open_path(w, path)
    if opened and path != usual:
        w.ui.statusbar.showMessage(
            w.tr("原示例工作区已有修改，保留未动（{0}）；新的示例副本：{1}").format(usual.name, path.name),
            15000,
        )
    return opened


def save_copy(w: MainWindow) -> None:
    if w.ws is None:
        return
    if w.ctx is not None:
        w.ctx.flush_edits()
    from PySide6.QtWidgets import QFileDialog

    target, _ = QFileDialog.getSaveFileName(
        w,
        w.tr("导出工作区副本"),
        str(w.ws.path.with_name(w.ws.path.stem + "-副本.sqlite")),
        w.tr("工作区 (*.sqlite)"),
    )
    if target:
        from ruian_desk.services.reports import ReportError, copy_workspace

        try:
            copy_workspace(w.ws, Path(target))
        except (OSError, sqlite3.Error, ReportError) as exc:
            w._warn(w.tr("副本未写出"), str(exc))
            return
        w.ui.statusbar.showMessage(w.tr("已导出工作区副本：{0}").format(target), 8000)


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
