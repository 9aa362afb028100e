"""The errors of opening and changing a workspace, and the cause of a failed write in plain Chinese.

The bottom of `storage`: the lock, the backups and the opening of a workspace all raise `WorkspaceError`.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

from ruian_desk.fileio import os_error_text


class WorkspaceError(Exception):
    """The workspace cannot be opened or changed as asked; the message is for the user (Chinese).

    `kind` says why (missing, damaged, not_workspace, newer, locked, upgrade, folder, other); `backups` lists the
    workspace's automatic backups, newest first, where that helps the user (damaged or newer files).
    """

    can_open_readonly = False

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        kind: str = "other",
        backups: Sequence[Path] = (),
    ):
        super().__init__(message)
        self.path = path
        self.kind = kind
        self.backups: list[Path] = list(backups)


class WriteProtectedError(WorkspaceError):
    """The workspace file is write-protected, or its folder cannot be written (a CD, a read-only share, a
    locked stick): it can only be opened read-only, which the window offers at once."""

    can_open_readonly = True


def write_error_message(exc: BaseException) -> str:
    """What to tell the user when an edit could not be stored (the edit is then not saved; everything saved
    before it is intact, since each edit is its own transaction)."""
    reason = error_reason(exc)
    if reason == "磁盘已满":
        advice = "请腾出空间后重试。"
    elif reason == "工作区文件已损坏":
        advice = "请关闭程序后从备份恢复（备份与恢复，或 python main.py backup --list）。"
    else:
        advice = "请检查磁盘后重试。"
    return f"{reason}，这次修改未保存（之前已保存的内容不受影响）。{advice}"


def error_reason(exc: BaseException) -> str:
    """A failed SQLite or file operation's cause in plain Chinese (磁盘已满, 只读, …)."""
    text = str(exc).lower()
    if isinstance(exc, OSError):
        reason = os_error_text(exc)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            reason = "磁盘已满"
    elif "disk is full" in text or "database or disk is full" in text:
        reason = "磁盘已满"
    elif "readonly" in text or "read-only" in text:
        reason = "文件或文件夹是只读的"
    elif "locked" in text or "busy" in text:
        reason = "文件正被另一个程序占用"
    elif isinstance(exc, UnicodeDecodeError) or any(
        t in text for t in ("malformed", "not a database", "corrupt", "could not decode")
    ):
        reason = "工作区文件已损坏"
    elif "disk i/o" in text:
        reason = "磁盘读写错误"
    else:
        reason = str(exc)
    return reason
