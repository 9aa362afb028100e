"""Imports into a workspace, planned and stored: the units' returned Excel templates (read in a worker on plain
data, stored file by file) and the app's own JSON reports (all or nothing). Refusals are `ImportRefused`, in
Chinese, naming the files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruian_desk.domain.report import Report
from ruian_desk.exchange.documents.importer import DocPlan, write_document
from ruian_desk.exchange.documents.importer import record_refusal as record_document_refusal
from ruian_desk.exchange.template_import import (
    FileResult,
    ImportContext,
    ImportPlan,
    ParsedTemplate,
    collect_files,
    import_context,
    parse_files,
    plan_import,
    record_refusal,
    write_plan,
)
from ruian_desk.storage.workspace import Workspace


class ImportRefused(ValueError):
    """Nothing was imported; the message says which files and why."""


@dataclass(frozen=True)
class TemplateImport:
    files: list[Path]  # the .xlsx files to read (folders expanded)
    problems: list[str]  # paths refused before reading (not found, no .xlsx in a folder …)
    known: ImportContext  # the units and years the files are checked against, as plain data for a worker


def plan_template_import(ws: Workspace, paths: Iterable[str | Path]) -> TemplateImport:
    files, problems = collect_files(paths)
    return TemplateImport(files, problems, import_context(ws.repo))


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
    return store_templates(ws, parsed, confirm), path_problems


def store_templates(
    ws: Workspace, parsed: Sequence[ParsedTemplate], confirm: Callable[[ImportPlan], bool] | None = None
) -> list[FileResult]:
    """Store every valid file (each in its own transaction, a backup before the first), asking `confirm`
    before one replaces a unit's existing figures; refused files are logged with their problems."""
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
        with repo.atomic():
            write_plan(repo, plan)
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


def store_documents(ws: Workspace, plans: Sequence[DocPlan]) -> list[int]:
    """Reports read from documents (Word, saved pages, PDF, text), as the clerk reviewed them: each file whole
    in its own transaction after one verified backup, refused files logged. The report ids stored."""
    ids: list[int] = []
    if any(p.ok for p in plans) and ws.repo.report_index():
        ws.backup_before("import")  # raises when the copy cannot be written: nothing is imported
    for plan in plans:
        if plan.ok:
            with ws.repo.atomic():
                ids.append(write_document(ws.repo, plan))
        else:
            record_document_refusal(ws.repo, plan)
    return ids


def same_report_twice(keys: Sequence[tuple[str, tuple[object, int]]]) -> list[str]:
    """Files that hold the same (unit, year): the later one would silently replace the earlier one."""
    first: dict[tuple[object, int], str] = {}
    out: list[str] = []
    for name, key in keys:
        if key in first:
            out.append(f"{first[key]} 与 {name} 是同一单位同一年度的报告，请只保留一个")
        else:
            first[key] = name
    return out


def store_json_reports(ws: Workspace, reports: Sequence[tuple[str, Report]]) -> None:
    """The reports read from JSON files stored as ONE transaction (after a verified backup when the workspace
    holds reports already); a unit named by its current name in one file and a former name in another is
    one unit, and two files of one unit and year refuse the whole import."""
    repo = ws.repo
    resolved = []
    for name, r in reports:
        unit = repo.unit_by_name(r.unit)
        resolved.append((name, (unit.id if unit is not None else r.unit, r.year)))
    twice = same_report_twice(resolved)
    if twice:
        raise ImportRefused("；".join(twice) + "（未导入任何文件）")
    if repo.report_index():
        ws.backup_before("import")  # if it cannot be written, nothing is imported (BackupError)
    with repo.atomic():
        for name, report in reports:
            repo.save_report(report, source=f"import-json:{Path(name).name}", replace_unit_role=True)
            if repo.main_organ() is None:
                unit = repo.unit_by_name(report.unit)
                assert unit is not None and unit.id is not None
                repo.set_main_organ(unit.id)
