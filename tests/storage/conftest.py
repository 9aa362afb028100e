"""Fixtures for the reliability tests: a second process holding a workspace, read-only folders, tiny disks."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys
    from ruian_desk.storage.workspace import open_workspace
    ws = open_workspace(sys.argv[1])
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd and cmd[0] == "set":
            ws.repo.set_cell(int(cmd[1]), cmd[2], int(cmd[3]))
            print("stored", flush=True)
        elif cmd and cmd[0] == "quit":
            break
    ws.close()
    print("closed", flush=True)
    """
)


class Holder:
    """Another process with the workspace open for writing (like a second app window)."""

    def __init__(self, path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"holder did not start: {line!r} {err}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, line: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def quit(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            self.proc.wait(timeout=30)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture
def holder() -> Iterator[type[Holder]]:
    started: list[Holder] = []

    class _Tracked(Holder):
        def __init__(self, path: Path):
            super().__init__(path)
            started.append(self)

    yield _Tracked
    for h in started:
        if h.proc.poll() is None:
            h.kill()
        for stream in (h.proc.stdin, h.proc.stdout, h.proc.stderr):
            if stream is not None:
                stream.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text: two files with the same dump hold the same data."""
    from ruian_desk.storage.workspace import connect_readonly

    conn, _immutable = connect_readonly(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    r = subprocess.run(["chattr", flag, str(path)], capture_output=True)
    return r.returncode == 0


@pytest.fixture
def make_readonly_dir() -> Iterator:
    """Make a folder truly read-only, even for root (ext4 immutable attribute); skip where not possible."""
    done: list[Path] = []

    def make(folder: Path) -> Path:
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if not is_root:
            folder.chmod(0o555)
        elif not _chattr("+i", folder):
            pytest.skip("chattr +i not available on this file system")
        done.append(folder)
        probe = folder / ".probe"
        try:
            probe.write_text("x")
        except OSError:
            return folder
        probe.unlink()
        pytest.skip("cannot make a read-only folder here")
        return folder

    yield make
    for folder in done:
        _chattr("-i", folder)
        folder.chmod(0o755)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator:
    """A small tmpfs mounted for the test (a full disk that is really full); skip where mounting is not allowed."""
    mounted: list[Path] = []

    def make(size_kb: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        r = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)], capture_output=True
        )
        if r.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (not root or no permission)")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
