"""Stored check results of unit reports, so that the 单位 page shown in a new session does not check every
unit again: a unit's findings are kept with the version of what they were computed from (its report and
last year's, as `Repository.report_versions` gives them, and its publication record) and of the checker
itself (the rule code and the format data), and are used only while all of these are unchanged.

Also the findings of the report the window showed when it closed a workspace, kept with the state the file
was left in: the next opening of the unchanged file shows them at once instead of checking the report (and
its roll-up of every unit) again before the window can say what it found.

The results live in the user data folder (`check-cache.sqlite`), never in the workspace: a read-only
workspace has them too, and losing the file only means the units are checked again. Any error reading or
writing it (a locked or damaged cache) is logged and the results are computed as without it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ruian_desk.domain.issues import Issue, Severity, counts
from ruian_desk.paths import resource, user_data_dir

log = logging.getLogger(__name__)

_FILE = "check-cache.sqlite"
_MAX_ROWS = 10_000  # a unit report's findings are 5–10 KB: 50–100 MB at the most; the oldest go first


@cache
def checker_version() -> str:
    """What decides a unit's findings, as a digest: this version's rule code (the domain, storage and exchange
    layers' sources, each by path, size and modification time: an edit, a checkout or an installed version
    rewrites them) and the format data (by content). A new version of the app never reads results an older
    one stored. A bundle without sources is identified by its executable."""
    parts: list[bytes] = []
    here = Path(__file__).resolve().parent.parent
    for folder in ("domain", "storage", "exchange"):
        for path in sorted((here / folder).rglob("*.py")):
            try:
                st = path.stat()
            except OSError:  # an editor's dangling lock link, a file removed by an upgrade under way
                continue
            parts.append(f"{path.relative_to(here).as_posix()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    if not parts:  # a PyInstaller bundle: its modules are in the executable's archive
        st = os.stat(sys.executable)
        parts.append(f"{sys.executable}|{st.st_size}|{st.st_mtime_ns}".encode())
    for path in sorted(resource("formats").glob("*.json")):
        parts.append(path.read_bytes())
    # Two checksums of everything (zlib is loaded with Python; hashlib would load OpenSSL before the first
    # paint): an identity of this app's versions on one computer, not a defence against forgery.
    data = b"".join(parts)
    return f"{len(data):x}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def version_key(*parts: object) -> str:
    """The stored form of what a result was computed from (JSON of the parts, stable)."""
    return json.dumps([checker_version(), *parts], ensure_ascii=False, default=str, separators=(",", ":"))


def left_key(report_id: int, state: Sequence[int], day: dt.date | None = None) -> str:
    """What the findings of a report shown at closing were computed from: the workspace file in the state
    this app left it in (`verified.file_state`: size, modification time, change counter, inode and -wal,
    so any write since, by this app or another program, is a different state), the report, the checker,
    and the day they were worked out on (`day`, default today: W-DEADLINE reads today's date)."""
    return version_key("left", report_id, list(state), (day or dt.date.today()).isoformat())


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
    if isinstance(v, list | tuple):  # X-AGG: the units' values of a cell, one per unit
        return {"l" if isinstance(v, list) else "t": [_value(x) for x in v]}
    raise TypeError(v)


def _unvalue(v: object) -> object:
    if isinstance(v, dict):
        if "d" in v:
            return Decimal(v["d"])
        items = [_unvalue(x) for x in v["l" if "l" in v else "t"]]
        return items if "l" in v else tuple(items)
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


class StoredIssues(Sequence[Issue]):
    """A unit's stored findings, read from their JSON the first time they are looked at: the 单位 page needs
    only the counts of every unit (stored beside them) and the findings of the unit selected. Should the
    text no longer read (a damaged cache file), the unit is checked again (`recheck`) and that is logged."""

    __slots__ = ("_text", "_issues", "_recheck")

    def __init__(self, text: str, recheck: Callable[[], Sequence[Issue]] | None = None):
        self._text = text
        self._issues: tuple[Issue, ...] | None = None
        self._recheck = recheck

    def _all(self) -> tuple[Issue, ...]:
        if self._issues is None:
            try:
                self._issues = tuple(load_issues(self._text))
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                if self._recheck is None:
                    raise
                log.warning("check cache: stored findings do not read (%s): the unit is checked again", exc)
                self._issues = tuple(self._recheck())
        return self._issues

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - Sequence's int and slice forms
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Issue]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredIssues | tuple | list):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:  # as the tuple it stands for (a UnitStatus holding it stays hashable)
        return hash(self._all())

    def __repr__(self) -> str:
        return f"StoredIssues({list(self._all())!r})"


class Stored(NamedTuple):
    """A unit's stored result: whether its report has figures, its errors and unexplained warnings (what its
    status is derived from) and its findings."""

    has_data: bool
    errors: int
    warnings: int
    issues: StoredIssues


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
            conn.execute("DROP TABLE IF EXISTS results")  # the first version's table (without the counts)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS findings (workspace TEXT NOT NULL, report_id INTEGER NOT NULL, "
                "key TEXT NOT NULL, has_data INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT "
                "NULL, issues TEXT NOT NULL, stored INTEGER NOT NULL, PRIMARY KEY (workspace, report_id))"
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS left_open (workspace TEXT PRIMARY KEY, key TEXT NOT NULL, "
                "issues TEXT NOT NULL, stored INTEGER NOT NULL)"
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

    def get(
        self, wanted: Mapping[int, str], recheck: Callable[[int], Sequence[Issue]] | None = None
    ) -> dict[int, Stored]:
        """report id → its stored result, for each of `wanted` (report id → version key) stored with the
        same key. The findings are read when first looked at; `recheck(report id)` finds them again should
        their text not read."""
        conn = self._connect()
        if conn is None or not wanted:
            return {}
        out: dict[int, Stored] = {}
        try:
            ids = list(wanted)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for rid, key, data, errors, warnings, issues in conn.execute(
                    f"SELECT report_id, key, has_data, errors, warnings, issues FROM findings "
                    f"WHERE workspace = ? AND report_id IN ({marks})",
                    [self.workspace, *chunk],
                ):
                    rid = int(rid)
                    if wanted.get(rid) == key and isinstance(issues, str):
                        again = (lambda r=rid: recheck(r)) if recheck is not None else None
                        out[rid] = Stored(bool(data), int(errors), int(warnings), StoredIssues(issues, again))
        except (sqlite3.Error, ValueError, TypeError) as exc:
            self._give_up("read", exc)
            return {}
        return out

    def put(self, results: Mapping[int, tuple[str, bool, Sequence[Issue]]]) -> None:
        """Store report id → (version key, has data, findings), in one transaction."""
        conn = self._connect()
        if conn is None or not results:
            return
        rows = []
        for rid, (key, data, issues) in results.items():
            text = dump_issues(issues)
            if text is not None:
                c = counts(issues, include_explained=False)
                rows.append((self.workspace, rid, key, int(data), c["error"], c["warning"], text))
        try:
            with _transaction(conn):
                conn.executemany(
                    "INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%s','now'))", rows
                )
                (n,) = conn.execute("SELECT COUNT(*) FROM findings").fetchone()
                if n > _MAX_ROWS:
                    conn.execute(
                        "DELETE FROM findings WHERE rowid IN (SELECT rowid FROM findings ORDER BY stored "
                        "LIMIT ?)",
                        [n - _MAX_ROWS],
                    )
        except sqlite3.Error as exc:
            self._give_up("write", exc)

    def get_left(self, report_id: int, state: Sequence[int]) -> list[Issue] | None:
        """The findings of the report shown when the window closed the workspace, if that is `report_id`
        and the file is still in the `state` it was left in (nothing has changed it since: see `left_key`)."""
        conn = self._connect()
        if conn is None:
            return None
        try:
            row = conn.execute(
                "SELECT key, issues FROM left_open WHERE workspace = ?", [self.workspace]
            ).fetchone()
            if row is None or row[0] != left_key(report_id, state):
                return None
            return load_issues(row[1])
        except (sqlite3.Error, ArithmeticError, ValueError, KeyError, IndexError, TypeError) as exc:
            self._give_up("read", exc)
            return None

    def put_left(self, report_id: int, state: Sequence[int], issues: Sequence[Issue], day: dt.date) -> None:
        """Keep the findings of the report shown at closing, worked out on `day` from the file as it was then
        left."""
        conn = self._connect()
        text = dump_issues(issues)
        if conn is None or text is None:
            return
        try:
            conn.execute(
                "INSERT OR REPLACE INTO left_open VALUES (?, ?, ?, strftime('%s','now'))",
                [self.workspace, left_key(report_id, state, day), text],
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


# The digest of the code as this process loaded it (sources edited or upgraded while the app runs must not
# give the results of the old code the new code's name).
checker_version()
