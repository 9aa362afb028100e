"""The units registry: add, rename or edit, retire (撤销) or restore, include in a year's roll-up, open a
unit's report of a year. Each change is one transaction; refusals are `UnitError`s worded for the clerk."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ruian_desk.domain.report import ROLES, Unit, default_report
from ruian_desk.storage.assemble import year_format
from ruian_desk.storage.repository import Repository


class UnitError(ValueError):
    """A registry change refused; the message names the unit and the reason, in Chinese."""


@dataclass(frozen=True)
class OpenedReport:
    report_id: int
    created: bool  # the unit had no report of that year: an empty one was made


def _check_name(repo: Repository, name: str, unit_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise UnitError("请填写单位名称")
    other = repo.unit_by_name(name)
    if other is not None and other.id != unit_id:
        raise UnitError(f"已有名为“{name}”的单位（或曾用名）")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UnitError(f"单位类型“{role}”不存在，可选：{'、'.join(ROLES.values())}")
    return role


def add_unit(
    repo: Repository, name: str, role: str, code: str = "", contact: str = "", year: int | None = None
) -> Unit:
    """A new unit; with `year`, it takes part in that year's roll-up at once."""
    unit = Unit(name=_check_name(repo, name), role=_check_role(role), code=code.strip(), contact=contact.strip())
    with repo.atomic():
        unit = repo.add_unit(unit)
        if year is not None:
            repo.set_unit_year(int(unit.id or 0), year, included=True)
    return unit


def update_unit(repo: Repository, unit_id: int, **changes: object) -> Unit:
    """Edit a unit (name, role, code, contact); a new name keeps the old one in the history, so templates
    issued under it still import."""
    old = repo.unit(unit_id)
    if "name" in changes:
        changes["name"] = _check_name(repo, str(changes["name"]), unit_id)
    if "role" in changes:
        changes["role"] = _check_role(str(changes["role"]))
    return repo.update_unit(replace(old, **changes))  # type: ignore[arg-type]


def rename_unit(repo: Repository, unit_id: int, name: str) -> Unit:
    return update_unit(repo, unit_id, name=name)


def set_retired(repo: Repository, unit_id: int, retired: bool, year: int | None) -> Unit:
    """撤销/恢复 a unit as one transaction: with it, the unit leaves (or rejoins) the roll-up of `year`.
    Other years keep their 参与汇总 flags: a retired unit's earlier reports still count in their years
    (published figures do not change)."""
    main = repo.main_organ()
    if retired and main is not None and main.id == unit_id:
        raise UnitError("主报告单位不能撤销")
    with repo.atomic():
        if year is not None:
            repo.set_unit_year(unit_id, year, included=not retired)
        return repo.update_unit(replace(repo.unit(unit_id), retired=retired))


def set_included(repo: Repository, unit_id: int, year: int, included: bool) -> None:
    """参与汇总 of a unit in one year."""
    repo.set_unit_year(unit_id, year, included=included)


def main_report_id(repo: Repository, year: int | None) -> int | None:
    """The main organ's report of `year` (the roll-up), if there is one."""
    main = repo.main_organ()
    if main is None or year is None:
        return None
    return repo.find_report(main.name, year)


def open_unit_report(repo: Repository, unit_id: int, year: int) -> OpenedReport:
    """The unit's report of `year`, created empty (in the year's format) if missing."""
    unit = repo.unit(unit_id)
    rid = repo.find_report(unit.name, year)
    if rid is not None:
        return OpenedReport(rid, created=False)
    return OpenedReport(repo.save_report(default_report(unit, year, year_format(repo, year))), created=True)
