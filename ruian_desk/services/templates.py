"""填报模板 for the units of a year: what to write (planned on the GUI thread from the workspace), written in a
worker on plain data, then logged as issued (the tracker shows it; the import accepts that year)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruian_desk.exchange.unit_template import TemplateJob, record_issued, template_jobs, write_jobs
from ruian_desk.storage.repository import Repository

__all__ = ["plan_templates", "record_issued", "write_jobs"]


def plan_templates(
    repo: Repository, year: int, out_dir: str | Path, unit_ids: Sequence[int] | None = None
) -> list[TemplateJob]:
    """One job per unit (the given ones, or every unit taking part in the year's roll-up), pre-filled with
    its stored figures; TemplateError (in Chinese) when there is nothing to issue."""
    units = [repo.unit(u) for u in unit_ids] if unit_ids else None
    return template_jobs(repo, year, Path(out_dir), units=units)
