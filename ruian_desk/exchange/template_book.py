"""Writing the unit templates: the workbook of one format built with openpyxl (shared style objects, the
official grid, validations, protection) — once per format and year — and filled per unit by `TemplateMaker`,
which serializes that workbook once and writes each unit's file from its XML parts with the unit's name, id,
title height and numbers put in (templates for 500 units in a few seconds instead of 45 ms × 500 in openpyxl).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.report import CellValue, Unit
from ruian_desk.exchange.template_layout import (
    BAD_MARK,
    GRID_LEFT,
    GRID_TOP,
    GUIDE_SHEET,
    META_SHEET,
    NOTE_ROW,
    OK_MARK,
    PART_ROW,
    SHEET_PASSWORD,
    TEMPLATE_SCHEMA,
    TEMPLATE_TABLES,
    TEMPLATE_VERSION,
    TITLE_ROW,
    SheetLayout,
    TemplateError,
    col_letter,
    compact_ranges,
    coordinate,
    note_text,
    sheet_layout,
    title_text,
)
from ruian_desk.textsafe import clean_text, sheet_text


def write_template(
    path: Path,
    unit: Unit,
    year: int,
    format_id: str,
    values: Mapping[str, CellValue] | None = None,
    generated_at: str | None = None,
) -> None:
    """Write one unit's template to `path` (atomically). `values` pre-fills the number cells."""
    from ruian_desk.fileio import atomic_write

    if unit.id is None:
        raise TemplateError(f"单位“{unit.name}”没有编号，不能生成模板")
    data = TemplateMaker(year, format_id, generated_at).render(unit, values)
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


def build_template_workbook(
    unit: Unit,
    year: int,
    format_id: str,
    values: Mapping[str, CellValue] | None = None,
    generated_at: str | None = None,
    title_height: float | None = None,
) -> Any:
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    fmt = get_format(format_id)
    values = values or {}
    st = _Styles()
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    layouts = [sheet_layout(format_id, t) for t in TEMPLATE_TABLES if t in fmt.tables]
    if title_height is None:
        narrowest = min((_title_width(x) for x in layouts), default=_GUIDE_TITLE_WIDTH)
        title_height = title_row_height(title_text(unit.name, year), narrowest)
    for layout in layouts:
        ws = wb.create_sheet(layout.sheet)
        _write_table_sheet(ws, fmt, layout, unit, year, values, st, title_height)
    _write_guide(guide, fmt, layouts, unit, year, st, title_height)
    meta = wb.create_sheet(META_SHEET)
    rows = [
        ("schema", TEMPLATE_SCHEMA),
        ("template_version", TEMPLATE_VERSION),
        ("unit_id", unit.id),
        ("unit_name", unit.name),
        ("year", year),
        ("format", fmt.id),
        ("generated_at", generated_at or dt.datetime.now().isoformat(timespec="seconds")),
        ("app", "瑞安年报助手 Ruian Desk"),
        ("note", "本表由程序读取，请勿修改"),
    ]
    for i, (k, v) in enumerate(rows, start=1):
        meta.cell(i, 1, k)
        _text_cell(meta, i, 2, v)
    meta.sheet_state = "hidden"
    _protect(meta)
    # Structure locked (no password): sheets cannot be renamed, deleted, added or unhidden by accident.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _text_cell(ws: Any, row: int, col: int, value: object) -> Any:
    """A cell holding text typed by people (unit names): stored as a string even when it starts with "=",
    so it can never become a formula (read back unchanged, hence no apostrophe as `textsafe.sheet_text` adds),
    and cleaned of what no workbook can hold."""
    if isinstance(value, str):
        value = clean_text(value)
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and sheet_text(value) != value:
        cell.data_type = "s"
    return cell


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.label_fill = PatternFill("solid", fgColor="EDEDED")
        self.total_fill = PatternFill("solid", fgColor="DDEBF7")
        self.check_fill = PatternFill("solid", fgColor="F2F2F2")
        self.font = Font(name="宋体", size=10)
        self.bold = Font(name="宋体", size=10, bold=True)
        self.title_font = Font(name="黑体", size=14, bold=True)
        self.part_font = Font(name="黑体", size=12)
        self.note_font = Font(name="宋体", size=9, color="595959")
        self.check_font = Font(name="宋体", size=11, bold=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.unlocked = Protection(locked=False)


def _protect(ws: Any) -> None:
    ws.protection.sheet = True
    if SHEET_PASSWORD:
        ws.protection.password = SHEET_PASSWORD
    # Allowed to the filler: select cells, widen columns and rows. Everything else stays protected.
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _text_width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _column_widths(layout: SheetLayout) -> dict[int, float]:
    widths: dict[int, float] = {}
    number_cols = {c for _, c in layout.positions.values()}
    for gc in layout.grid.cells:
        col = GRID_LEFT + gc.col
        base = 11.0 if col in number_cols else 6.0
        widths.setdefault(col, base)
        if gc.colspan == 1 and gc.text and gc.kind in ("label", "header"):
            want = _text_width(gc.text) + 2
            if gc.rowspan >= 3:
                want = min(want, 6.0 if gc.col == 0 else 11.0)  # tall group labels wrap in a narrow column
            widths[col] = max(widths[col], min(want, 36.0 if col not in number_cols else 14.0))
    return widths


def _write_table_sheet(
    ws: Any,
    fmt: FormatDef,
    layout: SheetLayout,
    unit: Unit,
    year: int,
    values: Mapping[str, CellValue],
    st: _Styles,
    title_height: float,
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    n = layout.n_cols
    _text_cell(ws, TITLE_ROW, GRID_LEFT, title_text(unit.name, year)).font = st.title_font
    ws.merge_cells(
        start_row=TITLE_ROW, start_column=GRID_LEFT, end_row=TITLE_ROW, end_column=GRID_LEFT + n - 1
    )
    ws.cell(TITLE_ROW, GRID_LEFT).alignment = st.center  # wraps: a long unit name is never cut
    ws.row_dimensions[TITLE_ROW].height = title_height
    ws.cell(PART_ROW, GRID_LEFT, fmt.tables[layout.table].part_title).font = st.part_font
    ws.merge_cells(start_row=PART_ROW, start_column=GRID_LEFT, end_row=PART_ROW, end_column=GRID_LEFT + n - 1)
    ws.cell(NOTE_ROW, GRID_LEFT, note_text(fmt, layout.table)).font = st.note_font
    ws.merge_cells(start_row=NOTE_ROW, start_column=GRID_LEFT, end_row=NOTE_ROW, end_column=GRID_LEFT + n - 1)
    ws.cell(NOTE_ROW, GRID_LEFT).alignment = st.left
    ws.row_dimensions[NOTE_ROW].height = 28

    widths = _column_widths(layout)
    for col, width in widths.items():
        ws.column_dimensions[col_letter(col)].width = width

    dv_int = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error="请填写不小于 0 的整数（件）。",
        showInputMessage=False,
    )
    dv_signed = DataValidation(
        type="whole",
        operator="between",
        formula1="-999999999",
        formula2="999999999",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error="请填写整数（本年增/减可为负数）。",
    )
    used: list[DataValidation] = []
    int_cells: list[tuple[int, int]] = []
    signed_cells: list[tuple[int, int]] = []
    row_text: dict[int, float] = {}
    for gc in layout.grid.cells:
        r, c = GRID_TOP + gc.row, GRID_LEFT + gc.col
        cell = ws.cell(r, c)
        if gc.rowspan > 1 or gc.colspan > 1:
            ws.merge_cells(
                start_row=r, start_column=c, end_row=r + gc.rowspan - 1, end_column=c + gc.colspan - 1
            )
            for rr in range(r, r + gc.rowspan):
                for cc in range(c, c + gc.colspan):
                    ws.cell(rr, cc).border = st.border
        cell.border = st.border
        cell.font = st.font
        if gc.cell_id is None:
            cell.value = gc.text
            cell.fill = st.label_fill
            # as on the official form (and in the DOCX): a row's own label to the left, a group label spanning
            # several rows and the column headers centred
            row_label = gc.kind == "label" and gc.rowspan == 1 and layout.grid.header_rows > 0
            cell.alignment = st.left if row_label or gc.kind == "caption" else st.center
            if gc.kind in ("header", "caption", "corner"):
                cell.font = st.bold
            if gc.rowspan == 1 and gc.text:
                width = sum(widths.get(GRID_LEFT + k, 10.0) for k in range(gc.col, gc.col + gc.colspan))
                lines = max(1.0, _text_width(gc.text) / max(width - 1, 4))
                row_text[r] = max(row_text.get(r, 1.0), lines)
            continue
        cdef = fmt.cells[gc.cell_id]
        cell.alignment = st.right
        if cdef.derived:
            cell.value = layout.formulas.get(gc.cell_id)
            cell.fill = st.total_fill
            cell.font = st.bold
            cell.number_format = "0"
            continue
        value = values.get(gc.cell_id)
        if value is not None:
            cell.value = value
        cell.protection = st.unlocked
        if cdef.type == "decimal":
            ref = coordinate(r, c)
            dv = DataValidation(
                type="custom",
                formula1=f"AND(ISNUMBER({ref}),{ref}>=0,ROUND({ref},4)={ref})",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入有误",
                error="请填写不小于 0 的数，单位万元，最多 4 位小数。",
            )
            dv.add(ref)
            used.append(dv)
            cell.number_format = "0.00##"
        elif cdef.type == "signed_int":
            signed_cells.append((r, c))
            cell.number_format = "0"
        else:
            int_cells.append((r, c))
            cell.number_format = "0"
    for dv, where in ((dv_int, int_cells), (dv_signed, signed_cells)):
        if where:
            for rng in compact_ranges(where):
                dv.add(rng)
            used.append(dv)
    for dv in used:
        ws.add_data_validation(dv)
    for r, lines in row_text.items():
        if lines > 1.05:
            ws.row_dimensions[r].height = min(15 * (int(lines) + 1), 60)

    for r, c, span, text in layout.check_labels:
        cell = ws.cell(r, c, text)
        cell.font = st.note_font
        cell.alignment = st.left
        cell.fill = st.check_fill
        cell.border = st.border
        if span > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
        ws.row_dimensions[r].height = 30
    for chk in layout.checks:
        cell = ws.cell(chk.row, chk.col, chk.formula)
        cell.font = st.check_font
        cell.alignment = st.center
        cell.fill = st.check_fill
        cell.border = st.border
    if layout.summary is not None:
        r, lc, vc = layout.summary
        ws.cell(r, lc, "本表检查结果").font = st.bold
        if vc - lc > 1:
            ws.merge_cells(start_row=r, start_column=lc, end_row=r, end_column=vc - 1)
        # one ✗ per wrong column: the 总计 column's check follows from the others and is not counted
        ranges = compact_ranges((x.row, x.col) for x in layout.checks if x.counted)
        count = "+".join(f'COUNTIF({r_},"{BAD_MARK}")' for r_ in ranges)
        ws.cell(
            r, vc, f'=IF({count}=0,"{OK_MARK} 全部通过","{BAD_MARK} 有"&({count})&"处不符，请核对")'
        ).font = st.bold
        ws.merge_cells(start_row=r, start_column=vc, end_row=r, end_column=GRID_LEFT + layout.n_cols - 1)

    header_rows = layout.grid.header_rows
    first_number_col = min(c for _, c in layout.positions.values())
    if header_rows:
        ws.freeze_panes = coordinate(GRID_TOP + header_rows, first_number_col)
        ws.print_title_rows = f"{GRID_TOP}:{GRID_TOP + header_rows - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    # 表三 and 表四 with their check rows on one landscape page; 表二's long list may continue
    ws.page_setup.fitToHeight = 0 if layout.table == "t2" else 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    _protect(ws)


def _write_guide(
    ws: Any,
    fmt: FormatDef,
    layouts: Sequence[SheetLayout],
    unit: Unit,
    year: int,
    st: _Styles,
    title_height: float,
) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    _text_cell(ws, 1, 1, title_text(unit.name, year)).font = st.title_font
    ws.cell(1, 1).alignment = st.center
    ws.merge_cells("A1:B1")
    ws.row_dimensions[1].height = title_height
    rows: list[tuple[str, object]] = [
        ("填报单位", unit.name),
        ("报告年度", f"{year}年"),
        ("统一格式", f"{fmt.notice}（{fmt.notice_no}）" if fmt.notice_no not in fmt.notice else fmt.notice),
        ("模板版本", f"{TEMPLATE_VERSION}（{fmt.id}）"),
    ]
    steps = [
        "在“表二”“表三”“表四”三张工作表的白色格内填写数字；空白格按 0 计。",
        "灰色格是表格标签，蓝色格是由公式自动计算的总计，已锁定；修改过标签的文件将被退回。",
        "件数只能填不小于 0 的整数；金额单位为万元，最多 4 位小数；不要在数字后写“件”“元”等文字。",
        "表三下方“检查”行逐列显示 ✓ / ✗：出现 ✗ 说明“第一项加第二项之和，等于第三项加第四项之和”不成立，请核对。",
        "从其他表格粘贴时请用“选择性粘贴 → 数值”，不要粘贴公式。",
        "不要增删行列、不要改工作表名称；保存为 .xlsx 格式（不要另存为 .xls 或 .et），不要设置打开密码。",
        "工作表保护未设密码，仅防止误改。",
    ]
    r = 3
    for k, v in rows:
        ws.cell(r, 1, k).font = st.bold
        _text_cell(ws, r, 2, v).font = st.font
        r += 1
    for layout in layouts:
        if layout.summary is None:
            continue
        sr, _, vc = layout.summary
        ws.cell(r, 1, f"{layout.sheet}检查").font = st.bold
        ws.cell(r, 2, f"='{layout.sheet}'!{coordinate(sr, vc)}").font = st.check_font
        r += 1
    r += 1
    ws.cell(r, 1, "填报说明").font = st.bold
    for i, text in enumerate(steps, start=1):
        cell = ws.cell(r, 2, f"{i}. {text}")
        cell.font = st.font
        cell.alignment = st.left
        if _text_width(text) > 84:
            ws.row_dimensions[r].height = 28
        r += 1
    for row in range(3, 7):
        ws.cell(row, 2).alignment = st.left
    ws.row_dimensions[5].height = 28
    # Printed on one A4 page across (the instructions column is wide).
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


# ----------------------------------------------------------------------------------- per unit

_NAME = "RDXUNITNAMEXDR"  # stands for the unit's name in the workbook built once (ASCII: written as is)
_UNIT_ID = 987654321987  # stands for the unit's id
_TITLE_HEIGHT = 97.25  # stands for the title rows' height, which follows the name's length
_EMPTY_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")?(?: t="n")?(?:/>|></c>)')


class TemplateMaker:
    """The templates of one format and year: the workbook built once with placeholders for the unit's name,
    id and title height, serialized once; `render(unit, values)` gives a unit's .xlsx from those XML parts
    with the unit put in and its stored numbers in their cells — the same file openpyxl would write for it
    (checked in the tests), in about a millisecond."""

    def __init__(self, year: int, format_id: str, generated_at: str | None = None):
        self.year = year
        self.format_id = format_id
        fmt = get_format(format_id)
        self.layouts = [sheet_layout(format_id, t) for t in TEMPLATE_TABLES if t in fmt.tables]
        stand_in = Unit(_NAME, "department", id=_UNIT_ID)
        wb = build_template_workbook(
            stand_in, year, format_id, None, generated_at, title_height=_TITLE_HEIGHT
        )
        buf = io.BytesIO()
        wb.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            self.members = [(info, z.read(info.filename)) for info in z.infolist()]
        names = {ws.title: i for i, ws in enumerate(wb.worksheets, start=1)}
        # each table sheet cut once at its input cells: the static XML between them and, per input cell,
        # (coordinate, style attribute, cell id) — a unit's numbers are then put in without a search
        self.sheets: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {}
        for layout in self.layouts:
            part = f"xl/worksheets/sheet{names[layout.sheet]}.xml"
            inputs = {
                coordinate(r, c): cid
                for cid, (r, c) in layout.positions.items()
                if not fmt.cells[cid].derived
            }
            xml = dict((i.filename, d) for i, d in self.members)[part].decode("utf-8")
            static, slots, at = [], [], 0
            for m in _EMPTY_CELL.finditer(xml):
                if m.group(1) in inputs:
                    static.append(xml[at : m.start()])
                    slots.append((m.group(1), m.group(2) or "", inputs[m.group(1)]))
                    at = m.end()
            static.append(xml[at:])
            self.sheets[part] = (static, slots)
        self.widths = {layout.sheet: _title_width(layout) for layout in self.layouts}
        self.guide_width = _GUIDE_TITLE_WIDTH

    def render(self, unit: Unit, values: Mapping[str, CellValue] | None = None) -> bytes:
        if unit.id is None:
            raise TemplateError(f"单位“{unit.name}”没有编号，不能生成模板")
        values = values or {}
        name = _xml_text(clean_text(unit.name)).encode("utf-8")
        title = title_text(unit.name, self.year)
        height = title_row_height(title, min(self.widths.values(), default=self.guide_width))
        unit_id = (f"<v>{_UNIT_ID}</v>".encode("ascii"), f"<v>{unit.id}</v>".encode("ascii"))
        heights = (f'ht="{_TITLE_HEIGHT}"'.encode("ascii"), f'ht="{height}"'.encode("ascii"))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info, data in self.members:
                if info.filename.startswith("xl/worksheets/"):
                    cut = self.sheets.get(info.filename)
                    if cut is not None and values:
                        data = _fill(*cut, values).encode("utf-8")
                    data = data.replace(_NAME.encode("ascii"), name)
                    data = data.replace(*unit_id).replace(*heights)
                    z.writestr(info.filename, data, zipfile.ZIP_DEFLATED, 1)
                else:  # the parts no unit changes (styles, theme, workbook) are stored: nothing to compress
                    z.writestr(info.filename, data, zipfile.ZIP_STORED)
        return out.getvalue()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fill(static: list[str], slots: list[tuple[str, str, str]], values: Mapping[str, CellValue]) -> str:
    out = [static[0]]
    for (coord, style, cid), after in zip(slots, static[1:], strict=True):
        value = values.get(cid)
        if value is None or isinstance(value, bool):
            out.append(f'<c r="{coord}"{style} t="n"></c>')
        else:
            number = format(value, "f") if isinstance(value, Decimal) else str(value)
            out.append(f'<c r="{coord}"{style} t="n"><v>{number}</v></c>')
        out.append(after)
    return "".join(out)


_GUIDE_TITLE_WIDTH = 106.0  # columns A + B of the guide sheet


def _title_width(layout: SheetLayout) -> float:
    widths = _column_widths(layout)
    return sum(widths.get(GRID_LEFT + k, 10.0) for k in range(layout.n_cols))


def title_row_height(title: str, width: float) -> float:
    """Height of the title row for `title` in a merged cell `width` characters wide: whole lines of the
    14 pt title, so that a long unit name wraps instead of being cut."""
    lines = max(1, math.ceil(_text_width(title) * 1.4 / max(width - 2, 10)))
    return float(22 * lines + 4)
