"""Writing the files the clerk keeps or hands over: atomically (temp file + rename), and the reason of a
failed file operation in words a clerk can act on. The bottom layer: imports nothing of the app, so that
storage, exchange and export all write files the same way.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path


class WriteError(Exception):
    """A file that could not be written; the message names the file and the reason (Chinese)."""


_REASONS = {
    errno.EACCES: "没有写入权限（文件夹只读、被锁定，或文件正被其他程序打开）",
    errno.EPERM: "没有写入权限（文件夹只读、被锁定，或文件正被其他程序打开）",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EIO: "磁盘读写错误",
    errno.ENOENT: "文件夹不存在",
    errno.EBUSY: "文件正被其他程序使用",
}


def os_error_text(exc: OSError) -> str:
    """Why a file operation failed, in plain Chinese (the system's own text for causes not listed)."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _file_mode() -> int:
    """Permissions of a normal new file (mkstemp makes 0600, which would hide exports from other users)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()  # read once at import: umask is process-wide and not thread-safe to probe


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Call `write(tmp)` on a temp file beside `target`, then rename it over `target`. Nothing partial is
    left behind when writing fails; an OS error becomes a `WriteError` naming the file and the reason."""
    target = Path(target)
    try:
        import tempfile  # with the first write (start-up budget: tempfile brings shutil, random, bz2, lzma)

        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise WriteError(f"无法在 {target.parent} 中写入文件：{os_error_text(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with contextlib.suppress(OSError):
            os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(f"无法写入 {target}：{os_error_text(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
