"""`AppContext`: what every page of the main window shares — the open workspace, the current report, the
undo stack, and the signals that keep views in step after an edit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ruian_desk.domain.report import Report
from ruian_desk.domain.rules import Issue, run_checks
from ruian_desk.storage.assemble import check_context, effective_report
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.workspace import Workspace


class AppContext(QObject):
    """One per main window. Pages get it in their constructor: `Page(ctx, parent)`.

    Pages write through `ctx.repo` (each call is one transaction) and then call `ctx.notify_changed()`; every
    page listening to `report_changed` refreshes from `ctx.report()` / `ctx.issues()`, which are cached until
    the next notification.
    """

    report_changed = Signal(int)  # a stored edit of this report id (cells, text, metrics, explanations)
    report_switched = Signal(int)  # another report (unit/year) became the current one
    workspace_changed = Signal()  # units, years or imports changed: lists must reload
    saved = Signal(str)  # "已保存 HH:MM:SS" after each stored edit

    def __init__(self, workspace: Workspace, report_id: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.undo_stack = QUndoStack(self)
        self._report_id = report_id
        self._report: Report | None = None
        self._issues: list[Issue] | None = None

    @property
    def repo(self) -> Repository:
        return self.workspace.repo

    @property
    def readonly(self) -> bool:
        return self.workspace.readonly

    @property
    def report_id(self) -> int | None:
        return self._report_id

    def report(self) -> Report | None:
        if self._report_id is None:
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
            self._issues = run_checks(report, check_context(self.repo, report))
        return self._issues

    def switch_report(self, report_id: int | None) -> None:
        if report_id == self._report_id:
            return
        self._report_id = report_id
        self._invalidate()
        self.undo_stack.clear()
        self.report_switched.emit(report_id if report_id is not None else -1)

    def notify_changed(self, report_id: int | None = None) -> None:
        """Call after a stored edit: caches drop, views refresh, the status bar shows 已保存."""
        rid = report_id if report_id is not None else self._report_id
        self._invalidate()
        if rid is not None:
            self.report_changed.emit(rid)
        self.saved.emit(f"已保存 {dt.datetime.now():%H:%M:%S}")

    def notify_workspace_changed(self) -> None:
        self._invalidate()
        self.workspace_changed.emit()

    def _invalidate(self) -> None:
        self._report = None
        self._issues = None

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
