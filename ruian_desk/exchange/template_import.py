"""Reading returned unit templates (回收): untrusted `.xlsx` in, validated plain data out, stored all-or-nothing.

A returned file is size-checked and zip-checked before openpyxl sees it (a zip bomb, macros, external links,
an encrypted or truncated file are refused), loaded once in read-only mode with `data_only=False` (no formula
is ever evaluated: a formula in a number cell is an error unless it is the template's own total formula), and
every problem is reported with sheet and cell in Chinese. Reading needs only an `ImportContext` snapshot, so
it can run in a worker thread; planning and storing use the workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import (
    CellValue,
    Report,
    Unit,
    default_report,
    format_number,
)
from ruian_desk.exchange.files import collect_files as collect_files_by_suffix
from ruian_desk.exchange.unit_template import (
    IMPORT_KIND,
    MAX_LISTED_PROBLEMS,
    SOURCE_PREFIX,
    TEMPLATE_TABLES,
    cell_ref,
    short_label,
)

if TYPE_CHECKING:
    from ruian_desk.storage.repository import Repository


from ruian_desk.exchange.template_read import ImportContext as ImportContext
from ruian_desk.exchange.template_read import KnownUnit as KnownUnit
from ruian_desk.exchange.template_read import ParsedTemplate as ParsedTemplate
from ruian_desk.exchange.template_read import import_context as import_context
from ruian_desk.exchange.template_read import read_template_bytes as read_template_bytes
from ruian_desk.exchange.template_read import read_template_file as read_template_file

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


def write_plan(repo: Repository, plan: ImportPlan) -> int:
    """Store one file's data (report, import record, status) inside the caller's transaction
    (`services.imports` opens one per file); returns the report id."""
    from ruian_desk.exchange.tracker import refresh_status

    parsed = plan.parsed
    n = len(plan.changes)
    summary = "无变化" if not n and not plan.blank_to_zero else f"{n} 处变化"
    report_id = repo.save_report(plan.report, source=f"{SOURCE_PREFIX}{parsed.name}")
    repo.record_import(plan.unit.id, plan.year, parsed.name, parsed.sha256, IMPORT_KIND, f"已导入：{summary}")
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
