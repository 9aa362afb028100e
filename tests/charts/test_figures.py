"""The drawn figures, read back from their Axes: bar sizes, value labels, tick labels, titles, fonts."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ruian_desk.charts.data import (
    ChartInputs,
    applicants,
    outcomes,
    report_charts,
    reviews,
    service_rates,
    trend_counts,
    trend_rates,
    tujie_page,
    unit_ranking,
)
from ruian_desk.charts.figures import (
    draw_applicants,
    draw_chart,
    draw_outcomes,
    draw_reviews,
    draw_service_rates,
    draw_trend,
    draw_unit_ranking,
)
from ruian_desk.charts.tujie import PAGE_SIZE, draw_tujie_page
from ruian_desk.domain.report import Metric
from ruian_desk.export.common import view_inputs

from .conftest import YEARS


def axes_of(fig: Figure, label: str):  # noqa: ANN201 - Axes
    found = [a for a in fig.get_axes() if a.get_label() == label]
    assert len(found) == 1, [a.get_label() for a in fig.get_axes()]
    return found[0]


def bars(ax) -> list[Rectangle]:  # noqa: ANN001
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def value_texts(ax) -> list[str]:  # noqa: ANN001
    return [t.get_text() for t in ax.texts if t.get_gid() == "value"]


def ytick_texts(ax) -> list[str]:  # noqa: ANN001
    return [t.get_text() for t in ax.get_yticklabels()]


def xtick_texts(ax) -> list[str]:  # noqa: ANN001
    return [t.get_text() for t in ax.get_xticklabels()]


def value_texts_of(chart) -> list[str]:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 6))
    draw_service_rates(fig, chart)
    return value_texts(axes_of(fig, "rates"))


def test_service_rates_figure(sample_view) -> None:  # noqa: ANN001
    from dataclasses import replace as _replace

    # the app's inputs (with the checker's doubts); the exports' inputs leave them out (test below)
    chart = service_rates(_replace(view_inputs(sample_view), doubts=True))
    fig = Figure(figsize=(7.5, 6))
    draw_service_rates(fig, chart)
    assert fig.get_suptitle() == "政务服务主要比率指标"
    ax = axes_of(fig, "rates")
    assert ax.get_title(loc="left") == "瑞安市人民政府 · 2019年"
    assert ax.get_xlim() == (0.0, 100.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    widths = [round(b.get_width(), 2) for b in bars(ax)]
    assert widths == [99.74, 100.0, 98.7, 76.75, 85.38, 58.9, 42.5, 94.95, 98.15, 88.32, 30.19]
    assert ytick_texts(ax)[0] == "网上办理开通率"
    assert ytick_texts(ax)[3] == "即办事项占比"
    texts = value_texts(ax)
    assert texts[0] == "99.74%" and texts[1] == "100%" and texts[2] == "98.70%"  # the report's precision
    assert texts[3] == "76.75%（2364/3080）" and "58.90%（1814/3080）" in texts
    # A stated rate its own parts do not give: the bar shows the report's figure and says what they give.
    assert "85.38%（2167/3080，按此计算为70.36%）" in texts
    assert "30.19%（1796/5935，按此计算为30.26%）" in texts
    # in a handed-over file the bar states the report's figure only
    exported = value_texts_of(service_rates(view_inputs(sample_view)))
    assert "85.38%（2167/3080）" in exported and not any("按此计算" in t for t in exported)
    # Bars are listed top-down in register order.
    ys = [b.get_y() for b in bars(ax)]
    assert ys == sorted(ys)
    assert ax.yaxis_inverted()


def test_rate_outside_0_100_is_clipped_but_labelled_with_its_value(sample_view) -> None:  # noqa: ANN001
    report = replace(sample_view.report, metrics=(Metric("x", "某比率", Decimal("104.5"), "%"),))
    fig = Figure()
    draw_service_rates(fig, service_rates(ChartInputs(report=report)))
    ax = axes_of(fig, "rates")
    assert bars(ax)[0].get_width() == 100.0
    label = next(t for t in ax.texts if t.get_gid() == "value")
    assert label.get_text() == "104.5%" and label.get_color() == "#b3261e"


def test_applicants_figure(sample_view) -> None:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 4))
    draw_applicants(fig, applicants(view_inputs(sample_view)))
    assert fig.get_suptitle() == "本年新收政府信息公开申请（按申请人类型）"
    ax = axes_of(fig, "applicants")
    assert "示例数据" in ax.get_title(loc="left") and "新收申请共2899件" in ax.get_title(loc="left")
    assert [b.get_width() for b in bars(ax)[:6]] == [2373, 270, 0, 42, 124, 90]
    assert ytick_texts(ax) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert value_texts(ax) == [
        "2373件（81.9%）",
        "270件（9.3%）",
        "0件（0.0%）",
        "42件（1.4%）",
        "124件（4.3%）",
        "90件（3.1%）",
    ]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["自然人", "法人或其他组织"]
    # The organisations are told apart from 自然人 by colour.
    colors = {tuple(b.get_facecolor()) for b in bars(ax)[1:6]}
    assert len(colors) == 1 and colors != {tuple(bars(ax)[0].get_facecolor())}


def test_outcomes_figure(sample_view) -> None:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 4))
    draw_outcomes(fig, outcomes(view_inputs(sample_view)))
    ax = axes_of(fig, "outcomes")
    assert fig.get_suptitle() == "本年度政府信息公开申请办理结果"
    assert ytick_texts(ax) == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert [b.get_width() for b in bars(ax)] == [1266, 234, 205, 884, 245, 56]
    assert value_texts(ax)[0] == "1266件（43.8%）"
    assert value_texts(ax)[3] == "884件（30.6%）"
    assert "办结共2890件" in ax.get_title(loc="left")


def test_reviews_figure(sample_view) -> None:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 4.8))
    draw_reviews(fig, reviews(view_inputs(sample_view)))
    ax = axes_of(fig, "reviews")
    assert fig.get_suptitle() == "政府信息公开行政复议、行政诉讼情况"
    assert xtick_texts(ax) == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    heights = [b.get_height() for b in bars(ax)]
    # 行政复议, then 未经复议直接起诉, then 复议后起诉 stacked on it.
    assert heights == [11, 4, 1, 2, 8, 4, 1, 1, 1, 0, 1, 0]
    stacked = bars(ax)[8:]
    assert [b.get_y() for b in stacked] == [8, 4, 1, 1]
    assert value_texts(ax) == ["11", "4", "1", "2", "9", "4", "2", "1"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "行政复议（共18件）",
        "行政诉讼·未经复议直接起诉（共14件）",
        "行政诉讼·复议后起诉（共2件）",
    ]


def test_unit_ranking_figure(sample_view) -> None:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 5))
    draw_unit_ranking(fig, unit_ranking(view_inputs(sample_view), top=4))
    ax = axes_of(fig, "units")
    assert fig.get_suptitle() == "各单位本年新收政府信息公开申请（前4名）"
    assert [b.get_width() for b in bars(ax)] == [1111, 594, 380, 334, 480]
    labels = ytick_texts(ax)
    assert labels[0] == "瑞安市自然资源和规划局\n（示例单位）"  # long names wrap before the bracket
    assert labels[-1] == "其他3个单位"
    assert value_texts(ax)[0] == "1111件（38.3%）"
    assert bars(ax)[-1].get_facecolor() != bars(ax)[0].get_facecolor()


def test_empty_trend_says_why(sample_view) -> None:  # noqa: ANN001
    fig = Figure()
    draw_trend(fig, trend_counts(view_inputs(sample_view)))
    ax = axes_of(fig, "trend_counts")
    assert not ax.axison
    assert any("只有2019年度" in t.get_text() for t in ax.texts)
    assert ax.get_title(loc="left") == "瑞安市人民政府 · 2019年"


def test_trend_counts_figure(multi_view) -> None:  # noqa: ANN001
    chart = trend_counts(view_inputs(multi_view))
    fig = Figure(figsize=(7.5, 6.6))
    draw_trend(fig, chart)
    assert fig.get_suptitle() == "历年政府信息公开申请、行政复议、行政诉讼"
    head = axes_of(fig, "trend_counts:header")
    assert head.get_title(loc="left") == "测试市人民政府 · 2019—2023年"
    apps = axes_of(fig, "trend_counts:政府信息公开申请（件）")
    assert xtick_texts(apps) == [f"{y}年" for y in YEARS]
    heights = [b.get_height() for b in bars(apps)]
    new, done = chart.series[0].values, chart.series[1].values
    assert heights == [*new, *done]
    assert value_texts(apps)[:5] == [str(v) for v in new]
    assert [t.get_text() for t in apps.get_legend().get_texts()] == ["新收申请", "办结"]
    cases = axes_of(fig, "trend_counts:行政复议、行政诉讼（件）")
    assert [b.get_height() for b in bars(cases)] == [*chart.series[2].values, *chart.series[3].values]


def test_trend_rates_figure_has_one_panel_per_rate(multi_view) -> None:  # noqa: ANN001
    fig = Figure(figsize=(7.5, 3.5))
    draw_trend(fig, trend_rates(view_inputs(multi_view)))
    zero = axes_of(fig, "trend_rates:零次跑实现率")
    assert zero.get_title() == "零次跑实现率"
    ys = list(zero.get_lines()[0].get_ydata())
    assert ys[:2] == [95.0, 96.0] and math.isnan(ys[2]) and ys[3:] == [98.0, 99.0]
    assert value_texts(zero) == ["95%", "96%", "98%", "99%"]
    assert xtick_texts(zero) == [str(y) for y in YEARS]
    online = axes_of(fig, "trend_rates:网上办理开通率")
    assert value_texts(online)[-1] == "98.5%"


def test_error_subtitle_is_red(sample_view) -> None:  # noqa: ANN001
    report = sample_view.report
    broken = report.with_cells({**report.cells, "t4.count.rv_total": 99})
    from ruian_desk.domain.rules import run_checks

    chart = reviews(ChartInputs(report=broken, issues=tuple(run_checks(broken))))
    fig = Figure()
    draw_reviews(fig, chart)
    ax = axes_of(fig, "reviews")
    from matplotlib.text import Text

    title = next(t for t in ax.findobj(Text) if t.get_text() == ax.get_title(loc="left"))
    assert "数据有误" in title.get_text() and title.get_color() == "#b3261e"


def _render_all(fig: Figure) -> list[str]:
    """Draw to PNG and return matplotlib's warnings (a missing glyph is a warning, drawn as a box)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(BytesIO(), format="png", dpi=60)
    return [str(w.message) for w in caught]


def test_every_chart_draws_with_the_bundled_sc_font(sample_view, multi_view) -> None:  # noqa: ANN001
    from matplotlib.font_manager import findfont

    for view in (sample_view, multi_view):
        for chart in report_charts(view_inputs(view)):
            fig = Figure(figsize=(7.5, 5))
            draw_chart(fig, chart)
            assert _render_all(fig) == [], chart.key
            texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontproperties")) if t.get_text()]
            assert texts
            for t in texts:
                assert findfont(t.get_fontproperties()).endswith("NotoSansSC-Regular.otf"), t.get_text()


def test_figure_is_reused_without_leftovers(sample_view, multi_view) -> None:  # noqa: ANN001
    fig = Figure()
    charts = report_charts(view_inputs(multi_view))
    for chart in charts:
        draw_chart(fig, chart)
    draw_chart(fig, charts[1])
    assert [a.get_label() for a in fig.get_axes()] == ["applicants"]
    assert fig.get_suptitle() == charts[1].title


@pytest.mark.parametrize("which", ["sample", "multi"])
def test_tujie_page_figure(which: str, sample_view, multi_view) -> None:  # noqa: ANN001
    view = sample_view if which == "sample" else multi_view
    page = tujie_page(view_inputs(view))
    fig = Figure(figsize=PAGE_SIZE)
    draw_tujie_page(fig, page)
    assert fig.get_suptitle() == page.title
    labels = {a.get_label() for a in fig.get_axes()}
    assert {"rates", "applicants", "outcomes", "reviews", "units"} <= labels
    assert ("trend_counts:政府信息公开申请（件）" in labels) == (which == "multi")
    subtitles = [a.get_title(loc="left") for a in fig.get_axes() if a.get_label() == "applicants"]
    # On the page the unit and year are in the page title, not repeated under each chart.
    assert "瑞安市人民政府" not in subtitles[0]
    assert ("示例数据" in subtitles[0]) == (which == "sample")
    assert _render_all(fig) == []


def test_negative_and_percent_signs_render(sample_view) -> None:  # noqa: ANN001
    report = replace(sample_view.report, metrics=(Metric("x", "某比率", Decimal("-5"), "%"),))
    fig = Figure()
    draw_service_rates(fig, service_rates(ChartInputs(report=report)))
    ax = axes_of(fig, "rates")
    assert bars(ax)[0].get_width() == 0.0
    assert value_texts(ax) == ["-5%"]  # ASCII hyphen-minus (axes.unicode_minus off), as the tables print
    assert _render_all(fig) == []
