"""The arithmetic rules of both formats, each broken and satisfied."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ruian_desk.domain.report import Report
from ruian_desk.domain.rules import counts, run_checks

COLS = ["np", "ce", "ri", "spo", "lso", "oth"]


def _balanced(fid: str) -> dict:
    leaf = "r6_1" if fid == "gov-2021" else "r6_other"
    cells = {}
    for c in COLS:
        cells.update(
            {
                f"t3.new.{c}": 10,
                f"t3.carry_in.{c}": 2,
                f"t3.r1_open.{c}": 6,
                f"t3.{leaf}.{c}": 4,
                f"t3.carry_out.{c}": 2,
            }
        )
    cells.update({"t4.count.rv_keep": 1, "t4.count.rv_pending": 1})
    return cells


def _report(fid: str, cells: dict) -> Report:
    year = 2019 if fid == "gov-2019" else 2021
    return Report(unit="某局", unit_role="department", year=year, format_id=fid, cells=cells)


def _ids(issues) -> set[str]:
    return {i.rule for i in issues}


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_balanced_report_passes(fid: str) -> None:
    assert counts(run_checks(_report(fid, _balanced(fid))))["error"] == 0


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_balance_broken(fid: str) -> None:
    cells = _balanced(fid)
    cells["t3.carry_out.np"] = 5
    issues = [i for i in run_checks(_report(fid, cells)) if i.rule == "T3-BALANCE"]
    assert {i.cells[0] for i in issues} == {"t3.new.np", "t3.new.total"}
    np_issue = [i for i in issues if i.cells[0] == "t3.new.np"][0]
    assert (np_issue.actual, np_issue.expected) == (12, 15)
    assert "自然人列" in np_issue.message and "12" in np_issue.message and "15" in np_issue.message


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_rowsum_stated_total(fid: str) -> None:
    cells = _balanced(fid)
    cells["t3.new.total"] = 61  # stated by a source file; the parts sum to 60
    issues = [i for i in run_checks(_report(fid, cells)) if i.rule == "T3-ROWSUM"]
    assert len(issues) == 1 and issues[0].actual == 61 and issues[0].expected == 60
    cells["t3.new.total"] = None  # blank total beside non-zero parts
    issues = [i for i in run_checks(_report(fid, cells)) if i.rule == "T3-ROWSUM"]
    assert len(issues) == 1 and "未填总计" in issues[0].message


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_resultsum_stated(fid: str) -> None:
    cells = _balanced(fid)
    cells["t3.r7_total.ce"] = 11
    assert "T3-RESULTSUM" in _ids(run_checks(_report(fid, cells)))


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
@pytest.mark.parametrize("block", ["rv", "ld", "la"])
def test_t4_sums(fid: str, block: str) -> None:
    cells = _balanced(fid)
    cells[f"t4.count.{block}_keep"] = 2
    cells[f"t4.count.{block}_pending"] = 1
    cells[f"t4.count.{block}_total"] = 3
    assert f"T4-{block.upper()}" not in _ids(run_checks(_report(fid, cells)))
    cells[f"t4.count.{block}_total"] = 4
    assert f"T4-{block.upper()}" in _ids(run_checks(_report(fid, cells)))


@pytest.mark.parametrize(
    "fid,cell,rid,value,reason",
    [
        ("gov-2021", "t3.new.np", "T3-NONNEG", -1, "应为非负整数"),
        ("gov-2021", "t3.new.np", "T3-NONNEG", Decimal("2.5"), "应为整数"),
        ("gov-2019", "t3.new.np", "T3-NONNEG", -1, "应为非负整数"),
        ("gov-2021", "t4.count.rv_keep", "T4-NONNEG", -1, "应为非负整数"),
        ("gov-2021", "t4.count.rv_keep", "T4-NONNEG", Decimal("0.5"), "应为整数"),
        # The 2021 data states only is_int for 表二's counts; the cell's type (件) refuses a negative.
        ("gov-2021", "t2_1.normative.made", "T2-NONNEG", -1, "应为非负整数"),
        ("gov-2021", "t2_1.normative.made", "T2-NONNEG", Decimal("1.5"), "应为整数"),
        ("gov-2021", "t2_8.admin_fee.fee_amount", "T2-NONNEG", Decimal("-0.5"), "应为非负数"),
        ("gov-2019", "t2_1.normative.new_made", "T2-19-NONNEG", -1, "应为非负整数"),
    ],
)
def test_nonneg(fid: str, cell: str, rid: str, value: object, reason: str) -> None:
    cells = _balanced(fid)
    cells[cell] = value
    found = [i for i in run_checks(_report(fid, cells)) if i.rule == rid]
    assert [i.cells for i in found] == [(cell,)]
    assert reason in found[0].message and found[0].severity == "error"


def test_nonneg_cells_are_those_the_data_names() -> None:
    """The cells a NONNEG rule checks come from its expression in the format data, not from a list of ours."""
    from ruian_desk.domain.checks.cell_rules import cell_tests
    from ruian_desk.domain.formats import get_format

    fmt = get_format("gov-2019")
    t2 = {c for c, _ in cell_tests("gov-2019", "T2-19-NONNEG")}
    assert "t2_5.license.change" not in t2  # `except *.change`
    assert "t2_5.license.prev_items" in t2 and "t2_9.central_proc.proc_amount" in t2
    assert t2 == {c for c, d in fmt.cells.items() if d.table == "t2" and not d.derived and d.col != "change"}
    t4 = [c for c, _ in cell_tests("gov-2021", "T4-NONNEG")]
    assert len(t4) == 15 and all(c.startswith("t4.count.") for c in t4)
    t3 = {c for c, _ in cell_tests("gov-2021", "T3-NONNEG")}
    assert "t3.carry_out.total" in t3 and len(t3) == 25 * 7


def test_county_rules_read_on_2019_by_the_2021_expression() -> None:
    cells = _balanced("gov-2019")
    cells["t2_1.rules.new_made"] = 1
    found = [i for i in run_checks(_report("gov-2019", cells)) if i.rule == "T2-COUNTY-RULES"]
    assert [i.cells for i in found] == [("t2_1.rules.new_made",)]
    assert "规章制定权" in found[0].message and "新制作数量 1" in found[0].message


def test_signed_change_allowed_2019() -> None:
    cells = _balanced("gov-2019")
    cells["t2_5.license.change"] = -36
    assert "T2-19-NONNEG" not in _ids(run_checks(_report("gov-2019", cells)))


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_error_checks_are_the_errors_of_run_checks(fid: str) -> None:
    """What the charts mark as 数据有误 (error_checks) is exactly the error findings of the full check, on a
    report with errors of every kind: a broken sum, a negative count, a blank part, a stray placeholder."""
    from dataclasses import replace

    from ruian_desk.domain.rules import error_checks

    cells = _balanced(fid)
    cells["t3.new.np"] = -1
    cells["t4.count.rv_total"] = 99
    report = replace(_report(fid, cells), parts={"p1": "共 {{t3.new.tota}} 件", "p5": "", "p6": "无"})
    full = sorted((i.rule, i.message) for i in run_checks(report) if i.severity == "error")
    fast = sorted((i.rule, i.message) for i in error_checks(report))
    assert full == fast
    assert {"T3-NONNEG", "T4-RV", "N-EMPTY-PART", "N-PLACEHOLDER"} <= {r for r, _ in fast}
