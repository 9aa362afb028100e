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

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruian_desk.domain.formats import FormatDef, FormatError, format_for_year, get_format
from ruian_desk.domain.layout import Grid, table_grid
from ruian_desk.domain.report import (
    CellValue,
    Unit,
)
from ruian_desk.textsafe import clean_text, sheet_text, windows_safe_name

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
    safe = windows_safe_name(re.sub(r"\s+", "_", unit_name).strip("._"), "单位")
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
    from ruian_desk.fileio import atomic_write

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
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    n = layout.n_cols
    _text_cell(ws, TITLE_ROW, GRID_LEFT, title_text(unit.name, year)).font = st.title_font
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
    _text_cell(ws, 1, 1, title_text(unit.name, year)).font = st.title_font
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


# ----------------------------------------------------------------------------------- commands


def year_format(repo: Repository, year: int) -> str:
    """The format a year's reports use in this workspace: the main organ's report's, else the one the year
    prescribes."""
    main = repo.main_organ()
    if main is not None:
        rid = repo.find_report(main.name, year)
        if rid is not None:
            return repo.load_report(rid).format_id
    return format_for_year(year).id


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


@dataclass(frozen=True)
class TemplateJob:
    """One template to write: plain data, so the writing can run in a worker thread."""

    unit: Unit
    year: int
    format_id: str
    values: Mapping[str, CellValue]
    target: Path
    generated_at: str


def template_jobs(
    repo: Repository,
    year: int,
    out_dir: Path,
    unit_names: Sequence[str] | None = None,
    prefill: bool = True,
    units: Sequence[Unit] | None = None,
) -> list[TemplateJob]:
    """What `generate_templates` will write; pre-filled with each unit's stored numbers when it has any (so a
    template sent back with 审核意见 is corrected, not retyped)."""
    try:
        format_id = year_format(repo, year)
    except FormatError as exc:
        raise TemplateError(str(exc)) from None
    chosen = list(units) if units is not None else units_for_templates(repo, year, unit_names)
    if not chosen:
        raise TemplateError(f"{year}年没有需要下发模板的单位（请在单位名录中设定参与汇总的单位）")
    out_dir = Path(out_dir)
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    jobs: list[TemplateJob] = []
    for unit in chosen:
        values: Mapping[str, CellValue] = {}
        rid = repo.find_report(unit.name, year)
        if prefill and rid is not None:
            report = repo.load_report(rid)
            if report.format_id == format_id:
                values = dict(report.cells)
        jobs.append(
            TemplateJob(unit, year, format_id, values, out_dir / template_file_name(unit.name, year), stamp)
        )
    return jobs


def write_jobs(
    jobs: Sequence[TemplateJob], progress: Callable[[int, int, str], None] | None = None
) -> list[Path]:
    """Write the templates (no workspace access)."""
    from ruian_desk.fileio import WriteError

    written: list[Path] = []
    for i, job in enumerate(jobs):
        if progress is not None:
            progress(i, len(jobs), job.target.name)
        try:
            job.target.parent.mkdir(parents=True, exist_ok=True)
            write_template(job.target, job.unit, job.year, job.format_id, job.values, job.generated_at)
        except WriteError as exc:
            raise TemplateError(str(exc)) from None
        except OSError as exc:
            raise TemplateError(f"无法写入 {job.target}：{exc.strerror or exc}") from None
        written.append(job.target)
    if progress is not None:
        progress(len(jobs), len(jobs), "")
    return written


def record_issued(repo: Repository, jobs: Sequence[TemplateJob]) -> None:
    """Log each template issued (kind `template`): the tracker shows it, and import accepts its year."""
    if repo.readonly:
        return
    with repo.db.atomic():
        for job in jobs:
            if job.target.exists():
                sha = hashlib.sha256(job.target.read_bytes()).hexdigest()
                repo.record_import(job.unit.id, job.year, job.target.name, sha, ISSUED_KIND, "已下发模板")


def generate_templates(
    ws: Workspace,
    year: int,
    out_dir: Path,
    unit_names: Sequence[str] | None = None,
    prefill: bool = True,
    units: Sequence[Unit] | None = None,
) -> list[Path]:
    """One template per unit in `out_dir` (default units: every unit included in the year's roll-up except
    the main organ); each issue is recorded."""
    jobs = template_jobs(ws.repo, year, out_dir, unit_names, prefill, units)
    written = write_jobs(jobs)
    record_issued(ws.repo, jobs)
    return written




