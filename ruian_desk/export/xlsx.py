"""XLSX export: 表二/表三/表四 in the official layout with merges, the metrics, every unit's cells side by side
(roll-up detail) and the check results. Text never starts with = + - @ (formula injection)."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruian_desk.domain.report import SAMPLE_MARK, Report, format_number
from ruian_desk.domain.rules import SEVERITY_LABELS
from ruian_desk.export.bundle import register
from ruian_desk.export.common import TableContent, sample_table_note, table_content
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
    _metrics_sheet(wb.create_sheet(METRICS_SHEET), report)
    _units_sheet(wb.create_sheet(UNITS_SHEET), view)
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
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell.value = _number(value)
        if isinstance(cell.value, Decimal):
            # The places as stored and as DOCX/PDF/HTML print them (59237.2450 万元, 98.70%): Excel's General
            # format would drop the trailing zero.
            cell.number_format = "0." + "0" * max(1, -int(cell.value.as_tuple().exponent))
    else:
        cell.value = safe_text(value)
    cell.font = font or _Styles.font
    if align is not None:
        cell.alignment = align
    return cell


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
        ws.print_title_rows = f"{o}:{o + grid.header_rows - 1}"
        ws.freeze_panes = ws.cell(row=o + grid.header_rows, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.n_cols > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _fit_row_heights(ws: Any, t: TableContent, widths: list[float]) -> None:
    """Row heights for wrapped labels (Excel does not grow rows of a file it did not lay out itself)."""
    grid = t.grid
    lines = [1] * grid.n_rows
    for cell in grid.cells:
        text = t.text(cell)
        if not text or cell.rowspan > 1:
            continue
        chars_per_line = max(1.0, sum(widths[cell.col : cell.col + cell.colspan]) / 2.1)
        lines[cell.row] = max(lines[cell.row], math.ceil(len(text) / chars_per_line))
    for r, n in enumerate(lines):
        ws.row_dimensions[GRID_ORIGIN_ROW + r].height = 15 * n + 3


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
        ("审核", f"错误 {c.get('error', 0)}，警告 {c.get('warning', 0)}，提示 {c.get('info', 0)}"),
        ("导出时间", view.generated_at),
        ("工作区", view.workspace),
    ]
    if view.is_sample:
        rows.append((SAMPLE_MARK, view.sample_note))
    _put(ws, 1, 1, "政府信息公开工作年度报告 数据表", _Styles.title)
    for i, (k, v) in enumerate(rows, start=3):
        _put(ws, i, 1, k, _Styles.bold)
        _put(ws, i, 2, v, _Styles.note if k == SAMPLE_MARK else _Styles.font, _Styles.left)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 90


def _metrics_sheet(ws: Any, report: Report) -> None:
    labels = ["指标", "数值", "单位", "分子", "分母", "按分子分母计算（%）", "来源", "备注", "键"]
    _header_row(ws, 1, labels)
    for i, m in enumerate(report.metrics, start=2):
        values: list[object] = [
            m.label,
            m.value,
            m.unit,
            m.numerator,
            m.denominator,
            m.computed_rate(),
            m.source,
            m.note,
            m.key,
        ]
        for k, v in enumerate(values, start=1):
            _put(
                ws, i, k, v, align=_Styles.left if k in (1, 7, 8) else _Styles.center
            ).border = _Styles.border
    for col, w in zip("ABCDEFGHI", (34, 12, 8, 12, 12, 18, 40, 20, 26), strict=True):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"


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
    for i, (cid, cdef) in enumerate(fmt.cells.items(), start=2):
        row: list[object] = [fmt.tables[cdef.table].name, cid, cdef.label]
        nums = [u.values.number(cid) for u in units]
        row += nums
        if units:
            row.append(sum(nums, start=0))
        row.append(report.values.number(cid))
        for k, v in enumerate(row, start=1):
            cell = _put(ws, i, k, v, align=_Styles.left if k <= 3 else _Styles.center)
            cell.border = _Styles.border
    if not units:
        _put(ws, len(fmt.cells) + 3, 1, "本报告不汇总其他单位的报告，只有本报告自身的数字。", _Styles.note)
    if view.units and len(units) != len(view.units):
        _put(ws, len(fmt.cells) + 3, 1, "部分单位的报告格式与本报告不同，未列入。", _Styles.note)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 60
    for k in range(4, len(labels) + 1):
        ws.column_dimensions[get_column_letter(k)].width = 14
    ws.freeze_panes = "D2"


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


def _plain(value: object) -> object:
    """Expected/actual values of an issue: numbers stay numbers, anything else becomes text."""
    if value is None or isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return format_number(value) if isinstance(value, Decimal) else str(value)
