"""XLSX export: 表二/表三/表四 in the official layout with merges, the metrics, every unit's cells side by side
(roll-up detail) and, only when asked (`ExportOptions.with_checks`), the check results: the handed-over
workbook is for readers. Every sheet prints on A4 fitted to the page width (landscape where wide) with its
title rows (and label columns) repeated; no local path is written. Text never starts with = + - @."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruian_desk.domain.report import SAMPLE_MARK, Report, format_number
from ruian_desk.domain.rules import SEVERITY_LABELS
from ruian_desk.export.common import TableContent, sample_table_note, table_content
from ruian_desk.export.registry import register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write
from ruian_desk.textsafe import sheet_text

GRID_ORIGIN_ROW = 3  # 1-based sheet row of a table's first grid row (row 1: heading, row 2: 示例数据 mark)
INFO_SHEET, METRICS_SHEET, UNITS_SHEET, CHECKS_SHEET = "报告信息", "指标", "单位明细", "审核结果"
FONT_NAME = "宋体"


def safe_text(value: object) -> str:
    """Text as a cell holds it: one leading apostrophe before = + - @ so that no spreadsheet (or a clerk
    re-typing the cell) ever reads it as a formula."""
    return sheet_text(value)


def _number(value: object) -> int | float | Decimal:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, (int, float)):
        return value
    raise TypeError(value)


@register("xlsx", "xlsx", "Excel 表格（XLSX）")
def write_xlsx(view: ReportView, target: Path) -> None:
    data = render_xlsx(view)
    atomic_write(target, lambda tmp: tmp.write_bytes(data))


def render_xlsx(view: ReportView) -> bytes:
    from openpyxl import Workbook

    report = view.report
    wb = Workbook()
    _Styles.init()
    info = wb.active
    info.title = INFO_SHEET
    _info_sheet(info, view)
    for part in report.fmt.parts:
        if part.table:
            content = table_content(report, part.table)
            ws = wb.create_sheet(content.name)
            _table_sheet(ws, report, content, part.title)
    checker = view.options.with_checks
    _metrics_sheet(wb.create_sheet(METRICS_SHEET), report, checker)
    _units_sheet(wb.create_sheet(UNITS_SHEET), view)
    if checker:
        _checks_sheet(wb.create_sheet(CHECKS_SHEET), view)
    props = wb.properties
    props.title = safe_text(report.title or report.fmt.title_for(report.unit, report.year))
    props.creator = "瑞安年报助手"
    props.subject = f"{report.year}年政府信息公开工作年度报告"
    props.keywords = SAMPLE_MARK if view.is_sample else ""
    props.description = view.sample_note
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Styles:
    """openpyxl style objects, built once per export (they are immutable and shared)."""

    thin: Any = None
    border: Any = None
    center: Any = None
    left: Any = None
    font: Any = None
    bold: Any = None
    title: Any = None
    note: Any = None
    head_fill: Any = None

    @classmethod
    def init(cls) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        cls.thin = Side(style="thin", color="000000")
        cls.border = Border(left=cls.thin, right=cls.thin, top=cls.thin, bottom=cls.thin)
        cls.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cls.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        cls.font = Font(name=FONT_NAME, size=10.5)
        cls.bold = Font(name=FONT_NAME, size=10.5, bold=True)
        cls.title = Font(name=FONT_NAME, size=14, bold=True)
        cls.note = Font(name=FONT_NAME, size=10.5, color="C00000")
        cls.head_fill = PatternFill("solid", fgColor="F2F2F2")


def _put(ws: Any, row: int, col: int, value: object, font: Any = None, align: Any = None) -> Any:
    cell = ws.cell(row=row, column=col)
    number_format = _set_value(cell, value)
    if number_format:
        cell.number_format = number_format
    cell.font = font or _Styles.font
    if align is not None:
        cell.alignment = align
    return cell


def _set_value(cell: Any, value: object) -> str:
    """Store `value` in `cell`; the number format it needs ("" for General)."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell.value = _number(value)
        if isinstance(cell.value, Decimal):
            # The places as stored and as DOCX/PDF/HTML print them (59237.2450 万元, 98.70%): Excel's General
            # format would drop the trailing zero.
            return "0." + "0" * max(1, -int(cell.value.as_tuple().exponent))
    else:
        cell.value = safe_text(value)
    return ""


def _put_styled(
    ws: Any, row: int, col: int, value: object, align: Any, styles: dict[tuple[int, str], Any]
) -> None:
    """`_put` with the body font, `align` and the border, for sheets of thousands of cells (a county of 200
    units): the first cell of each look is styled attribute by attribute, the others take a copy of its
    style record — openpyxl otherwise hashes every style object of every cell (seconds per sheet)."""
    from copy import copy

    cell = ws.cell(row=row, column=col)
    number_format = _set_value(cell, value)
    key = (id(align), number_format)
    style = styles.get(key)
    if style is None:
        if number_format:
            cell.number_format = number_format
        cell.font = _Styles.font
        cell.alignment = align
        cell.border = _Styles.border
        styles[key] = copy(cell._style)
    else:
        cell._style = copy(style)


def _title_rows(ws: Any, heading: str, note: str, width: int) -> None:
    _put(ws, 1, 1, heading, _Styles.title)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if note:
        _put(ws, 2, 1, note, _Styles.note)
        if width > 1:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _table_sheet(ws: Any, report: Report, t: TableContent, heading: str) -> None:
    from openpyxl.utils import get_column_letter

    grid = t.grid
    o = GRID_ORIGIN_ROW
    _title_rows(ws, heading, sample_table_note(report, t.table_id), grid.n_cols)
    for cell in grid.cells:
        r, c = o + cell.row, 1 + cell.col
        if cell.cell_id is not None:
            value: object = report.values.number(cell.cell_id)
            align = _Styles.center
        else:
            value = t.text(cell)
            left = cell.kind == "label" and cell.rowspan == 1 and grid.header_rows
            align = _Styles.left if left else _Styles.center
        xl = _put(ws, r, c, value, _Styles.font, align)
        if cell.kind in ("header", "corner", "caption"):
            xl.fill = _Styles.head_fill
        if cell.cell_id is not None and isinstance(xl.value, int):
            xl.number_format = "0"
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1
            )
    # Borders on every cell of the grid, merged ones included (Excel draws a merge's border per cell).
    for r in range(o, o + grid.n_rows):
        for c in range(1, grid.n_cols + 1):
            ws.cell(row=r, column=c).border = _Styles.border
    widths = [max(4.0, w / 1.9) for w in t.widths_mm]  # Excel width ≈ characters of ~1.9 mm
    for k, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(k + 1)].width = w
    _fit_row_heights(ws, t, widths)
    if grid.header_rows:
        ws.freeze_panes = ws.cell(row=o + grid.header_rows, column=1)
    title_rows = f"{o}:{o + grid.header_rows - 1}" if grid.header_rows else None
    page_setup(ws, landscape=grid.n_cols > 10, title_rows=title_rows)


def page_setup(
    ws: Any,
    landscape: bool,
    title_rows: str | None = None,
    title_cols: str | None = None,
    pages_wide: int = 1,
) -> None:
    """A4, fitted to `pages_wide` pages across (0: as many as needed, the label columns repeated), centred,
    the 公文 side margins, the title rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fit_row_heights(ws: Any, t: TableContent, widths: list[float]) -> None:
    """Row heights for wrapped labels (Excel does not grow rows of a file it did not lay out itself)."""
    grid = t.grid
    lines = [1] * grid.n_rows
    for cell in grid.cells:
        text = t.text(cell)
        if not text or cell.rowspan > 1 or cell.is_number:  # numbers never wrap: their columns fit them
            continue
        # a Chinese character of 10.5 pt takes about 1.5 units of Excel column width (宋体, LibreOffice, Excel)
        chars_per_line = max(1.0, (sum(widths[cell.col : cell.col + cell.colspan]) - 0.5) / 1.5)
        lines[cell.row] = max(lines[cell.row], math.ceil(len(text) / chars_per_line))
    for r, n in enumerate(lines):  # one even pitch: every one-line row alike, a wrapped one by whole lines
        ws.row_dimensions[GRID_ORIGIN_ROW + r].height = 14 * n + 6


def _header_row(ws: Any, row: int, labels: list[str]) -> None:
    for k, label in enumerate(labels, start=1):
        cell = _put(ws, row, k, label, _Styles.bold, _Styles.center)
        cell.fill = _Styles.head_fill
        cell.border = _Styles.border


def _info_sheet(ws: Any, view: ReportView) -> None:
    report = view.report
    fmt = report.fmt
    c = view.counts
    rows: list[tuple[str, object]] = [
        ("标题", report.title or fmt.title_for(report.unit, report.year)),
        ("单位", report.unit),
        ("年度", report.year),
        ("格式", f"{fmt.id}（{fmt.notice_no}）"),
        ("导出时间", view.generated_at),
    ]
    if view.options.with_checks:  # the checker's counts; never the local workspace path
        rows.insert(
            4, ("审核", f"错误 {c.get('error', 0)}，警告 {c.get('warning', 0)}，提示 {c.get('info', 0)}")
        )
    if view.is_sample:
        rows.append((SAMPLE_MARK, view.sample_note))
    _put(ws, 1, 1, "政府信息公开工作年度报告 数据表", _Styles.title)
    ws.merge_cells("A1:B1")
    for i, (k, v) in enumerate(rows, start=3):
        _put(ws, i, 1, k, _Styles.bold, _Styles.left)
        _put(ws, i, 2, v, _Styles.note if k == SAMPLE_MARK else _Styles.font, _Styles.left)
        ws.row_dimensions[i].height = 18 * max(1, math.ceil(len(str(v)) / 34))
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 70
    page_setup(ws, landscape=False)


def _metrics_sheet(ws: Any, report: Report, checker: bool = False) -> None:
    """The metrics as stated; the rate recomputed from its parts and the internal key only for the checker."""
    from openpyxl.utils import get_column_letter

    labels = ["指标", "数值", "单位", "分子", "分母", "来源", "备注"]
    widths = [30, 12, 8, 12, 12, 30, 20]
    if checker:
        labels += ["按分子分母计算（%）", "键"]
        widths += [14, 22]
    _header_row(ws, 1, labels)
    for i, m in enumerate(report.metrics, start=2):
        values: list[object] = [m.label, m.value, m.unit, m.numerator, m.denominator, m.source, m.note]
        if checker:
            values += [m.computed_rate(), m.key]
        for k, v in enumerate(values, start=1):
            _put(
                ws, i, k, v, align=_Styles.left if k in (1, 6, 7) else _Styles.center
            ).border = _Styles.border
        longest = max(len(str(m.label)) / 15, len(str(m.source or "")) / 15, len(str(m.note or "")) / 10, 1)
        ws.row_dimensions[i].height = 15 * math.ceil(longest) + 3
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    ws.freeze_panes = "A2"
    page_setup(ws, landscape=True, title_rows="1:1")


def _units_sheet(ws: Any, view: ReportView) -> None:
    """Every number cell (rows) × every unit rolled up into this report (columns), then their sum and the
    report's own value — the drill-down behind each county figure."""
    from openpyxl.utils import get_column_letter

    report = view.report
    fmt = report.fmt
    units = [u for u in view.units if u.format_id == report.format_id]
    labels = ["表", "编号", "项目", *[u.unit for u in units]]
    if units:
        labels.append("各单位合计")
    labels.append("本报告")
    _header_row(ws, 1, labels)
    styles: dict[tuple[int, str], Any] = {}
    for i, (cid, cdef) in enumerate(fmt.cells.items(), start=2):
        row: list[object] = [fmt.tables[cdef.table].name, cid, cdef.label]
        nums = [u.values.number(cid) for u in units]
        row += nums
        if units:
            row.append(sum(nums, start=0))
        row.append(report.values.number(cid))
        for k, v in enumerate(row, start=1):
            _put_styled(ws, i, k, v, _Styles.left if k <= 3 else _Styles.center, styles)
    if not units:
        _put(ws, len(fmt.cells) + 3, 1, "本报告不汇总其他单位的报告，只有本报告自身的数字。", _Styles.note)
    if view.units and len(units) != len(view.units):
        _put(ws, len(fmt.cells) + 3, 1, "部分单位的报告格式与本报告不同，未列入。", _Styles.note)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 40
    for k in range(4, len(labels) + 1):
        ws.column_dimensions[get_column_letter(k)].width = 12
    for i, cdef in enumerate(fmt.cells.values(), start=2):  # labels wrap: every row as tall as its label
        ws.row_dimensions[i].height = 15 * max(1, math.ceil(len(cdef.label) / 19)) + 3
    ws.row_dimensions[1].height = 15 * max(1, *(math.ceil(len(x) / 5) for x in labels[3:])) + 3
    ws.freeze_panes = "D2"
    # a few units fit across one page; more print over pages across, the labels repeated on each
    page_setup(
        ws, landscape=True, title_rows="1:1", title_cols="A:C", pages_wide=1 if len(labels) <= 12 else 0
    )


def _checks_sheet(ws: Any, view: ReportView) -> None:
    labels = ["严重程度", "规则", "说明", "涉及单元格", "应为", "实为", "已说明", "说明内容"]
    _header_row(ws, 1, labels)
    for i, issue in enumerate(view.issues, start=2):
        values: list[object] = [
            SEVERITY_LABELS.get(issue.severity, issue.severity),
            issue.rule,
            issue.message,
            "、".join(issue.cells),
            _plain(issue.expected),
            _plain(issue.actual),
            "是" if issue.explained else "否",
            issue.explanation or "",
        ]
        for k, v in enumerate(values, start=1):
            _put(ws, i, k, v, align=_Styles.left).border = _Styles.border
    if not view.issues:
        _put(ws, 2, 1, "审核未发现问题。", _Styles.font)
    for col, w in zip("ABCDEFGH", (10, 18, 70, 36, 10, 10, 8, 40), strict=True):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    page_setup(ws, landscape=True, title_rows="1:1")


def _plain(value: object) -> object:
    """Expected/actual values of an issue: numbers stay numbers, anything else becomes text."""
    if value is None or isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return format_number(value) if isinstance(value, Decimal) else str(value)
