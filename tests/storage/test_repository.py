"""Workspace storage: migrations, one transaction per edit, change log, blank vs 0, stated totals."""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.report import CellInputError, Metric, Report, Unit
from ruian_desk.storage.migrations import get_migrations
from ruian_desk.storage.repository import ReadOnlyError
from ruian_desk.storage.workspace import WorkspaceError, open_workspace, schema_version


def _new_report(ws, year: int = 2021) -> int:
    report = Report(
        unit="瑞安市某局",
        unit_role="department",
        year=year,
        format_id="gov-2021" if year > 2020 else "gov-2019",
    )
    return ws.repo.save_report(report)


def test_migrations_twice_are_a_noop(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    ws = open_workspace(path, create=True)
    first = schema_version(ws)
    ws.close()
    ws = open_workspace(path)
    assert schema_version(ws) == first == [m.name for m in get_migrations()._migrations]
    get_migrations().apply(ws.db.utils)
    assert schema_version(ws) == first
    ws.close()


def test_pragmas(empty_ws) -> None:
    assert empty_ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert empty_ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert empty_ws.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="不存在"):
        open_workspace(tmp_path / "nope.sqlite")
    assert not (tmp_path / "nope.sqlite").exists()


def test_not_sqlite_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"hello, this is not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="不是工作区文件"):
        open_workspace(path)
    assert path.read_bytes() == before


def test_set_cell_logs_and_is_visible_to_second_connection(empty_ws) -> None:
    rid = _new_report(empty_ws)
    change = empty_ws.repo.set_cell(rid, "t3.new.np", "１２")
    assert change is not None and (change.old, change.new, change.source) == (None, "12", "typed")
    other = sqlite3.connect(empty_ws.path)
    assert other.execute("SELECT value FROM cells WHERE cell_id = 't3.new.np'").fetchone() == ("12",)
    other.close()
    assert empty_ws.repo.set_cell(rid, "t3.new.np", 12) is None  # unchanged: no log row
    empty_ws.repo.set_cell(rid, "t3.new.np", 0)
    assert empty_ws.repo.load_report(rid).cells["t3.new.np"] == 0  # 0 is not blank
    empty_ws.repo.set_cell(rid, "t3.new.np", None)
    assert "t3.new.np" not in empty_ws.repo.load_report(rid).cells  # blank
    log = [(c.target, c.old, c.new) for c in empty_ws.repo.changes(rid)][:3]
    assert log == [("t3.new.np", "0", None), ("t3.new.np", "12", "0"), ("t3.new.np", None, "12")]


def test_bad_value_changes_nothing(empty_ws) -> None:
    rid = _new_report(empty_ws)
    empty_ws.repo.set_cell(rid, "t3.new.np", 3)
    n = len(empty_ws.repo.changes(rid))
    with pytest.raises(CellInputError):
        empty_ws.repo.set_cell(rid, "t3.new.np", "-4")
    assert empty_ws.repo.load_report(rid).cells["t3.new.np"] == 3
    assert len(empty_ws.repo.changes(rid)) == n


def test_block_paste_is_one_transaction(empty_ws) -> None:
    rid = _new_report(empty_ws)
    with pytest.raises(CellInputError):
        empty_ws.repo.set_cells(rid, {"t3.new.np": 1, "t3.new.ce": 2, "t3.new.ri": "x"})
    assert empty_ws.repo.load_report(rid).cells == {}


def test_stated_total_and_clear(empty_ws) -> None:
    rid = _new_report(empty_ws)
    empty_ws.repo.set_cell(rid, "t3.new.np", 2)
    empty_ws.repo.set_cell(rid, "t3.new.total", 3)
    assert empty_ws.repo.load_report(rid).values.effective("t3.new.total") == 3
    empty_ws.repo.clear_stated(rid, "t3.new.total")
    r = empty_ws.repo.load_report(rid)
    assert "t3.new.total" not in r.cells and r.values.get("t3.new.total") == 2


def test_fields_metrics_and_decimal(empty_ws) -> None:
    rid = _new_report(empty_ws)
    empty_ws.repo.set_field(rid, "p1", "第一段\n（一）主动公开")
    empty_ws.repo.set_cell(rid, "t2_8.admin_fee.fee_amount", "59237.2449")
    m = Metric("online_rate", "网上办理开通率", Decimal("98.70"), "%")
    empty_ws.repo.put_metric(rid, m)
    r = empty_ws.repo.load_report(rid)
    assert r.part("p1") == "第一段\n（一）主动公开"
    assert r.cells["t2_8.admin_fee.fee_amount"] == Decimal("59237.2449")
    assert r.metrics == (m,) and str(r.metrics[0].value) == "98.70"
    empty_ws.repo.delete_metric(rid, "online_rate")
    assert empty_ws.repo.load_report(rid).metrics == ()
    targets = [c.target for c in empty_ws.repo.changes(rid)]
    assert "metric:online_rate" in targets and "p1" in targets


def test_unit_rename_keeps_history(empty_ws) -> None:
    u = empty_ws.repo.add_unit(Unit(name="瑞安市国土资源局", role="department"))
    empty_ws.repo.update_unit(Unit(**{**u.__dict__, "name": "瑞安市自然资源和规划局"}))
    assert empty_ws.repo.unit_by_name("瑞安市国土资源局").name == "瑞安市自然资源和规划局"
    assert [n for n, _ in empty_ws.repo.unit_name_history(u.id)] == ["瑞安市国土资源局"]


def test_readonly_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    ws = open_workspace(path, create=True)
    rid = _new_report(ws)
    ws.close()
    ro = open_workspace(path, readonly=True)
    with pytest.raises(ReadOnlyError):
        ro.repo.set_cell(rid, "t3.new.np", 1)
    ro.close()


def test_sample_mark_follows_report(empty_ws) -> None:
    report = Report(
        unit="某局",
        unit_role="department",
        year=2021,
        format_id="gov-2021",
        cells={"t3.new.np": 4},
        sample_tables=frozenset({"t3"}),
    )
    rid = empty_ws.repo.save_report(report)
    assert empty_ws.repo.cell_sources(rid)["t3.new.np"][2] is True
    empty_ws.repo.save_report(Report(**{**report.__dict__, "sample_tables": frozenset()}))
    assert empty_ws.repo.cell_sources(rid)["t3.new.np"][2] is False


def test_load_reports_reads_the_same_reports_in_batches(sample_ws, monkeypatch: pytest.MonkeyPatch) -> None:
    import ruian_desk.storage.repository as repository

    repo = sample_ws.repo
    ids = [int(str(r["id"])) for r in repo.report_index()]
    assert len(ids) >= 8
    # A blank stated total, a decimal, a metric-less report and the sample mark must all come through.
    repo.set_cell(ids[1], "t3.new.total", None)
    monkeypatch.setattr(repository, "_BATCH", 3)  # several batches, one of them short
    loaded = repo.load_reports([*reversed(ids), 99999, ids[0]])
    assert list(loaded) == list(dict.fromkeys(reversed(ids)))  # missing ids left out, each id once
    for rid in ids:
        one = repo.load_report(rid)
        assert loaded[rid] == one
        assert list(loaded[rid].cells.items()) == list(one.cells.items())  # same values, same order
    assert "t3.new.total" in loaded[ids[1]].cells and loaded[ids[1]].cells["t3.new.total"] is None
    assert any(r.metrics for r in loaded.values()) and any(r.sample_tables for r in loaded.values())
    assert repo.load_reports([]) == {}


def test_clearing_a_stated_total_is_a_change_of_the_report(sample_ws) -> None:
    """Dropping a stated total changes what the checks see: like any edit it moves the report's updated_at,
    so a unit confirmed (已确认) before the edit is confirmed no more."""
    from ruian_desk.exchange.tracker import CONFIRMED, confirm_unit, unit_statuses

    repo = sample_ws.repo
    unit = repo.unit_by_name("瑞安市公安局（示例单位）")
    rid = repo.find_report(unit.name, 2019)
    computed = repo.load_report(rid).values.get("t3.new.total")
    repo.set_cell(rid, "t3.new.total", computed)  # a stated total that agrees: no error
    confirm_unit(repo, unit.id, 2019)
    before = repo.reports_of_year(2019)[unit.id][1]
    time.sleep(0.003)  # stamps have millisecond resolution: the edit comes strictly after the confirmation
    assert repo.clear_stated(rid, "t3.new.total") is not None
    assert repo.reports_of_year(2019)[unit.id][1] > before
    status = next(s for s in unit_statuses(repo, 2019) if s.unit.id == unit.id)
    assert status.status != CONFIRMED


def test_roll_up_inclusion_scope_and_unit_edits_are_in_the_change_log(sample_ws) -> None:
    """Leaving a unit out of a year's roll-up, switching a table's scope or retiring a unit changes the
    county's printed figures: each is one change-log row with the old and new value."""
    repo = sample_ws.repo
    police = repo.unit_by_name("瑞安市公安局（示例单位）")
    main_id = repo.find_report("瑞安市人民政府", 2019)
    top = repo.changes(limit=1)[0].id

    repo.set_unit_year(police.id, 2019, included=False)
    repo.set_unit_year(police.id, 2019, status="已报")  # a derived status: not a user's value
    repo.set_setting(main_id, "scope.t3", "own")
    repo.set_setting(main_id, "scope.t3", "own")  # unchanged: no row
    repo.update_unit(Unit(**{**police.__dict__, "retired": True, "role": "township"}))

    log = {(c.report_id, c.target, c.old, c.new, c.source) for c in repo.changes() if c.id > top}
    assert log == {
        (None, f"unit:{police.id}:included:2019", "1", "0", "typed"),
        (main_id, "setting:scope.t3", "rollup", "own", "typed"),
        (None, f"unit:{police.id}:retired", "0", "1", "typed"),
        (None, f"unit:{police.id}:role", "department", "township", "typed"),
    }
