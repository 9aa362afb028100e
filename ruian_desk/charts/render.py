"""Rendering a report's charts and its one-page 图解 to image bytes, for the exporters (no Qt)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ruian_desk.charts.data import Chart, ChartInputs, TujiePage, report_charts, tujie_page

PAGE_FORMATS = ("png", "pdf")
CHART_FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class ChartImage:
    name: str  # short Chinese name, also used in file names: 服务比率, 申请人类型 …
    title: str
    png: bytes
    key: str = ""  # stable id: rates, applicants, outcomes, reviews, trend_counts, trend_rates, units


DOCUMENT_WIDTH_IN = 150 / 25.4  # a chart in a DOCX/PDF/HTML is printed 150 mm wide: drawn at that size
DOCUMENT_MAX_HEIGHT_IN = 7.8


def render_chart(
    chart: Chart, fmt: str = "png", dpi: int = 200, titled: bool = True, width_in: float | None = None
) -> bytes:
    """One chart on a figure of its own (`preferred_size`, or `width_in` wide: the size it is printed at), as
    PNG, SVG or PDF bytes, no text under 9 pt; `titled=False` leaves the title to the document's caption
    (one title per chart)."""
    from matplotlib.figure import Figure

    from ruian_desk.charts.figures import draw_chart, enforce_min_font, preferred_size

    if fmt not in CHART_FORMATS:
        raise ValueError(f"unsupported chart format {fmt!r}")
    width, height = preferred_size(chart)
    if width_in is not None:
        width, height = width_in, min(height, DOCUMENT_MAX_HEIGHT_IN)
    fig = Figure(figsize=(width, height), dpi=dpi)
    draw_chart(fig, chart if titled else replace(chart, title=""))
    enforce_min_font(fig)
    return _save(fig, fmt, dpi)


def render_page(page: TujiePage, fmt: str = "png", dpi: int = 200) -> bytes:
    """The 图解 on A4 portrait pages (as many as 9 pt text needs, `tujie_parts`): a PDF of those pages, or
    one PNG with the pages one under the other."""
    from matplotlib.figure import Figure

    from ruian_desk.charts.tujie import PAGE_SIZE, draw_tujie_page, tujie_parts

    if fmt not in PAGE_FORMATS:
        raise ValueError(f"unsupported page format {fmt!r}")
    parts = tujie_parts(page)
    figures = []
    for n, rows in enumerate(parts):
        fig = Figure(figsize=PAGE_SIZE, dpi=dpi)
        draw_tujie_page(fig, page, rows=rows, continued=n > 0, notes=n == len(parts) - 1)
        figures.append(fig)
    if fmt == "pdf":
        from matplotlib.backends.backend_pdf import PdfPages

        buf = io.BytesIO()
        with PdfPages(buf, metadata={"Creator": None, "Producer": None, "CreationDate": None}) as pdf:
            for fig in figures:
                pdf.savefig(fig, facecolor="white")
        return buf.getvalue()
    pngs = [_save(fig, "png", dpi) for fig in figures]
    return pngs[0] if len(pngs) == 1 else _stack_png(pngs)


def _stack_png(pngs: list[bytes]) -> bytes:
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    out = Image.new("RGB", (max(i.width for i in images), sum(i.height for i in images)), "white")
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


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


def render_report_charts(inputs: ChartInputs, dpi: int = 200, titled: bool = True) -> list[ChartImage]:
    """Every chart of the report that has something to show, as PNG (a chart with no data — a single
    year's trend, a unit without sub-units — is left out of the exports); `titled=False` for documents,
    which print the title as the chart's caption."""
    return [
        ChartImage(
            name=c.name,
            title=c.title,
            png=render_chart(c, "png", dpi, titled, None if titled else DOCUMENT_WIDTH_IN),
            key=c.key,
        )
        for c in charts_with_data(report_charts(inputs))
    ]


def render_tujie_page(inputs: ChartInputs, fmt: str = "png", dpi: int = 200) -> bytes:
    """The one-page 图解 (A4, several charts) of the report, as PNG or PDF bytes."""
    return render_page(tujie_page(inputs), fmt, dpi)
