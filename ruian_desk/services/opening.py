"""The report the window shows when it opens a workspace, and its findings: worked out afresh when the window
closes the workspace, kept with the state the file is left in (`check_cache.left_key`), and shown at once on
the next opening of the unchanged file — instead of rolling up and checking every unit again before the
window can say what it found (at 200 units, most of the start-up). Anything that wrote to the file since, on
this computer or another, changes its state: the report is then checked as usual."""

from __future__ import annotations

import datetime as dt
import logging

from ruian_desk.domain.issues import Issue
from ruian_desk.storage.assemble import check_report
from ruian_desk.storage.check_cache import CheckCache
from ruian_desk.storage.workspace import Workspace

log = logging.getLogger(__name__)


def findings_left(ws: Workspace, report_id: int) -> list[Issue] | None:
    """The findings of `report_id` kept when this workspace was last closed showing it, if the file is still
    exactly as it was left then (opened for writing, verified, not migrated); None otherwise."""
    if ws.opened_as is None or ws.readonly:
        return None
    cache = CheckCache(ws.path)
    try:
        return cache.get_left(report_id, ws.opened_as)
    except Exception:  # noqa: BLE001 - best effort: the report is then checked as usual
        log.warning("findings kept for report %s not read", report_id, exc_info=True)
        return None
    finally:
        cache.close()


def close_keeping_findings(ws: Workspace, report_id: int | None) -> None:
    """Close `ws`. With a report shown, its findings are worked out afresh from the stored data first, and
    kept with the state the file is left in (only when it was closed soundly, see `Workspace.left_as`)."""
    issues: list[Issue] | None = None
    day = dt.date.today()  # the day the checks read (W-DEADLINE), taken before them: closing may pass midnight
    if report_id is not None and not ws.readonly and not ws.closed:
        try:
            issues = check_report(ws.repo, report_id)[1]
        except Exception:  # noqa: BLE001 - closing goes on; the next opening checks the report itself
            log.warning("findings of report %s not kept at closing", report_id, exc_info=True)
    ws.close()
    if issues is not None and ws.left_as is not None and report_id is not None:
        cache = CheckCache(ws.path)
        try:
            cache.put_left(report_id, ws.left_as, issues, day)
        except Exception:  # noqa: BLE001 - best effort: closing is done; the next opening checks the report
            log.warning("findings of report %s not kept at closing", report_id, exc_info=True)
        finally:
            cache.close()
