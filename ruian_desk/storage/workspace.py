"""Opening a workspace file safely: writer lock, integrity check, refusal of damaged or newer files, backups
before migrations and once a day, and the SQLite pragmas every edit relies on.

A file that fails any check on the way in is never written to: every check runs on a read-only connection
before the read-write one is opened, and the error names the newest automatic backup.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ruian_desk.fileio import os_error_text
from ruian_desk.storage.db import Db
from ruian_desk.storage.errors import WorkspaceError, WriteProtectedError, error_reason, write_error_message
from ruian_desk.storage.migrations import (
    MIGRATION_SET,
    applied_names,
    get_migrations,
    known_names,
    pending_names,
)
from ruian_desk.storage.repository import ReadOnlyError, Repository
from ruian_desk.storage.sqlite_file import (
    checkpoint,
    connect,
    connect_readonly,
    header_problem,
    integrity_problems,
)

if TYPE_CHECKING:
    from ruian_desk.storage.backup import BackupInfo
    from ruian_desk.storage.lock import WorkspaceLock


@dataclass(eq=False)
class Workspace:
    path: Path
    db: Db
    readonly: bool = False
    lock: WorkspaceLock | None = None
    # Read-only opening of a WAL file in a folder where SQLite cannot create the -shm file (immutable mode).
    immutable: bool = False
    # Things the user should be told after opening (a daily backup that failed, an ignored -wal file).
    notes: list[str] = field(default_factory=list)
    repo: Repository = field(init=False)
    scratch: Path | None = field(default=None, init=False)  # a private copy read instead (read-only folder)
    created: bool = field(default=False, init=False)  # opened with create=True on a file that did not exist
    # verified.file_state when opened exactly as this app last left it, and when it closed it (check_cache)
    opened_as: list[int] | None = field(default=None, init=False)
    left_as: list[int] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.repo = Repository(self.db, readonly=self.readonly)
        self._closed = False
        self._background: list[threading.Thread] = []  # the daily backup, written beside the open workspace
        self._daily_started = False
        self._wal_id: tuple[int, int] | None = None
        if not self.readonly:
            self._wal_id = _file_id(wal_path(self.path))
            self.db.before_write = self.check_write_target
        lock = self.lock
        # Each Workspace holds one reference to the process's lock; dropping it unclosed still gives it back.
        self._release = weakref.finalize(self, lock.release) if lock is not None else None

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def backup_running(self) -> bool:
        """Today's backup is still being written in the background."""
        return any(job.is_alive() for job in self._background)

    def wait_for_backups(self, timeout: float | None = None) -> None:
        """Wait for the automatic backup started on opening (it runs on its own connection)."""
        for job in list(self._background):
            job.join(timeout)
            if not job.is_alive():
                self._background.remove(job)

    def close(self) -> None:
        if self._closed:
            return
        self.wait_for_backups()  # never leave a backup half written
        self._closed = True
        sound = not self.readonly and self._target_sound()
        try:
            self.db.conn.close()
        except sqlite3.Error:
            sound = False
        if self.scratch is not None:
            import shutil

            shutil.rmtree(self.scratch, ignore_errors=True)
        if sound:
            from ruian_desk.storage.verified import record

            self.left_as = record(self.path)  # the state it is left in: the next opening checks it quickly
        if self._release is not None:
            self._release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------ safety

    def _target_sound(self) -> bool:
        if self.lock is None or not self.lock.held:
            return False
        try:
            self.check_write_target()
        except WorkspaceError:
            return False
        return True

    def check_write_target(self) -> None:
        """Before every write transaction: the file at the path is still the one locked and opened, and its
        -wal (where SQLite keeps the newest commits until a checkpoint) was not deleted or replaced. A
        deleted -wal is still open here, so its commits are moved into the main file at once (nothing that
        was shown as 已保存 is lost) and the write is refused: SQLite must start a fresh -wal on reopening."""
        if self.lock is not None:
            self.lock.verify()
        if self._wal_id is None:
            self._wal_id = _file_id(wal_path(self.path))
            return
        if _file_id(wal_path(self.path)) == self._wal_id:
            return
        rescued = True
        try:
            checkpoint(self.db.conn)
        except sqlite3.Error:
            rescued = False
        kept = (
            "之前已保存的修改已写入工作区文件，没有丢失"
            if rescued
            else "之前已保存的修改还在程序中，请立即关闭程序（关闭时会写入工作区文件）"
        )
        raise WorkspaceError(
            f"工作区的日志文件 {wal_path(self.path).name} 被其他程序删除或替换了。这次修改未保存；{kept}。"
            "请关闭并重新打开工作区后再继续编辑。",
            path=self.path,
            kind="wal_lost",
        )

    def integrity_problems(self, full: bool = True) -> list[str]:
        """`PRAGMA integrity_check` (or the quicker quick_check); an empty list means the file is sound."""
        return integrity_problems(self.db.conn, full=full)

    def backup_before(self, reason: str) -> BackupInfo:
        """A verified backup before a risky operation ("import", "migration", "manual" …), then rotation.

        Raises `WorkspaceError` when it cannot be written: the caller must then not go ahead."""
        from ruian_desk.storage.backup import create_backup, rotate

        self.wait_for_backups()
        info = create_backup(self, reason)
        rotate(self.path)
        return info

    def backup_now(self) -> BackupInfo:
        return self.backup_before("manual")

    def backups(self) -> list[BackupInfo]:
        from ruian_desk.storage.backup import list_backups

        self.wait_for_backups()
        return list_backups(self.path)


# ------------------------------------------------------------------------ the file beside it


def wal_path(path: Path) -> Path:
    return Path(str(path) + "-wal")


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# ------------------------------------------------------------------------------------ opening


def _backup_hint(path: Path) -> tuple[str, list[Path]]:
    try:
        from ruian_desk.storage.backup import list_backups

        backups = list_backups(path)
    except Exception:  # noqa: BLE001 - the hint must never hide the real problem
        return "", []
    if not backups:
        return "没有找到它的自动备份。", []
    good = next((x for x in backups[:8] if x.reason != "damaged" and _backup_sound(x.path)), None)
    if good is None:
        return "它的自动备份都无法通过检查。", [x.path for x in backups]
    b = good
    backups = [good, *(x for x in backups if x is not good)]
    hint = (
        f"最新的自动备份：{b.path}（{b.created:%Y-%m-%d %H:%M}，{b.reason_label}，已检查完好）。"
        "可在“备份与恢复”中恢复，或运行 python main.py backup -w 工作区文件 --restore 备份文件。"
    )
    return hint, [x.path for x in backups]


def _backup_sound(path: Path) -> bool:
    """A backup that can be offered: a whole SQLite file passing quick_check."""
    try:
        if header_problem(path) is not None:
            return False
        conn, _immutable = connect_readonly(path)
    except (OSError, sqlite3.DatabaseError):
        return False
    try:
        return not integrity_problems(conn)
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _refuse(path: Path, kind: str, reason: str) -> WorkspaceError:
    hint, backups = _backup_hint(path)
    if kind == "newer":
        text = f"{reason}：{path}。为保护数据，程序没有修改它；请使用新版本的瑞安年报助手打开。{hint}"
    elif kind == "not_workspace":
        text = f"{reason}：{path}。程序没有修改它。{hint}"
    else:
        text = f"工作区文件已损坏（{reason}）：{path}。为保护数据，程序没有对它做任何修改，损坏的文件原样保留。{hint}"
    return WorkspaceError(text, path=path, kind=kind, backups=backups)


def damage_message(path: Path | None, reason: str) -> str:
    """The refusal of a file found damaged while reading it (after opening), naming its newest good backup."""
    if path is None:
        return f"工作区文件已损坏（{reason}）。程序没有修改它，请从备份恢复。"
    return str(_refuse(path, "damaged", f"数据无法解读：{reason}"))


def _probe(conn: sqlite3.Connection, path: Path, full: bool = False) -> None:
    """Integrity and version checks on a read-only connection (`full`: integrity_check and every value
    decoded once). Raises WorkspaceError."""
    try:
        problems = integrity_problems(conn, full=full)
        if full and not problems:
            from ruian_desk.storage.verified import read_every_value, schema_problem

            read_every_value(conn)
            done = applied_names(conn)
            if done and not pending_names(conn) and set(done) <= set(known_names()):
                shape = schema_problem(conn, done)
                if shape is not None:
                    problems = [f"数据库结构与本版本不符（{shape}）"]
        applied = set(applied_names(conn))
        has_tables = bool(Db(conn).table_names())
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, "damaged", f"无法读取：{exc}") from None
    if problems:
        raise _refuse(path, "damaged", f"完整性检查未通过：{problems[0]}")
    if applied - set(known_names()):
        raise _refuse(path, "newer", "该工作区由更新版本的瑞安年报助手创建，当前版本不能打开")
    if has_tables and not applied:
        raise _refuse(path, "not_workspace", "这是一个 SQLite 数据库，但不是瑞安年报助手的工作区")


def open_workspace(
    path: str | Path, *, create: bool = False, readonly: bool = False, daily_backup: bool = True
) -> Workspace:
    """Open (or with `create`, create) a workspace.

    Writing: takes the single-writer lock (`LockError` names the holder), checks the file read-only first
    (header, quick_check, version), backs it up before pending migrations and once a day, then opens it
    read-write. Read-only: no lock, no writes of any kind, works in read-only folders and beside a writer."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise WorkspaceError(f"工作区文件不存在：{path}", path=path, kind="missing")
        if readonly:
            raise WorkspaceError(f"不能以只读方式新建工作区：{path}", path=path, kind="missing")
    elif path.is_dir():
        raise WorkspaceError(f"这是一个文件夹，不是工作区文件：{path}", path=path, kind="not_workspace")
    if readonly:
        return _open_readonly(path)

    from ruian_desk.storage.lock import WorkspaceLock

    if path.exists() and not os.access(path, os.W_OK):
        # Write-protected (attribute, permissions, immutable, a read-only medium): never opened for writing,
        # where every edit would fail with advice about disk space.
        raise WriteProtectedError(
            f"工作区文件是只读的（写保护）：{path}。可以只读方式打开查看；要修改请先取消它的只读属性，"
            "或把它复制到可写的文件夹。",
            path=path,
            kind="readonly_file",
        )
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"无法创建文件夹 {path.parent}：{exc.strerror or exc}", path=path, kind="folder"
            ) from None
    lock = WorkspaceLock.acquire(path)
    try:
        db, new, opening_notes, as_left = _connect_writable(path, create)
    except BaseException:
        lock.release()
        raise
    try:
        lock.bind_workspace()  # a new file exists only now
    except BaseException:
        db.close()
        lock.release()
        raise
    ws = Workspace(path=path, db=db, readonly=False, lock=lock)  # from here on `ws` holds the lock
    ws.created = new
    ws.notes.extend(opening_notes)
    ws.opened_as = as_left
    try:
        _upgrade(ws, new)
        if daily_backup:
            start_daily_backup(ws)
    except BaseException:
        ws.close()
        raise
    return ws


def _is_new(path: Path, create: bool) -> bool:
    if not path.exists():
        return True
    if path.stat().st_size > 0:
        return False
    # An empty file is a new workspace only when asked to create one and it never had backups: an emptied
    # workspace (a failed copy, a disk error) must lead the user to its backups, not to a blank start.
    hint, backups = _backup_hint(path)
    if create and not backups:
        return True
    raise WorkspaceError(
        f"工作区文件是空的（0 字节），可能已损坏：{path}。程序没有修改它。{hint}",
        path=path,
        kind="damaged",
        backups=backups,
    )


def _connect_writable(path: Path, create: bool) -> tuple[Db, bool, list[str], list[int] | None]:
    """Check an existing file read-only, then open it read-write. Returns (db, is_new, what the user should
    be told about the opening, its state when it is as this app last left it)."""
    new = _is_new(path, create)
    notes: list[str] = []
    as_left = None  # unless verified below
    if not new:
        problem = header_problem(path)
        if problem is not None:
            raise _refuse(path, *problem)
        from ruian_desk.storage.verified import file_state, is_verified

        # Fully (integrity_check, every value read) unless the file is as this app last left it.
        full = not is_verified(path)
        as_left = None if full else file_state(path)
        if full:
            notes.extend(_unknown_wal(path))
        try:
            probe, _immutable = connect_readonly(path)
        except sqlite3.DatabaseError as exc:
            raise _refuse(path, "damaged", f"无法读取：{exc}") from None
        try:
            _probe(probe, path, full=full)
            empty = not Db(probe).table_names()
        finally:
            probe.close()
        if empty:
            # A SQLite file without a single table: another program's empty database is not taken over;
            # one this app began and never finished (creating it) is a new workspace when asked to create.
            hint, backups = _backup_hint(path)
            if not create or backups:
                raise WorkspaceError(
                    f"这是一个空的 SQLite 数据库，不是瑞安年报助手的工作区：{path}。程序没有修改它。{hint}",
                    path=path,
                    kind="not_workspace",
                    backups=backups,
                )
            new = True
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        if new:
            raise WorkspaceError(f"无法新建工作区 {path}：{exc}", path=path, kind="folder") from None
        raise _refuse(path, "damaged", f"无法读取：{exc}") from None
    return Db(conn), new, notes, as_left


def _unknown_wal(path: Path) -> list[str]:
    """A -wal with content that this app did not leave (the file is not as it was last closed or verified):
    the commits of a session that ended without closing (a crash, a power cut) — or a -wal copied in from
    elsewhere, which SQLite would read into this file all the same. Before anything reads it, the file and
    the -wal are kept byte for byte among the backups, and the user is told (`Workspace.notes`)."""
    wal = wal_path(path)
    try:
        size = wal.stat().st_size
    except OSError:
        return []
    if size == 0:
        return []
    from ruian_desk.storage.backup import BackupError, keep_raw_copy

    try:
        kept = f"打开前的工作区和日志文件已原样保存为备份 {keep_raw_copy(path, 'wal').path.name}"
    except BackupError as exc:
        raise WorkspaceError(
            f"发现不是本程序上次关闭时留下的日志文件 {wal.name}，但无法在打开前原样保存它（{exc}）；"
            "程序没有打开工作区，也没有修改它。请腾出空间或检查备份文件夹后再打开。",
            path=path,
            kind="folder",
        ) from None
    return [
        f"发现日志文件 {wal.name}（{_size_kb(size)}），不是本程序上次关闭时留下的：通常是上次程序没有正常退出"
        f"（断电、强行结束）时尚未并入的修改，现已并入工作区。若上次是正常关闭的，这个日志可能是从别处复制来的，"
        f"请核对数据。{kept}。"
    ]


def _size_kb(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB"


def _upgrade(ws: Workspace, new: bool) -> None:
    """Pending migrations, after a verified backup of the file as it was (none for a new file)."""
    pending = pending_names(ws.db.conn)
    if not pending:
        return
    ws.opened_as = None  # migrated: no longer the file as it was left
    if not new:
        try:
            ws.backup_before("migration")
        except WorkspaceError as exc:
            raise WorkspaceError(
                f"工作区需要升级，但升级前的备份失败，未做升级：{exc}", path=ws.path, kind="upgrade"
            ) from None
    try:
        get_migrations().apply(ws.db.utils)
    except sqlite3.Error as exc:
        raise WorkspaceError(
            f"工作区升级失败（{exc}），文件保持升级前的状态：{ws.path}", path=ws.path, kind="upgrade"
        ) from None


def start_daily_backup(ws: Workspace) -> None:
    """Start today's backup of a workspace opened for writing (a new one has nothing to keep): what
    `open_workspace(daily_backup=True)` does at once. The GUI opens with `daily_backup=False` and starts it
    once its window is drawn, so the backup thread does not compete with drawing the first report."""
    if ws.readonly or ws.created or ws.closed or ws._daily_started:
        return
    ws._daily_started = True
    _daily_backup(ws)


def _daily_backup(ws: Workspace) -> None:
    """Today's backup, written in the background on a connection of its own: opening a large workspace
    does not wait for it (copy + full integrity check of the copy). `close()` and anything that lists or
    makes backups wait for it."""

    path, notes = ws.path, ws.notes  # not `ws` itself: a dropped Workspace must still give its lock back
    # Imported here, in the caller's thread: a first import inside a thread can race the GUI's (gui.workers).
    from ruian_desk.storage.backup import ensure_daily_of_file

    def job() -> None:
        try:
            ensure_daily_of_file(path)
        except WorkspaceError as exc:
            # Opening must not fail because today's backup could not be written; the user is told.
            notes.append(f"今天的自动备份没有成功：{exc}")
        except Exception as exc:  # noqa: BLE001 - a background job must report, not vanish
            notes.append(f"今天的自动备份没有成功：{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=job, name="ruian-desk-daily-backup")
    ws._background.append(thread)
    thread.start()


def _open_readonly(path: Path) -> Workspace:
    problem = header_problem(path) if path.stat().st_size else ("damaged", "文件是空的（0 字节）")
    if problem is not None:
        raise _refuse(path, *problem)
    side = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    had = [p.exists() for p in side]
    try:
        conn, immutable = connect_readonly(path)
    except sqlite3.DatabaseError as exc:
        _remove_created(side, had)
        raise _refuse(path, "damaged", f"无法读取：{exc}") from None
    try:
        _probe(conn, path)
        db = Db(conn)
        if pending_names(conn):
            raise WorkspaceError(
                f"工作区需要升级，不能以只读方式打开：{path}（以可写方式打开一次即可升级）",
                path=path,
                kind="upgrade",
            )
    except BaseException:
        conn.close()
        _remove_created(side, had)
        raise
    wal = wal_path(path)
    if immutable and wal.exists() and wal.stat().st_size > 0:
        # immutable=1 reads the main file only: the newest edits, still in the -wal, would be left out of
        # every check and export. Read a private copy of both instead (SQLite can build its -shm there).
        copied = _readable_copy(path)
        if copied is not None:
            conn.close()
            copy_conn, scratch = copied
            ws = Workspace(path=path, db=Db(copy_conn), readonly=True, immutable=False)
            ws.scratch = scratch
            ws.notes.append(
                f"文件夹不可写：{wal.name} 中最近的修改是从临时副本中读取的，显示的内容完整；这里不能修改。"
            )
            return ws
    ws = Workspace(path=path, db=db, readonly=True, immutable=immutable)
    if immutable and wal.exists() and wal.stat().st_size > 0:
        ws.notes.append(
            f"文件夹不可写，{wal.name} 中最近的修改无法读取（也无法复制到临时文件夹）；"
            "显示和导出的是上次合并到主文件时的内容。"
        )
    return ws


def _remove_created(side: list[Path], had: list[bool]) -> None:
    """A refused file is left as it was found: an empty -wal and its -shm that only this read-only probe
    created are removed (never a -wal with content, nor files that were there before)."""
    wal, shm = side
    if had[0] or had[1] or not wal.exists() or wal.stat().st_size:
        return
    for p in (wal, shm):
        try:
            p.unlink()
        except OSError:
            pass


def _readable_copy(path: Path) -> tuple[sqlite3.Connection, Path] | None:
    """The workspace and its -wal copied into a temporary folder and opened read-only there (None: no room,
    or the copy cannot be read)."""
    import shutil
    import tempfile

    scratch: Path | None = None
    try:
        scratch = Path(tempfile.mkdtemp(prefix="ruian-desk-readonly-"))
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal_path(path), wal_path(copy))
        conn, immutable = connect_readonly(copy)
        if immutable:
            conn.close()
            raise OSError("copy opened immutable")
        _probe(conn, path)
        return conn, scratch
    except (OSError, sqlite3.Error, WorkspaceError):
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        return None


def schema_version(ws: Workspace) -> list[str]:
    return applied_names(ws.db.conn)


__all__ = [
    "MIGRATION_SET",
    "ReadOnlyError",
    "Workspace",
    "WorkspaceError",
    "connect",
    "connect_readonly",
    "error_reason",
    "open_workspace",
    "os_error_text",
    "schema_version",
    "write_error_message",
]
