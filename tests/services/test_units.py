"""services.units and services.tracker on an empty workspace, without Qt."""

from __future__ import annotations

import pytest

from ruian_desk.exchange.tracker import NOT_REPORTED, ConfirmError
from ruian_desk.services import tracker, units
from ruian_desk.services.reports import create_report
from ruian_desk.services.units import UnitError

COUNTY = "瑞安市人民政府"


@pytest.fixture
def repo(empty_ws):  # noqa: ANN001, ANN201
    create_report(empty_ws.repo, COUNTY, "county_government", 2020)
    return empty_ws.repo


def test_add_unit_takes_part_in_the_year(repo) -> None:  # noqa: ANN001
    unit = units.add_unit(repo, " 瑞安市公安局 ", "department", code="A1", contact="张三", year=2020)
    assert unit.id is not None and unit.name == "瑞安市公安局"
    assert repo.unit_year(unit.id, 2020)["included"]
    with pytest.raises(UnitError, match="已有名为“瑞安市公安局”的单位"):
        units.add_unit(repo, "瑞安市公安局", "department")
    with pytest.raises(UnitError, match="请填写单位名称"):
        units.add_unit(repo, "  ", "department")
    with pytest.raises(UnitError, match="单位类型"):
        units.add_unit(repo, "瑞安市教育局", "ministry")
    assert [u.name for u in repo.units()] == [COUNTY, "瑞安市公安局"]


def test_rename_keeps_the_old_name(repo) -> None:  # noqa: ANN001
    police = units.add_unit(repo, "瑞安市公安局", "department", year=2020)
    units.add_unit(repo, "瑞安市教育局", "department", year=2020)
    renamed = units.rename_unit(repo, int(police.id or 0), "瑞安市公安分局")
    assert renamed.name == "瑞安市公安分局"
    assert [n for n, _ in repo.unit_name_history(int(police.id or 0))] == ["瑞安市公安局"]
    assert repo.unit_by_name("瑞安市公安局").id == police.id  # old templates still import
    with pytest.raises(UnitError, match="瑞安市教育局"):
        units.rename_unit(repo, int(police.id or 0), "瑞安市教育局")


def test_retire_and_restore(repo) -> None:  # noqa: ANN001
    police = units.add_unit(repo, "瑞安市公安局", "department", year=2020)
    uid = int(police.id or 0)
    repo.set_unit_year(uid, 2019, included=True)
    assert units.set_retired(repo, uid, True, 2020).retired
    assert not repo.unit_year(uid, 2020)["included"]
    assert repo.unit_year(uid, 2019)["included"]  # earlier years keep their roll-up
    assert not units.set_retired(repo, uid, False, 2020).retired
    assert repo.unit_year(uid, 2020)["included"]
    main = repo.main_organ()
    with pytest.raises(UnitError, match="主报告单位不能撤销"):
        units.set_retired(repo, int(main.id or 0), True, 2020)
    units.set_included(repo, uid, 2020, False)
    assert not repo.unit_year(uid, 2020)["included"]


def test_open_a_units_report_creates_it_once(repo) -> None:  # noqa: ANN001
    police = units.add_unit(repo, "瑞安市公安局", "department", year=2020)
    first = units.open_unit_report(repo, int(police.id or 0), 2020)
    assert first.created and repo.load_report(first.report_id).unit == "瑞安市公安局"
    again = units.open_unit_report(repo, int(police.id or 0), 2020)
    assert again.report_id == first.report_id and not again.created
    assert units.main_report_id(repo, 2020) == repo.find_report(COUNTY, 2020)
    assert units.main_report_id(repo, 2031) is None and units.main_report_id(repo, None) is None


def test_year_overview_and_confirmation(repo) -> None:  # noqa: ANN001
    police = units.add_unit(repo, "瑞安市公安局", "department", year=2020)
    uid = int(police.id or 0)
    overview = tracker.year_overview(repo, 2020)
    assert overview.main_id == repo.find_report(COUNTY, 2020) and overview.rolled is not None
    rows = {s.unit.name: s for s in overview.statuses}
    assert rows["瑞安市公安局"].status == NOT_REPORTED and rows[COUNTY].is_main
    with pytest.raises(ConfirmError, match="尚未报送"):
        tracker.confirm(repo, uid, 2020)
    units.open_unit_report(repo, uid, 2020)
    with pytest.raises(ConfirmError, match="没有数字"):
        tracker.confirm(repo, uid, 2020)
