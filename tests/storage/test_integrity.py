"""Damaged, truncated, foreign and newer files are refused, never written to, and the newest backup is named."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from ruian_desk.storage.backup import list_backups
from ruian_desk.storage.workspace import WorkspaceError, open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import sha256


def _with_backup(sample_path: Path) -> Path:
    """The sample, opened once (so it has its daily backup) and closed with everything in the main file."""
    with open_workspace(sample_path) as ws:
        ws.backup_now()
    backups = list_backups(sample_path)
    assert [b.reason for b in backups] == ["manual", "daily"]
    return backups[0].path


def _refused(path: Path, kind: str, *, readonly: bool = False) -> WorkspaceError:
    digest = sha256(path)
    size = path.stat().st_size
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path, readonly=readonly)
    err = caught.value
    assert err.kind == kind, str(err)
    assert sha256(path) == digest and path.stat().st_size == size  # not one byte written
    return err


def _other_sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.mark.parametrize("readonly", [False, True])
def test_truncated_copy_is_refused_and_names_the_newest_backup(sample_path: Path, readonly: bool) -> None:
    newest = _with_backup(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])
    err = _refused(sample_path, "damaged", readonly=readonly)
    text = str(err)
    assert "已损坏" in text and "截断" in text and "没有对它做任何修改" in text
    assert str(newest) in text and "手动备份" in text
    assert err.backups[0] == newest and len(err.backups) == 2
    assert err.can_open_readonly is False


def test_truncated_mid_page_is_refused(sample_path: Path) -> None:
    _with_backup(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[:-1000])
    _refused(sample_path, "damaged")


@pytest.mark.parametrize("readonly", [False, True])
def test_random_bytes_file_is_refused_unchanged(tmp_path: Path, readonly: bool) -> None:
    path = tmp_path / "random.sqlite"
    path.write_bytes(random.Random(7).randbytes(50_000))
    err = _refused(path, "not_workspace", readonly=readonly)
    assert "不是工作区文件" in str(err) and "没有找到它的自动备份" in str(err)
    assert _other_sidecars(path) == []


def test_random_pages_after_a_valid_header_are_refused(sample_path: Path) -> None:
    _with_backup(sample_path)
    data = bytearray(sample_path.read_bytes())
    rng = random.Random(11)
    page = int.from_bytes(data[16:18], "big")
    for n in range(1, len(data) // page):
        if rng.random() < 0.5:
            data[n * page : (n + 1) * page] = rng.randbytes(page)
    sample_path.write_bytes(bytes(data))
    err = _refused(sample_path, "damaged")
    assert "已损坏" in str(err)


def test_one_overwritten_page_fails_the_quick_check(sample_path: Path) -> None:
    _with_backup(sample_path)
    data = bytearray(sample_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    # a page in the middle of the cells table: the b-tree no longer adds up
    mid = (len(data) // page // 2) * page
    data[mid : mid + page] = bytes([0x0D]) + bytes(page - 1)
    sample_path.write_bytes(bytes(data))
    _refused(sample_path, "damaged")


def test_file_from_a_newer_version_is_refused_unchanged(sample_path: Path) -> None:
    newest = _with_backup(sample_path)
    conn = sqlite3.connect(sample_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('ruian_desk', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    for readonly in (False, True):
        err = _refused(sample_path, "newer", readonly=readonly)
        assert "更新版本" in str(err) and "没有修改它" in str(err) and str(newest) in str(err)


def test_another_programs_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.commit()
    conn.close()
    err = _refused(path, "not_workspace")
    assert "不是瑞安年报助手的工作区" in str(err)
    with pytest.raises(WorkspaceError):
        open_workspace(path, create=True)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("contacts",)]
    conn.close()


def test_emptied_workspace_leads_to_its_backups(sample_path: Path) -> None:
    newest = _with_backup(sample_path)
    sample_path.write_bytes(b"")
    err = _refused(sample_path, "damaged")
    assert "0 字节" in str(err) and str(newest) in str(err)
    with pytest.raises(WorkspaceError):  # not even when asked to create: it had backups
        open_workspace(sample_path, create=True)
    assert sample_path.stat().st_size == 0


def test_empty_new_file_becomes_a_workspace_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    path.write_bytes(b"")
    with open_workspace(path, create=True) as ws:
        assert ws.repo.units() == []
    with open_workspace(path) as ws:
        assert ws.integrity_problems(full=True) == []


def test_cli_on_a_damaged_file_exits_2_with_one_line(sample_path: Path, tmp_path: Path) -> None:
    newest = _with_backup(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 3])
    digest = sha256(sample_path)
    doc = tmp_path / "r.json"
    shutil.copy(Path(__file__).resolve().parents[2] / "resources" / "sample" / "ruian-2019.json", doc)
    for args in (
        ("check", "-w", str(sample_path), "--year", "2019"),
        (
            "export",
            "-w",
            str(sample_path),
            "--year",
            "2019",
            "--format",
            "json",
            "--out",
            str(tmp_path / "o"),
        ),
        ("import-json", "-w", str(sample_path), str(doc)),
        ("backup", "-w", str(sample_path)),
    ):
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "已损坏" in r.stderr and newest.name in r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert sha256(sample_path) == digest
    assert not (tmp_path / "o").exists()


def test_full_integrity_check_on_demand(sample_path: Path) -> None:
    r = run_cli("backup", "-w", str(sample_path), "--check")
    assert r.returncode == 0 and "完整性检查通过" in r.stdout
    with open_workspace(sample_path, readonly=True) as ws:
        assert ws.integrity_problems(full=True) == []


def test_refusal_leaves_no_lock_behind(sample_path: Path) -> None:
    _with_backup(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[:4096])
    _refused(sample_path, "damaged")
    assert not Path(str(sample_path) + ".lock").exists()
    assert not any(name.endswith("-journal") for name in os.listdir(sample_path.parent))
