"""#15 point 1: writing the sample never destroys work — `sample FILE --force` backs the old file up first,
an edited sample is never replaced by 打开示例's fresh copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_cli


def _edit(path: Path) -> None:
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(path) as ws:
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        ws.repo.set_field(rid, "p5", "今天一整天写的问题与改进。")


def _p5(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT p5 FROM reports WHERE unit_id = (SELECT id FROM units WHERE name = ?)", ["瑞安市人民政府"]
        ).fetchone()[0]
    finally:
        conn.close()


def test_sample_force_backs_up_an_edited_workspace_before_replacing_it(tmp_path: Path) -> None:
    ws = tmp_path / "s.sqlite"
    assert run_cli("sample", str(ws)).returncode == 0
    _edit(ws)
    refused = run_cli("sample", str(ws))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert _p5(ws) == "今天一整天写的问题与改进。"

    r = run_cli("sample", str(ws), "--force")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("原文件已备份："))
    backup = Path(line.split("：", 1)[1])
    assert backup.exists() and backup.name.endswith(".replace.sqlite")
    assert _p5(backup) == "今天一整天写的问题与改进。"  # the day's work is in the backup
    assert _p5(ws) != "今天一整天写的问题与改进。"  # and the file is a fresh sample

    # An untouched sample is simply rewritten: nothing to keep, no backup.
    again = run_cli("sample", str(ws), "--force")
    assert again.returncode == 0 and "原文件已备份" not in again.stdout


def test_force_on_a_file_that_is_no_workspace_keeps_a_byte_copy(tmp_path: Path) -> None:
    target = tmp_path / "notes.sqlite"
    target.write_bytes(b"not a database, but somebody's file")
    r = run_cli("sample", str(target), "--force")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("原文件已备份："))
    assert Path(line.split("：", 1)[1]).read_bytes() == b"not a database, but somebody's file"


def test_fresh_sample_path_never_names_an_edited_sample(tmp_path: Path) -> None:
    from ruian_desk.exchange.sample import fresh_sample_path, sample_untouched
    from ruian_desk.services.sample import build_sample

    path = tmp_path / "示例.sqlite"
    assert fresh_sample_path(path) == path  # none yet
    build_sample(path).close()
    assert sample_untouched(path)
    assert fresh_sample_path(path) == path  # untouched: may be rewritten
    _edit(path)
    assert not sample_untouched(path)
    second = fresh_sample_path(path)
    assert second == tmp_path / "示例（2）.sqlite"
    build_sample(second).close()
    _edit(second)
    assert fresh_sample_path(path) == tmp_path / "示例（3）.sqlite"


def test_a_workspace_copy_written_over_a_file_backs_that_file_up(tmp_path: Path) -> None:
    from ruian_desk.services.reports import copy_workspace
    from ruian_desk.services.sample import build_sample
    from ruian_desk.storage.backup import list_backups

    other = tmp_path / "另一个.sqlite"
    build_sample(other).close()
    _edit(other)
    source = build_sample(tmp_path / "源.sqlite")
    try:
        copy_workspace(source, other)
    finally:
        source.close()
    kept = [b for b in list_backups(other) if b.reason == "replace"]
    assert len(kept) == 1 and _p5(kept[0].path) == "今天一整天写的问题与改进。"
    assert _p5(other) != "今天一整天写的问题与改进。"
