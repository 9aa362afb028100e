"""The 瑞安市人民政府 2019 sample: the engine finds the rates of the published narrative that do not match
their own figures, and nothing on the ones that do."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ruian_desk.domain.rules import run_checks
from ruian_desk.storage.assemble import check_context, check_report, resolve_report_id

WRONG = {
    # metric: (stated, numerator ÷ denominator half-up)
    "citywide_share": (Decimal("85.38"), Decimal("70.36")),  # 2167 / 3080
    "inspection_completion_rate": (Decimal("88.32"), Decimal("88.17")),  # 5935 / 6731
    "problem_detection_rate": (Decimal("30.19"), Decimal("30.26")),  # 1796 / 5935
}
RIGHT = ("76.75", "58.90", "42.50")  # 即办 2364/3080, 告知承诺 1814/3080, 容缺 1309/3080


def test_sample_rates(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    report, issues = check_report(repo, resolve_report_id(repo, 2019))
    rates = [i for i in issues if i.rule == "X-METRIC-RATE"]
    assert {i.anchor.removeprefix("metric:"): (i.actual, i.expected) for i in rates} == WRONG
    for issue in rates:
        assert issue.severity == "warning" and issue.part == "p1" and not issue.explained
        stated, computed = WRONG[issue.anchor.removeprefix("metric:")]
        assert f"{stated}%" in issue.message and f"{computed}%" in issue.message
        assert issue.message.startswith("一、总体情况 （三）2.“")
    citywide = [i for i in rates if i.anchor == "metric:citywide_share"][0]
    assert "“全市通办事项2167项,占比85.38%”" in citywide.message and "2167 ÷ 3080" in citywide.message
    # no false alarm on the rates that match, from any rule
    for issue in issues:
        for right in RIGHT:
            assert right not in issue.message, issue.message
    # the whole check of the sample: these rates, and the published half-width punctuation once per part
    assert {i.rule for i in issues} == {"X-METRIC-RATE", "N-PUNCT"}
    assert [i.part for i in issues if i.rule == "N-PUNCT"] == ["intro", "p1", "p5"]
    assert not [i for i in issues if i.severity == "error"]


def test_sample_rates_found_from_the_text_alone(sample_ws) -> None:  # noqa: ANN001
    """Without the metrics register, the text's own figures give the same three findings."""
    repo = sample_ws.repo
    report = repo.load_report(resolve_report_id(repo, 2019))
    issues = run_checks(replace(report, metrics=()), check_context(repo, report))
    found = {(i.actual, i.expected) for i in issues if i.rule == "X-TEXT-RATE"}
    assert found == set(WRONG.values())
    assert not [i for i in issues if i.rule.startswith("X-METRIC")]


def test_sample_units(sample_ws) -> None:  # noqa: ANN001
    """The illustrative units carry numbers only: a hint each, no error, no warning."""
    repo = sample_ws.repo
    main = repo.main_organ()
    for unit in repo.units():
        if unit.id == main.id:
            continue
        report, issues = check_report(repo, resolve_report_id(repo, 2019, unit.name))
        assert [(i.rule, i.severity) for i in issues] == [("N-EMPTY-PART", "info")], unit.name


def test_sample_explanation_round_trip(sample_ws) -> None:  # noqa: ANN001
    from ruian_desk.domain.report import Metric

    repo = sample_ws.repo
    rid = resolve_report_id(repo, 2019)
    _, issues = check_report(repo, rid)
    citywide = [i for i in issues if i.anchor == "metric:citywide_share"][0]
    repo.explain_issue(rid, citywide, "原文如此，已向市跑改办核实口径")
    _, issues = check_report(repo, rid)
    assert [i.explained for i in issues if i.rule == "X-METRIC-RATE"].count(True) == 1

    # another denominator changes the computed rate: the explanation no longer covers it
    def set_denominator(den: int) -> list:
        repo.put_metric(
            rid,
            Metric(
                key="citywide_share",
                label="全市通办事项占比",
                value=Decimal("85.38"),
                unit="%",
                numerator=Decimal("2167"),
                denominator=Decimal(den),
            ),
        )
        return [i for i in check_report(repo, rid)[1] if i.anchor == "metric:citywide_share"]

    found = set_denominator(2540)
    assert [(i.expected, i.explained) for i in found] == [(Decimal("85.31"), False)]
    assert set_denominator(2538) == []  # 2167 / 2538 = 85.38 %: the text is right for that base
