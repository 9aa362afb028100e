"""Reading a returned unit template: the package checked (`template_package`), the workbook loaded once in
read-only mode with `data_only=False` (no formula is ever evaluated), every number cell read by the one figure
reader (`domain.numbers`, through `parse_cell_value`) and every problem named with sheet and cell in Chinese.
A figure Excel would not show (hidden row or column, a `;;;` format, under a merge, a cell listed twice) is
refused, never imported unseen. Needs only an `ImportContext` snapshot, so it can run in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruian_desk.domain.formats import FormatDef, FormatError, get_format
from ruian_desk.domain.report import CellInputError, CellValue, format_number, parse_cell_value
from ruian_desk.exchange.template_package import SheetFacts, hides_value, sheet_facts, zip_problem
from ruian_desk.exchange.unit_template import (
    GRID_LEFT,
    GRID_TOP,
    ISSUED_KIND,
    KNOWN_VERSIONS,
    MAX_FILE_BYTES,
    META_SHEET,
    TEMPLATE_SCHEMA,
    TEMPLATE_TABLES,
    TITLE_ROW,
    SheetLayout,
    coordinate,
    sheet_layout,
    short_label,
    title_text,
    year_format,
)

if TYPE_CHECKING:
    from ruian_desk.storage.repository import Repository


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


def read_template_file(path: Path, known: ImportContext) -> ParsedTemplate:
    """Read and validate one returned file (the workbook is loaded exactly once)."""
    path = Path(path)
    parsed = ParsedTemplate(path=path, name=path.name)
    if path.suffix.lower() != ".xlsx":
        what = "含宏的工作簿" if path.suffix.lower() == ".xlsm" else f"“{path.suffix or '无扩展名'}”文件"
        parsed.problems.append(f"不是 .xlsx 文件（{what}）")
        return parsed
    try:
        if not path.is_file():  # a FIFO, /dev/zero: its size says nothing, reading it may never end
            parsed.problems.append("不是普通文件（设备、管道或文件夹），拒绝读取")
            return parsed
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            parsed.problems.append(
                f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB），拒绝读取"
            )
            return parsed
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        parsed.problems.append(f"无法读取文件：{exc.strerror or exc}")
        return parsed
    return read_template_bytes(data, path, known)


def read_template_bytes(data: bytes, path: Path, known: ImportContext) -> ParsedTemplate:
    parsed = ParsedTemplate(path=Path(path), name=Path(path).name, sha256=hashlib.sha256(data).hexdigest())
    if len(data) > MAX_FILE_BYTES:
        parsed.problems.append(f"文件过大（上限 {MAX_FILE_BYTES // 1048576} MB），拒绝读取")
        return parsed
    problem = zip_problem(data)
    if problem:
        parsed.problems.append(problem)
        return parsed
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        parsed.problems.append(f"文件已损坏，无法读取（{type(exc).__name__}）")
        return parsed
    facts = sheet_facts(data)
    try:
        sheets = {
            name: _sheet_cells(wb[name], facts.setdefault(name, SheetFacts()).hidden_format)
            for name in wb.sheetnames
        }
    except Exception as exc:  # noqa: BLE001 - a truncated member shows up while streaming the sheet
        parsed.problems.append(f"文件已损坏，无法读取（{type(exc).__name__}）")
        return parsed
    finally:
        wb.close()
    _validate(parsed, sheets, known, facts)
    return parsed


def _sheet_cells(ws: Any, hidden_format: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[Any, str]]:
    out: dict[tuple[int, int], tuple[Any, str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or not hasattr(cell, "row"):
                continue
            out[(cell.row, cell.column)] = (value, getattr(cell, "data_type", "n"))
            if hides_value(getattr(cell, "number_format", "")):
                hidden_format.add((cell.row, cell.column))
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


def _validate(
    parsed: ParsedTemplate,
    sheets: Mapping[str, Mapping],
    known: ImportContext,
    facts: Mapping[str, SheetFacts] | None = None,
) -> None:
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
        sheet_hides = (facts or {}).get(layout.sheet, SheetFacts())
        _read_sheet(parsed, fmt, layout, sheets[layout.sheet], unit_name, year, sheet_hides)
    if parsed.cells and parsed.blanks == len(parsed.cells) and not parsed.problems:
        # An untouched template is far more often a wrong attachment than a unit with nothing to report.
        parsed.problems.append(
            "所有数字格都是空白（文件未填写）；如本单位本年度确无数据，请在相应格内填 0 后交回"
        )


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
    hides: SheetFacts | None = None,
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
    for gc in layout.grid.cells:
        # The covered part of a merged area is empty in the template. A value there means the merge was
        # undone (protection lifted, an unmerged row pasted over it): the figure is not where it is read,
        # and reading the first column alone would store a blank (as 0) in its place.
        top, left = GRID_TOP + gc.row, GRID_LEFT + gc.col
        for r in range(top, top + gc.rowspan):
            for c in range(left, left + gc.colspan):
                value = cells.get((r, c), (None, "n"))[0]
                if (r, c) == (top, left) or value is None or (isinstance(value, str) and not value.strip()):
                    continue
                what = short_label(fmt, gc.cell_id) if gc.cell_id else f"“{gc.text[:20]}”"
                problems.append(
                    f"{sheet}!{coordinate(r, c)}: 有“{value}”，但这里是 {coordinate(top, left)} {what} 的合并单元格"
                    "（合并被拆开或粘贴错位）；请恢复合并，只在合并区域的第一格填写"
                )
    for cid, (r, c) in layout.positions.items():
        cdef = fmt.cells[cid]
        value, dtype = cells.get((r, c), (None, "n"))
        where = f"{sheet}!{coordinate(r, c)} {short_label(fmt, cid)}"
        hidden = _hidden_reason(hides, r, c) if value is not None else None
        if hidden is not None:
            # Excel would not show this figure to the clerk who checked the file: never imported unseen.
            problems.append(f"{where}: {hidden}，拒绝导入看不见的数字；请取消隐藏并核对后交回")
            continue
        if hasattr(value, "text") and not isinstance(value, str):
            value, dtype = str(value.text), "f"  # an array formula (ArrayFormula): its text, not its repr
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


def _hidden_reason(hides: SheetFacts | None, row: int, col: int) -> str | None:
    """Why Excel would not show the value at (row, col), or None."""
    if hides is None:
        return None
    if (row, col) in hides.duplicates:
        return "单元格在文件中出现两次（Excel 只显示其中一个）"
    if row in hides.hidden_rows:
        return f"第 {row} 行被隐藏"
    if col in hides.hidden_cols:
        return "所在列被隐藏"
    if (row, col) in hides.hidden_format:
        return "数字格式把数字隐藏了（如 ;;;）"
    merge = hides.covered_by(row, col)
    if merge is not None:
        return f"被合并单元格 {coordinate(merge[0], merge[1])} 盖住"
    return None
