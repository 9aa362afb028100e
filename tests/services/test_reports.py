"""services.reports on an empty workspace, without Qt: new reports, drafts from last year, copies."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ruian_desk.services.reports import ReportError, copy_workspace, create_report

ROOT = Path(__file__).resolve().parents[2]
COUNTY = "瑞安市人民政府"


def test_services_import_no_qt() -> None:
    code = (
        "import sys\n"
        "import ruian_desk.services.reports, ruian_desk.services.units, ruian_desk.services.tracker\n"
        "import ruian_desk.services.editing\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_the_first_report_makes_its_unit_the_main_organ(empty_ws) -> None:  # noqa: ANN001
    repo = empty_ws.repo
    created = create_report(repo, COUNTY, "county_government", 2020)
    assert not created.existed
    assert repo.main_organ().name == COUNTY
    report = repo.load_report(created.report_id)
    assert (report.unit, report.year, report.format_id) == (COUNTY, 2020, "gov-2019")
    # A second unit's report does not take the main organ over, unless asked to.
    police = create_report(repo, "瑞安市公安局", "department", 2020)
    assert repo.main_organ().name == COUNTY
    again = create_report(repo, "瑞安市公安局", "department", 2020, main_organ=True)
    assert again == type(again)(police.report_id, existed=True)  # exists: opened, nothing written
    assert repo.main_organ().name == COUNTY


def test_from_last_year_carries_figures_and_inherits_settings(empty_ws) -> None:  # noqa: ANN001
    repo = empty_ws.repo
    first = create_report(repo, COUNTY, "county_government", 2020).report_id
    repo.set_cells(first, {"t3.carry_out.np": 7, "t3.carry_out.ce": 2})
    repo.set_setting(first, "limit.p1", "1200")
    repo.set_setting(first, "scope.t3", "own")
    rid = create_report(repo, COUNTY, "county_government", 2021, from_previous=True).report_id
    draft = repo.load_report(rid)
    assert draft.format_id == "gov-2021"
    assert draft.cells["t3.carry_in.np"] == 7 and draft.cells["t3.carry_in.ce"] == 2
    assert repo.get_setting(rid, "limit.p1") == "1200" and repo.get_setting(rid, "scope.t3") == "own"
    assert draft.title.startswith(f"{COUNTY}2021年")
    # Without last year's report, from_previous makes an empty one.
    other = create_report(repo, "瑞安市教育局", "department", 2021, from_previous=True).report_id
    assert repo.load_report(other).cells == {}


def test_a_refused_write_leaves_nothing(empty_ws, monkeypatch) -> None:  # noqa: ANN001
    repo = empty_ws.repo

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError("磁盘已满")

    monkeypatch.setattr(repo, "set_main_organ", broken)
    with pytest.raises(OSError):
        create_report(repo, COUNTY, "county_government", 2020)
    assert repo.report_index() == [] and repo.unit_by_name(COUNTY) is None


def test_copy_of_the_workspace(empty_ws, tmp_path) -> None:  # noqa: ANN001
    create_report(empty_ws.repo, COUNTY, "county_government", 2020)
    target = copy_workspace(empty_ws, tmp_path / "副本.sqlite")
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 1
    conn.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ruian-copy-")]
    with pytest.raises(ReportError, match="正在使用的工作区"):
        copy_workspace(empty_ws, empty_ws.path)
