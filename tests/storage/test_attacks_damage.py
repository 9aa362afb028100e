"""Issue #19, hole 1: damage the quick check misses (a flipped bit in a text value, a broken primary-key index)
is found before anything is written, the file stays byte-identical and the newest good backup is named; a file
as the app left it opens with the quick check only; a daily backup that fails is shown, not only noted."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ruian_desk.storage import verified
from ruian_desk.storage.workspace import WorkspaceError, open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import sha256


def _backed_up(path: Path) -> Path:
    """Open once (full check), make a manual backup, close (the state is recorded as verified)."""
    with open_workspace(path, daily_backup=False) as ws:
        good = ws.backup_now().path
        ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert verified.is_verified(path)
    return good


def _flip_text_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    needle = "瑞安市人民政府".encode()
    at = data.rfind(needle)
    assert at > 0
    data[at] = 0xFF  # no UTF-8 text may hold this byte
    path.write_bytes(bytes(data))


def _quick_check_ok(path: Path) -> bool:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_flipped_bit_in_a_text_is_damage_and_names_the_good_backup(sample_path: Path) -> None:
    good = _backed_up(sample_path)
    _flip_text_byte(sample_path)
    assert _quick_check_ok(sample_path)  # the hole: the quick check passes this file
    digest = sha256(sample_path)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path)
    err = caught.value
    assert err.kind == "damaged" and "损坏" in str(err)
    assert str(good) in str(err) and "已检查完好" in str(err) and err.backups[0] == good
    assert sha256(sample_path) == digest

    # the CLI: a writer is refused the same way; a reader says "damaged", names the backup, exits 2
    r = run_cli("check", "-w", str(sample_path), "--year", "2019")
    assert r.returncode == 2, r.stdout
    assert "损坏" in r.stderr and str(good) in r.stderr
    assert "腾出空间" not in r.stderr and "内部错误" not in r.stderr and "Traceback" not in r.stderr
    assert sha256(sample_path) == digest


def test_a_broken_primary_key_index_is_never_opened_for_writing(sample_path: Path) -> None:
    good = _backed_up(sample_path)
    conn = sqlite3.connect(sample_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_cells_1'"
    ).fetchone()[0]
    conn.close()
    data = bytearray(sample_path.read_bytes())
    base = (root - 1) * page_size
    for offset in range(page_size - 1, 100, -1):  # one letter of a key in the index, changed
        if 0x61 <= data[base + offset] <= 0x7A:
            trial = bytearray(data)
            trial[base + offset] ^= 0x01
            sample_path.write_bytes(bytes(trial))
            if _quick_check_ok(sample_path):
                break
    else:
        pytest.fail("no index byte found whose change passes quick_check")
    digest = sha256(sample_path)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path)
    assert caught.value.kind == "damaged" and "missing from index" in str(caught.value)
    assert str(good) in str(caught.value)
    assert sha256(sample_path) == digest


def test_a_file_as_the_app_left_it_opens_with_the_quick_check(sample_path: Path, monkeypatch) -> None:
    _backed_up(sample_path)
    from ruian_desk.storage import workspace as workspace_mod

    seen: list[bool] = []
    real = workspace_mod.integrity_problems

    def spy(conn, full=False):  # noqa: ANN001, ANN202
        seen.append(full)
        return real(conn, full=full)

    monkeypatch.setattr(workspace_mod, "integrity_problems", spy)
    open_workspace(sample_path, daily_backup=False).close()
    assert seen == [False]
    os.utime(sample_path, ns=(1, 1))  # changed by something else (a copy, a sync tool)
    seen.clear()
    open_workspace(sample_path, daily_backup=False).close()
    assert seen == [True]


def test_a_daily_backup_that_fails_is_a_cli_warning(sample_path: Path, tmp_path: Path) -> None:
    (sample_path.parent / "backups").write_text("not a folder", encoding="utf-8")
    blocked_home = tmp_path / "home-is-a-file"
    blocked_home.write_text("x", encoding="utf-8")
    out = tmp_path / "o"
    r = run_cli("export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = out / "瑞安市人民政府2019年政府信息公开工作年度报告.json"
    r = run_cli("import-json", "-w", str(sample_path), str(doc), env={"RUIAN_DESK_HOME": str(blocked_home)})
    assert "警告：今天的自动备份没有成功" in r.stderr, r.stderr


def test_a_flipped_bit_in_the_schema_is_damage(sample_path: Path) -> None:
    good = _backed_up(sample_path)
    data = bytearray(sample_path.read_bytes())
    at = data.find(b'"note" TEXT')
    assert at > 0
    data[at + 4] ^= 0x02  # "note" → "notg": the schema still parses, a column is gone
    sample_path.write_bytes(bytes(data))
    assert _quick_check_ok(sample_path)
    digest = sha256(sample_path)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path)
    assert caught.value.kind == "damaged" and "结构" in str(caught.value) and str(good) in str(caught.value)
    assert sha256(sample_path) == digest


def test_an_empty_sqlite_file_of_another_program_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")  # a header, no table
    conn.close()
    digest = sha256(path)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path)
    assert caught.value.kind == "not_workspace" and "空的 SQLite" in str(caught.value)
    assert sha256(path) == digest
    with open_workspace(path, create=True, daily_backup=False) as ws:  # asked to create one there: it is
        assert ws.created


def test_a_refused_read_only_open_leaves_nothing_beside_the_file(sample_path: Path) -> None:
    _backed_up(sample_path)
    data = bytearray(sample_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    mid = (len(data) // page // 2) * page
    data[mid : mid + page] = bytes([0x0D]) + bytes(page - 1)  # a page overwritten: quick_check fails
    sample_path.write_bytes(bytes(data))
    before = sorted(p.name for p in sample_path.parent.iterdir())
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path, readonly=True)
    assert caught.value.kind == "damaged"
    assert sorted(p.name for p in sample_path.parent.iterdir()) == before


def test_a_foreign_wal_is_kept_and_told_before_it_is_read(sample_path: Path, tmp_path: Path) -> None:
    """A -wal this app did not leave beside the file (copied in from another copy of the workspace, or left
    by a session that crashed): before SQLite reads it into the file, the file and the -wal are kept byte
    for byte among the backups, and the opening says so."""
    import shutil

    from ruian_desk.storage.backup import list_backups

    other = tmp_path / "other" / "sample.sqlite"
    other.parent.mkdir()
    shutil.copy(sample_path, other)
    before = sha256(sample_path)
    ws = open_workspace(other, daily_backup=False)
    try:
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        ws.repo.set_cell(rid, "t3.new.np", 4242)
        wal = Path(str(other) + "-wal")
        assert wal.stat().st_size > 0
        shutil.copy(wal, Path(str(sample_path) + "-wal"))  # the other copy's log, beside this file
    finally:
        ws.close()
    ws = open_workspace(sample_path, daily_backup=False)
    try:
        (note,) = [n for n in ws.notes if "日志文件" in n]
        assert "sample.sqlite-wal" in note and "不是本程序上次关闭时留下的" in note and "原样保存" in note
        kept = [b for b in list_backups(sample_path) if b.reason == "wal"]
        assert len(kept) == 1 and kept[0].path.name in note
        assert sha256(kept[0].path) == before  # the file as it was, before the -wal was read into it
        assert Path(str(kept[0].path) + "-wal").stat().st_size > 0
    finally:
        ws.close()
    # Closed normally: the next opening finds nothing to tell.
    ws = open_workspace(sample_path, daily_backup=False)
    try:
        assert not [n for n in ws.notes if "日志文件" in n]
    finally:
        ws.close()
