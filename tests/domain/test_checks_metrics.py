"""Metrics: bounds, a stated rate against numerator/denominator, the text against the register, and rates
stated in the text against the base the text implies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.domain.checkdata import FORMATS, count, issues_of, rate, report

SERVICE = (
    "（三）深化重点领域信息公开\n"
    "2.深化改革信息公开。政务服务事项总数达3080项,网上办理开通率99.74%;即办事项2364项,占比76.75%,"
    "全市通办事项2167项,占比85.38%,告知承诺事项1814项,占比58.90%,容缺受理事项1309项,占比42.50%。"
    "制定147个双随机抽查任务,涉及抽查对象6731户次,各部门已完成双随机抽查5935户次,完成率88.32%,"
    "检出问题的有1796户次,问题检出率为30.19%。主动公开生态环境信息40余条。"
)


# -------------------------------------------------------------------------------- X-METRIC-BOUNDS


@pytest.mark.parametrize("fid", FORMATS)
def test_rate_bounds(fid: str) -> None:
    ok = (rate("a", "网上办理开通率", "99.74"), rate("b", "即办事项占比", "76.75", 2364, 3080))
    assert issues_of("X-METRIC-BOUNDS", report(fid, metrics=ok)) == []
    found = issues_of("X-METRIC-BOUNDS", report(fid, metrics=(rate("a", "网上办理开通率", "120"),)))
    assert len(found) == 1 and found[0].severity == "warning" and "120%" in found[0].message
    found = issues_of("X-METRIC-BOUNDS", report(fid, metrics=(rate("b", "即办事项占比", "130", 4004, 3080),)))
    # out of range, and numerator > denominator
    assert {i.severity for i in found} == {"error"} and len(found) == 2
    assert any("分子 4004 大于分母 3080" in i.message for i in found)
    found = issues_of("X-METRIC-BOUNDS", report(fid, metrics=(rate("c", "完成率", "0", 5, 0),)))
    assert len(found) == 1 and "分母为 0" in found[0].message and found[0].severity == "error"
    found = issues_of("X-METRIC-BOUNDS", report(fid, metrics=(rate("d", "完成率", "10", -1, 10),)))
    assert len(found) == 1 and "负数" in found[0].message


# ---------------------------------------------------------------------------------- X-METRIC-RATE


@pytest.mark.parametrize("fid", FORMATS)
def test_stated_rate_against_numerator_and_denominator(fid: str) -> None:
    good = (
        rate("instant_share", "即办事项占比", "76.75", 2364, 3080),
        rate("notify_share", "告知承诺事项占比", "58.9", 1814, 3080),  # the text writes 58.90%: 2 decimals
        rate("tolerance_share", "容缺受理事项占比", "42.5", 1309, 3080),
    )
    assert issues_of("X-METRIC-RATE", report(fid, p1=SERVICE, metrics=good)) == []
    wrong = rate("citywide_share", "全市通办事项占比", "85.38", 2167, 3080)
    found = issues_of("X-METRIC-RATE", report(fid, p1=SERVICE, metrics=(*good, wrong)))
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "warning" and issue.part == "p1" and issue.paragraph == 1
    assert (issue.expected, issue.actual) == (Decimal("70.36"), Decimal("85.38"))
    assert "“全市通办事项2167项,占比85.38%”" in issue.message
    assert "85.38%" in issue.message and "70.36%" in issue.message and "2167 ÷ 3080" in issue.message
    assert issue.message.startswith("一、总体情况 （三）2.")


@pytest.mark.parametrize("fid", FORMATS)
def test_rate_precision_follows_the_text(fid: str) -> None:
    # 1814/3080 = 58.896…: "58.9" (1 decimal) and "58.90" (2) are right, "58.89" is truncated, not rounded
    assert (
        issues_of("X-METRIC-RATE", report(fid, metrics=(rate("x", "告知承诺事项占比", "58.9", 1814, 3080),)))
        == []
    )
    found = issues_of(
        "X-METRIC-RATE", report(fid, metrics=(rate("x", "告知承诺事项占比", "58.89", 1814, 3080),))
    )
    assert len(found) == 1 and found[0].part == "metrics" and "58.90%" in found[0].message
    text = "告知承诺事项1814项,占比58.9%。"
    found = issues_of(
        "X-METRIC-RATE", report(fid, p1=text, metrics=(rate("x", "告知承诺事项占比", "58.9", 1814, 3080),))
    )
    assert found == []


# ---------------------------------------------------------------------------------- X-METRIC-TEXT


@pytest.mark.parametrize("fid", FORMATS)
def test_text_figure_against_the_register(fid: str) -> None:
    good = (
        count("items", "政务服务事项总数", 3080),
        rate("online", "网上办理开通率", "99.74"),
        count("tasks", "双随机抽查任务", 147, "个"),
        count("env", "主动公开生态环境信息", 40, "条"),
        rate("instant_share", "即办事项占比", "76.75"),
    )
    assert issues_of("X-METRIC-TEXT", report(fid, p1=SERVICE, metrics=good)) == []
    bad = (count("items", "政务服务事项总数", 3081), count("tasks", "双随机抽查任务", 148, "个"))
    found = issues_of("X-METRIC-TEXT", report(fid, p1=SERVICE, metrics=bad))
    assert [(i.expected, i.actual) for i in found] == [(3081, 3080), (148, 147)]
    assert "“政务服务事项总数达3080项”" in found[0].message and "3081项" in found[0].message
    assert "147个" in found[1].message
    found = issues_of("X-METRIC-TEXT", report(fid, p1=SERVICE, metrics=(rate("s", "即办事项占比", "76.7"),)))
    assert len(found) == 1 and "76.75%" in found[0].message


# ----------------------------------------------------------------------------------- X-TEXT-RATE


@pytest.mark.parametrize("fid", FORMATS)
def test_rates_in_the_text_against_their_implied_base(fid: str) -> None:
    found = issues_of("X-TEXT-RATE", report(fid, p1=SERVICE))
    got = {i.anchor: (i.expected, i.actual) for i in found}
    assert got == {
        "全市通办事项2167项,占比85.38%": (Decimal("70.36"), Decimal("85.38")),
        "各部门已完成双随机抽查5935户次,完成率88.32%": (Decimal("88.17"), Decimal("88.32")),
        "检出问题的有1796户次,问题检出率为30.19%": (Decimal("30.26"), Decimal("30.19")),
    }
    msg = [i.message for i in found if "2167" in i.message][0]
    assert "2167项 ÷ 3080项" in msg and "政务服务事项总数达3080项" in msg and "70.36%" in msg
    fixed = SERVICE.replace("85.38%", "70.36%").replace("88.32%", "88.17%").replace("30.19%", "30.26%")
    assert issues_of("X-TEXT-RATE", report(fid, p1=fixed)) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_text_rate_left_to_the_metric_that_holds_it(fid: str) -> None:
    metric = rate("citywide_share", "全市通办事项占比", "85.38", 2167, 3080)
    rep = report(fid, p1=SERVICE, metrics=(metric,))
    anchors = {i.anchor for i in issues_of("X-TEXT-RATE", rep)}
    assert "全市通办事项2167项,占比85.38%" not in anchors and len(anchors) == 2
    assert len(issues_of("X-METRIC-RATE", rep)) == 1


def test_rate_without_a_base_is_not_guessed() -> None:
    text = "网上办理开通率99.74%,掌上办理开通率98.70%。办件2000件,好评率99.5%。"
    assert issues_of("X-TEXT-RATE", report(p1=text)) == []
