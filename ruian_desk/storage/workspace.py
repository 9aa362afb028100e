"""Opening a workspace file: SQLite pragmas, integrity check, migrations."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from ruian_desk.storage.migrations import MIGRATION_SET, migrations
from ruian_desk.storage.repository import Repository

SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """The workspace cannot be opened as asked; the message is for the user (Chinese)."""


@dataclass
class Workspace:
    path: Path
    db: Database
    readonly: bool = False
    repo: Repository = field(init=False)

    def __post_init__(self) -> None:
        self.repo = Repository(self.db, readonly=self.readonly)

    def close(self) -> None:
        try:
            self.db.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(16) == SQLITE_MAGIC


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk when it returns, so "已保存" survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_workspace(path: str | Path, *, create: bool = False, readonly: bool = False) -> Workspace:
    """Open (or with `create`, create) a workspace; run the quick integrity check and pending migrations."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise WorkspaceError(f"工作区文件不存在：{path}")
        if readonly:
            raise WorkspaceError(f"不能以只读方式新建工作区：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise WorkspaceError(f"这是一个文件夹，不是工作区文件：{path}")
    elif path.stat().st_size > 0 and not _looks_like_sqlite(path):
        raise WorkspaceError(f"不是工作区文件（不是 SQLite 数据库）：{path}")
    try:
        conn = connect(path, readonly=readonly)
        db = Database(conn)
        check = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"工作区文件已损坏，无法打开：{path}（{exc}）") from None
    if check is None or check[0] != "ok":
        conn.close()
        raise WorkspaceError(f"工作区文件已损坏（完整性检查未通过）：{path}")
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    if applied - known:
        conn.close()
        raise WorkspaceError(f"该工作区由更新版本的瑞安年报助手创建，当前版本不能打开：{path}")
    pending = migrations.pending(db)
    if pending:
        if readonly:
            conn.close()
            raise WorkspaceError(f"工作区需要升级，不能以只读方式打开：{path}")
        migrations.apply(db)
    return Workspace(path=path, db=db, readonly=readonly)


def schema_version(ws: Workspace) -> list[str]:
    return [m.name for m in migrations.applied(ws.db)]


__all__ = ["MIGRATION_SET", "Workspace", "WorkspaceError", "open_workspace", "schema_version"]
