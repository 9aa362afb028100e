"""Drawing the summary charts on a plain matplotlib `Figure` (or `SubFigure`): no pyplot, no Qt.

Each `draw_*(fig, chart)` clears `fig` and draws one chart from the plain data of `charts.data`; the Qt
panel draws on its canvas's figure, the exporters on a figure of their own. Every number on a chart is
written on it (values on bars, shares, numerator/denominator), so a printed 图解 is readable without axes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ruian_desk.charts.data import (
    BarsChart,
    Chart,
    RatesChart,
    Series,
    StacksChart,
    TrendChart,
    plain_decimal,
)
from ruian_desk.charts.fonts import chart_font_family
from ruian_desk.domain.report import Number, format_number

AnyFigure = Figure | SubFigure

PRIMARY = "#2f5d8a"
SECONDARY = "#8db0d4"
REST = "#a5a9ad"
ACCENT = "#c8702a"
ACCENT_LIGHT = "#ecb583"
ERROR = "#b3261e"
TEXT = "#202124"
MUTED = "#5f6368"
GRID = "#e3e6ea"
SERIES_COLORS = (PRIMARY, ACCENT, "#4f8a4f", "#8e4b8e", "#3d8da8", "#8a6d3b", "#b3261e", "#5f6368")

DEFAULT_SIZE = 10.0  # base font size in points


# ------------------------------------------------------------------------------------------ common


def _setup(fig: AnyFigure, chart: Chart, size: float, compact: bool) -> None:
    chart_font_family()
    fig.clear()
    if isinstance(fig, Figure):
        fig.set_layout_engine("constrained")
    fig.set_facecolor("white")
    if chart.title:  # a document prints the title as the caption instead
        fig.suptitle(chart.title, fontsize=size * 1.3, color=TEXT, x=0.01, ha="left")


def _subtitle(ax, chart: Chart, size: float, compact: bool) -> None:  # noqa: ANN001 - Axes
    """The line under the title: unit and year, 示例数据, totals, and a warning when the data has errors."""
    text = chart.subtitle(with_context=not compact)
    if not text:
        return
    fig_width_pt = ax.get_figure().get_window_extent().width * 72 / ax.get_figure().dpi
    ax.set_title(
        _wrap_parts(text.split(" · "), fig_width_pt, size * 0.85),
        loc="left",
        fontsize=size * 0.85,
        color=ERROR if chart.errors else MUTED,
        pad=size * 0.6,
    )


def _wrap_parts(parts: Sequence[str], width_pt: float, font_pt: float) -> str:
    """Join subtitle parts with " · ", breaking between parts where a line would run off the figure."""
    max_chars = max(12, int(width_pt * 0.92 / font_pt))
    lines: list[str] = []
    line = ""
    for part in parts:
        candidate = f"{line} · {part}" if line else part
        if line and _text_width(candidate) > max_chars:
            lines.append(line)
            line = part
        else:
            line = candidate
    if line:
        lines.append(line)
    return "\n".join(lines)


def _text_width(text: str) -> float:
    """Width in em: CJK characters are one em, Latin and digits about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _wrap_label(label: str, max_em: float) -> str:
    """Break a long category label into lines of at most `max_em` ems (at most three lines)."""
    if _text_width(label) <= max_em:
        return label
    # A bracketed suffix such as “（示例单位）” goes to its own line rather than being cut in two.
    cut = label.rfind("（")
    if 0 < cut and _text_width(label[:cut]) <= max_em and _text_width(label[cut:]) <= max_em:
        return label[:cut] + "\n" + label[cut:]
    lines: list[str] = []
    line = ""
    for ch in label:
        if line and _text_width(line + ch) > max_em:
            lines.append(line)
            line = ch
        else:
            line += ch
    lines.append(line)
    if len(lines) > 3:
        lines = [*lines[:2], "".join(lines[2:])]
    return "\n".join(lines)


def _style_axes(ax, size: float, grid_axis: str) -> None:  # noqa: ANN001 - Axes
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#9aa0a6")
    ax.tick_params(labelsize=size * 0.85, colors=TEXT, length=3)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(fig: AnyFigure, chart: Chart, size: float, compact: bool) -> None:
    ax = fig.add_subplot()
    ax.set_label(chart.key)
    _subtitle(ax, chart, size, compact)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        chart.empty_reason,
        ha="center",
        va="center",
        fontsize=size,
        color=MUTED,
        wrap=True,
        transform=ax.transAxes,
    )


def _count_text(value: Number, unit: str) -> str:
    return f"{format_number(value)}{unit}"


def _share_text(share: Decimal | None) -> str:
    return "" if share is None else f"{share}%"


def _percent_axis(value: float, _pos: int) -> str:
    return f"{value:g}%"


# ------------------------------------------------------------------------------------------ charts


def draw_service_rates(
    fig: AnyFigure, chart: RatesChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """Rate metrics as horizontal bars on a 0–100 % axis, each with its value and numerator/denominator."""
    ax = _single_axes(fig, chart, size, compact, "x")
    if ax is None:
        return
    n = len(chart.rates)
    ys = list(range(n))
    values = [float(b.value) for b in chart.rates]
    widths = [min(max(v, 0.0), 100.0) for v in values]
    ax.barh(ys, widths, height=0.62, color=PRIMARY, edgecolor="none")
    ax.set_yticks(ys, labels=[_wrap_label(b.label, 14) for b in chart.rates], fontsize=size * 0.9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(FuncFormatter(_percent_axis))
    label_size = size * 0.85
    placed: list[tuple[Text, float, bool]] = []
    for y, bar, v, w in zip(ys, chart.rates, values, widths, strict=True):
        text = f"{format_number(bar.value)}%"  # as the report states it: 98.70%, not 98.7%
        if bar.detail:
            text += f"（{bar.detail}）"
        out_of_range = v < 0 or v > 100
        inside = w >= 45 and not out_of_range  # first guess; _fit_value_labels measures and decides
        placed.append(
            (
                ax.text(
                    w - 1 if inside else w + 1,
                    y,
                    text,
                    ha="right" if inside else "left",
                    va="center",
                    fontsize=label_size,
                    color="white" if inside else (ERROR if out_of_range else TEXT),
                    gid="value",
                ),
                w,
                out_of_range,
            )
        )
    _fit_value_labels(fig, ax, placed, label_size, size * 0.55)


def _single_axes(fig: AnyFigure, chart: Chart, size: float, compact: bool, grid: str) -> Axes | None:
    """The one plot area of a single-axes chart, titled and styled; None (an empty-chart note drawn instead)
    when the chart has no data."""
    _setup(fig, chart, size, compact)
    if not chart.has_data:
        _empty(fig, chart, size, compact)
        return None
    ax = fig.add_subplot()
    ax.set_label(chart.key)
    _subtitle(ax, chart, size, compact)
    _style_axes(ax, size, grid)
    return ax


def _fit_value_labels(
    fig: AnyFigure, ax: Axes, placed: list[tuple[Text, float, bool]], size: float, smallest: float
) -> None:
    """Put each bar's value label where it fits, measured after layout: inside a long enough bar (white),
    else beyond its end; where it fits on neither side (a narrow window), on the roomier side in a smaller
    size, so that a label never runs over the category names or off the plot."""
    root = fig if isinstance(fig, Figure) else fig.figure
    root.draw_without_rendering()  # lays the figure out: the extents below are the real ones
    x0, x100 = (ax.transData.transform((x, 0))[0] for x in (0, 100))
    per_unit = max((x100 - x0) / 100, 1e-6)
    for text, w, out_of_range in placed:
        text.set_fontsize(size)
        need = text.get_window_extent().width / per_unit + 1
        room_in, room_out = w - 1, 100 - w - 1
        inside = not out_of_range and (need <= room_in or (need > room_out and room_in > room_out))
        room = room_in if inside else room_out
        if need > room and not out_of_range:
            text.set_fontsize(max(size * room / need, smallest))
        text.set_x(w - 1 if inside else w + 1)
        text.set_horizontalalignment("right" if inside else "left")
        text.set_color("white" if inside else (ERROR if out_of_range else TEXT))


def _draw_hbars(fig: AnyFigure, chart: BarsChart, size: float, compact: bool) -> None:
    ax = _single_axes(fig, chart, size, compact, "x")
    if ax is None:
        return
    n = len(chart.bars)
    ys = list(range(n))
    values = [float(b.value) for b in chart.bars]
    colors = [REST if b.group == "rest" else SECONDARY if b.group else PRIMARY for b in chart.bars]
    ax.barh(ys, values, height=0.62, color=colors, edgecolor="none")
    ax.set_yticks(ys, labels=[_wrap_label(b.label, 13) for b in chart.bars], fontsize=size * 0.9)
    ax.invert_yaxis()
    top = max(values) if values else 0
    # Room to the right of the longest bar for its "1234件（56.7%）" label.
    ax.set_xlim(0, max(top, 1) * 1.32)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    pad = max(top, 1) * 0.01
    for y, bar, v in zip(ys, chart.bars, values, strict=True):
        text = _count_text(bar.value, chart.unit)
        if bar.share is not None:
            text += f"（{_share_text(bar.share)}）"
        ax.text(v + pad, y, text, ha="left", va="center", fontsize=size * 0.85, color=TEXT, gid="value")
    groups = [g for g in dict.fromkeys(b.group for b in chart.bars) if g and g != "rest"]
    if groups:
        primary_labels = [b.label for b in chart.bars if not b.group]
        handles = [Patch(color=PRIMARY, label="、".join(primary_labels))] if primary_labels else []
        handles += [Patch(color=SECONDARY, label=g) for g in groups]
        ax.legend(handles=handles, loc="lower right", fontsize=size * 0.8, frameon=False)


def draw_applicants(
    fig: AnyFigure, chart: BarsChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """新收申请 by applicant type: 自然人 and the five 法人或其他组织 columns, counts and shares."""
    _draw_hbars(fig, chart, size, compact)


def draw_outcomes(
    fig: AnyFigure, chart: BarsChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """办理结果 by group (予以公开 … 其他处理), counts and shares of （七）总计."""
    _draw_hbars(fig, chart, size, compact)


def draw_unit_ranking(
    fig: AnyFigure, chart: BarsChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """新收申请 by unit, the largest first, the rest collected in one grey bar."""
    _draw_hbars(fig, chart, size, compact)


def draw_reviews(
    fig: AnyFigure, chart: StacksChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """行政复议 and 行政诉讼 side by side for each result; 行政诉讼 stacks its two kinds of suit."""
    ax = _single_axes(fig, chart, size, compact, "y")
    if ax is None:
        return
    k = len(chart.stacks)
    width = 0.8 / max(k, 1)
    xs = list(range(len(chart.categories)))
    palettes = [(PRIMARY, SECONDARY), (ACCENT, ACCENT_LIGHT), ("#4f8a4f", "#a9cfa9")]
    top = max((float(t) for s in chart.stacks for t in s.totals()), default=0.0)
    ymax = max(top, 1.0) * 1.28
    # A segment holds its value when it is taller than about one line of text (the axes take roughly
    # two thirds of the figure's height).
    fig_height_pt = fig.bbox.height * 72 / fig.dpi
    min_label_height = ymax * size * 1.2 / max(fig_height_pt * 0.65, 1.0)
    handles = []
    for si, stack in enumerate(chart.stacks):
        offset = (si - (k - 1) / 2) * width
        bottoms = [0.0] * len(xs)
        colors = palettes[si % len(palettes)]
        for gi, seg in enumerate(stack.segments):
            color = colors[gi % len(colors)]
            heights = [float(v) for v in seg.values]
            ax.bar(
                [x + offset for x in xs],
                heights,
                width=width * 0.92,
                bottom=bottoms,
                color=color,
                edgecolor="white" if len(stack.segments) > 1 else "none",
                linewidth=0.6,
            )
            if len(stack.segments) > 1:
                for x, b, h, v in zip(xs, bottoms, heights, seg.values, strict=True):
                    if h >= min_label_height:  # segment values only where they fit inside
                        ax.text(
                            x + offset,
                            b + h / 2,
                            format_number(v),
                            ha="center",
                            va="center",
                            fontsize=size * 0.75,
                            color="white" if gi == 0 else TEXT,
                            gid="segment",
                        )
            seg_total = sum((v for v in seg.values), start=0)
            label = stack.label if len(stack.segments) == 1 else f"{stack.label}·{seg.label}"
            handles.append(Patch(color=color, label=f"{label}（共{format_number(seg_total)}件）"))
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for x, total in zip(xs, stack.totals(), strict=True):
            ax.text(
                x + offset,
                float(total) + ymax * 0.01,
                format_number(total),
                ha="center",
                va="bottom",
                fontsize=size * 0.85,
                color=TEXT,
                gid="value",
            )
    ax.set_xticks(xs, labels=list(chart.categories), fontsize=size * 0.9)
    ax.set_ylim(0, ymax)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=1 if compact else min(len(handles), 2),
        fontsize=size * 0.8,
        frameon=False,
    )


def _panels(series: Sequence[Series]) -> list[tuple[str, list[Series]]]:
    out: dict[str, list[Series]] = {}
    for s in series:
        out.setdefault(s.panel, []).append(s)
    return list(out.items())


def draw_trend(
    fig: AnyFigure, chart: TrendChart, *, size: float = DEFAULT_SIZE, compact: bool = False
) -> None:
    """Figures across the years: grouped bars per panel for counts, one small line panel per rate."""
    _setup(fig, chart, size, compact)
    if not chart.has_data:
        _empty(fig, chart, size, compact)
        return
    panels = _panels(chart.series)
    if chart.percent:
        ncols = min(3, len(panels))
    else:  # counts: stacked on a chart of its own, side by side in the wide, low row of the 图解 page
        ncols = len(panels) if compact else 1
    nrows = math.ceil(len(panels) / ncols)
    subtitle = chart.subtitle(with_context=not compact)
    # A thin header row spanning every column carries the subtitle, so it sits under the title however
    # many panels there are.
    head_rows = 1 if subtitle else 0
    grid = fig.add_gridspec(nrows + head_rows, ncols, height_ratios=[0.001] * head_rows + [1.0] * nrows)
    if head_rows:
        head = fig.add_subplot(grid[0, :])
        head.set_label(f"{chart.key}:header")
        head.set_axis_off()
        _subtitle(head, chart, size, compact)
    flat = [fig.add_subplot(grid[r + head_rows, c]) for r in range(nrows) for c in range(ncols)]
    for ax, (panel, series) in zip(flat, panels, strict=False):
        ax.set_label(f"{chart.key}:{panel}")
        if chart.percent:
            _rate_panel(ax, chart.years, series[0], size)
        else:
            _count_panel(ax, chart.years, panel, series, size)
    for ax in flat[len(panels) :]:
        ax.set_axis_off()


def _count_panel(ax, years: Sequence[int], panel: str, series: Sequence[Series], size: float) -> None:  # noqa: ANN001
    _style_axes(ax, size, "y")
    k = len(series)
    width = 0.8 / max(k, 1)
    xs = list(range(len(years)))
    top = max((float(v) for s in series for v in s.values if v is not None), default=0.0)
    ymax = max(top, 1.0) * 1.22
    label_size = size * (0.8 if len(years) <= 6 else 0.65)
    for si, s in enumerate(series):
        offset = (si - (k - 1) / 2) * width
        heights = [float(v) if v is not None else 0.0 for v in s.values]
        ax.bar(
            [x + offset for x in xs],
            heights,
            width=width * 0.92,
            color=SERIES_COLORS[si % len(SERIES_COLORS)],
            label=s.label,
        )
        if len(years) <= 12:
            for x, v in zip(xs, s.values, strict=True):
                if v is None:
                    continue
                ax.text(
                    x + offset,
                    float(v) + ymax * 0.01,
                    format_number(v),
                    ha="center",
                    va="bottom",
                    fontsize=label_size,
                    color=TEXT,
                    gid="value",
                )
    ax.set_xticks(xs, labels=[f"{y}年" for y in years])
    ax.set_ylim(0, ymax)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    if panel:
        ax.set_title(panel, loc="right", fontsize=size * 0.85, color=MUTED)
    # Above the axes, beside the panel title: never on top of a bar or its label.
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.2,
        fontsize=size * 0.8,
        frameon=False,
        ncol=len(series),
    )


def _rate_panel(ax, years: Sequence[int], series: Series, size: float) -> None:  # noqa: ANN001 - Axes
    _style_axes(ax, size * 0.9, "y")
    xs = list(range(len(years)))
    ys = [float(v) if v is not None else math.nan for v in series.values]
    ax.plot(xs, ys, color=PRIMARY, marker="o", markersize=size * 0.4, linewidth=1.6)
    for x, v in zip(xs, series.values, strict=True):
        if v is None:
            continue
        ax.annotate(
            f"{plain_decimal(v)}%",
            (x, float(v)),
            xytext=(0, size * 0.5),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=size * 0.7,
            color=ERROR if not 0 <= v <= 100 else TEXT,
            gid="value",
        )
    ax.set_title(_wrap_label(series.label, 15), fontsize=size * 0.85, color=TEXT)
    ax.set_xticks(xs, labels=[str(y) for y in years], fontsize=size * 0.75)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylim(0, 118)
    ax.set_yticks([0, 50, 100])
    ax.yaxis.set_major_formatter(FuncFormatter(_percent_axis))


MIN_PRINT_PT = 9.0  # no text of a handed-over chart prints smaller


def enforce_min_font(fig: AnyFigure, floor: float = MIN_PRINT_PT) -> None:
    """Raise every text of `fig` smaller than `floor` points to it (the layout makes room on saving)."""
    for text in fig.findobj(Text):
        if text.get_text() and float(text.get_fontsize()) < floor:
            text.set_fontsize(floor)


DRAWERS: dict[str, Callable[..., None]] = {
    "rates": draw_service_rates,
    "applicants": draw_applicants,
    "outcomes": draw_outcomes,
    "reviews": draw_reviews,
    "trend_counts": draw_trend,
    "trend_rates": draw_trend,
    "units": draw_unit_ranking,
}


def draw_chart(fig: AnyFigure, chart: Chart, *, size: float = DEFAULT_SIZE, compact: bool = False) -> None:
    """Draw any chart of `charts.data` by its key."""
    DRAWERS[chart.key](fig, chart, size=size, compact=compact)


def preferred_size(chart: Chart) -> tuple[float, float]:
    """Figure size in inches for a chart saved on its own (width fixed, height by its content)."""
    width = 7.5
    if not chart.has_data:
        return width, 2.6
    if isinstance(chart, RatesChart):
        return width, max(3.2, 1.5 + 0.42 * len(chart.rates))
    if isinstance(chart, BarsChart):
        return width, max(3.0, 1.6 + 0.45 * len(chart.bars))
    if isinstance(chart, StacksChart):
        return width, 4.8
    if isinstance(chart, TrendChart):
        panels = len(_panels(chart.series))
        if chart.percent:
            return width, 1.4 + 2.1 * math.ceil(panels / 3)
        return width, 1.4 + 2.6 * panels
    return width, 4.5
