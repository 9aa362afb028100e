"""Stored check results of unit reports (the 单位 page in a new session): exact round trip, used only while
the report, last year's and the checker are unchanged, and a broken cache file never breaks the page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.issues import Issue
from ruian_desk.storage.check_cache import CheckCache, dump_issues, load_issues, version_key

POLICE = "瑞安市公安局（示例单位）"


def test_issues_round_trip_exactly() -> None:
    issues = [
        Issue("T3-BALANCE", "error", "表三 自然人列：…", ("t3.new.np", "t3.carry_in.np"), 12, Decimal("11.50")),
        Issue("N-PUNCT", "warning", "一、总体情况 第2段：半角逗号", part="p1", anchor="，", paragraph=2),
        Issue("X-TEXT-T3", "warning", "…", ("t3.new.total",), None, None, explained=True, explanation="已核实"),
        # X-AGG: the units' values of a cell (a list; None for a blank), the county's own in a tuple
        Issue("X-AGG", "warning", "表三 …", ("t3.new.np",), [5992, None, Decimal("1.50")], (32, "x")),
    ]
    back = load_issues(dump_issues(issues) or "")
    assert back == issues
    assert [i.fingerprint for i in back] == [i.fingerprint for i in issues]  # explanations still match
    assert isinstance(back[0].actual, Decimal) and str(back[0].actual) == "11.50"
    # A finding holding a value of another kind is not stored (the unit is checked again instead).
    assert isinstance(back[3].expected, list) and isinstance(back[3].actual, tuple)
    assert isinstance(back[3].expected[2], Decimal)
    assert dump_issues([Issue("X", "info", "m", expected={1, 2})]) is None


def test_get_returns_only_results_of_the_same_version(tmp_path: Path) -> None:
    cache = CheckCache(tmp_path / "w.sqlite", folder=tmp_path / "home")
    issue = Issue("T3-ROWSUM", "error", "表三 …", ("t3.new.np",), 5, 4)
    cache.put({7: (version_key(2019, "v1"), True, [issue]), 8: (version_key(2019, "v1"), False, [])})
    again = CheckCache(tmp_path / "w.sqlite", folder=tmp_path / "home")  # a new session
    found = again.get({7: version_key(2019, "v1"), 8: version_key(2019, "v2")})
    assert list(found) == [7]
    assert (found[7].has_data, found[7].errors, found[7].warnings) == (True, 1, 0)
    assert list(found[7].issues) == [issue] and found[7].issues == (issue,)
    # Another workspace at another path has none of them.
    other = CheckCache(tmp_path / "other.sqlite", folder=tmp_path / "home")
    assert other.get({7: version_key(2019, "v1")}) == {}


def test_a_broken_cache_file_is_left_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "check-cache.sqlite").write_bytes(b"this is not a database" * 100)
    cache = CheckCache(tmp_path / "w.sqlite", folder=home)
    assert cache.get({1: version_key(2019, "v")}) == {}
    cache.put({1: (version_key(2019, "v"), True, [])})  # no exception: the units are checked without it
    assert "check cache" in caplog.text


def test_unit_statuses_in_a_new_session_use_the_stored_findings(
    sample_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    from ruian_desk.exchange import tracker

    repo = sample_ws.repo
    first = tracker.unit_statuses(repo, 2019, persist=False, stored=CheckCache(sample_ws.path, tmp_path))
    police = repo.unit_by_name(POLICE)
    # A new session: nothing kept in memory; only the units whose report changed are checked again.
    tracker._CHECKED.clear()
    rid = repo.find_report(POLICE, 2019)
    repo.set_cell(rid, "t3.new.np", 500)
    checked: list[int] = []
    real = tracker.check_report

    def counting(repo_, report_id):  # noqa: ANN001, ANN202
        checked.append(report_id)
        return real(repo_, report_id)

    monkeypatch.setattr(tracker, "check_report", counting)
    second = tracker.unit_statuses(repo, 2019, persist=False, stored=CheckCache(sample_ws.path, tmp_path))
    main = repo.find_report("瑞安市人民政府", 2019)
    # the main report is always checked (its roll-up follows every unit), the changed unit, and no other
    assert sorted(checked) == sorted([main, rid])
    before = {s.unit.id: (s.status, s.errors, s.warnings, s.issues) for s in first}
    after = {s.unit.id: (s.status, s.errors, s.warnings, s.issues) for s in second}
    assert after[police.id][0] == "有错" and after[police.id][1] > 0
    # Every other unit as before (the main organ's roll-up follows the police's figures).
    changed = {police.id, repo.unit_by_name("瑞安市人民政府").id}
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }
    assert len(after) == len(before) > len(changed)


def test_stored_findings_are_not_used_on_another_day(sample_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """W-DEADLINE reads today's date: the findings stored yesterday are worked out again today."""
    import datetime as dt

    from ruian_desk.exchange import tracker

    repo = sample_ws.repo
    tracker.unit_statuses(repo, 2019, persist=False, stored=CheckCache(sample_ws.path, tmp_path))
    tracker._CHECKED.clear()

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2099, 1, 1)

    monkeypatch.setattr(tracker.dt, "date", Tomorrow)
    checked: list[int] = []
    real = tracker.check_report
    monkeypatch.setattr(tracker, "check_report", lambda r, rid: checked.append(rid) or real(r, rid))
    tracker.unit_statuses(repo, 2019, persist=False, stored=CheckCache(sample_ws.path, tmp_path))
    assert len(checked) == len(repo.reports_of_year(2019))  # every report checked again


def test_counts_are_stored_and_findings_read_only_when_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 单位 page reads 200 units' counts; one unit's findings only when it is selected."""
    from ruian_desk.storage import check_cache

    cache = CheckCache(tmp_path / "w.sqlite", folder=tmp_path / "home")
    issues = [
        Issue("T3-ROWSUM", "error", "表三 …", ("t3.new.np",), 5, 4),
        Issue("N-PUNCT", "warning", "半角逗号", part="p1"),
        Issue("N-LONG", "warning", "已说明的", part="p1", explained=True, explanation="已核实"),
        Issue("I-NOTE", "info", "提示", part="p1"),
    ]
    cache.put({3: (version_key(2019, "v"), True, issues)})
    reads: list[str] = []
    real = check_cache.load_issues
    monkeypatch.setattr(check_cache, "load_issues", lambda text: reads.append(text) or real(text))
    hit = CheckCache(tmp_path / "w.sqlite", folder=tmp_path / "home").get({3: version_key(2019, "v")})[3]
    assert (hit.errors, hit.warnings) == (1, 1)  # the explained warning is not counted
    assert reads == []
    assert [i.rule for i in hit.issues] == ["T3-ROWSUM", "N-PUNCT", "N-LONG", "I-NOTE"]
    assert len(hit.issues) == 4 and hit.issues[1].anchor == "" and len(reads) == 1  # read once
    assert hash(hit.issues) == hash(tuple(issues)) and hit.issues == tuple(issues)


def test_stored_findings_that_no_longer_read_are_found_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A row damaged inside its text (the file itself still opens): the unit is checked again, logged."""
    import sqlite3

    home = tmp_path / "home"
    cache = CheckCache(tmp_path / "w.sqlite", folder=home)
    cache.put({3: (version_key(2019, "v"), True, [Issue("T3-ROWSUM", "error", "表三 …")])})
    cache.close()
    with sqlite3.connect(home / "check-cache.sqlite") as conn:
        conn.execute("UPDATE findings SET issues = '[[\"T3-ROWSUM\", \"no such severity\"'")
    again = [Issue("T3-ROWSUM", "error", "表三 重新审核")]
    hit = CheckCache(tmp_path / "w.sqlite", folder=home).get({3: version_key(2019, "v")}, lambda rid: again)[3]
    assert list(hit.issues) == again
    assert "checked again" in caplog.text
