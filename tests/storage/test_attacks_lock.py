"""Issue #19, holes 2, 3 and 8: the lock cannot be stolen by deleting or replacing its file, a file swapped in
under the app is never written, a deleted -wal is detected (the write refused, nothing saved lost), and a
restore cannot replay an old -wal."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from ruian_desk.domain.report import Report
from ruian_desk.storage.backup import backup_file
from ruian_desk.storage.lock import LockError, holder_of, lock_path_for
from ruian_desk.storage.restore import restore_backup
from ruian_desk.storage.workspace import WorkspaceError, connect_readonly, open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import dump

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="a held file cannot be unlinked on Windows")


def _new_workspace(path: Path) -> int:
    ws = open_workspace(path, create=True, daily_backup=False)
    rid = ws.repo.save_report(Report(unit="某局", unit_role="department", year=2021, format_id="gov-2021"))
    ws.close()
    return rid


@posix_only
@pytest.mark.parametrize("attack", ["delete", "replace"])
def test_deleting_or_replacing_the_lock_file_does_not_free_the_workspace(
    tmp_path: Path, sample_path: Path, holder, attack: str
) -> None:
    h = holder(sample_path)
    lock_file = lock_path_for(sample_path)
    original = lock_file.read_bytes()
    if attack == "delete":
        lock_file.unlink()
    else:  # what an editor's save does: a new file renamed over the old one
        fresh = tmp_path / "edited.lock"
        fresh.write_bytes(original)
        os.replace(fresh, lock_file)
    before = dump(sample_path)

    with pytest.raises(LockError):
        open_workspace(sample_path)
    assert holder_of(sample_path) is not None

    out = tmp_path / "o"
    r = run_cli("export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    json_doc = out / "瑞安市人民政府2019年政府信息公开工作年度报告.json"
    r = run_cli("import-json", "-w", str(sample_path), str(json_doc))
    assert r.returncode == 2 and "正被另一个程序使用" in r.stderr and "Traceback" not in r.stderr

    newest = backup_file(sample_path, "manual").path  # reading beside the holder is allowed
    r = run_cli("backup", "-w", str(sample_path), "--restore", str(newest))
    assert r.returncode == 2 and "正被另一个程序使用" in r.stderr, r.stderr
    assert dump(sample_path) == before  # nothing was imported or swapped in

    # the holder keeps working on the file it opened
    rid = 1
    assert h.send(f"set {rid} t3.new.np 11") == "stored"
    h.quit()


@posix_only
def test_closing_a_holder_never_unlinks_another_programs_lock_file(tmp_path: Path, holder) -> None:
    path = tmp_path / "w.sqlite"
    _new_workspace(path)
    h = holder(path)
    lock_file = lock_path_for(path)
    replacement = tmp_path / "x.lock"
    replacement.write_text('{"pid": 1, "user": "别人"}', encoding="utf-8")
    os.replace(replacement, lock_file)
    h.quit()
    assert lock_file.exists() and "别人" in lock_file.read_text(encoding="utf-8")
    # the holder is gone: its lock on the workspace went with it, so the file can be taken again
    with open_workspace(path, daily_backup=False) as ws:
        assert ws.lock is not None and ws.lock.held


@posix_only
def test_a_workspace_file_swapped_in_under_the_app_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    ws = open_workspace(path, daily_backup=False)
    try:
        ws.repo.set_cell(rid, "t3.new.np", 3)
        other = tmp_path / "other.sqlite"
        src, dst = sqlite3.connect(path), sqlite3.connect(other)
        src.backup(dst)
        src.close()
        dst.close()
        os.replace(other, path)  # another program replaces the file (a copy from elsewhere, a restore)
        swapped = dump(path)
        with pytest.raises(WorkspaceError) as caught:
            ws.repo.set_cell(rid, "t3.new.np", 4)
        assert (
            caught.value.kind == "replaced" and "替换" in str(caught.value) and "未保存" in str(caught.value)
        )
        assert dump(path) == swapped
        # and a second program cannot take the swapped-in file while the app still runs (lock file held)
        assert lock_path_for(path).exists()
    finally:
        ws.close()


def test_a_deleted_wal_is_detected_and_nothing_saved_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    ws = open_workspace(path, daily_backup=False)
    try:
        ws.repo.set_cell(rid, "t3.new.np", 7)  # shown as 已保存: committed, still in the -wal
        wal = Path(str(path) + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        wal.unlink()
        with pytest.raises(WorkspaceError) as caught:
            ws.repo.set_cell(rid, "t3.new.ce", 8)
        text = str(caught.value)
        assert caught.value.kind == "wal_lost" and "未保存" in text and "-wal" in text and "没有丢失" in text
        # the saved edit is already in the main file, before the app is even closed
        conn, _ = connect_readonly(path)
        try:
            got = dict(conn.execute("SELECT cell_id, value FROM cells").fetchall())
        finally:
            conn.close()
        assert got.get("t3.new.np") in (7, "7")
        assert "t3.new.ce" not in got
    finally:
        ws.close()
    with open_workspace(path, daily_backup=False) as again:
        values = again.repo.load_report(rid).values
        assert values.get("t3.new.np") == 7 and values.get("t3.new.ce") is None
        assert again.integrity_problems() == []


_KILLED_RESTORE = """
import os, sys
from pathlib import Path
from ruian_desk.storage import restore
from ruian_desk.storage.workspace import open_workspace
path, good = Path(sys.argv[1]), Path(sys.argv[2])
real = os.replace
def replace_then_die(src, dst):
    real(src, dst)
    if Path(dst) == path:
        os._exit(9)  # killed just after the rename
restore.os.replace = replace_then_die
ws = open_workspace(path, daily_backup=False)
for n in range(2, 40):  # edits after the backup, still in the -wal
    ws.repo.set_cell(int(sys.argv[3]), "t3.new.np", n)
restore.restore_backup(ws, good)
"""


def test_restore_killed_after_its_rename_replays_no_old_wal(tmp_path: Path) -> None:
    import subprocess

    from tests.storage.conftest import ROOT

    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    with open_workspace(path, daily_backup=False) as ws:
        ws.repo.set_cell(rid, "t3.new.np", 1)
        good = ws.backup_now()
    expected = dump(good.path)
    # a reader keeps a snapshot open, so no checkpoint can empty the -wal
    reader, _ = connect_readonly(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cells").fetchone()
    try:
        r = subprocess.run(
            [sys.executable, "-c", _KILLED_RESTORE, str(path), str(good.path), str(rid)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 9, r.stderr
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    wal = Path(str(path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert dump(path) == expected
    with open_workspace(path, daily_backup=False) as again:
        assert again.repo.load_report(rid).values.get("t3.new.np") == 1
        assert again.integrity_problems() == []


def test_restore_under_a_reader_gives_exactly_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    rid = _new_workspace(path)
    ws = open_workspace(path, daily_backup=False)
    ws.repo.set_cell(rid, "t3.new.np", 1)
    good = ws.backup_now()
    for n in range(2, 20):
        ws.repo.set_cell(rid, "t3.new.np", n)
    reader, _ = connect_readonly(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cells").fetchone()
    try:
        ws = restore_backup(ws, good.path)
        assert ws.repo.load_report(rid).values.get("t3.new.np") == 1
        ws.repo.set_cell(rid, "t3.new.ce", 2)  # the lock moved with the rename: writing still allowed
    finally:
        reader.execute("ROLLBACK")
        reader.close()
        ws.close()
    with open_workspace(path, daily_backup=False) as again:
        values = again.repo.load_report(rid).values
        assert values.get("t3.new.np") == 1 and values.get("t3.new.ce") == 2


@posix_only
def test_closing_another_descriptor_of_the_file_keeps_the_lock(tmp_path: Path, sample_path: Path) -> None:
    """The lock on the workspace file is a `flock` on a descriptor of its own: a reader in the same process
    that opens and closes the file (a read-only connection, a backup, a plain read) does not drop it, as a
    POSIX record lock (`fcntl`/`lockf`) would be dropped by the first close of any descriptor."""
    ws = open_workspace(sample_path, daily_backup=False)
    try:
        with open(sample_path, "rb") as f:
            f.read(100)
        conn, _ = connect_readonly(sample_path)
        conn.execute("SELECT COUNT(*) FROM reports").fetchone()
        conn.close()
        backup_file(sample_path, "manual")
        lock_path_for(sample_path).unlink()  # and the lock file gone as well
        r = run_cli("sample", str(sample_path), "--force")
        assert r.returncode == 2 and "正被另一个程序使用" in r.stderr, r.stderr
        code = (
            "import sys\n"
            "from ruian_desk.storage.workspace import open_workspace\n"
            "from ruian_desk.storage.lock import LockError\n"
            "try:\n"
            f"    open_workspace({str(sample_path)!r}, daily_backup=False)\n"
            "except LockError as e:\n"
            "    print('refused', e.can_open_readonly)\n"
            "    sys.exit(0)\n"
            "sys.exit(3)\n"
        )
        import subprocess

        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "refused True" in out.stdout, out.stderr
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        ws.repo.set_cell(rid, "t3.new.np", 77)  # the holder still writes
    finally:
        ws.close()
