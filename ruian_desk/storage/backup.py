"""Automatic and on-demand backups of a workspace, their rotation, and restoring one.

A backup is a full copy made with the SQLite backup API (consistent even while the file is in use), written
to a temp name, checked (`integrity_check` and the row count of every table against the workspace) and only
then renamed into place. They live in `backups/` beside the workspace, or — when that folder cannot be
written — in the user data folder. The file name carries the workspace name, the time and the reason:
`年报.sqlite@20250114-093012-481.import.sqlite`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ruian_desk.paths import user_data_dir
from ruian_desk.storage.errors import WorkspaceError, error_reason
from ruian_desk.storage.sqlite_file import (
    connect_readonly,
    integrity_problems,
    read_snapshot,
    set_rollback_journal,
    table_counts,
)

if TYPE_CHECKING:
    from ruian_desk.storage.workspace import Workspace

BACKUP_FOLDER = "backups"
# Backups are written from the GUI thread and from the daily job's thread: one at a time per process.
_LOCK = threading.RLock()
REASONS = {
    "manual": "手动备份",
    "daily": "每日自动备份",
    "import": "导入前自动备份",
    "migration": "升级前自动备份",
    "restore": "恢复前自动备份",
    "damaged": "损坏文件原样保存",
    "replace": "覆盖前自动备份",
    "wal": "打开前原样保存（含日志文件）",
}
# Backups the rotation never deletes: the user asked for them, or they are the evidence of a damaged file.
KEEP_ALWAYS = frozenset({"manual", "damaged"})
# Taken before something that changes many rows at once: each kept for EVENT_DAYS.
EVENT_REASONS = frozenset({"import", "migration", "restore", "replace", "wal"})
KEEP_DAILY, KEEP_WEEKLY, EVENT_DAYS = 7, 4, 30

_NAME_RE = re.compile(r"^(?P<ws>.+)@(?P<stamp>\d{8}-\d{6}-\d{3})\.(?P<reason>[a-z]+)\.sqlite$")
_STAMP = "%Y%m%d-%H%M%S-%f"


class BackupError(WorkspaceError):
    """A backup or restore that could not be done; nothing was changed. The message is for the user."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def size_text(self) -> str:
        return _size_text(self.size)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


# ------------------------------------------------------------------------------------ folders


def _beside(workspace: Path) -> Path:
    return Path(workspace).resolve().parent / BACKUP_FOLDER


def _fallback(workspace: Path) -> Path:
    resolved = str(Path(workspace).resolve())
    tag = hashlib.sha1(os.path.normcase(resolved).encode("utf-8")).hexdigest()[:10]
    return user_data_dir() / BACKUP_FOLDER / f"{Path(workspace).name}-{tag}"


def backup_dirs(workspace: str | Path) -> list[Path]:
    """Where the backups of `workspace` may be: beside it, and the user-data fallback."""
    return [_beside(Path(workspace)), _fallback(Path(workspace))]


def _writable_dir(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
        return True
    except OSError:
        return False


def target_dir(workspace: str | Path) -> Path:
    """The folder new backups go to: `backups/` beside the workspace if it can be written, else the user data
    folder."""
    for folder in backup_dirs(workspace):
        if _writable_dir(folder):
            return folder
    raise BackupError(
        f"没有可写入备份的文件夹（{_beside(Path(workspace))} 与 {_fallback(Path(workspace))} 都不可写）",
        kind="backup",
    )


def _parse(path: Path, workspace_name: str) -> BackupInfo | None:
    m = _NAME_RE.match(path.name)
    if m is None or m["ws"] != workspace_name:
        return None
    try:
        created = _stamp_time(m["stamp"])
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path=path, created=created, reason=m["reason"], size=size)


def _stamp_time(stamp: str) -> dt.datetime:
    """The moment of a "YYYYMMDD-HHMMSS-mmm" stamp (as `strptime(stamp + "000", _STAMP)`, which imports
    `_strptime`, calendar and locale on the first call: this runs each time a workspace opens)."""
    s = stamp
    return dt.datetime(
        int(s[0:4]),
        int(s[4:6]),
        int(s[6:8]),
        int(s[9:11]),
        int(s[11:13]),
        int(s[13:15]),
        int(s[16:19]) * 1000,
    )


def list_backups(workspace: str | Path) -> list[BackupInfo]:
    """Every backup of `workspace`, newest first."""
    name = Path(workspace).name
    seen: set[Path] = set()
    out: list[BackupInfo] = []
    for folder in backup_dirs(workspace):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            info = _parse(entry, name)
            if info is not None and entry.resolve() not in seen:
                seen.add(entry.resolve())
                out.append(info)
    out.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return out


def newest_backup(workspace: str | Path) -> BackupInfo | None:
    backups = list_backups(workspace)
    return backups[0] if backups else None


def _new_name(folder: Path, workspace: Path, reason: str, now: dt.datetime | None = None) -> Path:
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    moment = now or dt.datetime.now()
    while True:
        stamp = moment.strftime(_STAMP)[:-3]
        target = folder / f"{workspace.name}@{stamp}.{reason}.sqlite"
        if not target.exists():
            return target
        moment += dt.timedelta(milliseconds=1)


# ------------------------------------------------------------------------------------ writing


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """The backup API copy of `source` into the new file `target`, as a rollback-journal database."""
    dst = sqlite3.connect(str(target))
    try:
        source.backup(dst)
        set_rollback_journal(dst)
    finally:
        dst.close()
    _fsync_file(target)


def verify_backup(path: Path, expected: dict[str, int] | None = None) -> dict[str, int]:
    """Reopen a backup read-only: integrity_check must pass and, if given, every table's row count must equal
    `expected`. Returns the counts; raises BackupError naming what is wrong."""
    try:
        conn, _immutable = connect_readonly(path)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件无法打开：{path}（{exc}）", kind="backup") from None
    try:
        problems = integrity_problems(conn, full=True)
        counts = table_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件已损坏：{path}（{exc}）", kind="backup") from None
    finally:
        conn.close()
    if problems:
        raise BackupError(f"备份文件未通过完整性检查：{path}（{problems[0]}）", kind="backup")
    if expected is not None and counts != expected:
        diff = sorted(k for k in set(counts) | set(expected) if counts.get(k) != expected.get(k))
        raise BackupError(f"备份文件的行数与工作区不一致（{', '.join(diff)}）：{path}", kind="backup")
    return counts


def _write_verified(source: sqlite3.Connection, folder: Path, workspace: Path, reason: str) -> BackupInfo:
    with _LOCK:
        return _write_verified_locked(source, folder, workspace, reason)


def _write_verified_locked(
    source: sqlite3.Connection, folder: Path, workspace: Path, reason: str
) -> BackupInfo:
    target = _new_name(folder, workspace, reason)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with read_snapshot(source):
            expected = table_counts(source)
            _copy_database(source, tmp)
        verify_backup(tmp, expected)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        reason_text = error_reason(exc)
        raise BackupError(f"备份写入失败（{reason_text}）：{target}", kind="backup") from None
    except BaseException:
        _remove(tmp)
        raise
    info = _parse(target, workspace.name)
    assert info is not None
    return info


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def create_backup(ws: Workspace, reason: str) -> BackupInfo:
    """A verified backup of an open workspace."""
    conn = ws.db.conn
    if conn.in_transaction:
        raise BackupError("正在写入数据时不能备份，请稍后再试", kind="backup")
    folder = target_dir(ws.path)
    return _write_verified(conn, folder, Path(ws.path), reason)


def backup_file(workspace: str | Path, reason: str) -> BackupInfo:
    """A verified backup of a workspace file that is not open (read through a read-only connection)."""
    workspace = Path(workspace)
    try:
        conn, _immutable = connect_readonly(workspace)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法读取 {workspace}（{exc}）", kind="backup") from None
    try:
        return _write_verified(conn, target_dir(workspace), workspace, reason)
    finally:
        conn.close()


def keep_damaged_copy(workspace: str | Path) -> BackupInfo:
    """A byte-for-byte copy of a file that cannot be read as a database (with its -wal, if any), so that
    replacing it loses nothing that a specialist could still recover."""
    return keep_raw_copy(workspace, "damaged")


def keep_raw_copy(workspace: str | Path, reason: str) -> BackupInfo:
    """A byte-for-byte copy of the file and its -wal (if any) as they are on disk, before anything reads
    the -wal into the file (`damaged`; `wal`: a -wal this app did not leave there)."""
    workspace = Path(workspace)
    folder = target_dir(workspace)
    target = _new_name(folder, workspace, reason)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(workspace, tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
        wal = Path(str(workspace) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            shutil.copyfile(wal, Path(str(target) + "-wal"))
        _fsync_dir(folder)
    except OSError as exc:
        _remove(tmp)
        raise BackupError(
            f"无法保存{'损坏文件' if reason == 'damaged' else '工作区和日志文件'}的副本（{exc.strerror or exc}）：{target}",
            kind="backup",
        ) from None
    info = _parse(target, workspace.name)
    assert info is not None
    return info


# ----------------------------------------------------------------------------------- rotation


def rotation_keeps(backups: list[BackupInfo], now: dt.datetime | None = None) -> set[Path]:
    """Which backups survive: the newest one; every manual backup and damaged-file copy; every pre-import /
    pre-migration / pre-restore backup of the last 30 days; the newest backup of each of the last 7 days that
    have one; the newest of each of the last 4 calendar weeks that have one."""
    now = now or dt.datetime.now()
    ordered = sorted(backups, key=lambda b: b.created, reverse=True)
    keep: set[Path] = set()
    if ordered:
        keep.add(ordered[0].path)
    for b in ordered:
        if b.reason in KEEP_ALWAYS:
            keep.add(b.path)
        elif b.reason in EVENT_REASONS and now - b.created <= dt.timedelta(days=EVENT_DAYS):
            keep.add(b.path)
    per_day: dict[dt.date, BackupInfo] = {}
    per_week: dict[tuple[int, int], BackupInfo] = {}
    for b in ordered:
        if b.reason in KEEP_ALWAYS:
            continue  # they are kept anyway and must not stand in for a day's automatic backup
        per_day.setdefault(b.created.date(), b)
        iso = b.created.isocalendar()
        per_week.setdefault((iso[0], iso[1]), b)
    for day in sorted(per_day, reverse=True)[:KEEP_DAILY]:
        keep.add(per_day[day].path)
    for week in sorted(per_week, reverse=True)[:KEEP_WEEKLY]:
        keep.add(per_week[week].path)
    return keep


def rotate(workspace: str | Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups the rotation does not keep; returns what was deleted."""
    with _LOCK:
        return _rotate_locked(workspace, now)


def _rotate_locked(workspace: str | Path, now: dt.datetime | None) -> list[Path]:
    backups = list_backups(workspace)
    keep = rotation_keeps(backups, now)
    removed = []
    for b in backups:
        if b.path not in keep and b.reason not in KEEP_ALWAYS:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass
    return removed


def _has_backup_of(workspace: Path, day: dt.date) -> bool:
    return any(b.created.date() == day and b.reason != "damaged" for b in list_backups(workspace))


def ensure_daily(ws: Workspace, now: dt.datetime | None = None) -> BackupInfo | None:
    """Today's backup of an open workspace, unless it already has one from today."""
    with _LOCK:
        if _has_backup_of(ws.path, (now or dt.datetime.now()).date()):
            return None
        info = create_backup(ws, "daily")
        rotate(ws.path, now)
        return info


def ensure_daily_of_file(workspace: str | Path, now: dt.datetime | None = None) -> BackupInfo | None:
    """The same for a workspace file, read through a connection of its own (the background job started when
    a workspace is opened: it must not share the GUI thread's connection)."""
    workspace = Path(workspace)
    with _LOCK:  # one check-and-write at a time, so two quick opens make one daily backup
        if _has_backup_of(workspace, (now or dt.datetime.now()).date()):
            return None
        info = backup_file(workspace, "daily")
        rotate(workspace, now)
        return info


# ------------------------------------------------------------------------------------ restore


__all__ = [
    "REASONS",
    "BackupError",
    "BackupInfo",
    "backup_dirs",
    "backup_file",
    "create_backup",
    "ensure_daily",
    "keep_damaged_copy",
    "list_backups",
    "newest_backup",
    "rotate",
    "rotation_keeps",
    "target_dir",
    "verify_backup",
]
