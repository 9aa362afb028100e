"""Storage of publication tracking and 考核 (issue 12): publication date and link per unit and year, the
workspace's deadlines and its own rubric. SQL lives here (next to `repository.py`); each write is one
transaction with a change-log row, and refuses on a read-only workspace."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field

from ruian_desk.domain.deadlines import (
    DEFAULT_DEADLINES,
    KEY_DATE,
    KEY_DEADLINE,
    KEY_LINK,
    KEY_TODAY,
    KEY_TRACKED,
    deadline_date,
)
from ruian_desk.storage.repository import Repository, now

DEADLINE_META = "deadline."  # + role → "MM-DD"
RUBRIC_META = "rubric.json"  # the clerk's own rubric (JSON text)


@dataclass(frozen=True)
class PublicationRecord:
    unit_id: int
    year: int
    date: str  # ISO date
    link: str
    source: str  # typed, or verify:<file>
    at: str


@dataclass
class _Known:
    """What has been read of one workspace's tracking (the checks of every report ask; writes here forget it)."""

    has_table: bool | None = None
    overrides: dict[str, str] | None = None
    years: set[int] | None = None
    by_year: dict[int, dict[int, PublicationRecord]] = field(default_factory=dict)


_KNOWN: weakref.WeakKeyDictionary[Repository, _Known] = weakref.WeakKeyDictionary()


def _known(repo: Repository) -> _Known:
    return _KNOWN.setdefault(repo, _Known())


def forget(repo: Repository) -> None:
    _KNOWN.pop(repo, None)


def _has_table(repo: Repository) -> bool:
    # A workspace opened read-only before its upgrade has no such table yet: it has nothing recorded.
    k = _known(repo)
    if k.has_table is None:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'publications'"
        k.has_table = repo.db.execute(sql).fetchone() is not None
    return k.has_table


def publications(repo: Repository, year: int) -> dict[int, PublicationRecord]:
    """unit id → its publication of `year`."""
    if not _has_table(repo):
        return {}
    k = _known(repo)
    if year not in k.by_year:
        k.by_year[year] = _read_year(repo, year)
    return dict(k.by_year[year])


def _read_year(repo: Repository, year: int) -> dict[int, PublicationRecord]:
    rows = repo.db.execute(
        "SELECT unit_id, year, date, link, source, at FROM publications WHERE year = ?", [year]
    ).fetchall()
    return {
        int(r[0]): PublicationRecord(int(r[0]), int(r[1]), r[2] or "", r[3] or "", r[4] or "", r[5] or "")
        for r in rows
    }


def publication(repo: Repository, unit_id: int, year: int) -> PublicationRecord | None:
    if not _has_table(repo):
        return None
    k = _known(repo)
    if year not in k.by_year:
        k.by_year[year] = _read_year(repo, year)
    return k.by_year[year].get(unit_id)


def set_publication(repo: Repository, unit_id: int, year: int, date: str, link: str, source: str) -> None:
    """Record (or replace) a unit's publication of `year`; the old value goes to the change log."""
    repo._writable()
    old = publication(repo, unit_id, year)
    forget(repo)
    with repo.db.atomic():
        repo.db.execute(
            "INSERT INTO publications (unit_id, year, date, link, source, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(unit_id, year) DO UPDATE SET date = excluded.date, link = excluded.link, "
            "source = excluded.source, at = excluded.at",
            [unit_id, year, date, link, source, now()],
        )
        repo._log(
            None,
            f"publication:{unit_id}:{year}",
            f"{old.date} {old.link}".strip() if old else None,
            f"{date} {link}".strip(),
            source,
        )


def delete_publication(repo: Repository, unit_id: int, year: int, source: str = "typed") -> bool:
    repo._writable()
    old = publication(repo, unit_id, year)
    if old is None:
        return False
    forget(repo)
    with repo.db.atomic():
        repo.db.execute("DELETE FROM publications WHERE unit_id = ? AND year = ?", [unit_id, year])
        repo._log(None, f"publication:{unit_id}:{year}", f"{old.date} {old.link}".strip(), None, source)
    return True


def tracked_years(repo: Repository) -> set[int]:
    if not _has_table(repo):
        return set()
    k = _known(repo)
    if k.years is None:
        k.years = {int(r[0]) for r in repo.db.execute("SELECT DISTINCT year FROM publications").fetchall()}
    return set(k.years)


def deadline_overrides(repo: Repository) -> dict[str, str]:
    """role → "MM-DD" for the deadlines the workspace changed."""
    k = _known(repo)
    if k.overrides is None:
        rows = repo.db.execute(
            "SELECT key, value FROM meta WHERE key LIKE ?", [DEADLINE_META + "%"]
        ).fetchall()
        k.overrides = {str(key)[len(DEADLINE_META) :]: str(v) for key, v in rows if v}
    return dict(k.overrides)


def set_deadline_override(repo: Repository, role: str, mmdd: str | None) -> None:
    forget(repo)
    repo.set_meta(DEADLINE_META + role, mmdd)


def rubric_text(repo: Repository) -> str | None:
    return repo.get_meta(RUBRIC_META)


def set_rubric_text(repo: Repository, text: str | None) -> None:
    repo.set_meta(RUBRIC_META, text)


def deadline_of(repo: Repository, role: str, year: int) -> dt.date:
    mmdd = {**DEFAULT_DEADLINES, **deadline_overrides(repo)}.get(role, DEFAULT_DEADLINES["department"])
    return deadline_date(year, mmdd)


def is_tracked(repo: Repository, year: int) -> bool:
    """A year is tracked once a publication of it is recorded or a deadline is changed."""
    return year in tracked_years(repo) or bool(deadline_overrides(repo))


def publication_settings(
    repo: Repository, unit_name: str, year: int, today: dt.date | None = None
) -> dict[str, str]:
    """The check settings W-DEADLINE reads for a unit's report of `year` (empty while the year is not tracked)."""
    if not is_tracked(repo, year):
        return {}
    unit = repo.unit_by_name(unit_name)
    if unit is None:
        return {}
    rec = publication(repo, int(unit.id or 0), year)
    out = {KEY_TRACKED: "1", KEY_DEADLINE: deadline_of(repo, unit.role, year).isoformat()}
    if rec is not None:
        out[KEY_DATE] = rec.date
        out[KEY_LINK] = rec.link
    if today is not None:
        out[KEY_TODAY] = today.isoformat()
    return out
