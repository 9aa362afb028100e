"""The single-writer lock of a workspace: `<file>.lock` beside it, held with an OS file lock.

The lock file holds who has the workspace open (pid, user, host, since when) so a second instance can say so.
The OS lock (`fcntl.flock` on POSIX, `msvcrt.locking` on Windows) is what decides: the operating system drops
it when the holding process dies, so a crash or a power cut never leaves a lock that has to be removed by
hand. A lock file whose OS lock is free is stale and is simply taken over.

A lock file can be deleted or replaced by rename while it is held (editors save that way; so does a careless
clean-up). On POSIX the lock is therefore also taken on the workspace file itself (`flock` on a descriptor
of its own; SQLite's POSIX record locks are a different kind and do not interact): a second program that
found a fresh lock file still meets the lock on the workspace. `verify()` compares the workspace path's
st_dev/st_ino with the locked descriptor before every write transaction, so a file swapped in under the app
is never written as if it were the one opened. A lock file is only unlinked while it is still the holder's
own inode, never another holder's. On Windows an open lock file cannot be deleted or renamed over, so the
`msvcrt` byte lock on it is kept as it was.

Inside one process the lock is shared: opening the same workspace twice for writing (say, the main window and
a restore) counts references instead of refusing, because SQLite serialises writers of one process anyway and
the danger this lock guards against is a second *program* (a double-click, the CLI while the GUI is open).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ruian_desk.storage.errors import WorkspaceError, WriteProtectedError

LOCK_SUFFIX = ".lock"
# Windows byte-range locks stop other processes from *reading* the locked bytes, so the lock is taken on a
# byte far beyond the holder text: the text stays readable for the second instance's message.
_WIN_LOCK_OFFSET = 0x7FFF0000
_MAX_INFO_BYTES = 4096


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or last held) a workspace."""

    pid: int = 0
    user: str = ""
    host: str = ""
    since: str = ""  # ISO time the holder opened the workspace
    app: str = "ruian-desk"

    @property
    def since_text(self) -> str:
        try:
            return dt.datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.since or "未知时间"

    def describe(self) -> str:
        who = self.user or "未知用户"
        host = self.host or "未知计算机"
        return f"进程 {self.pid or '未知'}，用户 {who}，计算机 {host}，自 {self.since_text} 起"

    def to_json(self) -> str:
        return json.dumps(
            {"pid": self.pid, "user": self.user, "host": self.host, "since": self.since, "app": self.app},
            ensure_ascii=False,
        )

    @classmethod
    def current(cls) -> LockInfo:
        return cls(
            pid=os.getpid(),
            user=_user_name(),
            host=_host_name(),
            since=dt.datetime.now().isoformat(timespec="seconds"),
        )

    @classmethod
    def parse(cls, data: bytes) -> LockInfo | None:
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(raw, dict):
            return None
        pid = raw.get("pid")
        return cls(
            pid=pid if isinstance(pid, int) else 0,
            user=str(raw.get("user", ""))[:200],
            host=str(raw.get("host", ""))[:200],
            since=str(raw.get("since", ""))[:64],
            app=str(raw.get("app", ""))[:64],
        )


class LockError(WorkspaceError):
    """Another program has the workspace open for writing. It may still be opened read-only."""

    can_open_readonly = True

    def __init__(self, path: Path, holder: LockInfo | None):
        self.path = Path(path)
        self.holder = holder
        who = f"{holder.describe()}打开" if holder is not None else "持有者信息无法读取"
        super().__init__(
            f"工作区正被另一个程序使用（{who}）：{path}。"
            "同一时间只能有一个程序修改它；可以只读方式打开查看，或先关闭另一个窗口再试。"
        )


def lock_path_for(workspace: str | Path) -> Path:
    workspace = Path(workspace)
    return workspace.with_name(workspace.name + LOCK_SUFFIX)


# Without `socket` and `getpass` (and termios, which getpass imports): opening a workspace is on the GUI's
# start-up path, and those modules cost milliseconds to import.


def _user_name() -> str:
    # What getpass.getuser() does: the login variables, then the password database (POSIX).
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # noqa: BLE001 - no login name (service account, odd environment): not an error
        return ""


def _host_name() -> str:
    """This computer's name, as `socket.gethostname()` gives it (on POSIX both read uname's nodename)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


# ----------------------------------------------------------------------------- OS primitives


def _os_try_lock(fd: int) -> bool:
    """Take the OS lock on `fd` without waiting. False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read_info(path: Path) -> LockInfo | None:
    try:
        with path.open("rb") as f:
            return LockInfo.parse(f.read(_MAX_INFO_BYTES))
    except OSError:
        return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----------------------------------------------------------------------------------- the lock


class WorkspaceLock:
    """The held lock of one workspace in this process (reference counted; see the module docstring)."""

    _held: dict[str, WorkspaceLock] = {}
    _guard = threading.Lock()

    def __init__(self, workspace: Path, fd: int, lock_file: Path, info: LockInfo, os_locked: bool):
        self.workspace = workspace
        self.fd: int | None = fd
        # POSIX: a descriptor of the workspace file itself, flock'ed (None before a new file exists, on
        # Windows, and on file systems without locks).
        self.ws_fd: int | None = None
        self.lock_file = lock_file
        self.info = info
        self.os_locked = os_locked  # False only on file systems without working file locks
        self.refs = 1
        self.stale_taken_over: LockInfo | None = None  # holder info left by a process that died

    @property
    def held(self) -> bool:
        return self.fd is not None

    @classmethod
    def acquire(cls, workspace: str | Path) -> WorkspaceLock:
        """Take the writer lock of `workspace` or raise `LockError` naming the holder."""
        workspace = Path(workspace)
        key = _key(workspace)
        with cls._guard:
            mine = cls._held.get(key)
            if mine is not None and mine.held:
                mine.refs += 1
                return mine
            lock = cls._acquire_new(workspace)
            cls._held[key] = lock
            return lock

    @classmethod
    def _acquire_new(cls, workspace: Path) -> WorkspaceLock:
        lock_file = lock_path_for(workspace)
        for _attempt in range(20):
            try:
                # binary: no newline translation on Windows; not inherited by child processes (PEP 446)
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            except OSError as exc:
                raise WriteProtectedError(
                    f"无法在 {lock_file.parent} 中建立锁文件（{exc.strerror or exc}）：该文件夹不可写，"
                    "工作区只能以只读方式打开",
                    path=workspace,
                    kind="readonly_folder",
                ) from None
            try:
                previous = _read_fd(fd)
                try:
                    locked = _os_try_lock(fd)
                    os_locked = True
                except OSError as exc:
                    if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                        raise
                    # A file system without locks (some network shares): fall back to the recorded pid.
                    locked = not _held_by_live_process(previous)
                    os_locked = False
                if not locked:  # the handler below closes fd
                    raise LockError(workspace, previous if previous is not None else _read_info(lock_file))
                if sys.platform != "win32" and not _same_file(fd, lock_file):
                    # The previous holder removed the file between our open and our lock: start again on
                    # the file that is there now, or two processes could each hold a different inode.
                    _os_unlock(fd)
                    os.close(fd)
                    continue
                ws_fd = _lock_workspace_file(workspace) if os_locked else None
                if ws_fd is False:
                    # The lock file was deleted or replaced while another program holds the workspace: the
                    # lock on the workspace file itself keeps us out. The fresh lock file is left alone (it is
                    # empty and free: whoever comes next takes it over).
                    _os_unlock(fd)
                    raise LockError(workspace, previous)  # the handler below closes fd
                info = LockInfo.current()
                _write_fd(fd, info, sync=not os_locked)
            except BaseException:
                try:
                    os.close(fd)
                except OSError:
                    pass
                raise
            lock = cls(workspace, fd, lock_file, info, os_locked)
            lock.ws_fd = ws_fd if isinstance(ws_fd, int) and not isinstance(ws_fd, bool) else None
            if previous is not None and previous.pid and previous.pid != os.getpid():
                lock.stale_taken_over = previous
            return lock
        raise WorkspaceError(f"无法取得工作区的锁（锁文件反复变化）：{lock_file}")

    # ------------------------------------------------------------------ the workspace file itself

    def bind_workspace(self) -> None:
        """Lock the workspace file once it exists (a new workspace is created under the lock file's lock)."""
        if sys.platform == "win32" or not self.os_locked or self.ws_fd is not None or self.fd is None:
            return
        got = _lock_workspace_file(self.workspace)
        if got is False:
            raise LockError(self.workspace, None)
        self.ws_fd = got if isinstance(got, int) and not isinstance(got, bool) else None

    def adopt_replacement(self, replacement: Path) -> int | None:
        """Before `replacement` is renamed over the workspace (a restore): take the lock on its inode, so the
        lock moves with the rename. Returns the descriptor to hand to `replaced()` (None: not used here)."""
        if self.ws_fd is None:
            return None
        fd = os.open(replacement, os.O_RDONLY)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        return fd

    def replaced(self, new_fd: int | None, swapped: bool) -> None:
        """After the rename (or its failure): keep the lock on whichever inode is now the workspace."""
        if new_fd is None:
            return
        if not swapped:
            os.close(new_fd)
            return
        old, self.ws_fd = self.ws_fd, new_fd
        if old is not None:
            os.close(old)

    def verify(self) -> None:
        """Raise `WorkspaceError` unless the file at the workspace path is still the one this lock holds
        (called before every write transaction: a file deleted or swapped in by another program is never
        written as if it were the opened workspace)."""
        if self.ws_fd is None:
            return
        try:
            mine = os.fstat(self.ws_fd)
            there = os.stat(self.workspace)
        except FileNotFoundError:
            raise WorkspaceError(
                f"工作区文件已被删除或移走：{self.workspace}。这次修改未保存；请关闭程序后从备份恢复。",
                path=self.workspace,
                kind="replaced",
            ) from None
        except OSError:
            return
        if (mine.st_dev, mine.st_ino) != (there.st_dev, there.st_ino):
            raise WorkspaceError(
                f"工作区文件已被另一个程序替换：{self.workspace}。这次修改未保存（写入会落到别人的文件上）；"
                "请关闭程序后重新打开。",
                path=self.workspace,
                kind="replaced",
            )

    def release(self) -> None:
        """Drop one reference; the last one removes the lock file and frees the OS lock."""
        with self._guard:
            if self.fd is None:
                return
            self.refs -= 1
            if self.refs > 0:
                return
            fd, self.fd = self.fd, None
            self._held.pop(_key(self.workspace), None)
            ws_fd, self.ws_fd = self.ws_fd, None
            if sys.platform == "win32":
                try:
                    os.ftruncate(fd, 0)
                except OSError:
                    pass
                _os_unlock(fd)
                os.close(fd)
                try:
                    self.lock_file.unlink()
                except OSError:
                    pass  # another instance opened it meanwhile: it will take it over
            else:
                # Unlink while still holding the lock (a waiter that opened the old file sees it is gone),
                # and only our own file: one that replaced it belongs to somebody else.
                if _same_file(fd, self.lock_file):
                    try:
                        self.lock_file.unlink()
                    except OSError:
                        pass
                try:
                    _os_unlock(fd)
                finally:
                    os.close(fd)
                    if ws_fd is not None:
                        os.close(ws_fd)

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_fd(fd: int) -> LockInfo | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return LockInfo.parse(os.read(fd, _MAX_INFO_BYTES))
    except OSError:
        return None


def _write_fd(fd: int, info: LockInfo, sync: bool) -> None:
    """Record the holder. Best effort: on a full disk the OS lock alone still keeps a second writer out; the
    other instance's message then lacks the holder's details. Synced to the disk only where there is no OS
    lock (`sync`: a file system without locks, where the holder text is what another computer decides by);
    with an OS lock the text only names the holder in another instance's message, the lock decides, and a
    sync would wait for the disk at every opening (7 ms here, far more on a busy spinning disk)."""
    data = info.to_json().encode("utf-8")
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)
        if sync:
            os.fsync(fd)
    except OSError:
        pass


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _lock_workspace_file(workspace: Path) -> int | bool | None:
    """POSIX: flock the workspace file on a descriptor of its own. The descriptor; False when another
    program holds it; None when there is nothing to lock (no file yet, Windows, no locks on this file
    system, a file that cannot be opened)."""
    if sys.platform == "win32":
        return None
    import fcntl

    try:
        fd = os.open(workspace, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        return None
    return fd


def _workspace_file_held(workspace: Path) -> bool:
    got = _lock_workspace_file(workspace)
    if isinstance(got, bool):
        return not got
    if got is not None:
        os.close(got)  # closing the descriptor frees the probe's lock
    return False


def _held_by_live_process(info: LockInfo | None) -> bool:
    if info is None or not info.pid:
        return False
    if info.host and info.host != _host_name():
        return True  # another computer: its process cannot be checked from here, so assume it is alive
    return info.pid != os.getpid() and _pid_alive(info.pid)


def holder_of(workspace: str | Path) -> LockInfo | None:
    """Who holds the writer lock of `workspace` now (None: nobody, or only a stale lock file)."""
    workspace = Path(workspace)
    with WorkspaceLock._guard:
        mine = WorkspaceLock._held.get(_key(workspace))
        if mine is not None and mine.held:
            return mine.info
    lock_file = lock_path_for(workspace)
    if not lock_file.exists():
        return LockInfo() if _workspace_file_held(workspace) else None
    try:
        fd = os.open(lock_file, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        info = _read_info(lock_file)
        return info if _held_by_live_process(info) else None
    try:
        info = _read_fd(fd)
        try:
            free = _os_try_lock(fd)
        except OSError:
            return info if _held_by_live_process(info) else None
        if free:
            _os_unlock(fd)
            return LockInfo() if _workspace_file_held(workspace) else None
        return info or LockInfo()
    finally:
        os.close(fd)


@contextmanager
def hold_lock(workspace: str | Path) -> Iterator[WorkspaceLock]:
    """Hold the writer lock for a block (e.g. while a file is replaced), refusing if another program has it."""
    lock = WorkspaceLock.acquire(workspace)
    try:
        yield lock
    finally:
        lock.release()


__all__ = ["LockError", "LockInfo", "WorkspaceLock", "hold_lock", "holder_of", "lock_path_for"]
