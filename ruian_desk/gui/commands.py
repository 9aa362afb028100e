"""Every edit of the GUI as one stored transaction plus an undo command on `ctx.undo_stack`.

The store happens first; only a write that returned is pushed (its first `redo` is then a no-op) and
announced through `ctx.notify_changed()`, which is what makes the status bar say "已保存". Undo and redo
write again, each as one transaction, and ask the window to show the place that changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ruian_desk.domain.report import CellValue, Metric, Report, format_number
from ruian_desk.services import editing
from ruian_desk.storage.repository import ReadOnlyError
from ruian_desk.storage.workspace import error_reason

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext


def store_error_text(exc: BaseException) -> str:
    """Why a write was refused, in Chinese: SQLite's and the OS's reasons are English ("database or disk is
    full"), so they are translated; the app's own errors already speak Chinese."""
    if isinstance(exc, ReadOnlyError):
        return str(exc)
    if isinstance(exc, (sqlite3.Error, OSError)):
        return f"{error_reason(exc)}（之前已保存的内容不受影响）"
    return str(exc)


class _Absent:
    """A derived cell with no stated value (the computed total applies)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()
CellState = CellValue | _Absent


def cell_states(report: Report, cell_ids: list[str]) -> dict[str, CellState]:
    """What is stored for each cell now: a value, None (blank) or ABSENT (derived, no stated total)."""
    fmt = report.fmt
    out: dict[str, CellState] = {}
    for cid in cell_ids:
        if fmt.cells[cid].derived and cid not in report.cells:
            out[cid] = ABSENT
        else:
            out[cid] = report.cells.get(cid)
    return out


def write_cells(ctx: AppContext, report_id: int, states: Mapping[str, CellState]) -> None:
    """Store cell states as ONE transaction (a paste, a block cleared, an undo)."""
    values = {cid: v for cid, v in states.items() if not isinstance(v, _Absent)}
    cleared = [cid for cid, v in states.items() if isinstance(v, _Absent)]
    editing.write_cells(ctx.repo, report_id, values, cleared)


class _Command(QUndoCommand):
    def __init__(self, ctx: AppContext, report_id: int, text: str):
        super().__init__(text)
        self.ctx = ctx
        self.report_id = report_id
        self._stored = True  # the first redo() comes from push(), after the store already happened

    def redo(self) -> None:
        if self._stored:
            self._stored = False
            return
        self._run(self.apply_after)

    def undo(self) -> None:
        self._run(self.apply_before)

    def _run(self, fn) -> None:  # noqa: ANN001
        # Pending typed text is flushed by the window *before* it calls undo()/redo(): a flush here would
        # push onto the stack while it is busy.
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - the user is told; the stack stays as it was
            self.ctx.store_failed.emit(f"撤销/重做未能保存：{store_error_text(exc)}")
            self.setObsolete(True)
            return
        self.ctx.notify_changed(self.report_id)
        self.ctx.navigation_requested.emit(self.location())

    def apply_before(self) -> None:
        raise NotImplementedError

    def apply_after(self) -> None:
        raise NotImplementedError

    def location(self) -> str:
        return ""


class CellsCommand(_Command):
    def __init__(
        self,
        ctx: AppContext,
        report_id: int,
        before: Mapping[str, CellState],
        after: Mapping[str, CellState],
        text: str,
    ):
        super().__init__(ctx, report_id, text)
        self.before = dict(before)
        self.after = dict(after)

    def apply_before(self) -> None:
        write_cells(self.ctx, self.report_id, self.before)

    def apply_after(self) -> None:
        write_cells(self.ctx, self.report_id, self.after)

    def location(self) -> str:
        return next(iter(self.after), "")


class FieldCommand(_Command):
    def __init__(self, ctx: AppContext, report_id: int, name: str, before: str | None, after: str | None):
        super().__init__(ctx, report_id, f"修改{FIELD_LABELS.get(name, name)}")
        self.name = name
        self.before = before
        self.after = after

    def apply_before(self) -> None:
        self.ctx.repo.set_field(self.report_id, self.name, self.before)

    def apply_after(self) -> None:
        self.ctx.repo.set_field(self.report_id, self.name, self.after)

    def location(self) -> str:
        return self.name


class MetricCommand(_Command):
    def __init__(
        self,
        ctx: AppContext,
        report_id: int,
        before: Metric | None,
        after: Metric | None,
        position: int,
        text: str,
    ):
        super().__init__(ctx, report_id, text)
        self.before = before
        self.after = after
        self.position = position

    def _put(self, metric: Metric | None, other: Metric | None) -> None:
        if metric is None:
            assert other is not None
            self.ctx.repo.delete_metric(self.report_id, other.key)
        else:
            self.ctx.repo.put_metric(self.report_id, metric, position=self.position)

    def apply_before(self) -> None:
        self._put(self.before, self.after)

    def apply_after(self) -> None:
        self._put(self.after, self.before)

    def location(self) -> str:
        m = self.after or self.before
        return f"metric:{m.key}" if m else "metrics"


class SettingCommand(_Command):
    """A report setting that changes what the report prints: the roll-up scope of a table (scope.tN)."""

    def __init__(
        self, ctx: AppContext, report_id: int, key: str, before: str | None, after: str | None, text: str
    ):
        super().__init__(ctx, report_id, text)
        self.key = key
        self.before = before
        self.after = after

    def apply_before(self) -> None:
        self.ctx.repo.set_setting(self.report_id, self.key, self.before)

    def apply_after(self) -> None:
        self.ctx.repo.set_setting(self.report_id, self.key, self.after)

    def location(self) -> str:
        # scope.t3 → the page of 表三 (p3), where the change shows.
        table = self.key.split(".", 1)[1] if self.key.startswith("scope.") else ""
        return f"p{table[1:]}" if table.startswith("t") and table[1:].isdigit() else ""


FIELD_LABELS = {
    "title": "标题",
    "intro": "引言",
    "p1": "一、总体情况",
    "p5": "五、存在的主要问题及改进情况",
    "p6": "六、其他需要报告的事项",
    "sig_organ": "落款机关",
    "sig_date": "落款日期",
}


# --------------------------------------------------------------------------------------- stores


def store_cells(ctx: AppContext, report_id: int, after: Mapping[str, CellState], text: str) -> bool:
    """Store a block of cells as one transaction and push it on the undo stack. False when refused."""
    report = ctx.report()
    if report is None or report.id != report_id:
        report = ctx.repo.load_report(report_id)
    before = cell_states(report, list(after))
    changed = {cid: v for cid, v in after.items() if not _same(before[cid], v)}
    if not changed:
        return True
    try:
        write_cells(ctx, report_id, changed)
    except Exception as exc:  # noqa: BLE001 - read-only workspace, disk full …: told, nothing half-stored
        ctx.store_failed.emit(f"未保存：{store_error_text(exc)}")
        return False
    ctx.undo_stack.push(CellsCommand(ctx, report_id, {c: before[c] for c in changed}, changed, text))
    ctx.notify_changed(report_id)
    return True


def _same(a: CellState, b: CellState) -> bool:
    if isinstance(a, _Absent) or isinstance(b, _Absent):
        return a is b
    return a == b and (a is None or format_number(a) == format_number(b))


def store_field(ctx: AppContext, report_id: int, name: str, value: str | None) -> bool:
    """Store one text field (title, intro, p1 …, sig_organ, sig_date) as one transaction, undoable."""
    try:
        change = ctx.repo.set_field(report_id, name, value)
    except Exception as exc:  # noqa: BLE001
        ctx.store_failed.emit(f"未保存：{store_error_text(exc)}")
        return False
    if change is None:
        return True
    ctx.undo_stack.push(FieldCommand(ctx, report_id, name, change.old, change.new))
    ctx.notify_changed(report_id)
    return True


def store_metric(
    ctx: AppContext, report_id: int, before: Metric | None, after: Metric | None, position: int, text: str
) -> bool:
    """Add, change or (after=None) delete one metric as one transaction, undoable."""
    try:
        if after is None:
            assert before is not None
            change = ctx.repo.delete_metric(report_id, before.key)
        else:
            change = ctx.repo.put_metric(report_id, after, position=position if before is None else None)
    except Exception as exc:  # noqa: BLE001
        ctx.store_failed.emit(f"未保存：{store_error_text(exc)}")
        return False
    if change is None:
        return True
    ctx.undo_stack.push(MetricCommand(ctx, report_id, before, after, position, text))
    ctx.notify_changed(report_id)
    return True


def store_setting(ctx: AppContext, report_id: int, key: str, value: str | None, text: str) -> bool:
    """Change one report setting as one transaction, undoable (a mis-click on 改为本级直接填写 changes every
    number of a table: Ctrl+Z must bring them back)."""
    try:
        before = ctx.repo.get_setting(report_id, key)
        if before == value:
            return True
        ctx.repo.set_setting(report_id, key, value)
    except Exception as exc:  # noqa: BLE001
        ctx.store_failed.emit(f"未保存：{store_error_text(exc)}")
        return False
    ctx.undo_stack.push(SettingCommand(ctx, report_id, key, before, value, text))
    ctx.notify_changed(report_id)
    return True
