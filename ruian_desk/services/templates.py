"""填报模板 for the units of a year: what to write (planned on the GUI thread from the workspace), written in a
worker on plain data, then logged as issued in one transaction (the tracker shows it; the import accepts that
year)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruian_desk.domain.report import Unit
from ruian_desk.exchange.unit_template import TemplateJob, log_issued, template_jobs, write_jobs
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.workspace import Workspace

__all__ = ["generate_templates", "plan_templates", "record_issued", "write_jobs"]


def plan_templates(
    repo: Repository, year: int, out_dir: str | Path, unit_ids: Sequence[int] | None = None
) -> list[TemplateJob]:
    """One job per unit (the given ones, or every unit taking part in the year's roll-up), pre-filled with
    its stored figures; TemplateError (in Chinese) when there is nothing to issue."""
    units = [repo.unit(u) for u in unit_ids] if unit_ids else None
    return template_jobs(repo, year, Path(out_dir), units=units)


def record_issued(repo: Repository, jobs: Sequence[TemplateJob]) -> None:
    """Log each template written (kind `template`), all in one transaction; nothing on a read-only workspace."""
    if repo.readonly:
        return
    with repo.atomic():
        log_issued(repo, jobs)


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
