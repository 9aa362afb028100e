"""A digest of a workspace's content (what the clerk can change), to tell an untouched sample from one that
was worked in. The history (`changes`), the imports log and the metadata are left out: opening, checking or
backing up a file changes none of the digest; one typed cell, explanation, setting or unit does."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from ruian_desk.storage.sqlite_file import connect_readonly

# The tables whose rows are the clerk's work.
CONTENT_TABLES = (
    "units",
    "unit_names",
    "unit_years",
    "reports",
    "report_settings",
    "cells",
    "metrics",
    "explanations",
)
# Columns that change without the content changing (write times).
_VOLATILE = {"updated_at", "created_at", "at"}


def content_digest(conn: sqlite3.Connection) -> str:
    """SHA-256 over every content row, in a fixed order."""
    h = hashlib.sha256()
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in CONTENT_TABLES:
        if table not in existing:
            continue
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in _VOLATILE]
        listed = ", ".join(f'"{c}"' for c in columns)
        h.update(f"\x00{table}:{listed}\x00".encode())
        for row in conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}"):
            h.update(repr(row).encode())
    return h.hexdigest()


def meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def file_digest_and_meta(path: str | Path, key: str) -> tuple[str, str | None]:
    """(content digest, meta value of `key`) of a workspace file that is not open, read only."""
    conn, _immutable = connect_readonly(Path(path))
    try:
        return content_digest(conn), meta_value(conn, key)
    finally:
        conn.close()
