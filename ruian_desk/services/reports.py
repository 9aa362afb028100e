"""Reports of a workspace: a new one (empty, or based on last year's report of the same unit) and a copy of
the whole workspace. Each write is one transaction; the messages are for the clerk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruian_desk.domain.drafts import INHERITED_SETTINGS, draft_from_previous, new_report
from ruian_desk.domain.report import Unit
from ruian_desk.domain.rollup import SCOPE_ROLLUP, scopes_from_settings
from ruian_desk.exchange.sample import back_up_before_replacing
from ruian_desk.storage.assemble import effective_report
from ruian_desk.storage.copy import copy_database
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.workspace import Workspace, WorkspaceError


class ReportError(ValueError):
    """A report that cannot be made as asked; the message is for the clerk."""


@dataclass(frozen=True)
class CreatedReport:
    report_id: int
    existed: bool  # the unit had a report of that year already: it is opened, nothing is written


def create_report(
    repo: Repository, unit: str, role: str, year: int, *, main_organ: bool = False, from_previous: bool = False
) -> CreatedReport:
    """The report of (unit, year), created in one transaction if it does not exist. `from_previous` bases it
    on the unit's report of the year before when there is one (carried figures, its texts moved on a year,
    its roll-up scopes and limits inherited); `main_organ` makes the unit the workspace's main organ (the
    first report of a workspace makes it so anyway)."""
    existing = repo.find_report(unit, year)
    if existing is not None:
        return CreatedReport(existing, existed=True)
    prev_id = repo.find_report(unit, year - 1) if from_previous else None
    with repo.atomic():
        if prev_id is not None:
            # As published: a county's tables in roll-up scope are its units' sums (the stored own cells may
            # be stale), and 上年结转 must equal the 结转下年度 it printed. Tables this year's county report
            # sums from its units carry nothing of its own (X-AGG would object).
            previous = effective_report(repo, prev_id)
            settings = {key: repo.get_setting(prev_id, key) for key in INHERITED_SETTINGS}
            main, known = repo.main_organ(), repo.unit_by_name(unit)
            is_main = main_organ or main is None or (known is not None and main.id == known.id)
            rolled = [t for t, s in scopes_from_settings(settings).items() if s == SCOPE_ROLLUP]
            report = draft_from_previous(previous, year, rolled if is_main else ())
            rid = repo.save_report(report, source=f"上年报告（{year - 1}年）")
            for key, value in settings.items():
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
    return CreatedReport(rid, existed=False)


def copy_workspace(ws: Workspace, target: str | Path) -> Path:
    """A consistent copy of the open workspace at `target` (the open file itself is refused)."""
    target = Path(target)
    try:
        same = target.exists() and target.resolve() == Path(ws.path).resolve()
    except OSError:
        same = False
    if same:
        raise ReportError(f"副本不能写到正在使用的工作区文件本身：{target}")
    if target.exists():
        try:
            back_up_before_replacing(target)  # the file replaced is kept in its backup folder first
        except WorkspaceError as exc:
            raise ReportError(str(exc)) from None
    copy_database(ws.db, target)
    return target
