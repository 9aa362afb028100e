"""Reading returned unit templates (回收): untrusted `.xlsx` in, validated plain data out, stored all-or-nothing.

A returned file is size-checked and zip-checked before openpyxl sees it (a zip bomb, macros, external links,
an encrypted or truncated file are refused), loaded once in read-only mode with `data_only=False` (no formula
is ever evaluated: a formula in a number cell is an error unless it is the template's own total formula), and
every problem is reported with sheet and cell in Chinese. Reading needs only an `ImportContext` snapshot, so
it can run in a worker thread; planning and storing use the workspace.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruian_desk.domain.formats import FormatDef, FormatError, get_format
from ruian_desk.domain.report import (
    CellInputError,
    CellValue,
    Report,
    Unit,
    default_report,
    format_number,
    parse_cell_value,
)
from ruian_desk.exchange.files import collect_files as collect_files_by_suffix
from ruian_desk.exchange.unit_template import (
    GRID_LEFT,
    GRID_TOP,
    IMPORT_KIND,
    ISSUED_KIND,
    KNOWN_VERSIONS,
    MAX_FILE_BYTES,
    MAX_LISTED_PROBLEMS,
    MAX_MEMBER_RATIO,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
    META_SHEET,
    SOURCE_PREFIX,
    TEMPLATE_SCHEMA,
    TEMPLATE_TABLES,
    TITLE_ROW,
    SheetLayout,
    cell_ref,
    coordinate,
    sheet_layout,
    short_label,
    title_text,
    year_format,
)

if TYPE_CHECKING:
    from ruian_desk.storage.repository import Repository
    from ruian_desk.storage.workspace import Workspace


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
        name = info.filename
        # A part name that climbs out of the package, or one listed twice, lets Excel show one copy while
        # openpyxl reads another: refuse the file rather than guess which numbers the clerk saw.
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[/\\]", name):
            return f"文件结构异常（部件名 “{name[:60]}” 不合法），拒绝读取"
        if name in names:
            return f"文件结构异常（部件 “{name[:60]}” 重复出现），拒绝读取"
        names.add(name)
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
    """Returned templates from files and folders (a folder's *.xlsx)."""
    return collect_files_by_suffix(paths, (".xlsx",), "文件夹中没有 .xlsx 文件：{path}")


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
        if plan.is_reimport:
            bits = [f"{n} 处变化" if n else "无变化"]
        else:
            bits = [f"{len(p.cells)} 个数字"]
        if p.blanks:
            bits.append(f"空白格 {p.blanks} 个按 0 计")
        results.append(
            FileResult(
                p.path, p.name, True, plan.unit.name, plan.year, [], plan.changes, "：" + "，".join(bits)
            )
        )
    return results


# ----------------------------------------------------------------------------------- command


def run_import_command(args: argparse.Namespace) -> int:
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
    ok = sum(1 for r in results if r.ok)
    if refused or path_problems:
        if results:
            tail = "（其余有效文件已导入）" if ok else ""
            print(f"共 {len(results)} 个文件：导入 {ok} 个，拒绝 {len(refused)} 个{tail}", file=sys.stderr)
        return 2
    if not results:
        print("没有可导入的 .xlsx 文件", file=sys.stderr)
        return 2
    return 0
