"""The last verified state of each workspace file, so that opening runs the full check only when needed.

`quick_check` misses damage inside values and indexes (a flipped bit in a text, a broken primary-key index):
only `integrity_check` plus reading every value finds it, which costs about as long as reading the file. It
runs when the file is not in the state this app last left it in: the state (size, mtime, the header's change
counter and the -wal's size/mtime) is recorded after a full check passed and when the app closes the file.
A file changed by anything else — a copy, a sync tool, a disk error, another program — is checked fully.

The record lives in the user data folder (`verified.json`), never beside the workspace; losing it only
means one full check more.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from ruian_desk.paths import resource, user_data_dir

_FILE = "verified.json"
_MAX_ENTRIES = 200


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def file_state(path: Path) -> list[int] | None:
    """What must be unchanged for a file to count as verified (None: it cannot be read)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError:
        return None
    counter = int.from_bytes(header[24:28], "big") if len(header) >= 28 else -1
    try:
        wal = os.stat(str(path) + "-wal")
        wal_state = [wal.st_size, wal.st_mtime_ns]
    except OSError:
        wal_state = [-1, -1]
    return [st.st_size, st.st_mtime_ns, counter, st.st_ino, *wal_state]


def _record_path() -> Path:
    return user_data_dir() / _FILE


def _load() -> dict[str, list[int]]:
    try:
        raw = json.loads(_record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def is_verified(path: Path) -> bool:
    """True when the file is exactly as this app last verified or closed it."""
    state = file_state(path)
    return state is not None and _load().get(_key(path)) == state


def record(path: Path) -> list[int] | None:
    """Remember the file's current state as verified (and return it). Best effort: a failure only costs a
    full check."""
    state = file_state(path)
    if state is not None:
        _store(_key(path), state)
    return state


def forget(path: Path) -> None:
    _store(_key(path), None)


def _store(key: str, state: list[int] | None) -> None:
    target = _record_path()
    try:
        data = _load()
        data.pop(key, None)
        if state is not None:
            data[key] = state
        while len(data) > _MAX_ENTRIES:
            data.pop(next(iter(data)))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def read_every_value(conn: sqlite3.Connection) -> None:
    """Decode every stored value once (a flipped bit in a text makes SQLite or Python fail to decode it:
    raised here as `sqlite3.DatabaseError`, so it counts as damage before anything is written)."""
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    ]
    for name in names:
        quoted = name.replace('"', '""')
        try:
            for _row in conn.execute(f'SELECT * FROM "{quoted}"'):
                pass
        except (UnicodeDecodeError, ValueError) as exc:
            raise sqlite3.DatabaseError(f"表 {name} 中有无法解码的值（{exc}）") from None


_REFERENCE: dict[tuple[str, ...], dict[str, list[tuple[object, ...]]]] = {}


def _shape(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every table's columns (name, type, not null, primary key) and every index's columns."""
    out: dict[str, list[tuple[object, ...]]] = {}
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        quoted = name.replace('"', '""')
        if kind == "table":
            rows = conn.execute(f'PRAGMA table_info("{quoted}")').fetchall()
            out[f"表 {name}"] = [(r[1], str(r[2]).upper(), r[3], r[5]) for r in rows]
        else:
            rows = conn.execute(f'PRAGMA index_info("{quoted}")').fetchall()
            out[f"索引 {name}"] = [(r[0], r[2]) for r in rows]
    return out


SHAPE_RESOURCE = ("schema", "shape.json")


def reference_shape(applied: list[str]) -> dict[str, list[tuple[object, ...]]]:
    """The tables and indexes this version's migrations make, for a file with `applied` migrations: read from
    the shipped `resources/schema/shape.json` when it is for exactly these migrations (opening a changed file
    must not import sqlite-utils before the first paint — ruian_desk/startup.py), otherwise built by running the
    migrations into memory (tests registering extra steps). A test keeps the file equal to the migrations."""
    key = tuple(applied)
    reference = _REFERENCE.get(key)
    if reference is not None:
        return reference
    shipped = json.loads(resource(*SHAPE_RESOURCE).read_text(encoding="utf-8"))
    if tuple(shipped["migrations"]) == key:
        reference = {name: [tuple(col) for col in cols] for name, cols in shipped["shape"].items()}
    else:
        reference = build_reference_shape()
    _REFERENCE[key] = reference
    return reference


def build_reference_shape() -> dict[str, list[tuple[object, ...]]]:
    from ruian_desk.storage.db import Db
    from ruian_desk.storage.migrations import get_migrations

    ref = sqlite3.connect(":memory:")
    try:
        get_migrations().apply(Db(ref).utils)
        return _shape(ref)
    finally:
        ref.close()


def schema_problem(conn: sqlite3.Connection, applied: list[str]) -> str | None:
    """What differs between the file's tables and indexes and those this version's migrations make (a
    flipped bit in the schema text that still parses: a renamed column, a dropped primary key). Called only
    for files with every migration applied."""
    reference = reference_shape(applied)
    shape = _shape(conn)
    for name, columns in reference.items():
        if name not in shape:
            return f"{name} 不见了"
        if shape[name] != columns:
            return f"{name} 的定义被改动"
    return None
