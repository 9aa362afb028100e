"""Single writer: a second process is refused with the holder named, may read, and nothing is corrupted."""

from __future__ import annotations

import gc
import getpass
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from ruian_desk.domain.report import Report
from ruian_desk.storage.lock import LockError, LockInfo, holder_of, lock_path_for
from ruian_desk.storage.repository import ReadOnlyError
from ruian_desk.storage.workspace import WorkspaceError, open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import dump, sha256

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _new_workspace(path: Path) -> int:
    ws = open_workspace(path, create=True)
    rid = ws.repo.save_report(Report(unit="某局", unit_role="department", year=2021, format_id="gov-2021"))
    ws.close()
    return rid


def test_second_process_is_refused_and_told_who_holds_it(tmp_path: Path, holder) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    h = holder(path)
    with pytest.raises(LockError) as caught:
        open_workspace(path)
    err = caught.value
    assert isinstance(err, WorkspaceError) and err.can_open_readonly is True
    text = str(err)
    assert f"进程 {h.pid}" in text and "正被另一个程序使用" in text and "只读" in text
    assert socket.gethostname() in text and getpass.getuser() in text
    assert err.holder is not None and err.holder.pid == h.pid
    assert holder_of(path) is not None and holder_of(path).pid == h.pid  # type: ignore[union-attr]

    # the holder keeps writing; a read-only handle sees its committed edits and cannot write
    assert h.send(f"set {rid} t3.new.np 17") == "stored"
    ro = open_workspace(path, readonly=True)
    assert ro.repo.load_report(rid).values.get("t3.new.np") == 17
    with pytest.raises(ReadOnlyError):
        ro.repo.set_cell(rid, "t3.new.np", 18)
    assert h.send(f"set {rid} t3.new.ce 4") == "stored"
    assert ro.repo.load_report(rid).values.get("t3.new.ce") == 4
    ro.close()

    h.quit()
    assert not lock_path_for(path).exists()  # a clean close removes the lock file
    assert holder_of(path) is None
    with open_workspace(path) as ws:  # free again
        assert ws.repo.load_report(rid).values.get("t3.new.np") == 17
        assert ws.integrity_problems() == []


@posix_only
def test_lock_of_a_killed_process_is_released_by_the_os(tmp_path: Path, holder) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    h = holder(path)
    assert h.send(f"set {rid} t3.new.np 5") == "stored"
    dead_pid = h.pid
    h.kill()
    # the lock file is still there with the dead holder's details, but the OS lock went with the process
    assert lock_path_for(path).exists()
    assert holder_of(path) is None
    ws = open_workspace(path)
    try:
        assert ws.lock is not None and ws.lock.stale_taken_over is not None
        assert ws.lock.stale_taken_over.pid == dead_pid
        assert ws.repo.load_report(rid).values.get("t3.new.np") == 5
        assert ws.integrity_problems() == []
    finally:
        ws.close()


def test_stale_lock_file_with_garbage_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    _new_workspace(path)
    lock_path_for(path).write_bytes(b"\x00\xffnot json")
    with open_workspace(path) as ws:
        info = LockInfo.parse(lock_path_for(path).read_bytes())
        assert info is not None and info.pid == ws.lock.info.pid  # type: ignore[union-attr]


def test_cli_readers_work_and_writers_are_refused_while_held(
    tmp_path: Path, sample_path: Path, holder
) -> None:
    h = holder(sample_path)
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--json")
    assert r.returncode == 0, r.stderr
    assert '"unit": "瑞安市人民政府"' in r.stdout
    r = run_cli(
        "export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(tmp_path / "o")
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "瑞安市人民政府2019年政府信息公开工作年度报告.json").exists()

    before = dump(sample_path)
    doc = tmp_path / "o" / "瑞安市人民政府2019年政府信息公开工作年度报告.json"
    r = run_cli("import-json", "-w", str(sample_path), str(doc))
    assert r.returncode == 2
    assert (
        f"进程 {h.pid}" in r.stderr
        and "Traceback" not in r.stderr
        and len(r.stderr.strip().splitlines()) == 1
    )
    digest = sha256(sample_path)
    r = run_cli("sample", str(sample_path), "--force")
    assert r.returncode == 2 and f"进程 {h.pid}" in r.stderr
    assert sample_path.exists() and sha256(sample_path) == digest  # --force did not delete the held file
    r = run_cli("backup", "-w", str(sample_path), "--list")
    assert r.returncode == 0
    assert dump(sample_path) == before


def test_one_process_may_reopen_and_the_lock_goes_with_the_last_close(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    _new_workspace(path)
    a = open_workspace(path)
    b = open_workspace(path)  # same process (e.g. a restore while the window is open): shared lock
    assert a.lock is b.lock and a.lock is not None and a.lock.refs == 2
    a.close()
    assert lock_path_for(path).exists() and holder_of(path) is not None
    b.close()
    assert not lock_path_for(path).exists()


def test_a_dropped_workspace_gives_its_lock_back(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    _new_workspace(path)
    ws = open_workspace(path)
    assert holder_of(path) is not None
    del ws
    gc.collect()
    assert holder_of(path) is None and not lock_path_for(path).exists()


def test_refused_writer_leaves_the_file_untouched(tmp_path: Path, holder) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    h = holder(path)
    for i in range(5):
        assert h.send(f"set {rid} t3.new.np {i}") == "stored"
        with pytest.raises(LockError):
            open_workspace(path)
    h.quit()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute(
        "SELECT value FROM cells WHERE report_id = ? AND cell_id = 't3.new.np'", [rid]
    ).fetchone() == ("4",)
    conn.close()


def test_the_holder_text_is_synced_only_where_no_os_lock_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an OS lock the text only names the holder (no wait for the disk at every opening); on a file
    system without locks it is what another computer decides by, so it reaches the disk."""
    import errno
    import os

    from ruian_desk.storage import lock as lock_module
    from ruian_desk.storage.lock import WorkspaceLock

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(lock_module.os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    path = tmp_path / "w.sqlite"
    _new_workspace(path)
    held = WorkspaceLock.acquire(path)
    assert held.os_locked and synced == []
    held.release()

    def no_locks(fd: int) -> bool:
        raise OSError(errno.ENOLCK, "no locks on this file system")

    monkeypatch.setattr(lock_module, "_os_try_lock", no_locks)
    fallback = WorkspaceLock.acquire(path)
    try:
        assert not fallback.os_locked and len(synced) == 1
    finally:
        fallback.release()
