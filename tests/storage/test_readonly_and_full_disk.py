"""Read-only folders and full disks: reading still works, a failed write leaves the workspace valid and whole,
and the user gets a plain message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ruian_desk.storage.repository import ReadOnlyError
from ruian_desk.storage.workspace import WorkspaceError, open_workspace, write_error_message
from tests.conftest import run_cli
from tests.storage.conftest import dump, sha256


def _checkpointed_copy(sample_path: Path, folder: Path) -> Path:
    """The sample as a WAL-mode file with no -wal/-shm beside it (as after a clean close, or a copy)."""
    folder.mkdir(exist_ok=True)
    target = folder / "ws.sqlite"
    shutil.copy(sample_path, target)
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    return target


def test_readonly_open_of_wal_file_in_read_only_folder(
    sample_path: Path, tmp_path: Path, make_readonly_dir
) -> None:
    expected = dump(sample_path)
    path = _checkpointed_copy(sample_path, tmp_path / "cd")
    digest = sha256(path)
    make_readonly_dir(path.parent)
    ws = open_workspace(path, readonly=True)
    try:
        assert ws.readonly and ws.immutable
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        assert rid is not None
        report = ws.repo.load_report(rid)
        assert report.signature.organ == "瑞安市人民政府" and report.values.get("t3.new.total") is not None
        with pytest.raises(ReadOnlyError):
            ws.repo.set_cell(rid, "t3.new.np", 1)
        assert ws.integrity_problems() == []
    finally:
        ws.close()
    assert sha256(path) == digest and sorted(p.name for p in path.parent.iterdir()) == ["ws.sqlite"]
    # the CLI readers work there too, and a writer is refused with a plain message
    r = run_cli("check", "-w", str(path), "--year", "2019", "--json")
    assert r.returncode == 0, r.stderr
    r = run_cli("export", "-w", str(path), "--year", "2019", "--format", "json", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path)
    assert "只读" in str(caught.value)
    assert dump(path) == expected


def test_readonly_open_without_wal_and_shm_in_writable_folder(sample_path: Path, tmp_path: Path) -> None:
    path = _checkpointed_copy(sample_path, tmp_path / "copy")
    digest = sha256(path)
    with open_workspace(path, readonly=True) as ws:
        assert not ws.immutable
        assert ws.repo.main_organ() is not None and ws.repo.main_organ().name == "瑞安市人民政府"  # type: ignore[union-attr]
    assert sha256(path) == digest


def test_readonly_reader_sees_edits_still_in_the_wal(sample_path: Path) -> None:
    writer = open_workspace(sample_path)
    rid = writer.repo.find_report("瑞安市人民政府", 2019)
    assert rid is not None
    writer.repo.set_field(rid, "p6", "还在 WAL 里的修改")
    assert Path(str(sample_path) + "-wal").stat().st_size > 0
    with open_workspace(sample_path, readonly=True) as ro:
        assert ro.repo.load_report(rid).part("p6") == "还在 WAL 里的修改"
    writer.close()


def test_readonly_workspace_file_itself(sample_path: Path, tmp_path: Path, make_readonly_dir) -> None:
    """A workspace on read-only media can be backed up into the user data folder and read, never written."""
    path = _checkpointed_copy(sample_path, tmp_path / "media")
    make_readonly_dir(path.parent)
    with open_workspace(path, readonly=True) as ws:
        info = ws.backup_now()
    assert path.parent not in info.path.parents and dump(info.path) == dump(path)


def _fill(folder: Path) -> Path:
    """Fill the small disk up to the last byte."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as f:
        chunk = 4096
        while chunk:
            try:
                f.write(b"\0" * chunk)
            except OSError:
                chunk //= 2
    return filler


def test_full_disk_during_edits_leaves_workspace_valid(sample_path: Path, tiny_disk) -> None:
    disk = tiny_disk(2048)
    path = disk / "ws.sqlite"
    shutil.copy(sample_path, path)
    ws = open_workspace(path, daily_backup=False)
    rid = ws.repo.find_report("瑞安市人民政府", 2019)
    assert rid is not None
    ws.repo.set_field(rid, "p6", "磁盘满之前保存的修改")
    filler = _fill(disk)
    failure = None
    stored = ws.repo.load_report(rid).part("p5")
    try:
        for i in range(50):  # until the disk refuses
            value = f"{i}" + "满" * 200_000
            ws.repo.set_field(rid, "p5", value)
            stored = value  # reported saved: must survive
    except sqlite3.Error as exc:
        failure = exc
    assert failure is not None, "the disk never filled up"
    message = write_error_message(failure)
    assert "磁盘已满" in message and "未保存" in message
    ws.close()
    filler.unlink()
    with open_workspace(path, daily_backup=False) as again:
        assert again.integrity_problems(full=True) == []
        report = again.repo.load_report(rid)
        assert report.part("p6") == "磁盘满之前保存的修改"
        assert report.part("p5") == stored


def test_full_disk_during_cli_import_is_a_plain_refusal(sample_path: Path, tiny_disk, tmp_path: Path) -> None:
    disk = tiny_disk(1024)
    path = disk / "ws.sqlite"
    shutil.copy(sample_path, path)
    open_workspace(path, daily_backup=False).close()
    before = dump(path)
    _fill(disk)
    src = Path(__file__).resolve().parents[2] / "resources" / "sample" / "ruian-2019.json"
    r = run_cli("import-json", "-w", str(path), str(src))
    assert r.returncode == 2
    # one line of refusal; the failed daily backup is told too, as a warning of its own (issue #19)
    lines = [line for line in r.stderr.strip().splitlines() if not line.startswith("警告：")]
    assert "Traceback" not in r.stderr and len(lines) == 1
    assert "备份" in r.stderr or "磁盘已满" in r.stderr
    assert dump(path) == before


def test_write_error_messages_are_plain_chinese() -> None:
    assert "磁盘已满" in write_error_message(sqlite3.OperationalError("database or disk is full"))
    assert "只读" in write_error_message(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "另一个程序" in write_error_message(sqlite3.OperationalError("database is locked"))
    assert "损坏" in write_error_message(sqlite3.DatabaseError("database disk image is malformed"))
    assert "未保存" in write_error_message(OSError(28, "No space left on device"))


def test_export_to_a_full_disk_leaves_no_partial_file(sample_path: Path, tiny_disk) -> None:
    disk = tiny_disk(256)
    out = disk / "out"
    out.mkdir()
    _fill(disk)
    r = run_cli("export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 2, r.stdout
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "无法写入" in r.stderr or "磁盘" in r.stderr
    assert list(out.iterdir()) == []  # neither the file nor its temporary twin
