"""A past year summed by the database holds exactly the cells of the full roll-up (issue 16: the trend
charts read 20 years without loading 10,000 unit reports)."""

from __future__ import annotations

from decimal import Decimal

from ruian_desk.domain.report import format_number
from ruian_desk.storage.assemble import effective_report
from ruian_desk.storage.year_sums import year_report


def _printed(report) -> dict[str, str]:  # noqa: ANN001
    return {cid: format_number(v) for cid, v in report.cells.items()}


def test_every_year_equals_the_full_roll_up(tmp_path) -> None:  # noqa: ANN001
    from benchmarks.fixtures import many_years
    from ruian_desk.storage.workspace import open_workspace

    path = many_years(tmp_path / "w.sqlite", 3, 9, first_year=2020)
    with open_workspace(path) as ws:
        repo = ws.repo
        units = [u for u in repo.units() if u.id != repo.main_organ().id]
        # a decimal with other places, a unit left out of one year, a blank, a sample table
        rid = repo.find_report(units[0].name, 2021)
        fee = next(c for c, d in repo.load_report(rid).fmt.cells.items() if d.type == "decimal")
        repo.set_setting(repo.find_report(repo.main_organ().name, 2021), "scope.t2", "rollup")  # 万元 summed
        repo.set_cell(rid, fee, Decimal("12.3456"))
        repo.set_unit_year(int(units[1].id), 2022, included=False)
        repo.set_cell(repo.find_report(units[2].name, 2020), "t3.new.np", None)
        repo.set_setting(repo.find_report(units[3].name, 2022), "sample_tables", "t4")
        for year in (2020, 2021, 2022):
            main_id = repo.find_report(repo.main_organ().name, year)
            full, light = effective_report(repo, main_id), year_report(repo, main_id)
            assert full.rollup is not None and full.rollup.rolled_tables
            if year == 2021:
                assert "t2" in full.rollup.rolled_tables and format_number(light.cells[fee]).count(".") == 1
            assert _printed(light) == _printed(full), year
            assert light.sample_tables == full.sample_tables
            assert light.values.number("t3.new.total") == full.values.number("t3.new.total")
        unit_id = repo.find_report(units[0].name, 2021)
        assert year_report(repo, unit_id) == repo.load_report(unit_id)  # a unit's report as stored


def test_the_sample_year_equals_its_roll_up(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    full, light = effective_report(repo, main_id), year_report(repo, main_id)
    assert _printed(light) == _printed(full)
    assert light.sample_tables == full.sample_tables
