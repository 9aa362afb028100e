"""The 单位 page's statuses are worked out again only for the units whose report (or last year's) changed
(issue 16); what they show is always what a fresh check finds."""

from __future__ import annotations

import pytest

from ruian_desk.exchange import tracker


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = tracker.check_report

    def spy(repo, report_id):  # noqa: ANN001, ANN202
        if (
            repo.load_report(report_id).unit != repo.main_organ().name
        ):  # the county's own checks read every unit
            seen.append(report_id)
        return real(repo, report_id)

    monkeypatch.setattr(tracker, "check_report", spy)
    return seen


def test_only_changed_units_are_checked_again(sample_ws, counted) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    first = {s.unit.name: s for s in tracker.unit_statuses(repo, 2019)}
    checked_first = len(counted)
    assert checked_first >= 6  # every unit's report once
    counted.clear()
    again = {s.unit.name: s for s in tracker.unit_statuses(repo, 2019)}
    assert counted == [] and {k: v.issues for k, v in again.items()} == {
        k: v.issues for k, v in first.items()
    }

    police = "瑞安市公安局（示例单位）"
    rid = repo.find_report(police, 2019)
    repo.set_cell(rid, "t3.new.np", repo.load_report(rid).values.number("t3.new.np") + 5)  # 表三 unbalanced
    after = {s.unit.name: s for s in tracker.unit_statuses(repo, 2019)}
    assert counted == [rid]
    assert after[police].errors > first[police].errors and after[police].status == tracker.HAS_ERRORS
    fresh = tracker.check_report(repo, rid)[1]
    assert after[police].issues == tuple(fresh)
    counted.clear()
    warning = next((i for i in fresh if i.severity == "warning"), None)
    if warning is not None:
        repo.explain_issue(rid, warning, "已核实")
    else:
        repo.set_field(rid, "p1", "正文改动")
    tracker.unit_statuses(repo, 2019)
    assert counted == [rid]  # an explanation or a text is a change of that report too
