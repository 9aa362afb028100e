"""The Excel hand-off: per-unit `.xlsx` templates out (下发), returned templates in (回收), all-or-nothing.

A template is the official grid of 表二/表三/表四 (from `domain.layout.table_grid`) on one sheet each, labels
and totals locked, number cells unlocked with data validation, totals and the 勾稽关系 as visible formulas,
and a hidden `meta` sheet naming unit, year, format and template version. No macros, no password.

A returned file is untrusted input: it is size-checked and zip-checked before openpyxl sees it, read once
with `data_only=False` (no formula is ever evaluated: a formula in a number cell is an error unless it is
the template's own total formula), and every problem is reported with sheet and cell in Chinese. Nothing of
a file is stored unless the whole file is valid.

The layouts live in `template_layout`, the writing in `template_book`; this module holds the commands and
names every part of the hand-off by its usual import path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ruian_desk.domain.formats import FormatError
from ruian_desk.domain.report import CellValue, Unit
from ruian_desk.exchange.template_book import (
    TemplateMaker,
    build_template_workbook,
    write_template,
)
from ruian_desk.exchange.template_layout import (
    BAD_MARK,
    GRID_LEFT,
    GRID_TOP,
    GUIDE_SHEET,
    IMPORT_KIND,
    ISSUED_KIND,
    KNOWN_VERSIONS,
    MAX_FILE_BYTES,
    MAX_LISTED_PROBLEMS,
    MAX_MEMBER_RATIO,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
    META_SHEET,
    NOTE_ROW,
    OK_MARK,
    PART_ROW,
    SHEET_PASSWORD,
    SOURCE_PREFIX,
    TEMPLATE_SCHEMA,
    TEMPLATE_TABLES,
    TEMPLATE_VERSION,
    TITLE_ROW,
    CheckCell,
    SheetLayout,
    TemplateError,
    cell_ref,
    cells_ref,
    col_letter,
    compact_ranges,
    coordinate,
    note_text,
    sheet_layout,
    short_label,
    template_file_name,
    title_text,
)
from ruian_desk.storage.assemble import year_format

if TYPE_CHECKING:
    from ruian_desk.storage.repository import Repository

__all__ = [
    "BAD_MARK",
    "CheckCell",
    "GRID_LEFT",
    "GRID_TOP",
    "GUIDE_SHEET",
    "IMPORT_KIND",
    "ISSUED_KIND",
    "KNOWN_VERSIONS",
    "MAX_FILE_BYTES",
    "MAX_LISTED_PROBLEMS",
    "MAX_MEMBERS",
    "MAX_MEMBER_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "META_SHEET",
    "NOTE_ROW",
    "OK_MARK",
    "PART_ROW",
    "SHEET_PASSWORD",
    "SOURCE_PREFIX",
    "SheetLayout",
    "TEMPLATE_SCHEMA",
    "TEMPLATE_TABLES",
    "TEMPLATE_VERSION",
    "TITLE_ROW",
    "TemplateError",
    "TemplateJob",
    "TemplateMaker",
    "build_template_workbook",
    "cell_ref",
    "cells_ref",
    "col_letter",
    "compact_ranges",
    "coordinate",
    "note_text",
    "log_issued",
    "sheet_layout",
    "short_label",
    "template_file_name",
    "template_jobs",
    "title_text",
    "units_for_templates",
    "write_jobs",
    "write_template",
    "year_format",
]


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
    """What `services.templates.generate_templates` will write; pre-filled with each unit's stored numbers when it has any (so a
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
    from ruian_desk.fileio import WriteError, atomic_write

    written: list[Path] = []
    makers: dict[tuple[int, str, str], TemplateMaker] = {}  # the workbook built once per format and year
    for i, job in enumerate(jobs):
        if progress is not None:
            progress(i, len(jobs), job.target.name)
        try:
            key = (job.year, job.format_id, job.generated_at)
            if key not in makers:
                makers[key] = TemplateMaker(job.year, job.format_id, job.generated_at)
            data = makers[key].render(job.unit, job.values)
            job.target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(job.target, _bytes_writer(data))
        except WriteError as exc:
            raise TemplateError(str(exc)) from None
        except OSError as exc:
            raise TemplateError(f"无法写入 {job.target}：{exc.strerror or exc}") from None
        written.append(job.target)
    if progress is not None:
        progress(len(jobs), len(jobs), "")
    return written


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def log_issued(repo: Repository, jobs: Sequence[TemplateJob]) -> None:
    """Log each template issued (kind `template`) inside the caller's transaction
    (`services.templates.record_issued` opens it): the tracker shows it, and import accepts its year."""
    if repo.readonly:
        return
    for job in jobs:
        if job.target.exists():
            sha = hashlib.sha256(job.target.read_bytes()).hexdigest()
            repo.record_import(job.unit.id, job.year, job.target.name, sha, ISSUED_KIND, "已下发模板")
