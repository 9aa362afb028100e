"""Rendering a report's charts and its one-page 图解 to image bytes, for the exporters (no Qt)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ruian_desk.charts.data import Chart, ChartInputs, TujiePage, report_charts, tujie_page

if TYPE_CHECKING:
    from ruian_desk.export.view import ReportView

PAGE_FORMATS = ("png", "pdf")
CHART_FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class ChartImage:
    name: str  # short Chinese name, also used in file names: 服务比率, 申请人类型 …
    title: str
    png: bytes
    key: str = ""  # stable id: rates, applicants, outcomes, reviews, trend_counts, trend_rates, units


def view_inputs(view: ReportView) -> ChartInputs:
    """The chart inputs of an export view: its report, checks, rolled-up units and other years."""
    return ChartInputs(
        report=view.report,
        issues=tuple(view.issues),
        units=tuple(view.units),
        history=tuple(getattr(view, "history", ())),
    )


def render_chart(chart: Chart, fmt: str = "png", dpi: int = 200) -> bytes:
    """One chart on a figure of its own (`preferred_size`), as PNG, SVG or PDF bytes."""
    from matplotlib.figure import Figure

    from ruian_desk.charts.figures import draw_chart, preferred_size

    if fmt not in CHART_FORMATS:
        raise ValueError(f"unsupported chart format {fmt!r}")
    fig = Figure(figsize=preferred_size(chart), dpi=dpi)
    draw_chart(fig, chart)
    return _save(fig, fmt, dpi)


def render_page(page: TujiePage, fmt: str = "png", dpi: int = 200) -> bytes:
    """The 图解 page on A4 portrait, as PNG or PDF bytes."""
    from matplotlib.figure import Figure

    from ruian_desk.charts.figures import PAGE_SIZE, draw_tujie_page

    if fmt not in PAGE_FORMATS:
        raise ValueError(f"unsupported page format {fmt!r}")
    fig = Figure(figsize=PAGE_SIZE, dpi=dpi)
    draw_tujie_page(fig, page)
    return _save(fig, fmt, dpi)


def _save(fig: object, fmt: str, dpi: int) -> bytes:
    buf = io.BytesIO()
    # Fixed metadata: the same data gives byte-identical PNG/PDF files (manifests, re-exports).
    metadata = (
        {"Software": None} if fmt == "png" else {"Creator": None, "Producer": None, "CreationDate": None}
    )
    if fmt == "svg":
        metadata = {"Date": None}
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)  # type: ignore[attr-defined]
    return buf.getvalue()


def charts_with_data(charts: Sequence[Chart]) -> list[Chart]:
    return [c for c in charts if c.has_data]


def render_report_charts(view: ReportView, dpi: int = 200) -> list[ChartImage]:
    """Every chart of the report that has something to show, as PNG (a chart with no data — a single
    year's trend, a unit without sub-units — is left out of the exports)."""
    return [
        ChartImage(name=c.name, title=c.title, png=render_chart(c, "png", dpi), key=c.key)
        for c in charts_with_data(report_charts(view_inputs(view)))
    ]


def render_tujie_page(view: ReportView, fmt: str = "png", dpi: int = 200) -> bytes:
    """The one-page 图解 (A4, several charts) of the report, as PNG or PDF bytes."""
    return render_page(tujie_page(view_inputs(view)), fmt, dpi)
