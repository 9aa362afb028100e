"""A workspace file as SQLite sees it: connecting (read-write with the pragmas every edit relies on, or
read-only, also in read-only folders), its header, integrity, row counts, snapshots and checkpoints.

Below `workspace` and `backup`, which both judge and copy files with these.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


HEADER_SIZE = 100


def integrity_problems(conn: sqlite3.Connection, full: bool = False) -> list[str]:
    pragma = "integrity_check" if full else "quick_check"
    rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems or ["完整性检查没有结果"]


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table: what a backup is compared against after it is written."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Hold one read transaction, so that row counts and a backup copy see the same state while the app
    keeps writing through its own connection."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")


def set_rollback_journal(conn: sqlite3.Connection) -> None:
    """A backup copy is a plain rollback-journal file, so reading it read-only creates no -wal/-shm files."""
    conn.execute("PRAGMA journal_mode = DELETE").fetchone()


def checkpoint(conn: sqlite3.Connection) -> None:
    """Move everything from the -wal file into the main file and empty the -wal file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn, _immutable = connect_readonly(path)
        return conn
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk when it returns, so "已保存" survives a power cut, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect_readonly(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection that cannot write. Returns (connection, immutable).

    `mode=ro` reads a WAL file together with its -wal; SQLite needs the -shm file for that and cannot create
    it in a read-only folder (a CD, a write-protected stick, a share without write access). Then the file is
    opened `immutable=1`, which reads the main file only."""
    uri = Path(path).resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        code = getattr(exc, "sqlite_errorname", "")  # Python 3.11+; older ones only have the message
        cannot_open = code.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")) or any(
            text in str(exc) for text in ("unable to open", "readonly database")
        )
        if not cannot_open:
            raise
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        return conn, True
    conn.execute("PRAGMA foreign_keys = ON")
    return conn, False


def header_problem(path: Path) -> tuple[str, str] | None:
    """(kind, reason) when the file is not a whole SQLite database, judged from its 100-byte header."""
    with path.open("rb") as f:
        header = f.read(HEADER_SIZE)
    if len(header) < len(SQLITE_MAGIC):
        if header and SQLITE_MAGIC.startswith(header):
            return "damaged", "文件不完整（文件头被截断）"
        return "not_workspace", "不是工作区文件（不是 SQLite 数据库）"
    if header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        return "not_workspace", "不是工作区文件（不是 SQLite 数据库）"
    if len(header) < HEADER_SIZE:
        return "damaged", "文件不完整（文件头被截断）"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "damaged", "文件头无效（页大小不正确）"
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Pages past the end of the main file may live in the -wal (a checkpoint cut short by a full disk
        # writes the new page count before the pages): only SQLite, reading both, can judge; quick_check does.
        return None
    size = path.stat().st_size
    change_counter, page_count = struct.unpack(">I", header[24:28])[0], struct.unpack(">I", header[28:32])[0]
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_count and change_counter == valid_for and size < page_count * page_size:
        return "damaged", f"文件被截断（应有 {page_count * page_size} 字节，实际 {size} 字节）"
    if size % page_size:
        return "damaged", "文件长度不是完整的页，可能被截断"
    return None
