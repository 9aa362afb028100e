"""Roll-up: the main report's tables in roll-up scope are the units' sums; X-AGG and friends; drill-down."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Report
from ruian_desk.domain.rollup import (
    DEFAULT_SCOPES,
    RolledUpReport,
    contributions,
    rolled_up_report,
    scopes_from_settings,
    sum_of_units,
)
from ruian_desk.domain.rules import CheckContext, run_checks

FORMATS = ("gov-2019", "gov-2021")


def _report(unit: str, cells: dict, fmt: str = "gov-2021", year: int | None = None) -> Report:
    return Report(
        unit=unit,
        unit_role="county_government" if unit == "县政府" else "department",
        year=year or (2021 if fmt == "gov-2021" else 2019),
        format_id=fmt,
        cells=cells,
    )


@st.composite
def unit_cells(draw: st.DrawFn, fmt_id: str) -> dict:
    """Random input cells of 表三/表四 (some blank, some 0, some large)."""
    fmt = get_format(fmt_id)
    ids = [c for c in fmt.input_cells if fmt.cells[c].table in ("t3", "t4")]
    values = draw(
        st.lists(
            st.one_of(st.none(), st.just(0), st.integers(0, 5000)),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    return {cid: v for cid, v in zip(ids, values, strict=True) if v is not None or draw(st.booleans())}


@pytest.mark.parametrize("fmt_id", FORMATS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rollup_equals_sum_of_units_for_every_cell_of_t3_t4(fmt_id: str, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 6), label="units")
    units = [_report(f"单位{i}", data.draw(unit_cells(fmt_id), label=f"u{i}"), fmt_id) for i in range(n)]
    # The main report's own (hand-entered) values must not leak into the roll-up.
    main = _report("县政府", {"t3.new.np": 999_999, "t4.count.rv_keep": 77}, fmt_id)
    rolled = rolled_up_report(main, units, DEFAULT_SCOPES)
    fmt = get_format(fmt_id)
    for cid, cell in fmt.cells.items():
        if cell.table not in ("t3", "t4"):
            continue
        expected = sum(u.values.number(cid) for u in units)
        assert rolled.values.number(cid) == expected, cid
        # Blank only when every unit left every part blank.
        if all(u.values.get(cid) is None for u in units):
            assert rolled.values.get(cid) is None, cid
    for gid in fmt.groups:  # group subtotals (charts, text) are sums too
        assert rolled.values.number(gid) == sum(u.values.number(gid) for u in units)
    # Additive rules hold for the sum whenever every unit passes them.
    for u in units:
        assert sum_of_units("t3.new.total", [u]) == u.values.get("t3.new.total")


def test_scope_own_keeps_main_values_and_rollup_sums_t2() -> None:
    a = _report(
        "甲", {"t2_1.normative.made": 3, "t2_8.admin_fee.fee_amount": Decimal("1.25"), "t3.new.np": 4}
    )
    b = _report("乙", {"t2_1.normative.made": 2, "t2_8.admin_fee.fee_amount": Decimal("0.5"), "t3.new.np": 1})
    main = _report("县政府", {"t2_1.normative.made": 9, "t3.new.np": 100})
    own = rolled_up_report(main, [a, b], DEFAULT_SCOPES)
    assert own.cells["t2_1.normative.made"] == 9  # 表二 defaults to 本级
    assert own.cells["t3.new.np"] == 5
    assert own.rollup is not None and own.rollup.own_cells["t3.new.np"] == 100
    assert own.rollup.rolled_tables == {"t3", "t4"}
    both = rolled_up_report(main, [a, b], {"t2": "rollup"})
    assert both.cells["t2_1.normative.made"] == 5
    assert both.cells["t2_8.admin_fee.fee_amount"] == Decimal("1.75")
    none = rolled_up_report(main, [a, b], {"t3": "own", "t4": "own"})
    assert none.cells["t3.new.np"] == 100 and none.rollup is not None and not none.rollup.rolled_tables


def test_scopes_from_settings_defaults_and_garbage() -> None:
    assert scopes_from_settings({}) == {"t2": "own", "t3": "rollup", "t4": "rollup"}
    got = scopes_from_settings({"scope.t2": "rollup", "scope.t3": "own", "scope.t4": "nonsense"})
    assert got == {"t2": "rollup", "t3": "own", "t4": "rollup"}


def test_sample_marks_follow_the_units() -> None:
    a = Report("甲", "department", 2021, "gov-2021", cells={"t3.new.np": 1}, sample_tables=frozenset({"t3"}))
    main = Report("县", "county_government", 2021, "gov-2021", sample_tables=frozenset({"t2", "t4"}))
    rolled = rolled_up_report(main, [a], DEFAULT_SCOPES)
    assert rolled.sample_tables == {"t2", "t3"}  # t2 own: main's mark; t3 from the unit; t4: no unit marks it


def test_contributions_drill_down() -> None:
    a = _report("甲", {"t3.r3_1.np": 2, "t3.r3_2.np": 1})
    b = _report("乙", {"t3.r3_1.np": 5})
    c = _report("丙", {})
    assert contributions("t3.r3_1.np", [a, b, c]) == [("甲", 2), ("乙", 5), ("丙", None)]
    assert contributions("t3.g3_withheld.np", [a, b]) == [("甲", 3), ("乙", 5)]  # group subtotal
    assert contributions("t3.r3_1.total", [a, b]) == [("甲", 2), ("乙", 5)]  # derived total
    with pytest.raises(KeyError):
        contributions("t9.nope", [a]) and get_format("gov-2021").cell("t9.nope")


def _issues(report: Report, rule: str, context: CheckContext | None = None) -> list:
    return [i for i in run_checks(report, context or CheckContext()) if i.rule == rule]


def test_xagg_error_names_both_numbers_and_is_silent_when_equal() -> None:
    a = _report("甲", {"t3.new.np": 7, "t4.count.rv_keep": 1})
    b = _report("乙", {"t3.new.np": 5})
    equal = rolled_up_report(_report("县政府", {"t3.new.np": 12, "t4.count.rv_keep": 1}), [a, b])
    assert _issues(equal, "X-AGG") == []
    wrong = rolled_up_report(_report("县政府", {"t3.new.np": 13, "t4.count.rv_keep": 1}), [a, b])
    (issue,) = _issues(wrong, "X-AGG")
    # a warning since issue #13: a unit corrected in a balanced way must not leave errors in the main report
    assert issue.severity == "warning" and issue.cells == ("t3.new.np",)
    assert (issue.expected, issue.actual) == (12, 13)
    assert "采用各单位汇总数（清除本级填写数）" in issue.message
    assert "13" in issue.message and "12" in issue.message and "自然人" in issue.message
    # A stated total (from a source file) is compared with the rolled-up computed total.
    stated = rolled_up_report(_report("县政府", {"t3.new.total": 11}), [a, b])
    (issue,) = _issues(stated, "X-AGG")
    assert issue.cells == ("t3.new.total",) and (issue.expected, issue.actual) == (12, 11)


def test_xagg_on_a_plain_report_uses_its_units_from_the_context() -> None:
    a = _report("甲", {"t3.new.np": 7})
    main = _report("县政府", {"t3.new.np": 8})
    (issue,) = _issues(main, "X-AGG", CheckContext(units=(a,)))
    assert (issue.expected, issue.actual) == (7, 8)
    assert _issues(main, "X-AGG") == []  # no units: nothing to compare


def test_unverified_units_are_named() -> None:
    good = _report("甲", {"t3.new.np": 1, "t3.r1_open.np": 1})
    # 乙: 新收 2 but nothing handled or carried over: T3-BALANCE fails for 自然人 and 总计.
    bad = _report("乙", {"t3.new.np": 2})
    rolled = rolled_up_report(_report("县政府", {}), [good, bad])
    (issue,) = _issues(rolled, "X-AGG-UNVERIFIED")
    assert issue.severity == "warning" and "乙" in issue.message and "甲" not in issue.message
    assert "未通过审核" in issue.message and issue.part == "p3"
    assert _issues(rolled_up_report(_report("县政府", {}), [good]), "X-AGG-UNVERIFIED") == []


def test_stock_values_warn_about_double_counting_when_t2_is_summed() -> None:
    a = _report("甲", {"t2_1.normative.valid": 10, "t2_1.normative.made": 1})
    b = _report("乙", {"t2_1.normative.valid": 4})
    rolled = rolled_up_report(_report("县政府", {}), [a, b], {"t2": "rollup"})
    (issue,) = _issues(rolled, "X-AGG-STOCK")
    assert issue.cells == ("t2_1.normative.valid",) and issue.actual == 14 and "重复计数" in issue.message
    assert _issues(rolled_up_report(_report("县政府", {}), [a, b]), "X-AGG-STOCK") == []  # t2 own


def test_missing_skipped_and_empty() -> None:
    a = _report("甲", {"t3.new.np": 1, "t3.r1_open.np": 1})
    old = _report("旧格式单位", {"t3.new.np": 5}, fmt="gov-2019", year=2021)
    rolled = rolled_up_report(_report("县政府", {}), [a, old], missing=["丙", "丁"])
    assert rolled.cells["t3.new.np"] == 1
    (missing,) = _issues(rolled, "X-AGG-MISSING")
    assert "丙、丁" in missing.message and missing.severity == "warning"
    (skipped,) = _issues(rolled, "X-AGG-FORMAT")
    assert "旧格式单位" in skipped.message and skipped.severity == "error"
    alone = rolled_up_report(_report("县政府", {"t3.new.np": 3}), [])
    assert alone.cells["t3.new.np"] == 3  # nothing to sum: own values stay
    (empty,) = _issues(alone, "X-AGG-EMPTY")
    assert empty.severity == "info" and "表三" in empty.message
    department = rolled_up_report(_report("某局", {"t3.new.np": 3}), [])
    assert _issues(department, "X-AGG-EMPTY") == []  # a department's own workspace is not a roll-up


# ------------------------------------------------------------------------------ with the workspace


def test_sample_is_rolled_up_and_xagg_is_silent(sample_ws) -> None:
    from ruian_desk.storage.assemble import check_report, effective_report

    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    report = effective_report(repo, main_id)
    assert isinstance(report, RolledUpReport) and report.rollup is not None
    assert report.rollup.rolled_tables == {"t3", "t4"} and len(report.rollup.units) == 7
    stored = repo.load_report(main_id)
    for cid in stored.fmt.cells:
        if cid.startswith(("t3.", "t4.")):
            assert report.values.number(cid) == stored.values.number(cid), cid
    _, issues = check_report(repo, main_id)
    assert [i for i in issues if i.rule.startswith("X-AGG")] == []


def test_checks_and_exports_see_the_rolled_up_numbers(sample_ws) -> None:
    from ruian_desk.export.view import build_view
    from ruian_desk.storage.assemble import check_report

    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    unit_id = repo.find_report("瑞安市公安局（示例单位）", 2019)
    before = repo.load_report(main_id).values.number("t3.new.np")
    unit_value = repo.load_report(unit_id).values.number("t3.new.np")
    repo.set_cell(unit_id, "t3.new.np", unit_value + 10)
    repo.set_cell(unit_id, "t3.r1_open.np", repo.load_report(unit_id).values.number("t3.r1_open.np") + 10)
    view = build_view(repo, main_id)
    assert view.report.values.number("t3.new.np") == before + 10
    assert len(view.units) == 7
    _, issues = check_report(repo, main_id)
    # the stored main values are now stale: one finding for 表三 listing both cells (issue #13)
    (agg,) = [i for i in issues if i.rule == "X-AGG"]
    assert set(agg.cells) == {"t3.new.np", "t3.r1_open.np"} and agg.severity == "warning"
    assert agg.expected[agg.cells.index("t3.new.np")] == before + 10
    assert agg.actual[agg.cells.index("t3.new.np")] == before
    assert agg.message.startswith("表三：") and "共 2 格" in agg.message
    assert f"本级 {before}、汇总 {before + 10}" in agg.message
    # Scope 本级 for 表三: the hand-entered numbers are used again and X-AGG is silent for 表三.
    repo.set_setting(main_id, "scope.t3", "own")
    _, issues = check_report(repo, main_id)
    assert not [i for i in issues if i.rule == "X-AGG"]
    assert build_view(repo, main_id).report.values.number("t3.new.np") == before


def test_excluded_and_missing_units(sample_ws) -> None:
    from ruian_desk.domain.report import Unit
    from ruian_desk.storage.assemble import check_report, effective_report

    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    police = repo.unit_by_name("瑞安市公安局（示例单位）")
    police_value = repo.load_report(repo.find_report(police.name, 2019)).values.number("t3.new.np")
    total = effective_report(repo, main_id).values.number("t3.new.np")
    repo.set_unit_year(police.id, 2019, included=False)
    assert effective_report(repo, main_id).values.number("t3.new.np") == total - police_value
    new = repo.add_unit(Unit(name="瑞安市教育局", role="department"))
    report, issues = check_report(repo, main_id)
    assert report.rollup.missing == ("瑞安市教育局",)
    assert any(i.rule == "X-AGG-MISSING" and "瑞安市教育局" in i.message for i in issues)
    repo.update_unit(Unit(**{**new.__dict__, "retired": True}))
    assert effective_report(repo, main_id).rollup.missing == ()


@pytest.mark.parametrize("fmt_id", FORMATS)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_fast_error_count_matches_the_table_rules(fmt_id: str, data: st.DataObject) -> None:
    from ruian_desk.domain.rollup import table_error_count, unit_table_issues

    fmt = get_format(fmt_id)
    cells = data.draw(unit_cells(fmt_id))
    # Sometimes a stated total (right, wrong or blank) and a negative number.
    if data.draw(st.booleans()):
        cells["t3.new.total"] = data.draw(st.one_of(st.none(), st.integers(0, 30000)))
    if data.draw(st.booleans()):
        cells["t4.count.rv_keep"] = -1
    unit = _report("甲", cells, fmt_id)
    tables = ("t3", "t4")
    assert table_error_count(unit, tables) == len(unit_table_issues(unit, tables))
    assert fmt.cells  # the format loaded


def test_cached_unit_reports_follow_every_change(sample_ws) -> None:
    from ruian_desk.domain.report import Unit
    from ruian_desk.storage.assemble import effective_report

    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    rid = repo.find_report("瑞安市公安局（示例单位）", 2019)
    first = effective_report(repo, main_id)
    again = effective_report(repo, main_id)
    assert [id(u) for u in first.rollup.units] == [id(u) for u in again.rollup.units]  # reused, not reloaded
    total = first.values.number("t4.count.rv_keep")
    repo.set_cell(rid, "t4.count.rv_keep", repo.load_report(rid).values.number("t4.count.rv_keep") + 3)
    assert effective_report(repo, main_id).values.number("t4.count.rv_keep") == total + 3
    unit = repo.unit_by_name("瑞安市公安局（示例单位）")
    repo.update_unit(Unit(**{**unit.__dict__, "name": "瑞安市公安局（改名，示例单位）"}))
    assert "瑞安市公安局（改名，示例单位）" in effective_report(repo, main_id).rollup.unit_names
    repo.set_setting(rid, "sample_tables", "t2")  # no longer marked 示例数据 for 表三/表四
    units = {u.unit: u for u in effective_report(repo, main_id).rollup.units}
    assert units["瑞安市公安局（改名，示例单位）"].sample_tables == {"t2"}
    repo.set_field(rid, "p1", "正文")
    assert {u.unit: u for u in effective_report(repo, main_id).rollup.units}[
        "瑞安市公安局（改名，示例单位）"
    ].part("p1") == "正文"


def _county_workspace(tmp_path, carry_in_2021: int, main_2020_cells: dict | None = None):  # noqa: ANN202
    """A county (main organ) with two departments reporting 2020 (gov-2019) and 2021 (gov-2021); the
    county's own stored 表三 is whatever `main_2020_cells` says (usually nothing: it is a roll-up)."""
    from ruian_desk.domain.report import Unit, default_report
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(tmp_path / "county.sqlite", create=True)
    repo = ws.repo
    main = repo.add_unit(Unit("县政府", "county_government"))
    repo.set_main_organ(main.id)
    units = [repo.add_unit(Unit(name, "department")) for name in ("甲局", "乙局")]
    repo.save_report(default_report(main, 2020).with_cells(main_2020_cells or {}))
    repo.save_report(default_report(main, 2021))
    for unit, (new, out) in zip(units, ((10, 2), (5, 1)), strict=True):
        repo.save_report(
            default_report(unit, 2020).with_cells(
                {"t3.new.np": new, "t3.r1_open.np": new - out, "t3.carry_out.np": out}
            )
        )
    first, second = units
    cin = {first.id: carry_in_2021, second.id: 1}
    for unit in units:
        c = cin[unit.id]
        repo.save_report(
            default_report(unit, 2021).with_cells(
                {"t3.new.np": 4, "t3.carry_in.np": c, "t3.r1_open.np": 4 + c, "t3.carry_out.np": 0}
            )
        )
    return ws


def test_cross_year_checks_of_a_county_compare_with_last_years_roll_up(tmp_path) -> None:
    """Last year's county report is a roll-up too: 上年结转 is checked against the units' summed 结转下年度
    (3), not against what the county's own 2020 row holds (nothing, or a stale hand-typed number)."""
    from ruian_desk.storage.assemble import check_report, effective_report

    ws = _county_workspace(tmp_path, carry_in_2021=0)  # 甲局 forgot its carry-in: 0 + 1 ≠ 2 + 1
    try:
        repo = ws.repo
        assert effective_report(repo, repo.find_report("县政府", 2020)).values.get("t3.carry_out.np") == 3
        report, issues = check_report(repo, repo.find_report("县政府", 2021))
        assert report.values.get("t3.carry_in.np") == 1
        carry = [i for i in issues if i.rule == "T3-XYEAR-CARRY"]
        assert [(i.cells, i.expected, i.actual) for i in carry] == [(("t3.carry_in.np",), 3, 1)]
    finally:
        ws.close()


def test_cross_year_checks_of_a_county_ignore_its_stale_own_numbers(tmp_path) -> None:
    from ruian_desk.storage.assemble import check_report

    stale = {"t3.new.np": 99, "t3.r1_open.np": 0, "t3.carry_out.np": 99}  # typed before the roll-up existed
    ws = _county_workspace(tmp_path, carry_in_2021=2, main_2020_cells=stale)
    try:
        repo = ws.repo
        _, issues = check_report(repo, repo.find_report("县政府", 2021))
        assert [i for i in issues if i.rule in ("T3-XYEAR-CARRY", "N-UNCHANGED")] == []
    finally:
        ws.close()


def test_retiring_a_unit_leaves_the_years_it_reported_unchanged(tmp_path) -> None:
    """撤销 (a merger in 2022) must not change the published 2020/2021 county figures: a retired unit's
    reports still count in their years; it is only no longer expected (not 未报) in years it has none."""
    from ruian_desk.domain.report import Unit, default_report
    from ruian_desk.storage.assemble import effective_report

    ws = _county_workspace(tmp_path, carry_in_2021=2)
    try:
        repo = ws.repo
        main_2020 = repo.find_report("县政府", 2020)
        before = effective_report(repo, main_2020)
        assert before.values.get("t3.new.np") == 15
        repo.save_report(default_report(repo.unit_by_name("县政府"), 2022))
        yi = repo.unit_by_name("乙局")
        repo.update_unit(Unit(**{**yi.__dict__, "retired": True}))
        after = effective_report(repo, main_2020)
        assert after.values.get("t3.new.np") == 15
        assert after.rollup.unit_names == ("甲局", "乙局")
        assert effective_report(repo, repo.find_report("县政府", 2021)).values.get("t3.new.np") == 8
        rolled_2022 = effective_report(repo, repo.find_report("县政府", 2022))
        assert rolled_2022.rollup.missing == ("甲局",)  # 乙局 is gone, not late
        # Leaving a year's roll-up stays a per-year decision (参与汇总).
        repo.set_unit_year(yi.id, 2021, included=False)
        assert effective_report(repo, repo.find_report("县政府", 2021)).values.get("t3.new.np") == 4
    finally:
        ws.close()


def test_a_unit_whose_report_is_still_empty_is_missing_from_the_roll_up(sample_ws) -> None:
    """Opening a unit's report in the GUI creates it empty. The unit has still not reported (the tracker
    says 未报), so the county's roll-up must keep warning that its sum lacks the unit."""
    from ruian_desk.domain.report import Unit, default_report
    from ruian_desk.exchange.tracker import NOT_REPORTED, unit_statuses
    from ruian_desk.storage.assemble import check_report

    repo = sample_ws.repo
    unit = repo.add_unit(Unit(name="瑞安市教育局", role="department"))
    repo.save_report(default_report(unit, 2019))
    status = next(s for s in unit_statuses(repo, 2019) if s.unit.id == unit.id)
    assert status.status == NOT_REPORTED and status.missing
    report, issues = check_report(repo, repo.find_report("瑞安市人民政府", 2019))
    assert report.rollup.missing == ("瑞安市教育局",)
    assert any(i.rule == "X-AGG-MISSING" and "瑞安市教育局" in i.message for i in issues)
