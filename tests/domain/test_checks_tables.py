"""Table rules beyond the sums: cross-year (表三 carry-over, 表二 stock and items), 表二 bounds, 规章, 万元."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ruian_desk.domain.rules import CheckContext, run_checks
from tests.domain.checkdata import FORMATS, YEAR, issues_of, report


def _pair(fid: str, now: dict | None = None, before: dict | None = None):  # noqa: ANN202
    """This year's report and last year's of the same format (2020/2019, 2022/2021)."""
    y = YEAR[fid] + 1
    prev = report(fid, year=y - 1, changes=before)
    return report(fid, year=y, changes=now), CheckContext(previous=prev)


NEXT_YEAR = {
    # what follows from the helper's data one year on: stock = last stock + made − repealed; items = last + change
    "gov-2021": {"t2_1.normative.valid": 43},
    "gov-2019": {
        "t2_5.license.prev_items": 103,
        "t2_5.other_mgmt.prev_items": 48,
        "t2_6.penalty.prev_items": 205,
        "t2_8.admin_fee.prev_items": 9,
    },
}


def test_clean_reports_have_no_issue() -> None:
    for fid in FORMATS:
        rep, ctx = _pair(fid, now=NEXT_YEAR[fid])
        # last year's carry-out (2/1/0…) equals this year's carry-in: the data set is consistent across years
        found = [i for i in run_checks(rep, ctx) if i.rule != "N-UNCHANGED"]
        assert found == [], (fid, [i.message for i in found])


# ------------------------------------------------------------------------------- T3-XYEAR-CARRY


@pytest.mark.parametrize("fid", FORMATS)
def test_carry_in_equals_last_years_carry_out(fid: str) -> None:
    rep, ctx = _pair(fid)
    assert issues_of("T3-XYEAR-CARRY", rep, ctx) == []
    rep, ctx = _pair(fid, before={"t3.carry_out.np": 5, "t3.new.np": 23})  # last year ended with 5 open
    found = issues_of("T3-XYEAR-CARRY", rep, ctx)
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "warning" and issue.cells == ("t3.carry_in.np",)
    assert (issue.expected, issue.actual) == (5, 2)
    assert "自然人" in issue.message and "2" in issue.message and "5" in issue.message
    assert f"{rep.year - 1}年" in issue.message


@pytest.mark.parametrize("fid", FORMATS)
def test_carry_check_needs_a_previous_report(fid: str) -> None:
    rep, _ = _pair(fid, now={"t3.carry_in.np": 9, "t3.new.np": 13})
    assert issues_of("T3-XYEAR-CARRY", rep) == []
    # a previous report whose 表三 was never filled is a shell, not a year to compare with
    shell = replace(report(fid, year=rep.year - 1), cells={})
    assert issues_of("T3-XYEAR-CARRY", rep, CheckContext(previous=shell)) == []


def test_carry_across_the_format_change() -> None:
    """2021 (30号) after 2020 (60号): 表三's columns are the same, the carry-over still has to match."""
    prev = report("gov-2019", year=2020, changes={"t3.carry_out.ce": 4, "t3.new.ce": 8})
    rep = report("gov-2021", year=2021)
    found = issues_of("T3-XYEAR-CARRY", rep, CheckContext(previous=prev))
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t3.carry_in.ce",), 4, 1)]
    # 表二 of the two formats is not comparable: no stock rule runs
    assert issues_of("T2-XYEAR-VALID", rep, CheckContext(previous=prev)) == []


# ----------------------------------------------------------------------------- T2-XYEAR-VALID


def test_valid_follows_last_year() -> None:
    # 40 last year + 5 made − 2 repealed = 43
    rep, ctx = _pair("gov-2021", now={"t2_1.normative.valid": 43})
    assert issues_of("T2-XYEAR-VALID", rep, ctx) == []
    rep, ctx = _pair("gov-2021", now={"t2_1.normative.valid": 40})
    found = issues_of("T2-XYEAR-VALID", rep, ctx)
    assert len(found) == 1 and found[0].severity == "warning"
    assert (found[0].expected, found[0].actual) == (43, 40)
    assert "行政规范性文件" in found[0].message and "43" in found[0].message and "40" in found[0].message
    assert found[0].cells[0] == "t2_1.normative.valid"


def test_valid_rule_is_not_a_2019_rule() -> None:
    rep, ctx = _pair("gov-2019", now={"t2_1.normative.total_public": 999})
    assert issues_of("T2-XYEAR-VALID", rep, ctx) == []


# ---------------------------------------------------------------------------- T2-REPEAL-BOUND


def test_repeal_bound() -> None:
    # last year 40 in force + 5 made = 45 may be repealed at most
    rep, ctx = _pair("gov-2021", now={"t2_1.normative.repealed": 45, "t2_1.normative.valid": 0})
    assert issues_of("T2-REPEAL-BOUND", rep, ctx) == []
    rep, ctx = _pair("gov-2021", now={"t2_1.normative.repealed": 46, "t2_1.normative.valid": 0})
    found = issues_of("T2-REPEAL-BOUND", rep, ctx)
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (45, 46)
    assert "46" in found[0].message and "45" in found[0].message
    rep, ctx = _pair("gov-2019", now={"t2_1.normative.new_made": 0})
    assert issues_of("T2-REPEAL-BOUND", rep, ctx) == []


# ---------------------------------------------------------------------------- T2-COUNTY-RULES


@pytest.mark.parametrize("fid", FORMATS)
@pytest.mark.parametrize("role", ["county_government", "office", "department", "township", "function_zone"])
def test_county_level_units_make_no_rules(fid: str, role: str) -> None:
    made = "t2_1.rules.made" if fid == "gov-2021" else "t2_1.rules.new_made"
    assert issues_of("T2-COUNTY-RULES", report(fid, role=role)) == []
    found = issues_of("T2-COUNTY-RULES", report(fid, role=role, changes={made: 2}))
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].cells == (made,) and found[0].actual == 2
    assert "规章" in found[0].message and "2" in found[0].message


# --------------------------------------------------------------------------- T2-FEE-PRECISION


def test_fee_precision() -> None:
    fee = "t2_8.admin_fee.fee_amount"
    assert issues_of("T2-FEE-PRECISION", report("gov-2021", changes={fee: Decimal("59237.2449")})) == []
    found = issues_of("T2-FEE-PRECISION", report("gov-2021", changes={fee: Decimal("1.234567")}))
    assert len(found) == 1 and found[0].severity == "info" and "6 位小数" in found[0].message
    assert found[0].expected == Decimal("1.2346")
    assert issues_of("T2-FEE-PRECISION", report("gov-2021", changes={fee: Decimal("2500000")})) == []
    found = issues_of("T2-FEE-UNIT", report("gov-2021", changes={fee: Decimal("2500000")}))
    assert len(found) == 1 and "250.00 亿元" in found[0].message and "元当作万元" in found[0].message
    assert issues_of("T2-FEE-PRECISION", report("gov-2019")) == []


# ---------------------------------------------------------------------- T2-19-* (2019 format)


def test_public_not_more_than_made() -> None:
    ok = report("gov-2019")
    assert issues_of("T2-19-PUBLIC-LE-MADE", ok) == []
    bad = report("gov-2019", changes={"t2_1.normative.new_public": 7})
    found = issues_of("T2-19-PUBLIC-LE-MADE", bad)
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (5, 7)
    assert "本年新公开数量 7" in found[0].message and "本年新制作数量 5" in found[0].message
    assert issues_of("T2-19-PUBLIC-LE-MADE", report("gov-2021")) == []


def test_total_not_less_than_new() -> None:
    assert issues_of("T2-19-TOTAL-GE-NEW", report("gov-2019")) == []
    bad = report("gov-2019", changes={"t2_1.normative.total_public": 3})
    found = issues_of("T2-19-TOTAL-GE-NEW", bad)
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (3, 5)
    assert "对外公开总数量 3" in found[0].message


def test_items_follow_last_year() -> None:
    # last year: 100 items, +3 → this year's 上一年项目数量 should be 103
    rep, ctx = _pair(
        "gov-2019",
        now={
            "t2_5.license.prev_items": 103,
            "t2_5.other_mgmt.prev_items": 48,
            "t2_6.penalty.prev_items": 205,
            "t2_8.admin_fee.prev_items": 9,
        },
    )
    assert issues_of("T2-19-XYEAR-ITEMS", rep, ctx) == []
    rep, ctx = _pair(
        "gov-2019",
        now={
            "t2_5.other_mgmt.prev_items": 48,
            "t2_6.penalty.prev_items": 205,
            "t2_8.admin_fee.prev_items": 9,
        },
    )
    found = issues_of("T2-19-XYEAR-ITEMS", rep, ctx)
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t2_5.license.prev_items",), 103, 100)]
    assert "行政许可" in found[0].message and "+3" in found[0].message
    rep, ctx = _pair("gov-2021")
    assert issues_of("T2-19-XYEAR-ITEMS", rep, ctx) == []


# ----------------------------------------------------------------------------------- N-UNCHANGED


@pytest.mark.parametrize("fid", FORMATS)
def test_unchanged_tables(fid: str) -> None:
    rep, ctx = _pair(fid)  # the helper's data is the same both years
    found = issues_of("N-UNCHANGED", rep, ctx)
    assert {i.part for i in found} == {"p2", "p3", "p4"}
    t3 = [i for i in found if i.part == "p3"][0]
    assert t3.severity == "warning" and "表三" in t3.message and f"{rep.year - 1}年" in t3.message
    rep, ctx = _pair(fid, now={"t3.new.np": 21, "t3.carry_out.np": 3})
    assert {i.part for i in issues_of("N-UNCHANGED", rep, ctx)} == {"p2", "p4"}
    # an all-zero 表四 two years running is ordinary
    zero = {k: 0 for k in ("t4.count.rv_keep", "t4.count.rv_correct", "t4.count.rv_pending")}
    zero |= {"t4.count.ld_keep": 0, "t4.count.ld_pending": 0, "t4.count.la_keep": 0}
    rep, ctx = _pair(fid, now=zero, before=zero)
    assert "p4" not in {i.part for i in issues_of("N-UNCHANGED", rep, ctx)}


# ------------------------------------------------------------------------- T4-RV / T4-LD / T4-LA


@pytest.mark.parametrize("fid", FORMATS)
@pytest.mark.parametrize(
    "rule_id,prefix,name",
    [("T4-RV", "rv", "行政复议"), ("T4-LD", "ld", "未经复议直接起诉"), ("T4-LA", "la", "复议后起诉")],
)
def test_t4_stated_total(fid: str, rule_id: str, prefix: str, name: str) -> None:
    """A total stated by a source file (a returned template) against its four parts."""
    total = {"rv": 4, "ld": 2, "la": 1}[prefix]
    assert issues_of(rule_id, report(fid, changes={f"t4.count.{prefix}_total": total})) == []
    found = issues_of(rule_id, report(fid, changes={f"t4.count.{prefix}_total": total + 1}))
    assert len(found) == 1 and found[0].severity == "error"
    assert (found[0].expected, found[0].actual) == (total, total + 1) and name in found[0].message
