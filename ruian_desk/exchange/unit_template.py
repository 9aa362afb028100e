"""The Excel hand-off: per-unit `.xlsx` templates out (下发), returned templates in (回收), all-or-nothing.

A template is the official grid of 表二/表三/表四 (from `domain.layout.table_grid`) on one sheet each, labels
and totals locked, number cells unlocked with data validation, totals and the 勾稽关系 as visible formulas,
and a hidden `meta` sheet naming unit, year, format and template version. No macros, no password.

A returned file is untrusted input: it is size-checked and zip-checked before openpyxl sees it, read once
with `data_only=False` (no formula is ever evaluated: a formula in a number cell is an error unless it is
the template's own total formula), and every problem is reported with sheet and cell in Chinese. Nothing of
a file is stored unless the whole file is valid.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruian_desk.domain.formats import FormatDef, FormatError, format_for_year, get_format
from ruian_desk.domain.layout import Grid, table_grid
from ruian_desk.domain.report import (
    CellInputError,
    CellValue,
    Report,
    Unit,
    default_report,
    format_number,
    parse_cell_value,
)

if TYPE_CHECKING:
    from ruian_desk.storage.repository import Repository
    from ruian_desk.storage.workspace import Workspace

TEMPLATE_SCHEMA = "ruian-desk/unit-template"
TEMPLATE_VERSION = "1"
KNOWN_VERSIONS = frozenset({"1"})
META_SHEET = "meta"
GUIDE_SHEET = "填报说明"
TEMPLATE_TABLES = ("t2", "t3", "t4")
# Sheet protection has no password on purpose (documented in the guide sheet and the README): it guards
# against slips, not against a determined user; edited labels are refused on import anyway.
SHEET_PASSWORD: str | None = None

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # a plain template compresses about 5–20×; a zip bomb thousands of times
MAX_MEMBERS = 300
MAX_LISTED_PROBLEMS = 30  # per file on one CLI line; the GUI lists all

TITLE_ROW, PART_ROW, NOTE_ROW, GRID_TOP, GRID_LEFT = 1, 2, 3, 5, 1
IMPORT_KIND = "xlsx"
ISSUED_KIND = "template"
SOURCE_PREFIX = "xlsx:"

OK_MARK, BAD_MARK = "✓", "✗"


class TemplateError(Exception):
    """A template that cannot be generated or a command that cannot run; the message is Chinese."""


# ----------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class CheckCell:
    row: int
    col: int
    formula: str  # shows ✓ or ✗


@dataclass(frozen=True)
class SheetLayout:
    """Where everything of one table sits on its template sheet (1-based Excel rows/columns)."""

    format_id: str
    table: str
    sheet: str
    grid: Grid
    n_cols: int  # grid width (the title spans it)
    positions: Mapping[str, tuple[int, int]]  # cell id → (row, col) of its anchor
    formulas: Mapping[str, str]  # derived cell id → its total formula ("=SUM(D9:I27)")
    labels: tuple[tuple[int, int, str], ...]  # (row, col, text) of every label/header/caption/corner
    check_labels: tuple[tuple[int, int, int, str], ...]  # (row, col, colspan, text)
    checks: tuple[CheckCell, ...]
    summary: tuple[int, int, int] | None  # (row, label col, value col) of the sheet's check summary
    last_row: int


def col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def coordinate(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def compact_ranges(positions: Iterable[tuple[int, int]]) -> list[str]:
    """A set of cells as few rectangles as possible, in A1 notation (runs per column, equal runs of
    neighbouring columns merged): {D9…D27, E9…E27} → ["D9:E27"]."""
    by_col: dict[int, list[int]] = {}
    for r, c in set(positions):
        by_col.setdefault(c, []).append(r)
    runs: dict[int, list[tuple[int, int]]] = {}
    for c, rows in by_col.items():
        rows.sort()
        out: list[tuple[int, int]] = []
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                out.append((start, prev))
                start = r
            prev = r
        out.append((start, prev))
        runs[c] = out
    rects: list[tuple[int, int, int, int]] = []  # r1, c1, r2, c2
    for c in sorted(runs):
        for r1, r2 in runs[c]:
            for i, (ar1, ac1, ar2, ac2) in enumerate(rects):
                if ac2 == c - 1 and (ar1, ar2) == (r1, r2):
                    rects[i] = (ar1, ac1, ar2, c)
                    break
            else:
                rects.append((r1, c, r2, c))
    rects.sort(key=lambda x: (x[1], x[0]))
    return [
        coordinate(r1, c1) if (r1, c1) == (r2, c2) else f"{coordinate(r1, c1)}:{coordinate(r2, c2)}"
        for r1, c1, r2, c2 in rects
    ]


def _sum_expr(positions: Iterable[tuple[int, int]]) -> str:
    return f"SUM({','.join(compact_ranges(positions))})"


def _inputs_of(fmt: FormatDef, cell_ids: Iterable[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for cid in cell_ids:
        cell = fmt.cells[cid]
        if cell.derived:
            out.update(cell.parts)
        else:
            out[cid] += 1
    return out


@cache
def sheet_layout(format_id: str, table: str) -> SheetLayout:
    fmt = get_format(format_id)
    grid = table_grid(format_id, table)
    positions: dict[str, tuple[int, int]] = {}
    labels: list[tuple[int, int, str]] = []
    for gc in grid.cells:
        r, c = GRID_TOP + gc.row, GRID_LEFT + gc.col
        if gc.cell_id is not None:
            positions[gc.cell_id] = (r, c)
        elif gc.text:
            labels.append((r, c, gc.text))
    formulas = {
        cid: "=" + _sum_expr(positions[p] for p in fmt.cells[cid].parts)
        for cid in positions
        if fmt.cells[cid].derived and fmt.cells[cid].parts
    }
    # Visible checks: every expansion of the table's sum rules that the total formulas do not already
    # guarantee (T3-BALANCE per column); T3-ROWSUM/T4-* hold by construction and are left out.
    first_number_col = min(c for _, c in positions.values())
    label_span = max(first_number_col - GRID_LEFT, 1)
    row = GRID_TOP + grid.n_rows + 1
    checks: list[CheckCell] = []
    check_labels: list[tuple[int, int, int, str]] = []
    for rdef in fmt.rules:
        if rdef.table != table or not rdef.is_sum_rule:
            continue
        per_column = {k for k, _ in rdef.for_each} == {"col"} and first_number_col > GRID_LEFT
        pending: list[tuple[int, str]] = []  # (column, formula)
        for binding in rdef.expansions():
            lhs = [_expand(t, binding) for t in rdef.lhs]
            rhs = [_expand(t, binding) for t in rdef.rhs]
            if not all(x in positions for x in lhs + rhs) or _inputs_of(fmt, lhs) == _inputs_of(fmt, rhs):
                continue
            left = _sum_expr(positions[x] for x in lhs)
            right = _sum_expr(positions[x] for x in rhs)
            formula = f'=IF({left}={right},"{OK_MARK}","{BAD_MARK}")'
            pending.append((positions[lhs[0]][1] if per_column else GRID_LEFT + label_span, formula))
        if not pending:
            continue
        if per_column:
            check_labels.append((row, GRID_LEFT, label_span, f"检查：{rdef.desc}"))
            checks.extend(CheckCell(row, col, f) for col, f in pending)
            row += 1
        else:
            for col, f in pending:
                check_labels.append((row, GRID_LEFT, label_span, f"检查：{rdef.desc}"))
                checks.append(CheckCell(row, col, f))
                row += 1
    summary = None
    if checks:
        summary = (row, GRID_LEFT, GRID_LEFT + label_span)
        row += 1
    check_row = row
    return SheetLayout(
        format_id=format_id,
        table=table,
        sheet=fmt.tables[table].name,
        grid=grid,
        n_cols=grid.n_cols,
        positions=positions,
        formulas=formulas,
        labels=tuple(labels),
        check_labels=tuple(check_labels),
        checks=tuple(checks),
        summary=summary,
        last_row=check_row,
    )


def _expand(template: str, binding: Mapping[str, str]) -> str:
    for k, v in binding.items():
        template = template.replace("{" + k + "}", v)
    return template


def cell_ref(format_id: str, cell_id: str) -> str:
    """`表三!D9`: where a cell sits in the unit template (for messages and 审核意见)."""
    fmt = get_format(format_id)
    cell = fmt.cell(cell_id)
    layout = sheet_layout(format_id, cell.table)
    return f"{layout.sheet}!{coordinate(*layout.positions[cell_id])}"


def cells_ref(format_id: str, cell_ids: Iterable[str]) -> str:
    """Several cells compacted per sheet: `表三!D5:D6,D28:D29`."""
    fmt = get_format(format_id)
    by_table: dict[str, list[tuple[int, int]]] = {}
    for cid in cell_ids:
        if cid not in fmt.cells:
            continue
        table = fmt.cells[cid].table
        by_table.setdefault(table, []).append(sheet_layout(format_id, table).positions[cid])
    return "；".join(
        f"{sheet_layout(format_id, t).sheet}!{','.join(compact_ranges(pos))}" for t, pos in by_table.items()
    )


def short_label(fmt: FormatDef, cell_id: str) -> str:
    """A cell's name without the table name, column first (`自然人/（一）予以公开`)."""
    label = fmt.cell(cell_id).label
    table_name = fmt.tables[fmt.cell(cell_id).table].name
    if label.startswith(table_name + " "):
        label = label[len(table_name) + 1 :]
    if " / " in label:
        row, col = label.rsplit(" / ", 1)
        return f"{col}/{row}"
    return label


def title_text(unit_name: str, year: int) -> str:
    return f"{unit_name}{year}年政府信息公开工作年度报告填报表"


def note_text(fmt: FormatDef, table: str) -> str:
    money = any(c.is_money for c in fmt.cells.values() if c.table == table)
    signed = any(c.type == "signed_int" for c in fmt.cells.values() if c.table == table)
    parts = ["只在白色格内填写数字，空白按 0 计", "灰色格（标签、总计、检查）已锁定"]
    if money:
        parts.append("金额单位为万元，最多 4 位小数")
    if signed:
        parts.append("“本年增/减”可填负数")
    return "；".join(parts) + "。"


# ----------------------------------------------------------------------------------- writing


def template_file_name(unit_name: str, year: int) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", unit_name).strip("._") or "单位"
    return f"{safe}-{year}年政府信息公开年报填报模板.xlsx"


def write_template(
    path: Path,
    unit: Unit,
    year: int,
    format_id: str,
    values: Mapping[str, CellValue] | None = None,
    generated_at: str | None = None,
) -> None:
    """Write one unit's template to `path` (atomically). `values` pre-fills the number cells."""
    from ruian_desk.export.bundle import atomic_write

    if unit.id is None:
        raise TemplateError(f"单位“{unit.name}”没有编号，不能生成模板")
    wb = build_template_workbook(unit, year, format_id, values, generated_at)
    atomic_write(Path(path), lambda tmp: wb.save(str(tmp)))


def build_template_workbook(
    unit: Unit,
    year: int,
    format_id: str,
    values: Mapping[str, CellValue] | None = None,
    generated_at: str | None = None,
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
    for layout in layouts:
        ws = wb.create_sheet(layout.sheet)
        _write_table_sheet(ws, fmt, layout, unit, year, values, st)
    _write_guide(guide, fmt, layouts, unit, year, st)
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
        meta.cell(i, 2, v)
    meta.sheet_state = "hidden"
    _protect(meta)
    # Structure locked (no password): sheets cannot be renamed, deleted, added or unhidden by accident.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


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
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    n = layout.n_cols
    ws.cell(TITLE_ROW, GRID_LEFT, title_text(unit.name, year)).font = st.title_font
    ws.merge_cells(
        start_row=TITLE_ROW, start_column=GRID_LEFT, end_row=TITLE_ROW, end_column=GRID_LEFT + n - 1
    )
    ws.cell(TITLE_ROW, GRID_LEFT).alignment = st.center
    ws.row_dimensions[TITLE_ROW].height = 24
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
            cell.alignment = (
                st.left if gc.kind == "label" and gc.colspan > 1 or gc.kind == "caption" else st.center
            )
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
            dv.add(" ".join(compact_ranges(where)))
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
        ranges = compact_ranges((x.row, x.col) for x in layout.checks)
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
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    _protect(ws)


def _write_guide(
    ws: Any, fmt: FormatDef, layouts: Sequence[SheetLayout], unit: Unit, year: int, st: _Styles
) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    ws.cell(1, 1, title_text(unit.name, year)).font = st.title_font
    ws.merge_cells("A1:B1")
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
        ws.cell(r, 2, v).font = st.font
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
    _protect(ws)


# ----------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class KnownUnit:
    id: int
    name: str
    old_names: tuple[str, ...] = ()
    retired: bool = False


@dataclass(frozen=True)
class ImportContext:
    """What reading a returned file needs from the workspace, as plain data (safe for a worker thread)."""

    units: Mapping[int, KnownUnit]
    years: Mapping[int, str]  # year → the format the workspace uses for it


@dataclass
class ParsedTemplate:
    """One returned file, read and validated; `problems` empty means it may be stored."""

    path: Path
    name: str
    sha256: str = ""
    problems: list[str] = field(default_factory=list)
    unit: KnownUnit | None = None
    meta_unit_name: str = ""
    year: int | None = None
    format_id: str | None = None
    cells: dict[str, CellValue] = field(default_factory=dict)  # input cells (blank read as 0)
    stated: dict[str, CellValue] = field(default_factory=dict)  # totals typed over the formula
    blanks: int = 0  # blank input cells read as 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_context(repo: Repository) -> ImportContext:
    units = {
        int(u.id): KnownUnit(
            id=int(u.id),
            name=u.name,
            old_names=tuple(n for n, _ in repo.unit_name_history(int(u.id))),
            retired=u.retired,
        )
        for u in repo.units()
        if u.id is not None
    }
    years = {y: year_format(repo, y) for y in set(repo.years()) | repo.import_years(ISSUED_KIND)}
    return ImportContext(units=units, years=years)


def year_format(repo: Repository, year: int) -> str:
    """The format a year's reports use in this workspace: the main organ's report's, else the one the year
    prescribes."""
    main = repo.main_organ()
    if main is not None:
        rid = repo.find_report(main.name, year)
        if rid is not None:
            return repo.load_report(rid).format_id
    return format_for_year(year).id


def _zip_problem(data: bytes) -> str | None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "文件设置了打开密码或是旧版 .xls 格式，无法读取；请取消密码后另存为 .xlsx 再交回"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "文件已损坏或不完整（不是有效的 .xlsx 文件），请重新保存后交回"
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        return f"文件结构异常（包含 {len(infos)} 个部件），拒绝读取"
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        if info.flag_bits & 0x1:
            return "文件已加密，无法读取；请取消密码后交回"
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            return f"文件解压后异常膨胀（{info.filename}），疑似压缩炸弹，拒绝读取"
    if total > MAX_UNCOMPRESSED_BYTES:
        return f"文件解压后过大（{total / 1048576:.1f} MB，上限 {MAX_UNCOMPRESSED_BYTES // 1048576} MB），拒绝读取"
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        return "文件不是 Excel 工作簿（.xlsx），请用本程序生成的模板填写"
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "文件含有宏，拒绝读取；请另存为不含宏的 .xlsx"
    if any(n.startswith("xl/externalLinks/") for n in names):
        return "文件含有外部链接，拒绝读取；请用“选择性粘贴 → 数值”去掉链接后另存"
    return None


def read_template_file(path: Path, known: ImportContext) -> ParsedTemplate:
    """Read and validate one returned file (the workbook is loaded exactly once)."""
    path = Path(path)
    parsed = ParsedTemplate(path=path, name=path.name)
    if path.suffix.lower() != ".xlsx":
        what = "含宏的工作簿" if path.suffix.lower() == ".xlsm" else f"“{path.suffix or '无扩展名'}”文件"
        parsed.problems.append(f"不是 .xlsx 文件（{what}）")
        return parsed
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            parsed.problems.append(
                f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB），拒绝读取"
            )
            return parsed
        data = path.read_bytes()
    except OSError as exc:
        parsed.problems.append(f"无法读取文件：{exc.strerror or exc}")
        return parsed
    return read_template_bytes(data, path, known)


def read_template_bytes(data: bytes, path: Path, known: ImportContext) -> ParsedTemplate:
    parsed = ParsedTemplate(path=Path(path), name=Path(path).name, sha256=hashlib.sha256(data).hexdigest())
    if len(data) > MAX_FILE_BYTES:
        parsed.problems.append(f"文件过大（上限 {MAX_FILE_BYTES // 1048576} MB），拒绝读取")
        return parsed
    problem = _zip_problem(data)
    if problem:
        parsed.problems.append(problem)
        return parsed
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        parsed.problems.append(f"文件已损坏，无法读取（{type(exc).__name__}）")
        return parsed
    try:
        sheets = {name: _sheet_cells(wb[name]) for name in wb.sheetnames}
    except Exception as exc:  # noqa: BLE001 - a truncated member shows up while streaming the sheet
        parsed.problems.append(f"文件已损坏，无法读取（{type(exc).__name__}）")
        return parsed
    finally:
        wb.close()
    _validate(parsed, sheets, known)
    return parsed


def _sheet_cells(ws: Any) -> dict[tuple[int, int], tuple[Any, str]]:
    out: dict[tuple[int, int], tuple[Any, str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or not hasattr(cell, "row"):
                continue
            out[(cell.row, cell.column)] = (value, getattr(cell, "data_type", "n"))
    return out


def _meta_values(cells: Mapping[tuple[int, int], tuple[Any, str]]) -> dict[str, tuple[Any, int]]:
    out: dict[str, tuple[Any, int]] = {}
    for (r, c), (value, _) in cells.items():
        if c == 1 and isinstance(value, str):
            out[value.strip()] = (cells.get((r, 2), (None, "n"))[0], r)
    return out


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _validate(parsed: ParsedTemplate, sheets: Mapping[str, Mapping], known: ImportContext) -> None:
    problems = parsed.problems
    if META_SHEET not in sheets:
        problems.append(f"缺少 {META_SHEET} 工作表：不是本程序生成的填报模板，或模板结构被改动")
        return
    meta = _meta_values(sheets[META_SHEET])

    def where(key: str) -> str:
        return f"{META_SHEET}!B{meta[key][1]}" if key in meta else META_SHEET

    if meta.get("schema", (None, 0))[0] != TEMPLATE_SCHEMA:
        problems.append(f"{where('schema')} 不是本程序生成的填报模板（schema 不符）")
        return
    version = str(meta.get("template_version", ("", 0))[0] or "").strip()
    if version not in KNOWN_VERSIONS:
        problems.append(
            f"{where('template_version')} 模板版本“{version or '空'}”本程序不认识"
            f"（支持 {', '.join(sorted(KNOWN_VERSIONS))}），请用本程序重新生成模板"
        )
        return
    format_id = str(meta.get("format", ("", 0))[0] or "").strip()
    try:
        fmt = get_format(format_id)
    except FormatError:
        problems.append(f"{where('format')} 格式版本“{format_id}”本程序不认识")
        return
    parsed.format_id = fmt.id
    year = _int_or_none(meta.get("year", (None, 0))[0])
    parsed.year = year
    if year is None:
        problems.append(f"{where('year')} 年度无效：{meta.get('year', (None, 0))[0]!r}")
    elif year not in known.years:
        have = "、".join(str(y) for y in sorted(known.years)) or "无"
        problems.append(f"{where('year')} 年度 {year} 不是工作区中的报告年度（现有：{have}）")
    elif known.years[year] != fmt.id:
        problems.append(
            f"{where('format')} 格式版本 {fmt.id} 与工作区 {year} 年度使用的 {known.years[year]} 不符"
        )
    unit_id = _int_or_none(meta.get("unit_id", (None, 0))[0])
    unit_name = str(meta.get("unit_name", ("", 0))[0] or "").strip()
    parsed.meta_unit_name = unit_name
    unit = known.units.get(unit_id) if unit_id is not None else None
    if unit is None:
        problems.append(
            f"{where('unit_id')} 单位编号 {unit_id if unit_id is not None else '空'}（{unit_name}）不在工作区单位名录中"
        )
    elif unit_name not in (unit.name, *unit.old_names):
        problems.append(f"{where('unit_name')} 单位名称“{unit_name}”与编号 {unit_id} 的单位“{unit.name}”不符")
    elif unit.retired:
        problems.append(f"单位“{unit.name}”已撤销，不能导入；如需导入请先在单位名录中恢复该单位")
    else:
        parsed.unit = unit

    for table in TEMPLATE_TABLES:
        if table not in fmt.tables:
            continue
        layout = sheet_layout(fmt.id, table)
        if layout.sheet not in sheets:
            problems.append(f"缺少工作表“{layout.sheet}”")
            continue
        _read_sheet(parsed, fmt, layout, sheets[layout.sheet], unit_name, year)


def _norm_label(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _norm_formula(text: str) -> str:
    return re.sub(r"\s+", "", text).upper().lstrip("=")


def _read_sheet(
    parsed: ParsedTemplate,
    fmt: FormatDef,
    layout: SheetLayout,
    cells: Mapping[tuple[int, int], tuple[Any, str]],
    unit_name: str,
    year: int | None,
) -> None:
    sheet = layout.sheet
    problems = parsed.problems
    expected_title = title_text(unit_name, year) if year is not None else None
    title = cells.get((TITLE_ROW, GRID_LEFT), (None, "n"))[0]
    if expected_title is not None and _norm_label(title) != _norm_label(expected_title):
        problems.append(
            f"{sheet}!{coordinate(TITLE_ROW, GRID_LEFT)} 标题被修改：应为“{expected_title}”，现为“{title or ''}”"
        )
    for r, c, text in layout.labels:
        value = cells.get((r, c), (None, "n"))[0]
        if _norm_label(value) != _norm_label(text):
            problems.append(
                f"{sheet}!{coordinate(r, c)} 标签被修改：应为“{text}”，现为“{value if value is not None else ''}”"
            )
    for cid, (r, c) in layout.positions.items():
        cdef = fmt.cells[cid]
        value, dtype = cells.get((r, c), (None, "n"))
        where = f"{sheet}!{coordinate(r, c)} {short_label(fmt, cid)}"
        if dtype == "f" or (isinstance(value, str) and value.startswith("=") and dtype != "s"):
            own = layout.formulas.get(cid)
            if own is not None and _norm_formula(str(value)) == _norm_formula(own):
                continue
            problems.append(f"{where}: 含公式“{value}”，请只填写数字（粘贴时用“选择性粘贴 → 数值”）")
            continue
        if not isinstance(value, (str, int, float, Decimal)) and value is not None:
            if isinstance(value, (dt.date, dt.datetime, dt.time)):
                problems.append(f"{where}: 是日期或时间，不是数字")
            else:
                problems.append(f'{where}: "{value}" 不是数字')
            continue
        if dtype == "e":
            problems.append(f"{where}: 错误值 {value}")
            continue
        if isinstance(value, str) and not value.strip():
            value = None
        if isinstance(value, bool):
            problems.append(f'{where}: "{value}" 不是数字')
            continue
        if isinstance(value, float):
            # Excel keeps 15 significant digits; binary noise beyond that is not the filler's input.
            value = Decimal(format(value, ".15g"))
        try:
            parsed_value = parse_cell_value(value, cdef.type)
        except CellInputError as exc:
            msg = str(exc)
            raw = str(value).strip() if isinstance(value, str) else format_number(value)
            if "不是数字" in msg:
                problems.append(f'{where}: "{raw}" 不是数字')
            elif isinstance(value, str):
                problems.append(f'{where}: "{raw}" {msg}')
            else:
                problems.append(f"{where}: {raw} {msg}")
            continue
        if cdef.derived:
            # The total's formula was replaced by a number (or cleared): keep it as a stated total, which
            # the checks compare with the computed one.
            parsed.stated[cid] = parsed_value
            continue
        if parsed_value is None:
            parsed.blanks += 1
            parsed_value = 0
        parsed.cells[cid] = parsed_value


# --------------------------------------------------------------------------- planning and storing


@dataclass(frozen=True)
class CellChange:
    cell_id: str
    ref: str  # 表三!D9
    label: str
    old: CellValue
    new: CellValue


@dataclass
class ImportPlan:
    parsed: ParsedTemplate
    unit: Unit
    year: int
    report: Report  # what will be stored
    existing: Report | None
    changes: list[CellChange]
    blank_to_zero: int  # cells that were blank before and are 0 now (not listed as changes)

    @property
    def is_reimport(self) -> bool:
        return self.existing is not None and any(
            v is not None for cid, v in self.existing.cells.items() if cid in self.report.fmt.cells
        )


@dataclass
class FileResult:
    path: Path
    name: str
    ok: bool
    unit_name: str = ""
    year: int | None = None
    problems: list[str] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)
    summary: str = ""
    skipped: bool = False  # valid, but the clerk chose not to replace the unit's data

    def line(self) -> str:
        """One line (for the command line): the result and, for a refused file, every problem."""
        if self.ok:
            return f"{'已跳过' if self.skipped else '已导入'}：{self.name}（{self.unit_name} {self.year}年）{self.summary}"
        listed = self.problems[:MAX_LISTED_PROBLEMS]
        more = len(self.problems) - len(listed)
        text = "；".join(listed) + (f"；……另有 {more} 处问题" if more > 0 else "")
        return " ".join(f"已拒绝：{self.name}：{text}".split())


def plan_import(repo: Repository, parsed: ParsedTemplate) -> ImportPlan | None:
    """What storing a valid file would change; adds a problem (and returns None) when it cannot be stored."""
    if not parsed.ok or parsed.unit is None or parsed.year is None or parsed.format_id is None:
        return None
    unit = repo.unit(parsed.unit.id)
    year = parsed.year
    fmt = get_format(parsed.format_id)
    rid = repo.find_report(unit.name, year)
    existing = repo.load_report(rid) if rid is not None else None
    if existing is not None and existing.format_id != fmt.id:
        parsed.problems.append(
            f"单位“{unit.name}”{year}年的报告使用 {existing.format_id} 格式，与模板的 {fmt.id} 不符"
        )
        return None
    base = existing if existing is not None else default_report(unit, year, fmt.id)
    template_tables = {t for t in TEMPLATE_TABLES if t in fmt.tables}
    cells: dict[str, CellValue] = {
        cid: v
        for cid, v in base.cells.items()
        if cid not in fmt.cells or fmt.cells[cid].table not in template_tables
    }
    cells.update(parsed.cells)
    cells.update(parsed.stated)
    old_cells = existing.cells if existing is not None else {}
    changes: list[CellChange] = []
    blank_to_zero = 0
    for cid in fmt.cells:
        if fmt.cells[cid].table not in template_tables:
            continue
        before, after = old_cells.get(cid), cells.get(cid)
        if cid not in old_cells and cid not in cells:
            continue
        if before == after and (cid in old_cells) == (cid in cells):
            continue
        if before is None and after == 0 and not fmt.cells[cid].derived:
            blank_to_zero += 1
            continue
        changes.append(CellChange(cid, cell_ref(fmt.id, cid), fmt.cells[cid].label, before, after))
    # A table stays marked 示例数据 only while the file left its sample numbers exactly as they were.
    changed_tables = {fmt.cells[c.cell_id].table for c in changes}
    if blank_to_zero:
        changed_tables |= {
            t
            for t in template_tables
            if any(old_cells.get(cid) is None and fmt.cells[cid].table == t for cid in parsed.cells)
        }
    report = replace(
        base,
        unit=unit.name,
        unit_role=unit.role,
        cells=cells,
        sample_tables=frozenset(t for t in base.sample_tables if t not in changed_tables),
    )
    return ImportPlan(parsed, unit, year, report, existing, changes, blank_to_zero)


def describe_changes(plan: ImportPlan, limit: int | None = None) -> list[str]:
    rows = plan.changes if limit is None else plan.changes[:limit]
    out = [
        f"{c.ref} {short_label(plan.report.fmt, c.cell_id)}: {_show(c.old)} → {_show(c.new)}" for c in rows
    ]
    if limit is not None and len(plan.changes) > limit:
        out.append(f"……另有 {len(plan.changes) - limit} 处变化")
    return out


def _show(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


def apply_plan(ws: Workspace, plan: ImportPlan) -> int:
    """Store one file's data in one transaction (report, import record, status); returns the report id."""
    from ruian_desk.exchange.tracker import refresh_status

    repo = ws.repo
    parsed = plan.parsed
    n = len(plan.changes)
    summary = "无变化" if not n and not plan.blank_to_zero else f"{n} 处变化"
    with ws.db.atomic():
        report_id = repo.save_report(plan.report, source=f"{SOURCE_PREFIX}{parsed.name}")
        repo.record_import(
            plan.unit.id, plan.year, parsed.name, parsed.sha256, IMPORT_KIND, f"已导入：{summary}"
        )
        refresh_status(repo, int(plan.unit.id or 0), plan.year, reset_confirmation=True)
    return report_id


def record_refusal(repo: Repository, parsed: ParsedTemplate) -> None:
    """Keep a trace of a refused file (no data of it is stored)."""
    if repo.readonly:
        return
    text = "；".join(parsed.problems[:MAX_LISTED_PROBLEMS])
    repo.record_import(
        parsed.unit.id if parsed.unit else None,
        parsed.year,
        parsed.name,
        parsed.sha256,
        IMPORT_KIND,
        f"已拒绝：{text}"[:2000],
    )


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to import from files and folders (a folder's *.xlsx, not recursive; Excel's ~$ lock files and
    hidden files skipped). Returns (files, problems with the paths given)."""
    files: list[Path] = []
    problems: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f
                for f in path.iterdir()
                if f.is_file() and f.suffix.lower() == ".xlsx" and not f.name.startswith(("~$", "."))
            )
            if not found:
                problems.append(f"文件夹中没有 .xlsx 文件：{path}")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"文件不存在：{path}")
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def parse_files(
    files: Sequence[Path],
    known: ImportContext,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ParsedTemplate]:
    """Read and validate every file (no workspace access: safe in a worker thread). Two files for the same
    unit and year are both refused: the clerk decides which one counts."""
    parsed: list[ParsedTemplate] = []
    for i, f in enumerate(files):
        if progress is not None:
            progress(i, len(files), f.name)
        parsed.append(read_template_file(f, known))
    if progress is not None:
        progress(len(files), len(files), "")
    by_unit: dict[tuple[int, int | None], list[ParsedTemplate]] = {}
    for p in parsed:
        if p.ok and p.unit is not None:
            by_unit.setdefault((p.unit.id, p.year), []).append(p)
    for group in by_unit.values():
        if len(group) > 1:
            names = "、".join(p.name for p in group)
            for p in group:
                p.problems.append(
                    f"同一批中有多个“{group[0].unit.name if group[0].unit else ''}”的文件（{names}），请只保留一个"
                )
    return parsed


def import_files(
    ws: Workspace,
    paths: Iterable[str | Path],
    confirm: Callable[[ImportPlan], bool] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[FileResult], list[str]]:
    """Import returned templates: each valid file stored in its own transaction; refused files change no data.
    `confirm(plan)` is asked before replacing a unit's existing data (None: replace)."""
    files, path_problems = collect_files(paths)
    parsed = parse_files(files, import_context(ws.repo), progress)
    return store_parsed(ws, parsed, confirm), path_problems


def store_parsed(
    ws: Workspace, parsed: Sequence[ParsedTemplate], confirm: Callable[[ImportPlan], bool] | None = None
) -> list[FileResult]:
    repo = ws.repo
    results: list[FileResult] = []
    plans: list[tuple[ParsedTemplate, ImportPlan | None]] = [(p, plan_import(repo, p)) for p in parsed]
    backed_up = False
    for p, plan in plans:
        if plan is None:
            record_refusal(repo, p)
            results.append(
                FileResult(
                    p.path,
                    p.name,
                    False,
                    p.unit.name if p.unit else p.meta_unit_name,
                    p.year,
                    list(p.problems),
                )
            )
            continue
        if plan.is_reimport and confirm is not None and not confirm(plan):
            results.append(
                FileResult(
                    p.path,
                    p.name,
                    True,
                    plan.unit.name,
                    plan.year,
                    [],
                    plan.changes,
                    "（未替换）",
                    skipped=True,
                )
            )
            continue
        if not backed_up:
            backup = getattr(ws, "backup_before", None)
            if callable(backup):
                backup("import")
            backed_up = True
        apply_plan(ws, plan)
        n = len(plan.changes)
        bits = [f"{n} 处变化" if plan.is_reimport else f"{len(p.cells)} 个数字"]
        if p.blanks:
            bits.append(f"空白格 {p.blanks} 个按 0 计")
        results.append(
            FileResult(
                p.path, p.name, True, plan.unit.name, plan.year, [], plan.changes, "：" + "，".join(bits)
            )
        )
    return results


# ----------------------------------------------------------------------------------- commands


def units_for_templates(repo: Repository, year: int, names: Sequence[str] | None) -> list[Unit]:
    """The units named (current or former names), or every unit included in the year's roll-up except the
    main organ and retired units."""
    if names:
        out = []
        for name in names:
            unit = repo.unit_by_name(name)
            if unit is None:
                raise TemplateError(f"工作区中没有单位“{name}”")
            out.append(unit)
        return out
    main = repo.main_organ()
    return [
        u
        for u in repo.units(include_retired=False)
        if (main is None or u.id != main.id) and repo.unit_year(int(u.id or 0), year)["included"]
    ]


def generate_templates(
    ws: Workspace,
    year: int,
    out_dir: Path,
    unit_names: Sequence[str] | None = None,
    prefill: bool = True,
    units: Sequence[Unit] | None = None,
) -> list[Path]:
    """One template per unit in `out_dir`; pre-filled with the unit's stored numbers when it has any (so a
    template sent back with 审核意见 is corrected, not retyped). Each issue is recorded (kind `template`)."""
    repo = ws.repo
    try:
        format_id = year_format(repo, year)
    except FormatError as exc:
        raise TemplateError(str(exc)) from None
    chosen = list(units) if units is not None else units_for_templates(repo, year, unit_names)
    if not chosen:
        raise TemplateError(f"{year}年没有需要下发模板的单位（请在单位名录中设定参与汇总的单位）")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TemplateError(f"无法创建文件夹 {out_dir}：{exc.strerror or exc}") from None
    written: list[Path] = []
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    for unit in chosen:
        values: Mapping[str, CellValue] = {}
        rid = repo.find_report(unit.name, year)
        if prefill and rid is not None:
            report = repo.load_report(rid)
            if report.format_id == format_id:
                values = report.cells
        target = out_dir / template_file_name(unit.name, year)
        try:
            write_template(target, unit, year, format_id, values, generated_at=stamp)
        except Exception as exc:
            from ruian_desk.export.bundle import ExportError

            if isinstance(exc, ExportError):
                raise TemplateError(str(exc)) from None
            raise
        written.append(target)
        if not repo.readonly:
            sha = hashlib.sha256(target.read_bytes()).hexdigest()
            repo.record_import(unit.id, year, target.name, sha, ISSUED_KIND, "已下发模板")
    return written


def cli_template(args: argparse.Namespace) -> int:
    """`python main.py template -w FILE --year Y --out DIR [--unit NAME…] [--feedback [xlsx|docx]]`."""
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(Path(args.workspace))
    try:
        feedback = getattr(args, "feedback", None)
        if feedback:
            from ruian_desk.exchange.feedback import export_feedback

            written, clean = export_feedback(
                ws.repo, args.year, Path(args.out), args.unit or None, kind=feedback
            )
            for path in written:
                print(path)
            if clean:
                print(f"无错误、未生成审核意见：{'、'.join(clean)}")
            if not written:
                print(f"{args.year}年没有需要退回修改的单位")
            return 0
        written = generate_templates(ws, args.year, Path(args.out), args.unit or None)
        for path in written:
            print(path)
        return 0
    finally:
        ws.close()


def cli_import(args: argparse.Namespace) -> int:
    """`python main.py import-xlsx -w FILE PATH…`: 0 all imported, 2 any file refused (valid files are still
    imported)."""
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(Path(args.workspace))
    try:
        files, path_problems = collect_files(args.paths)
        parsed = parse_files(files, import_context(ws.repo))

        def show(plan: ImportPlan) -> bool:
            if not plan.changes:
                print(f"{plan.unit.name} {plan.year}年：已有数据，与交回文件相同，无变化")
                return True
            print(f"{plan.unit.name} {plan.year}年：已有数据，替换其中 {len(plan.changes)} 处：")
            for line in describe_changes(plan, limit=200):
                print(f"  {line}")
            return True

        results = store_parsed(ws, parsed, confirm=show)
    finally:
        ws.close()
    refused = [r for r in results if not r.ok]
    for r in results:
        if r.ok:
            print(r.line())
    for problem in path_problems:
        print(" ".join(f"已拒绝：{problem}".split()), file=sys.stderr)
    for r in refused:
        print(r.line(), file=sys.stderr)
    if refused or path_problems:
        ok = sum(1 for r in results if r.ok)
        print(
            f"共 {len(results)} 个文件：导入 {ok} 个，拒绝 {len(refused)} 个（其余有效文件已导入）",
            file=sys.stderr,
        )
        return 2
    if not results:
        print("没有可导入的文件", file=sys.stderr)
        return 2
    return 0
