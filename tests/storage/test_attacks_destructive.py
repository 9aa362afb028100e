"""Issue #19, hole 9: a verified backup of the state before every action that replaces data (restore, import
over existing data), holding exactly that state; retiring a unit deletes nothing."""

from __future__ import annotations

from pathlib import Path

from ruian_desk.services.units import set_retired
from ruian_desk.storage.backup import list_backups
from ruian_desk.storage.restore import restore_backup
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import dump


def _newest(path: Path, reason: str) -> Path:
    return next(b.path for b in list_backups(path) if b.reason == reason)


def test_import_over_existing_data_is_preceded_by_a_backup_of_it(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    r = run_cli("export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = out / "瑞安市人民政府2019年政府信息公开工作年度报告.json"
    with open_workspace(sample_path, daily_backup=False) as ws:
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        assert rid is not None
        ws.repo.set_field(rid, "p6", "导入前的文字")
    before = dump(sample_path)
    r = run_cli("import-json", "-w", str(sample_path), str(doc))
    assert r.returncode == 0, r.stderr
    assert dump(_newest(sample_path, "import")) == before
    with open_workspace(sample_path, readonly=True) as ws:
        assert ws.repo.load_report(rid).part("p6") != "导入前的文字"  # the import did replace it


def test_restore_is_preceded_by_a_backup_of_what_it_replaces(sample_path: Path) -> None:
    ws = open_workspace(sample_path, daily_backup=False)
    good = ws.backup_now()
    rid = ws.repo.find_report("瑞安市人民政府", 2019)
    assert rid is not None
    ws.repo.set_field(rid, "p6", "恢复前的文字")
    ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = dump(sample_path)
    ws = restore_backup(ws, good.path)
    try:
        assert ws.repo.load_report(rid).part("p6") != "恢复前的文字"
    finally:
        ws.close()
    assert dump(_newest(sample_path, "restore")) == before


def test_retiring_a_unit_deletes_nothing(sample_path: Path) -> None:
    with open_workspace(sample_path, daily_backup=False) as ws:
        before = dump(sample_path)
        unit = next(
            u for u in ws.repo.units() if ws.repo.main_organ() is None or u.id != ws.repo.main_organ().id
        )  # type: ignore[union-attr]
        assert unit.id is not None
        rows = [line for line in before if 'INSERT INTO "cells"' in line]
        set_retired(ws.repo, unit.id, True, 2019)
        after = dump(sample_path)
        assert [line for line in after if 'INSERT INTO "cells"' in line] == rows
        set_retired(ws.repo, unit.id, False, 2019)
        assert not ws.repo.unit(unit.id).retired
