"""The one evaluator of the format data's rule expressions: every expression of both formats, the checks
that run through it, and the figures 以上年报告为基础新建 carries from it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ruian_desk.domain.carry import carried_cells
from ruian_desk.domain.checks.data_rules import comparison_rules, data_rules
from ruian_desk.domain.expr import Env, ExprError, evaluate, instances, parse
from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Unit, default_report
from ruian_desk.domain.rules import CheckContext, run_checks
from tests.domain.checkdata import FORMATS, YEAR, report
from tests.domain.test_checks_tables import NEXT_YEAR


def _env(fid: str, changes: dict | None = None, **names: object) -> Env:
    """This year's clean report after last year's, with the text's figures as named values."""
    prev = report(fid, year=YEAR[fid])
    rep = report(fid, year=YEAR[fid] + 1, changes={**NEXT_YEAR[fid], **(changes or {})})
    v = rep.values
    text = {
        "text.review_total": v.number("t4.count.rv_total"),
        "text.litigation_total": v.number("t4.count.ld_total") + v.number("t4.count.la_total"),
        "level": "county",
    }
    return Env.of(rep, prev, **{**text, **names})


def _holds(fid: str, rule_id: str, env: Env) -> bool:
    rule = next(r for r in get_format(fid).rules if r.id == rule_id)
    return all(evaluate(i.node, env) for i in instances(get_format(fid), rule))


@pytest.mark.parametrize("fid", FORMATS)
def test_every_expression_of_the_format_parses_and_holds_on_a_clean_report(fid: str) -> None:
    fmt = get_format(fid)
    with_expr = [r for r in fmt.rules + fmt.cross_rules if r.expr]
    assert len(with_expr) >= 12
    env = _env(fid)
    for rule in with_expr:
        found = instances(fmt, rule)
        assert found, rule.id
        for inst in found:
            assert "{" not in inst.text, inst.text  # every placeholder bound
            assert evaluate(inst.node, env) is True, (rule.id, inst.text)


# Each rule broken by one figure: the evaluator says so.
BROKEN = {
    "gov-2021": {
        "T2-NONNEG": {"t2_1.normative.made": Decimal("1.5")},
        "T2-XYEAR-VALID": {"t2_1.normative.valid": 44},
        "T2-REPEAL-BOUND": {"t2_1.normative.repealed": 46},
        "T2-COUNTY-RULES": {"t2_1.rules.made": 2},
        "T2-FEE-PRECISION": {"t2_8.admin_fee.fee_amount": Decimal("1.234567")},
        "T3-ROWSUM": {"t3.new.total": 31},
        "T3-RESULTSUM": {"t3.r7_total.np": 99},
        "T3-BALANCE": {"t3.new.np": 21},
        "T3-NONNEG": {"t3.r3_1.np": -1},
        "T3-XYEAR-CARRY": {"t3.carry_in.np": 3},
        "T4-RV": {"t4.count.rv_total": 9},
        "T4-LD": {"t4.count.ld_total": 9},
        "T4-LA": {"t4.count.la_total": 9},
        "T4-NONNEG": {"t4.count.rv_other": -1},
    },
    "gov-2019": {
        "T2-19-NONNEG": {"t2_5.license.decisions": -1},
        "T2-19-PUBLIC-LE-MADE": {"t2_1.normative.new_public": 7},
        "T2-19-TOTAL-GE-NEW": {"t2_1.normative.total_public": 3},
        "T2-19-XYEAR-ITEMS": {"t2_6.penalty.prev_items": 1},
        "T3-ROWSUM": {"t3.new.total": 31},
        "T3-RESULTSUM": {"t3.r7_total.np": 99},
        "T3-BALANCE": {"t3.new.np": 21},
        "T3-NONNEG": {"t3.r3_1.np": -1},
        "T3-XYEAR-CARRY": {"t3.carry_in.np": 3},
        "T4-RV": {"t4.count.rv_total": 9},
        "T4-LD": {"t4.count.ld_total": 9},
        "T4-LA": {"t4.count.la_total": 9},
        "T4-NONNEG": {"t4.count.rv_other": -1},
    },
}


@pytest.mark.parametrize("fid", FORMATS)
def test_every_expression_fails_when_its_figure_is_wrong(fid: str) -> None:
    fmt = get_format(fid)
    assert set(BROKEN[fid]) == {r.id for r in fmt.rules if r.expr} - {"T4-TEXT"}  # T4-TEXT: below
    for rule_id, changes in BROKEN[fid].items():
        assert _holds(fid, rule_id, _env(fid, changes)) is False, rule_id


def test_names_and_quantifiers() -> None:
    # the text's figures: T4-TEXT holds only when the text quotes the table
    assert _holds("gov-2021", "T4-TEXT", _env("gov-2021", **{"text.review_total": 5})) is False
    # `level in [...] implies …`: another level is not bound by the county rule
    assert _holds("gov-2021", "T2-COUNTY-RULES", _env("gov-2021", {"t2_1.rules.made": 2}, level="city"))
    # `for x in t2.* except *.change`: 本年增/减 may be negative, nothing else
    assert _holds("gov-2019", "T2-19-NONNEG", _env("gov-2019", {"t2_5.license.change": -9}))
    with pytest.raises(ExprError, match="无法解析"):
        parse("t3.new.np == ?")
    with pytest.raises(ExprError, match="末尾多出"):
        parse("t3.new.np == 1 1")


def test_the_checks_run_the_data_comparisons_and_no_hand_written_copy() -> None:
    assert [r.id for r in comparison_rules("gov-2019")] == [
        "T2-19-PUBLIC-LE-MADE", "T2-19-TOTAL-GE-NEW", "T2-19-XYEAR-ITEMS", "T3-XYEAR-CARRY",
    ]  # fmt: skip
    assert [r.id for r in comparison_rules("gov-2021")] == ["T2-XYEAR-VALID", "T2-REPEAL-BOUND", "T3-XYEAR-CARRY"]
    from ruian_desk.domain.registry import BY_ID

    for fid in FORMATS:
        for rule in comparison_rules(fid):
            assert BY_ID[rule.id].fn is data_rules, rule.id


@pytest.mark.parametrize("fid", FORMATS)
def test_a_carried_draft_has_no_cross_year_finding(fid: str) -> None:
    """Every figure 以上年报告为基础新建 carries is exactly what the cross-year checks expect."""
    prev = report(fid, year=YEAR[fid] + 1, changes=NEXT_YEAR[fid])
    fmt = prev.fmt
    carried = carried_cells(fmt, prev)
    expected = {f"t3.carry_in.{c}" for c in ("np", "ce", "ri", "spo", "lso", "oth")}
    if fid == "gov-2021":
        expected |= {"t2_1.rules.valid", "t2_1.normative.valid"}
        assert carried["t2_1.normative.valid"] == 43
    else:
        expected |= {"t2_5.license.prev_items", "t2_5.other_mgmt.prev_items", "t2_6.penalty.prev_items",
                     "t2_8.admin_fee.prev_items"}  # fmt: skip
        assert carried["t2_5.license.prev_items"] == 103 + 3
    assert set(carried) >= expected
    assert carried["t3.carry_in.np"] == 2  # last year's 结转下年度
    draft = replace(default_report(Unit(prev.unit, role=prev.unit_role), prev.year + 1, fid), cells=carried)
    ctx = CheckContext(previous=prev)
    assert data_rules(draft, ctx) == []
    assert [i for i in run_checks(draft, ctx) if "XYEAR" in i.rule or i.rule == "T2-REPEAL-BOUND"] == []
    # …and a figure typed wrong afterwards is named, with both figures
    wrong = replace(draft, cells={**carried, "t3.carry_in.np": 7})
    found = [i for i in data_rules(wrong, ctx) if i.rule == "T3-XYEAR-CARRY"]
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t3.carry_in.np",), 2, 7)]
    assert "上年" in found[0].message and "两者应相等" in found[0].message
