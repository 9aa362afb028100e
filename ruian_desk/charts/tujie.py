"""The 图解: every summary chart of a report on A4 portrait pages, as many as 9 pt text needs (`tujie_parts`),
drawn on plain matplotlib figures (no pyplot, no Qt)."""

from __future__ import annotations

from matplotlib.figure import Figure

from ruian_desk.charts.data import Chart, RatesChart, TujiePage
from ruian_desk.charts.figures import MUTED, TEXT, draw_chart, enforce_min_font
from ruian_desk.charts.fonts import chart_font_family

PAGE_SIZE = (8.27, 11.69)  # A4 portrait, inches
PAGE_FONT = 12.0
_ROW_INCH_PER_PT = 0.1  # inches of page height per unit of a row's height ratio, per point of base size
_PAGE_CHROME_IN = 1.6  # title and notes of a 图解 page, at PAGE_FONT

TujieRow = tuple[float, list[Chart]]


def tujie_rows(page: TujiePage) -> list[TujieRow]:
    """The 图解's rows: (height ratio, charts) — the rates first, then every other chart, the trend last; one
    chart to a row, the whole page width (at 9 pt, two side by side would squeeze their labels)."""
    rows: list[TujieRow] = []
    if page.top is not None:
        n = len(page.top.rates) if isinstance(page.top, RatesChart) else 6
        rows.append((1.0 + 0.28 * n, [page.top]))
    for chart in page.paired:
        rows.append((3.0, [chart]))
    if page.bottom is not None:
        rows.append((3.6, [page.bottom]))
    return rows


def tujie_parts(
    page: TujiePage, size: float = PAGE_FONT, height_in: float = PAGE_SIZE[1]
) -> list[list[TujieRow]]:
    """The rows spread over as many pages as text of `size` points needs (at 9 pt and more nothing fits on
    one A4 page): whole rows only, in order."""
    unit = _ROW_INCH_PER_PT * size
    budget = height_in - _PAGE_CHROME_IN * size / PAGE_FONT
    parts: list[list[TujieRow]] = [[]]
    used = 0.0
    for row in tujie_rows(page):
        need = row[0] * unit
        if parts[-1] and used + need > budget:
            parts.append([])
            used = 0.0
        parts[-1].append(row)
        used += need
    return parts


def draw_tujie_page(
    fig: Figure,
    page: TujiePage,
    *,
    size: float = PAGE_FONT,
    rows: list[TujieRow] | None = None,
    continued: bool = False,
    notes: bool = True,
) -> None:
    """One page of the 图解 (`rows`, all of them by default; see `tujie_parts`), with the page title
    ("（续）" on a continuation) and, where `notes`, the 示例数据 and source notes as a footer."""
    chart_font_family()
    fig.clear()
    fig.set_layout_engine("constrained")
    fig.set_facecolor("white")
    fig.suptitle(page.title + ("（续）" if continued else ""), fontsize=size * 1.6, color=TEXT)
    rows = tujie_rows(page) if rows is None else rows
    if rows:
        ratios = [h for h, _ in rows]
        # a page that is not full keeps its rows at their height: the rest stays blank
        room = (fig.get_figheight() - _PAGE_CHROME_IN * size / PAGE_FONT) / (_ROW_INCH_PER_PT * size)
        filler = room - sum(ratios)
        if filler > 0.5:
            ratios.append(filler)
        subfigs = fig.subfigures(len(ratios), 1, height_ratios=ratios, hspace=0.02, squeeze=False)
        for (_, charts), sub in zip(rows, subfigs[:, 0], strict=False):
            for chart in charts:
                draw_chart(sub, chart, size=size, compact=True)
    else:
        fig.text(
            0.5, 0.5, "本报告没有可绘制的图表数据", ha="center", va="center", fontsize=size * 1.4, color=MUTED
        )
    if notes and page.notes:
        fig.supxlabel("\n".join(page.notes), x=0.02, ha="left", fontsize=size * 0.95, color=MUTED)
    enforce_min_font(fig)
