"""Issue #13 on the roll-up: who is summed, what X-AGG compares, and how the clerk clears it."""

from __future__ import annotations

import json
from pathlib import Path

from ruian_desk.domain.report import Unit, default_report
from ruian_desk.storage.assemble import adopt_unit_sums, check_report, unit_reports
from tests.conftest import run_cli

POLICE = "瑞安市公安局（示例单位）"


def _main_id(repo) -> int:  # noqa: ANN001
    return repo.find_report("瑞安市人民政府", 2019)


def test_a_balanced_correction_in_a_unit_leaves_no_error(sample_ws) -> None:  # noqa: ANN001
    """The clerk's scenario: open the sample, correct a unit's 表三 in a balanced way → no error in the
    main report; the one X-AGG warning per table clears with 采用各单位汇总数."""
    repo = sample_ws.repo
    unit_id = repo.find_report(POLICE, 2019)
    unit = repo.load_report(unit_id)
    repo.set_cell(unit_id, "t3.new.np", unit.values.number("t3.new.np") + 2)
    repo.set_cell(unit_id, "t3.r1_open.np", unit.values.number("t3.r1_open.np") + 2)
    _, unit_issues = check_report(repo, unit_id)
    assert not [i for i in unit_issues if i.severity == "error"]
    _, issues = check_report(repo, _main_id(repo))
    assert not [i for i in issues if i.severity == "error"], [
        i.message for i in issues if i.severity == "error"
    ]
    agg = [i for i in issues if i.rule == "X-AGG"]
    assert len(agg) == 1 and agg[0].severity == "warning" and agg[0].part == "p3"
    cleared = adopt_unit_sums(repo, _main_id(repo))
    assert cleared and all(c.startswith("t3.") or c.startswith("t4.") for c in cleared)
    _, issues = check_report(repo, _main_id(repo))
    assert [i for i in issues if i.rule == "X-AGG"] == []
    assert {i.rule for i in issues} <= {"X-METRIC-RATE", "N-PUNCT", "X-TEXT-T3", "X-TEXT-RATE"}


def test_one_finding_per_table_for_a_single_units_import(empty_ws) -> None:  # noqa: ANN001
    """A county report with numbers of its own and one unit imported: one X-AGG per table, not one per cell."""
    repo = empty_ws.repo
    main = repo.add_unit(Unit(name="某县人民政府", role="county_government"))
    repo.set_main_organ(main.id)
    rid = repo.save_report(default_report(main, 2021))
    for cid, v in {"t3.new.np": 40, "t3.r1_open.np": 40, "t4.count.rv_keep": 3}.items():
        repo.set_cell(rid, cid, v)
    dept = repo.add_unit(Unit(name="某局", role="department"))
    drid = repo.save_report(default_report(dept, 2021))
    for cid, v in {"t3.new.np": 5, "t3.r1_open.np": 5, "t4.count.rv_keep": 1}.items():
        repo.set_cell(drid, cid, v)
    _, issues = check_report(repo, rid)
    agg = [i for i in issues if i.rule == "X-AGG"]
    assert [i.message.split("：")[0] for i in agg] == ["表三", "表四"]
    assert all(i.severity == "warning" for i in agg)


def test_another_county_government_is_never_summed(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    before = len(unit_reports(repo, repo.load_report(_main_id(repo))))
    other = repo.add_unit(Unit(name="平阳县人民政府", role="county_government"))
    orid = repo.save_report(default_report(other, 2019))
    repo.set_cell(orid, "t3.new.np", 500)
    repo.set_cell(orid, "t3.r1_open.np", 500)
    main = repo.load_report(_main_id(repo))
    assert len(unit_reports(repo, main)) == before
    assert "平阳县人民政府" not in [u.unit for u in unit_reports(repo, main)]
    _, issues = check_report(repo, _main_id(repo))
    assert [i for i in issues if i.rule.startswith("X-AGG")] == []


def test_check_adopt_unit_sums_flag(sample_path: Path) -> None:
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(sample_path) as ws:
        unit_id = ws.repo.find_report(POLICE, 2019)
        n = ws.repo.load_report(unit_id).values.number("t3.new.np")
        ws.repo.set_cell(unit_id, "t3.new.np", n + 1)
        ws.repo.set_cell(
            unit_id, "t3.carry_out.np", ws.repo.load_report(unit_id).values.number("t3.carry_out.np") + 1
        )
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--json")
    assert [i["rule"] for i in json.loads(r.stdout)["issues"]].count("X-AGG") == 1
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--json", "--adopt-unit-sums")
    assert r.returncode == 0, r.stderr
    assert "已采用各单位汇总数" in r.stderr
    assert "X-AGG" not in [i["rule"] for i in json.loads(r.stdout)["issues"]]
