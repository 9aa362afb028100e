"""What every document exporter renders, as plain blocks: title, intro, parts, official grids, 落款, charts.

DOCX, PDF (and print preview) and HTML walk the same `document_blocks(view)` list, so the three never disagree
about text, numbers, order or the 示例数据 marks; only the typesetting differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ruian_desk.domain.layout import Grid, GridCell, table_grid
from ruian_desk.domain.narrative import paragraphs, render_placeholders
from ruian_desk.domain.report import SAMPLE_MARK, Report, format_number
from ruian_desk.export.view import ReportView

if TYPE_CHECKING:
    from ruian_desk.charts.data import ChartInputs

# 公文 type area (GB/T 9704): A4 with margins top 37 / bottom 35 / left 28 / right 26 mm → 156 × 225 mm.
PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TYPE_AREA_MM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"], 225.0)
TITLE_CHARS_PER_LINE = 20  # 二号 (22 pt ≈ 7.8 mm) characters across the 156 mm type area


@dataclass(frozen=True)
class TableContent:
    """One official grid with the text of every anchor cell (labels as printed, numbers formatted)."""

    table_id: str
    name: str  # 表二
    grid: Grid
    texts: dict[tuple[int, int], str]  # (row, col) of an anchor → printed text
    widths_mm: tuple[float, ...]

    def text(self, cell: GridCell) -> str:
        return self.texts.get((cell.row, cell.col), "")

    def rows(self) -> list[list[GridCell]]:
        """Anchor cells row by row (a merged cell appears once, in its first row)."""
        out: list[list[GridCell]] = [[] for _ in range(self.grid.n_rows)]
        for cell in sorted(self.grid.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out


@dataclass(frozen=True)
class Block:
    """One element of the printed report.

    kinds: title (lines), body (text), part (text = "一、总体情况"), heading (number + heading, body on the same
    line), item (number + lead sentence, body), note (a 示例数据 mark), table (table), signature (lines),
    image (title, png), page_break.
    """

    kind: str
    text: str = ""
    number: str = ""
    heading: str = ""
    lines: tuple[str, ...] = ()
    table: TableContent | None = None
    png: bytes = b""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def cell_text(report: Report, cell_id: str) -> str:
    """A number cell as printed: the derived value where computed, 0 for blank (never an empty cell)."""
    return format_number(report.values.number(cell_id))


NUMBER_COL_MM = 12.0  # 表三's number columns, enough for four digits of 五号 with padding
DIGIT_MM = 2.1  # one digit of 10.5 pt, generously
CELL_PAD_MM = 2.6


def column_widths_mm(
    grid: Grid, texts: dict[tuple[int, int], str] | None = None, total_mm: float = TYPE_AREA_MM[0]
) -> tuple[float, ...]:
    """Column widths that fit the official grid into the type area.

    Columns without number cells hold labels. A grid with a corner note (表三) gives each number column
    12 mm, or more when it holds a longer number (a county's 总计 can have five digits), and splits the
    rest among the nested label columns (the innermost one holds the long leaf labels); a banded grid (表二)
    gives its one label column a little more than each value column; a grid of numbers only (表四) is split
    evenly unless a long number needs more room.
    """
    number_cols = {c.col for c in grid.number_cells()}
    need = {k: 0.0 for k in number_cols}
    for c in grid.number_cells():
        if c.colspan == 1 and texts is not None:
            text = texts.get((c.row, c.col), "")
            need[c.col] = max(need[c.col], len(text) * DIGIT_MM + CELL_PAD_MM)
    label_cols = [k for k in range(grid.n_cols) if k not in number_cols]
    widths = [0.0] * grid.n_cols
    if not label_cols:
        even = total_mm / grid.n_cols
        wide = {k: need[k] for k in number_cols if need[k] > even}
        if len(wide) == grid.n_cols or sum(wide.values()) >= total_mm:
            # Every column wants more than its share: keep the proportions, fit the type area.
            want = [max(even, need[k]) for k in range(grid.n_cols)]
            scale = total_mm / sum(want)
            return tuple(w * scale for w in want)
        rest = (total_mm - sum(wide.values())) / max(1, grid.n_cols - len(wide))
        return tuple(wide.get(k, rest) for k in range(grid.n_cols))
    has_corner = any(c.kind == "corner" for c in grid.cells)
    if has_corner:
        for k in number_cols:
            widths[k] = max(NUMBER_COL_MM, need[k])
        rest = total_mm - sum(widths[k] for k in number_cols)
        for k, share in zip(label_cols, _nested_label_shares(len(label_cols)), strict=True):
            widths[k] = rest * share
        return tuple(widths)
    label_w = total_mm * 0.28 if len(label_cols) == 1 else total_mm * 0.4 / len(label_cols)
    number_w = (total_mm - label_w * len(label_cols)) / max(1, len(number_cols))
    for k in range(grid.n_cols):
        widths[k] = label_w if k in label_cols else number_w
    return tuple(widths)


def _nested_label_shares(n: int) -> list[float]:
    if n == 3:
        return [0.14, 0.24, 0.62]
    if n == 2:
        return [0.3, 0.7]
    if n == 1:
        return [1.0]
    return [1.0 / n] * n


def table_content(report: Report, table_id: str) -> TableContent:
    fmt = report.fmt
    grid = table_grid(report.format_id, table_id)
    texts: dict[tuple[int, int], str] = {}
    for cell in grid.cells:
        texts[(cell.row, cell.col)] = cell_text(report, cell.cell_id) if cell.cell_id else cell.text
    _money_units(fmt, grid, texts)
    return TableContent(table_id, fmt.tables[table_id].name, grid, texts, column_widths_mm(grid, texts))


def _money_units(fmt: Any, grid: Grid, texts: dict[tuple[int, int], str]) -> None:
    """Every money figure printed with its unit: a column heading over 万元 cells that does not say so (2019
    表二（九）采购总金额) gets "（单位：万元）" — in print only; the format's label stays as the form has it."""
    for cell in grid.cells:
        if cell.cell_id is None or not fmt.cells[cell.cell_id].is_money:
            continue
        above = [
            c
            for c in grid.cells
            if c.cell_id is None and c.col <= cell.col < c.col + c.colspan and c.row < cell.row and c.text
        ]
        if not above:
            continue
        head = max(above, key=lambda c: c.row)
        text = texts.get((head.row, head.col), "")
        if "万元" not in text:
            texts[(head.row, head.col)] = f"{text}（单位：万元）"


def sample_table_note(report: Report, table_id: str) -> str:
    """The mark printed under the heading of a table whose numbers are illustrative."""
    if table_id not in report.sample_tables:
        return ""
    name = report.fmt.tables[table_id].name
    return f"【{SAMPLE_MARK}】{name}中的数字为示例数据，不是真实统计数据。"


def title_lines(report: Report) -> tuple[str, ...]:
    """The title, broken after the organ's name when it is too long for one line (as published reports do)."""
    title = (report.title or report.fmt.title_for(report.unit, report.year)).strip()
    unit = report.unit
    if len(title) > TITLE_CHARS_PER_LINE and title.startswith(unit) and 0 < len(unit) < len(title):
        rest = title[len(unit) :]
        if len(unit) <= TITLE_CHARS_PER_LINE and len(rest) <= TITLE_CHARS_PER_LINE:
            return (unit, rest)
    return (title,)


def narrative_blocks(text: str, report: Report) -> list[Block]:
    out: list[Block] = []
    for p in paragraphs(render_placeholders(text, report)):
        if p.kind == "heading":
            out.append(Block("heading", number=p.number, heading=p.heading, text=p.body))
        elif p.kind == "item":
            out.append(Block("item", number=p.number, heading=p.heading, text=p.body))
        else:
            out.append(Block("body", text=p.body))
    return out


def document_blocks(view: ReportView, charts: bool = True) -> list[Block]:
    """The whole report in print order. `charts=False` leaves out chart images even when asked for."""
    report = view.report
    fmt = report.fmt
    blocks: list[Block] = [Block("title", lines=title_lines(report))]
    for line in render_placeholders(report.intro, report).split("\n"):
        if line.strip():
            blocks.append(Block("body", text=line.strip()))
    for part in fmt.parts:
        blocks.append(Block("part", text=part.title))
        if part.table:
            note = sample_table_note(report, part.table)
            if note:
                blocks.append(Block("note", text=note))
            blocks.append(Block("table", table=table_content(report, part.table)))
        else:
            blocks.extend(narrative_blocks(report.part(part.key), report))
    sig = report.signature
    if view.options.signature and (sig.organ or sig.date):
        blocks.append(Block("signature", lines=tuple(x for x in (sig.organ, sig.date_text) if x)))
    if charts:
        images = chart_images(view)
        if images:
            blocks.append(Block("page_break"))
            blocks.append(Block("part", text="附：图解"))
            if view.is_sample:
                blocks.append(
                    Block("note", text=f"【{SAMPLE_MARK}】图中的表格数字为示例数据，不是真实统计数据。")
                )
            for title, png in images:
                blocks.append(Block("image", text=title, png=png))
    return blocks


# ----------------------------------------------------------------------------------------- charts


def _png_of(obj: object) -> bytes:
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj)
    png = getattr(obj, "png", None)
    return bytes(png) if isinstance(png, (bytes, bytearray)) else b""


def view_inputs(view: ReportView) -> ChartInputs:
    """The chart inputs of an export view: its report, rolled-up units and other years — without the checks:
    handed-over files state the report's own figures, the doubts ("按此计算为…", "数据有误") stay in the app's
    审核 and 汇总图表 page."""
    from ruian_desk.charts.data import ChartInputs  # not on the start-up path of the exports' callers

    return ChartInputs(
        report=view.report,
        units=tuple(view.units),
        history=tuple(getattr(view, "history", ())),
        issues_of=_no_checks,
        doubts=False,
    )


def _no_checks(report: object) -> tuple[()]:
    return ()


def chart_images(view: ReportView) -> list[tuple[str, bytes]]:
    """(title, PNG) of the report's charts, as the export options ask. Documents hold each chart once, drawn
    at its printed size under its caption: the 图解 page (the same charts again) stays a file of its own (the
    charts format)."""
    opts = view.options
    if not (opts.charts or opts.tujie):
        return []
    # Drawn once per export: DOCX, PDF and HTML of one bundle hold the same images (the view is immutable;
    # the images are kept on it as `Report` keeps its values).
    memo = view.__dict__.get("_chart_images")
    if memo is None:
        from ruian_desk.charts.render import render_report_charts  # matplotlib: only when charts are asked

        memo = [(c.title, c.png) for c in render_report_charts(view_inputs(view), titled=False) if c.png]
        view.__dict__["_chart_images"] = memo
    return list(memo)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header; (0, 0) if it is not a PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return (0, 0)
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
