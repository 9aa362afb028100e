"""Stored check results of unit reports, so that the 单位 page shown in a new session does not check every
unit again: a unit's findings are kept with the version of what they were computed from (its report and
last year's, as `Repository.report_versions` gives them, and its publication record) and of the checker
itself (the rule code and the format data), and are used only while all of these are unchanged.

The results live in the user data folder (`check-cache.sqlite`), never in the workspace: a read-only
workspace has them too, and losing the file only means the units are checked again. Any error reading or
writing it (a locked or damaged cache) is logged and the results are computed as without it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path

from ruian_desk.domain.issues import Issue, Severity
from ruian_desk.paths import resource, user_data_dir

log = logging.getLogger(__name__)

_FILE = "check-cache.sqlite"
_MAX_ROWS = 10_000  # a unit report's findings are 5–10 KB: 50–100 MB at the most; the oldest go first


@cache
def checker_version() -> str:
    """A digest of what decides a unit's findings: this version's rule code (the domain, storage and exchange
    layers) and the format data. A new version of the app never reads results an older one stored. From a
    checkout or a wheel the sources are read; a bundle without them is identified by its executable."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent.parent
    sources = 0
    for folder in ("domain", "storage", "exchange"):
        for path in sorted((here / folder).rglob("*.py")):
            digest.update(path.relative_to(here).as_posix().encode())
            digest.update(path.read_bytes())
            sources += 1
    if not sources:  # a PyInstaller bundle: its modules are in the executable's archive
        st = os.stat(sys.executable)
        digest.update(f"{sys.executable}|{st.st_size}|{st.st_mtime_ns}".encode())
    for path in sorted(resource("formats").glob("*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def version_key(*parts: object) -> str:
    """The stored form of what a result was computed from (JSON of the parts, stable)."""
    return json.dumps([checker_version(), *parts], ensure_ascii=False, default=str, separators=(",", ":"))


def _workspace_key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


# ------------------------------------------------------------------------------------- the issues

_SCALARS = (str, int, type(None))


def _value(v: object) -> object:
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, Decimal):
        return {"d": str(v)}
    if isinstance(v, _SCALARS):
        return v
    raise TypeError(v)


def _unvalue(v: object) -> object:
    if isinstance(v, dict):
        return Decimal(v["d"])
    return v


def dump_issues(issues: Iterable[Issue]) -> str | None:
    """The findings as JSON, every field kept exactly; None when a finding holds a value of another type
    (such a unit is simply not stored)."""
    try:
        rows = [
            [
                i.rule,
                str(i.severity),
                i.message,
                list(i.cells),
                _value(i.expected),
                _value(i.actual),
                i.part,
                i.explained,
                i.explanation,
                i.anchor,
                i.paragraph,
            ]
            for i in issues
        ]
    except TypeError:
        return None
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


_SEVERITY = {str(s): s for s in Severity}  # the member itself: no enum lookup per finding


def load_issues(text: str) -> list[Issue]:
    return [
        Issue(
            rule=r[0],
            severity=_SEVERITY[r[1]],
            message=r[2],
            cells=tuple(r[3]),
            expected=_unvalue(r[4]),
            actual=_unvalue(r[5]),
            part=r[6],
            explained=bool(r[7]),
            explanation=r[8],
            anchor=r[9],
            paragraph=r[10],
        )
        for r in json.loads(text)
    ]


# --------------------------------------------------------------------------------------- the file


class CheckCache:
    """The stored results of one workspace: `get` what is still valid, `put` what was computed."""

    def __init__(self, workspace: Path, folder: Path | None = None):
        self.workspace = _workspace_key(workspace)
        self.path = (folder or user_data_dir()) / _FILE
        self._conn: sqlite3.Connection | None = None
        self._failed = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._failed:
            return self._conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=1.0, isolation_level=None)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS results (workspace TEXT NOT NULL, report_id INTEGER NOT NULL, "
                "key TEXT NOT NULL, has_data INTEGER NOT NULL, issues TEXT NOT NULL, stored INTEGER NOT NULL, "
                "PRIMARY KEY (workspace, report_id))"
            )
            self._conn = conn
        except (OSError, sqlite3.Error) as exc:
            self._give_up("open", exc)
        return self._conn

    def _give_up(self, what: str, exc: Exception) -> None:
        log.warning("check cache %s failed (%s): the units are checked without it", what, exc)
        self._failed = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, wanted: Mapping[int, str]) -> dict[int, tuple[bool, list[Issue]]]:
        """report id → (has data, findings) for each of `wanted` (report id → version key) stored with the
        same key."""
        conn = self._connect()
        if conn is None or not wanted:
            return {}
        out: dict[int, tuple[bool, list[Issue]]] = {}
        try:
            ids = list(wanted)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for rid, key, data, issues in conn.execute(
                    f"SELECT report_id, key, has_data, issues FROM results WHERE workspace = ? "
                    f"AND report_id IN ({marks})",
                    [self.workspace, *chunk],
                ):
                    if wanted.get(int(rid)) == key:
                        out[int(rid)] = (bool(data), load_issues(issues))
        except (sqlite3.Error, ValueError, KeyError, IndexError, TypeError) as exc:
            self._give_up("read", exc)
            return {}
        return out

    def put(self, results: Mapping[int, tuple[str, bool, list[Issue]]]) -> None:
        """Store report id → (version key, has data, findings), in one transaction."""
        conn = self._connect()
        if conn is None or not results:
            return
        rows = []
        for rid, (key, data, issues) in results.items():
            text = dump_issues(issues)
            if text is not None:
                rows.append((self.workspace, rid, key, int(data), text))
        try:
            with _transaction(conn):
                conn.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, strftime('%s','now'))", rows
                )
                (n,) = conn.execute("SELECT COUNT(*) FROM results").fetchone()
                if n > _MAX_ROWS:
                    conn.execute(
                        "DELETE FROM results WHERE rowid IN (SELECT rowid FROM results ORDER BY stored "
                        "LIMIT ?)",
                        [n - _MAX_ROWS],
                    )
        except sqlite3.Error as exc:
            self._give_up("write", exc)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
