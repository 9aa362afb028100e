"""`AppContext`: what every page of the main window shares — the open workspace, the current report, the
undo stack, and the signals that keep views in step after an edit."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Report
from ruian_desk.services.opening import close_keeping_findings
from ruian_desk.storage.assemble import check_context, effective_report
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.workspace import Workspace


class AppContext(QObject):
    """One per main window. Pages get it in their constructor: `Page(ctx, parent)`.

    Pages write through `ctx.repo` (each call is one transaction) and then call `ctx.notify_changed()`; every
    page listening to `report_changed` refreshes from `ctx.report()` / `ctx.issues()`, which are cached until
    the next notification.

    The check context (last year's report, the units rolled up into this one) is cached across edits of the
    current report, so that one keystroke does not reload 60 unit reports. An edit of *another* report must
    be notified with that report's id (`notify_changed(unit_report_id)`) or with `notify_workspace_changed()`;
    either drops the cache.
    """

    report_changed = Signal(int)  # a stored edit of this report id (cells, text, metrics, explanations)
    report_switched = Signal(int)  # another report (unit/year) became the current one
    workspace_changed = Signal()  # units, years or imports changed: lists must reload
    saved = Signal(str)  # "已保存 HH:MM:SS" after each stored edit
    flush_requested = Signal()  # editors holding typed-but-not-yet-stored text store it now
    navigation_requested = Signal(str)  # show a cell id, a text field (title, intro, p1 …) or a page key
    pending_changed = Signal(bool)  # True while typed text waits for its debounced store
    store_failed = Signal(str)  # a write was refused (read-only workspace, disk error): the Chinese reason
    checked = Signal()  # the checks of the current report were worked out (`issues()` has them cached)
    report_import_requested = Signal()  # a page asks the window to read report documents (导入报告)
    closing = Signal()  # the workspace is about to close: stop timers, let go (see `close`)

    def __init__(self, workspace: Workspace, report_id: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.undo_stack = QUndoStack(self)
        self._report_id = report_id
        self._report: Report | None = None
        self._issues: list[Issue] | None = None
        self._issues_by_cell: dict[str, list[Issue]] | None = None
        # (report id, its check context): previous year and units stay valid while only this report is edited
        self._context_cache: tuple[int, CheckContext] | None = None
        self._closed = False

    @property
    def repo(self) -> Repository:
        return self.workspace.repo

    @property
    def readonly(self) -> bool:
        return self.workspace.readonly

    @property
    def report_id(self) -> int | None:
        return self._report_id

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the workspace: typed text is stored, then `closing` tells every page to stop its timers and
        let go; after it no signal of this context reaches a page, `report()` is None and `issues()` empty,
        and only then does the database close. (A timer left running queried a closed database.)"""
        if self._closed:
            return
        self.flush_edits()
        self.closing.emit()
        self._closed = True
        self.blockSignals(True)
        self.undo_stack.clear()
        self._invalidate()
        self._context_cache = None
        close_keeping_findings(self.workspace, self._report_id)

    def report(self) -> Report | None:
        if self._report_id is None or self._closed:
            return None
        if self._report is None:
            # The main organ's report comes rolled up (tables in roll-up scope = Σ included units).
            self._report = effective_report(self.repo, self._report_id)
        return self._report

    def issues(self) -> list[Issue]:
        report = self.report()
        if report is None:
            return []
        if self._issues is None:
            # The rule modules are imported with the first check of a session (an opening that shows the
            # findings kept at the last closing needs none of them before the window is drawn).
            from ruian_desk.domain.rules import run_checks

            self._issues = run_checks(report, self.check_context())
            self.checked.emit()
        return self._issues

    def check_context(self) -> CheckContext:
        """What the checks of the current report look at; previous year and units come from the cache."""
        report = self.report()
        if report is None or report.id is None:
            return CheckContext()
        cached = self._context_cache
        if cached is None or cached[0] != report.id:
            self._context_cache = (report.id, check_context(self.repo, report))
            return self._context_cache[1]
        # Explanations are the only part an edit of this report can change; re-read them (one small query).
        return replace(cached[1], explanations=self.repo.explanations(report.id))

    def issues_by_cell(self) -> dict[str, list[Issue]]:
        """Cell id → the issues naming it (for outlines and tooltips in the table editors)."""
        if self._issues_by_cell is None:
            out: dict[str, list[Issue]] = {}
            for issue in self.issues():
                for cid in dict.fromkeys(issue.cells):
                    out.setdefault(cid, []).append(issue)
            self._issues_by_cell = out
        return self._issues_by_cell

    def flush_edits(self) -> None:
        """Ask every editor to store what is typed but not yet stored (before undo, switching, closing)."""
        self.flush_requested.emit()

    def switch_report(self, report_id: int | None, findings: list[Issue] | None = None) -> None:
        """Make `report_id` the current report. `findings`: its checks, already known (those kept when the
        unchanged file was last closed, `services.opening`)."""
        if report_id == self._report_id:
            return
        self.flush_edits()
        self._report_id = report_id
        self._invalidate()
        self._issues = findings
        self._context_cache = None
        self.undo_stack.clear()
        self.report_switched.emit(report_id if report_id is not None else -1)

    def notify_changed(self, report_id: int | None = None) -> None:
        """Call after a stored edit: caches drop, views refresh, the status bar shows 已保存."""
        rid = report_id if report_id is not None else self._report_id
        self._invalidate()
        if rid != self._report_id:
            # Another report changed (a unit of this roll-up, or last year's): checks must see it.
            self._context_cache = None
        if rid is not None:
            self.report_changed.emit(rid)
        self.saved.emit("已保存 " + time.strftime("%H:%M:%S"))

    def notify_workspace_changed(self) -> None:
        self._invalidate()
        self._context_cache = None
        self.workspace_changed.emit()

    def _invalidate(self) -> None:
        self._report = None
        self._issues = None
        self._issues_by_cell = None

    # ------------------------------------------------------------------ replacing the workspace (restore)

    def reopen_workspace(self, workspace: Workspace) -> None:
        """Take over `workspace` (the same file reopened after a restore from backup) in place of the
        current one, which is closed. Undo history is dropped (its commands refer to the replaced content);
        the current report stays if it still exists, else the main organ's report of the same year.
        Emits `workspace_changed` and then `report_switched`, so every page reloads."""
        old = self.workspace
        year = self._report.year if self._report is not None else None
        self.workspace = workspace
        if old is not workspace and not getattr(old, "closed", False):
            old.close()
        self.undo_stack.clear()
        ids = {int(str(r["id"])) for r in workspace.repo.report_index()}
        if self._report_id is not None and self._report_id not in ids:
            self._report_id = None
            main = workspace.repo.main_organ()
            if main is not None and year is not None:
                self._report_id = workspace.repo.find_report(main.name, year)
        self.notify_workspace_changed()
        self.report_switched.emit(self._report_id if self._report_id is not None else -1)
