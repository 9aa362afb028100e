"""Where everything sits in the unit template (下发模板): sheet layouts of 表二/表三/表四 (the official grid, the
total formulas, the visible 勾稽关系 checks), names and constants shared by writing (`template_book`) and
reading (`template_import`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.layout import Grid, table_grid
from ruian_desk.textsafe import windows_safe_name

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
    counted: bool = True  # False for the 总计 column's check, which is wrong whenever another column is


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
        pending: list[tuple[int, str, bool]] = []  # (column, formula, counted)
        for binding in rdef.expansions():
            lhs = [_expand(t, binding) for t in rdef.lhs]
            rhs = [_expand(t, binding) for t in rdef.rhs]
            if not all(x in positions for x in lhs + rhs) or _inputs_of(fmt, lhs) == _inputs_of(fmt, rhs):
                continue
            left = _sum_expr(positions[x] for x in lhs)
            right = _sum_expr(positions[x] for x in rhs)
            formula = f'=IF({left}={right},"{OK_MARK}","{BAD_MARK}")'
            counted = not (per_column and fmt.cells[lhs[0]].derived)
            pending.append((positions[lhs[0]][1] if per_column else GRID_LEFT + label_span, formula, counted))
        if not pending:
            continue
        if per_column:
            check_labels.append((row, GRID_LEFT, label_span, f"检查：{rdef.desc}"))
            checks.extend(CheckCell(row, col, f, counted) for col, f, counted in pending)
            row += 1
        else:
            for col, f, counted in pending:
                check_labels.append((row, GRID_LEFT, label_span, f"检查：{rdef.desc}"))
                checks.append(CheckCell(row, col, f, counted))
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
