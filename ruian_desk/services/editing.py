"""Edits of one report that must land together: a pasted block, a block cleared, an undo of either."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ruian_desk.domain.report import CellValue
from ruian_desk.storage.repository import Repository


def write_cells(
    repo: Repository, report_id: int, values: Mapping[str, CellValue], cleared: Iterable[str] = ()
) -> None:
    """Cell values set and stated totals cleared (a derived cell back to its sum) as ONE transaction:
    all of it is stored, or nothing when any part is refused."""
    cleared = list(cleared)
    if len(values) == 1 and not cleared:
        # The common case, one typed cell: set_cell is itself one transaction.
        ((cid, value),) = values.items()
        repo.set_cell(report_id, cid, value)
        return
    with repo.atomic():
        if values:
            repo.set_cells(report_id, values)
        for cid in cleared:
            repo.clear_stated(report_id, cid)
