"""The findings of the report shown at closing, kept with the state the file was left in: the next opening of
the unchanged file gets exactly them; a file written since (by this app or another program), another report,
another day or a migration gets none, and the report is checked as usual."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from ruian_desk.services.opening import close_keeping_findings, findings_left
from ruian_desk.storage import check_cache
from ruian_desk.storage.assemble import check_report
from ruian_desk.storage.workspace import open_workspace

MAIN = "瑞安市人民政府"


def _closed_showing_main(path: Path) -> tuple[int, list]:
    ws = open_workspace(path, daily_backup=False)
    rid = ws.repo.find_report(MAIN, 2019)
    assert rid is not None
    expected = check_report(ws.repo, rid)[1]
    close_keeping_findings(ws, rid)
    assert ws.left_as is not None
    return rid, expected


def _kept_at_reopening(path: Path, report_id: int) -> list | None:
    """What the next opening of `path` (for writing) finds kept for `report_id`."""
    ws = open_workspace(path, daily_backup=False)
    try:
        return findings_left(ws, report_id)
    finally:
        ws.close()


def test_an_unchanged_file_opens_with_the_findings_it_was_closed_with(sample_path: Path) -> None:
    rid, expected = _closed_showing_main(sample_path)
    assert expected  # the sample has findings: the comparison below means something
    ws = open_workspace(sample_path, daily_backup=False)
    try:
        assert ws.opened_as is not None
        assert findings_left(ws, rid) == expected
        other = ws.repo.find_report("瑞安市公安局（示例单位）", 2019)
        assert other is not None and findings_left(ws, other) is None  # only the report shown at closing
    finally:
        ws.close()


def test_a_file_written_since_is_checked_again(sample_path: Path) -> None:
    rid, _ = _closed_showing_main(sample_path)
    # Another program (or a copy from another computer) writes to it while the app is closed.
    with sqlite3.connect(sample_path) as conn:
        conn.execute("UPDATE cells SET value = '999' WHERE cell_id = 't3.new.np'")
    assert _kept_at_reopening(sample_path, rid) is None


def test_an_edit_in_the_app_is_checked_at_closing(sample_path: Path) -> None:
    """The findings kept are worked out at closing from what is stored, not taken from before the edit."""
    rid, before = _closed_showing_main(sample_path)
    ws = open_workspace(sample_path, daily_backup=False)
    unit = ws.repo.find_report("瑞安市公安局（示例单位）", 2019)
    assert unit is not None
    ws.repo.set_cell(unit, "t3.new.np", 100000)  # the roll-up and its checks follow the unit
    close_keeping_findings(ws, rid)
    again = open_workspace(sample_path, daily_backup=False)
    try:
        kept = findings_left(again, rid)
        assert kept is not None and kept != before
        assert kept == check_report(again.repo, rid)[1]
    finally:
        again.close()


def test_findings_of_another_day_are_not_used(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """W-DEADLINE reads today's date."""
    rid, _ = _closed_showing_main(sample_path)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2099, 1, 1)

    monkeypatch.setattr(check_cache.dt, "date", Tomorrow)
    assert _kept_at_reopening(sample_path, rid) is None


def test_a_read_only_opening_keeps_and_uses_nothing(sample_path: Path) -> None:
    rid, _ = _closed_showing_main(sample_path)
    ws = open_workspace(sample_path, readonly=True)
    try:
        assert findings_left(ws, rid) is None  # another instance may be writing to it
    finally:
        close_keeping_findings(ws, rid)
    assert ws.left_as is None


def test_a_file_not_as_this_app_left_it_has_no_state(sample_path: Path) -> None:
    ws = open_workspace(sample_path, daily_backup=False)
    ws.close()
    sample_path.touch()  # modified time changed: no longer verified, so no state to match
    again = open_workspace(sample_path, daily_backup=False)
    try:
        assert again.opened_as is None
    finally:
        again.close()


def test_findings_worked_out_before_midnight_are_not_kept_for_the_next_day(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing checks the report, then waits for the day's backup: midnight may pass in between."""
    from ruian_desk.services import opening

    today = [dt.date(2026, 12, 4)]

    class Clock(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return today[0]

    monkeypatch.setattr(dt, "date", Clock)  # the one `datetime` module both modules read
    real = opening.check_report

    def checked_at_midnight(repo, report_id):  # noqa: ANN001, ANN202
        found = real(repo, report_id)
        today[0] = dt.datetime(2026, 12, 5).date()  # the clock passes midnight while closing goes on
        return found

    monkeypatch.setattr(opening, "check_report", checked_at_midnight)
    ws = open_workspace(sample_path, daily_backup=False)
    rid = ws.repo.find_report(MAIN, 2019)
    close_keeping_findings(ws, rid)
    assert _kept_at_reopening(sample_path, rid) is None  # worked out on the 4th: not shown on the 5th
    today[0] = dt.datetime(2026, 12, 4).date()
    assert _kept_at_reopening(sample_path, rid) is not None


def test_a_cache_that_fails_never_stops_opening_or_closing(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rid, _ = _closed_showing_main(sample_path)

    def broken(*_a: object, **_k: object) -> None:
        raise OSError("stat failed: a file removed by an upgrade under way")

    monkeypatch.setattr(check_cache.CheckCache, "get_left", broken)
    monkeypatch.setattr(check_cache.CheckCache, "put_left", broken)
    ws = open_workspace(sample_path, daily_backup=False)
    assert findings_left(ws, rid) is None
    close_keeping_findings(ws, rid)
    assert ws.closed
    assert "not read" in caplog.text and "not kept" in caplog.text
