"""Chart data: the same values as the tables, shares adding to 100 %, errors and 示例数据 flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruian_desk.charts.data import (
    ChartInputs,
    applicants,
    outcome_rows,
    outcomes,
    report_charts,
    reviews,
    service_rates,
    shares,
    trend_counts,
    trend_rates,
    tujie_page,
    unit_ranking,
)
from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Metric
from ruian_desk.domain.rules import Issue, run_checks
from ruian_desk.export.common import view_inputs

from .conftest import MAIN, YEARS

D = Decimal


# ------------------------------------------------------------------------------------------ shares


def test_shares_add_up_to_100_with_largest_remainder() -> None:
    assert shares([1, 1, 1]) == [D("33.4"), D("33.3"), D("33.3")]
    assert shares([2, 1]) == [D("66.7"), D("33.3")]
    # Half-up alone would give 16.7 × 6 = 100.2; largest remainder keeps the sum at 100.0.
    six = shares([1] * 6)
    assert sum(six) == 100
    assert six.count(D("16.7")) == 4 and six.count(D("16.6")) == 2


def test_shares_agree_with_half_up_when_that_already_adds_up() -> None:
    values = [1266, 234, 205, 884, 245, 56]
    half_up = [(D(v) * 100 / sum(values)).quantize(D("0.1"), rounding="ROUND_HALF_UP") for v in values]
    assert sum(half_up) == 100
    assert shares(values) == half_up


def test_shares_of_nothing_are_none() -> None:
    assert shares([0, 0, 0]) == [None, None, None]
    assert shares([]) == []


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_shares_property(values: list[int]) -> None:
    out = shares(values)
    if sum(values) == 0:
        assert out == [None] * len(values)
        return
    assert sum(out) == 100  # type: ignore[arg-type]
    for v, s in zip(values, out, strict=True):
        exact = D(v) * 100 / D(sum(values))
        assert s is not None and abs(s - exact) < D("0.1")


# ------------------------------------------------------------------------------------------ sample


def test_applicants_are_the_t3_new_row(sample_view) -> None:  # noqa: ANN001
    chart = applicants(view_inputs(sample_view))
    assert [b.label for b in chart.bars] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert [b.value for b in chart.bars] == [2373, 270, 0, 42, 124, 90]
    assert [b.group for b in chart.bars] == [""] + ["法人或其他组织"] * 5
    assert chart.total == 2899 == sample_view.report.values.number("t3.new.total")
    assert sum(b.share for b in chart.bars) == 100
    assert chart.bars[0].share == D("81.9")
    assert chart.sample and "示例数据" in chart.subtitle()
    assert "新收申请共2899件" in chart.subtitle()
    assert not chart.errors


def test_outcomes_use_group_subtotals(sample_view) -> None:  # noqa: ANN001
    report = sample_view.report
    chart = outcomes(view_inputs(sample_view))
    assert [b.label for b in chart.bars] == [
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
    ]
    assert [b.value for b in chart.bars] == [1266, 234, 205, 884, 245, 56]
    assert chart.bars[2].value == report.values.number("t3.g3_withheld.total")
    assert chart.bars[5].value == report.values.number("t3.r6_other.total")  # 2019: a single row
    assert chart.total == 2890 == sum(b.value for b in chart.bars)
    assert [b.share for b in chart.bars] == [D("43.8"), D("8.1"), D("7.1"), D("30.6"), D("8.5"), D("1.9")]
    assert "办结共2890件" in chart.subtitle()


def test_outcome_rows_follow_the_format() -> None:
    assert [c for c, _ in outcome_rows(get_format("gov-2019"))][-1] == "t3.r6_other.total"
    assert [c for c, _ in outcome_rows(get_format("gov-2021"))][-1] == "t3.g6_other.total"
    assert [c for c, _ in outcome_rows(get_format("gov-2021"))][2] == "t3.g3_withheld.total"


def test_reviews_split_suits_by_kind(sample_view) -> None:  # noqa: ANN001
    chart = reviews(view_inputs(sample_view))
    assert chart.categories == ("结果维持", "结果纠正", "其他结果", "尚未审结")
    review, suit = chart.stacks
    assert review.label == "行政复议" and review.total == 18
    assert review.segments[0].values == (11, 4, 1, 2)
    assert suit.label == "行政诉讼" and suit.total == 16
    assert [s.label for s in suit.segments] == ["未经复议直接起诉", "复议后起诉"]
    assert suit.segments[0].values == (8, 4, 1, 1)
    assert suit.segments[1].values == (1, 0, 1, 0)
    assert suit.totals() == (9, 4, 2, 1)
    assert "行政复议共18件" in chart.subtitle() and "行政诉讼共16件" in chart.subtitle()
    assert chart.sample


def test_service_rates_are_the_rate_metrics(sample_view) -> None:  # noqa: ANN001
    chart = service_rates(view_inputs(sample_view))
    labels = [b.label for b in chart.rates]
    assert labels[:3] == ["网上办理开通率", "除去不宜实现网办事项实现率", "掌上办理开通率"]
    assert "零次跑实现率" in labels and "承诺时限压缩比" in labels and "即办事项占比" in labels
    assert len(chart.rates) == len([m for m in sample_view.report.metrics if m.unit == "%"]) == 11
    instant = chart.rates[labels.index("即办事项占比")]
    assert instant.value == D("76.75") and instant.detail == "2364/3080"
    assert chart.rates[labels.index("网上办理开通率")].detail == ""
    # The metrics reproduce the published report: they are not 示例数据, the tables are.
    assert not chart.sample and "示例数据" not in chart.subtitle()


def test_unit_ranking_sorted_with_rest(sample_view) -> None:  # noqa: ANN001
    inputs = view_inputs(sample_view)
    chart = unit_ranking(inputs)
    values = [b.value for b in chart.bars]
    assert values == sorted(values, reverse=True) == [1111, 594, 380, 334, 219, 170, 91]
    assert chart.bars[0].label == "瑞安市自然资源和规划局（示例单位）"
    assert chart.total == 2899 and sum(b.share for b in chart.bars) == 100
    assert "7个单位合计2899件" in chart.subtitle() and chart.sample
    top3 = unit_ranking(inputs, top=3)
    assert [b.value for b in top3.bars] == [1111, 594, 380, 334 + 219 + 170 + 91]
    assert top3.bars[-1].label == "其他4个单位" and top3.bars[-1].group == "rest"
    assert "前3名" in top3.title
    assert sum(b.share for b in top3.bars) == 100


def test_unit_ranking_notes_a_sum_that_differs_from_the_table(sample_view) -> None:  # noqa: ANN001
    report = sample_view.report
    changed = report.with_cells({**report.cells, "t3.new.np": 2000})
    chart = unit_ranking(ChartInputs(report=changed, units=sample_view.units))
    assert "与本报告表三新收申请总计2526件不一致" in chart.subtitle()


def test_single_year_trends_say_why_they_are_empty(sample_view) -> None:  # noqa: ANN001
    chart = trend_counts(view_inputs(sample_view))
    assert not chart.has_data and "只有2019年度" in chart.empty_reason
    assert chart.years == (2019,)


def test_unit_report_has_no_ranking(sample_ws) -> None:  # noqa: ANN001
    rid = sample_ws.repo.find_report("瑞安市公安局（示例单位）", 2019)
    report = sample_ws.repo.load_report(rid)
    chart = unit_ranking(ChartInputs(report=report))
    assert not chart.has_data and "没有汇总的单位" in chart.empty_reason


# ------------------------------------------------------------------------------------------ errors


def test_errors_on_drawn_cells_are_flagged(sample_view) -> None:  # noqa: ANN001
    report = sample_view.report
    # A stated 总计 that disagrees with its row (as a returned template can carry): T3-ROWSUM error.
    broken = report.with_cells({**report.cells, "t4.count.rv_total": 99})
    issues = run_checks(broken)
    assert any(i.severity == "error" for i in issues)
    inputs = ChartInputs(report=broken, issues=tuple(issues), units=sample_view.units)
    assert reviews(inputs).errors
    assert "数据有误" in reviews(inputs).subtitle()
    assert not applicants(inputs).errors and not outcomes(inputs).errors
    # The drawn figure is the computed total, the same as the printed table shows.
    assert reviews(inputs).stacks[0].total == 18


def test_group_subtotal_errors_reach_the_outcomes_chart(sample_view) -> None:  # noqa: ANN001
    report = sample_view.report
    broken = report.with_cells({**report.cells, "t3.r3_4.np": 70})  # breaks T3-RESULTSUM / T3-BALANCE
    inputs = ChartInputs(report=broken, issues=tuple(run_checks(broken)))
    assert outcomes(inputs).errors
    assert outcomes(inputs).bars[2].value == 205 - 62 + 70


def test_metric_errors_reach_the_rates_chart(sample_view) -> None:  # noqa: ANN001
    issue = Issue("M-RATE", "error", "即办事项占比：分子大于分母", cells=("instant_share",), part="metrics")
    unrelated = Issue("M-RATE", "warning", "网上办理开通率：…", cells=("online_rate",), part="metrics")
    chart = service_rates(ChartInputs(report=sample_view.report, issues=(issue, unrelated)))
    assert chart.errors == ("即办事项占比：分子大于分母",)
    by_label = Issue("M-TEXT", "error", "正文中的即办事项占比与指标不符", part="metrics")
    assert service_rates(ChartInputs(report=sample_view.report, issues=(by_label,))).errors


def test_rate_without_value_uses_the_computed_rate(sample_view) -> None:  # noqa: ANN001
    from dataclasses import replace

    report = replace(
        sample_view.report,
        metrics=(
            Metric("a", "甲率", None, "%", numerator=D(1), denominator=D(3)),
            Metric("b", "乙率", None, "%"),
        ),
    )
    chart = service_rates(ChartInputs(report=report))
    assert [(b.label, b.value, b.detail) for b in chart.rates] == [("甲率", D("33.33"), "1/3")]
    assert chart.missing == ("乙率",) and "未填数值：乙率" in chart.subtitle()


# ------------------------------------------------------------------------------------------ years


def test_trends_over_the_workspace_years(multi_view) -> None:  # noqa: ANN001
    inputs = view_inputs(multi_view)
    assert sorted(r.year for r in multi_view.history) == [2019, 2020, 2021, 2022]
    chart = trend_counts(inputs)
    assert chart.years == YEARS and chart.has_data
    by_year = {r.year: r for r in [*multi_view.history, multi_view.report]}
    new, done, review, suit = chart.series
    assert new.values == tuple(by_year[y].values.number("t3.new.total") for y in YEARS)
    assert done.values == tuple(by_year[y].values.number("t3.r7_total.total") for y in YEARS)
    assert review.values == tuple(by_year[y].values.number("t4.count.rv_total") for y in YEARS)
    assert suit.values == tuple(
        by_year[y].values.number("t4.count.ld_total") + by_year[y].values.number("t4.count.la_total")
        for y in YEARS
    )
    assert {s.panel for s in chart.series} == {"政府信息公开申请（件）", "行政复议、行政诉讼（件）"}
    assert "2019—2023年" in chart.subtitle()
    assert not chart.sample and not chart.errors


def test_rate_trends_leave_gaps(multi_view) -> None:  # noqa: ANN001
    chart = trend_rates(view_inputs(multi_view))
    assert [s.label for s in chart.series] == ["网上办理开通率", "即办事项占比", "零次跑实现率"]
    online, instant, zero = chart.series
    assert online.values == (D("90.5"), D("92.5"), D("94.5"), D("96.5"), D("98.5"))
    assert instant.values[0] == D("66.67")
    assert zero.values[2] is None  # 2021 has no such metric: a gap, never a 0
    assert zero.values[3] == D("98")


def test_outcomes_2021_other_is_the_group_of_three_rows(multi_view) -> None:  # noqa: ANN001
    report = multi_view.report
    assert report.format_id == "gov-2021"
    chart = outcomes(view_inputs(multi_view))
    other = sum(report.values.number(f"t3.r6_{i}.total") for i in (1, 2, 3))
    assert chart.bars[-1].label == "其他处理" and chart.bars[-1].value == other
    assert chart.total == report.values.number("t3.r7_total.total") == sum(b.value for b in chart.bars)


def test_every_chart_of_the_multi_year_report_has_data(multi_view) -> None:  # noqa: ANN001
    charts = report_charts(view_inputs(multi_view))
    assert [c.key for c in charts] == [
        "rates",
        "applicants",
        "outcomes",
        "reviews",
        "trend_counts",
        "trend_rates",
        "units",
    ]
    assert all(c.has_data for c in charts), [c.empty_reason for c in charts]
    assert all(not c.sample for c in charts)
    ranking = charts[-1]
    assert [b.label for b in ranking.bars][0] == "测试市甲局"
    assert ranking.total == multi_view.report.values.number("t3.new.total")


def test_errors_in_another_year_reach_the_trend(multi_view) -> None:  # noqa: ANN001
    old = multi_view.history[0]
    broken = old.with_cells({**old.cells, "t3.new.total": 1})
    inputs = ChartInputs(report=multi_view.report, history=(broken, *multi_view.history[1:]))
    chart = trend_counts(inputs)
    assert chart.errors and all(e.startswith(f"{old.year}年：") for e in chart.errors)


def test_tujie_page_picks_charts_with_data(sample_view, multi_view) -> None:  # noqa: ANN001
    page = tujie_page(view_inputs(sample_view))
    assert page.title == "瑞安市人民政府2019年政府信息公开工作年度报告 图解"
    assert page.top is not None and page.top.key == "rates"
    assert [c.key for c in page.paired] == ["applicants", "outcomes", "reviews", "units"]
    assert page.bottom is None  # one year only
    assert any("示例数据" in n for n in page.notes)
    multi = tujie_page(view_inputs(multi_view))
    assert multi.bottom is not None and multi.bottom.key == "trend_counts"
    assert not any("示例数据" in n for n in multi.notes)


@pytest.mark.parametrize("year", YEARS)
def test_charts_of_every_year_read_the_tables(multi_year_ws, year: int) -> None:  # noqa: ANN001
    from ruian_desk.export.view import build_view

    view = build_view(multi_year_ws.repo, multi_year_ws.repo.find_report(MAIN, year))
    report = view.report
    charts = {c.key: c for c in report_charts(view_inputs(view))}
    assert charts["applicants"].total == report.values.number("t3.new.total")
    assert charts["outcomes"].total == report.values.number("t3.r7_total.total")
    assert charts["reviews"].stacks[0].total == report.values.number("t4.count.rv_total")
    assert charts["trend_counts"].has_data  # every year sees the other four
