"""The repository's ground floor: the connection, read-only guard, change log and workspace meta, which
every part of the repository (units, reports, history) writes through."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass

from ruian_desk.domain.formats import TEXT_PARTS
from ruian_desk.storage.db import Db

TEXT_FIELDS = ("title", "intro", *TEXT_PARTS, "sig_organ", "sig_date")
TYPED = "typed"


class ReadOnlyError(PermissionError):
    """A write through a workspace opened read-only."""


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class Change:
    id: int
    report_id: int | None
    target: str  # cell id, field name or "metric:<key>"
    old: str | None
    new: str | None
    at: str
    source: str


def now() -> str:
    return dt.datetime.now().isoformat(timespec="milliseconds")


def field_text(value: object) -> str:
    """A unit's field as the change log holds it (flags as 1/0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class RepositoryBase:
    def __init__(self, db: Db, readonly: bool = False):
        self.db = db
        self.readonly = readonly

    def atomic(self) -> AbstractContextManager[Db]:
        """One transaction for several writes (nested: a savepoint); the services open them."""
        return self.db.atomic()

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError("工作区以只读方式打开，不能修改")

    def _log(self, report_id: int | None, target: str, old: str | None, new: str | None, source: str) -> None:
        self.db.execute(
            "INSERT INTO changes (report_id, target, old, new, at, source) VALUES (?, ?, ?, ?, ?, ?)",
            [report_id, target, old, new, now(), source],
        )

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        self._writable()
        with self.db.atomic():
            if value is None:
                self.db.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                self.db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    def _touch(self, report_id: int) -> None:
        self.db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", [now(), report_id])

    def get_setting(self, report_id: int, key: str) -> str | None:
        row = self.db.execute(
            "SELECT value FROM report_settings WHERE report_id = ? AND key = ?", [report_id, key]
        ).fetchone()
        return row[0] if row else None

    def _sample_tables(self, report_id: int) -> set[str]:
        value = self.get_setting(report_id, "sample_tables") or ""
        return {t for t in value.split(",") if t}

    def _format_of(self, report_id: int) -> str:
        row = self.db.execute("SELECT format FROM reports WHERE id = ?", [report_id]).fetchone()
        if row is None:
            raise NotFound(f"报告 {report_id} 不存在")
        return str(row[0])
