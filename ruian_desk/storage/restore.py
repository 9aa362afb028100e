"""Restoring a backup: over the open workspace (a verified backup of the current state first, then an atomic
rename under the writer lock, then the result verified), or over a workspace that is not open (one refused
as damaged). Above `workspace` and `backup`: it backs up, swaps the file in and opens it again.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ruian_desk.fileio import os_error_text
from ruian_desk.storage.backup import (
    BackupError,
    BackupInfo,
    _copy_database,
    _fsync_dir,
    _remove,
    backup_file,
    create_backup,
    keep_damaged_copy,
    rotate,
    verify_backup,
)
from ruian_desk.storage.errors import error_reason
from ruian_desk.storage.lock import WorkspaceLock, hold_lock
from ruian_desk.storage.sqlite_file import (
    checkpoint,
    connect_readonly,
    header_problem,
    read_snapshot,
    table_counts,
)
from ruian_desk.storage.workspace import Workspace, open_workspace


def _prepare_replacement(backup: Path, workspace: Path) -> Path:
    """A verified copy of `backup` beside the workspace, ready to be renamed over it."""
    verify_backup(backup)
    tmp = workspace.with_name(f".{workspace.name}.restore.tmp")
    _remove(tmp)
    try:
        conn, _immutable = connect_readonly(backup)
        try:
            _copy_database(conn, tmp)
        finally:
            conn.close()
        verify_backup(tmp, _counts_of(backup))
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        raise BackupError(f"无法准备恢复用的文件（{error_reason(exc)}）：{tmp}", kind="backup") from None
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _counts_of(path: Path) -> dict[str, int]:
    conn, _immutable = connect_readonly(path)
    try:
        return table_counts(conn)
    finally:
        conn.close()


def _swap_in(tmp: Path, workspace: Path, lock: WorkspaceLock) -> None:
    """Rename the prepared file over the workspace, under the writer lock, so that no old -wal can ever be
    replayed onto the new file: a -wal still holding frames (a reader kept a snapshot, so the checkpoint
    could not empty it) is first renamed aside, the -shm removed, and only then the new file renamed in; the
    lock is taken on the new file's inode before the rename, so it moves with it. After the rename no -wal
    may be beside it (checked). If the rename fails, everything is put back as it was."""
    wal, shm = Path(str(workspace) + "-wal"), Path(str(workspace) + "-shm")
    aside = workspace.with_name(f".{workspace.name}.restore-old-wal")
    _remove(aside)
    moved_wal = False
    try:
        if wal.exists():
            if wal.stat().st_size:
                os.replace(wal, aside)
                moved_wal = True
            else:
                _remove(wal)
        _remove(shm)
        new_fd = lock.adopt_replacement(tmp)
    except OSError as exc:
        if moved_wal:
            os.replace(aside, wal)
        _remove(tmp)
        raise BackupError(
            f"无法准备替换工作区文件（{os_error_text(exc)}）：{workspace}。工作区未改变。", kind="backup"
        ) from None
    try:
        os.replace(tmp, workspace)
    except OSError as exc:
        lock.replaced(new_fd, swapped=False)
        if moved_wal:
            os.replace(aside, wal)
        _remove(tmp)
        raise BackupError(
            f"无法替换工作区文件（{os_error_text(exc)}）：{workspace}。文件是否正被其他程序打开？工作区未改变。",
            kind="backup",
        ) from None
    lock.replaced(new_fd, swapped=True)
    for left in (wal, shm, aside):
        _remove(left)
    _fsync_dir(workspace.parent)
    if wal.exists() and wal.stat().st_size:
        raise BackupError(f"恢复后工作区旁仍有旧的 {wal.name}，已停止：{workspace}", kind="backup")


def _verify_restored(ws: Workspace, backup: Path, expected: dict[str, int]) -> None:
    """The reopened workspace holds exactly the backup's rows (the rename took, nothing was replayed)."""
    with read_snapshot(ws.db.conn):
        counts = table_counts(ws.db.conn)
    if counts != expected:
        diff = sorted(k for k in set(counts) | set(expected) if counts.get(k) != expected.get(k))
        raise BackupError(f"恢复后的工作区与备份 {backup.name} 不一致（{', '.join(diff)}）", kind="backup")


def restore_backup(ws: Workspace, backup: str | Path) -> Workspace:
    """Replace the open workspace's content with `backup`: first a verified backup of the current state
    (reason "restore"), then an atomic rename. `ws` is closed; the reopened workspace is returned."""
    backup = Path(backup)
    if ws.readonly:
        raise BackupError("工作区以只读方式打开，不能恢复备份", kind="backup")
    ws.wait_for_backups()
    path = Path(ws.path)
    if backup.resolve() == path.resolve():
        raise BackupError("不能用工作区文件本身作为备份来恢复", kind="backup")
    with hold_lock(path) as lock:  # the writer lock stays held while the file is swapped
        tmp = _prepare_replacement(backup, path)
        expected = _counts_of(backup)
        try:
            create_backup(ws, "restore")
        except BaseException:
            _remove(tmp)
            raise
        try:
            checkpoint(ws.db.conn)
        except sqlite3.Error:
            pass  # a reader holds a snapshot: the -wal is set aside before the rename (see _swap_in)
        ws.close()
        try:
            _swap_in(tmp, path, lock)
        except BackupError as exc:
            # The workspace is unchanged: hand it back open, so the caller can carry on with it.
            exc.reopened = open_workspace(path, daily_backup=False)  # type: ignore[attr-defined]
            raise
        reopened = open_workspace(path, daily_backup=False)
        try:
            _verify_restored(reopened, backup, expected)
        except BaseException:
            reopened.close()
            raise
    rotate(path)
    return reopened


def restore_file(workspace: str | Path, backup: str | Path) -> BackupInfo:
    """Restore a workspace that is not open (typically one that was refused as damaged). The current file is
    kept first: as a verified backup if it can still be read, byte for byte otherwise. Returns that copy."""
    workspace, backup = Path(workspace), Path(backup)
    with hold_lock(workspace) as lock:
        tmp = _prepare_replacement(backup, workspace)
        try:
            kept = _keep_current(workspace)
        except BaseException:
            _remove(tmp)
            raise
        _swap_in(tmp, workspace, lock)
    # Opening checks the restored file the same way as any other (and fails loudly if it does not pass).
    open_workspace(workspace, daily_backup=False).close()
    return kept


def _keep_current(workspace: Path) -> BackupInfo:
    if not workspace.exists():
        raise BackupError(f"工作区文件不存在：{workspace}", kind="missing")
    if workspace.stat().st_size and header_problem(workspace) is None:
        try:
            return backup_file(workspace, "restore")
        except BackupError:
            pass  # unreadable as a database after all: keep the bytes instead
    return keep_damaged_copy(workspace)
