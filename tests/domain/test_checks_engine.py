"""The engine around the rules: explanations stored in a real workspace (kept while the numbers stand,
re-raised when they change, never for errors), fingerprints, `check --json` and the text form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ruian_desk.domain.rules import Issue, counts, registered_rules, run_checks
from ruian_desk.storage.assemble import check_report
from tests.conftest import run_cli
from tests.domain.checkdata import report

TEXT = "本年度共收到政府信息公开申请31件。"  # the table says 30


def _store(ws, **kwargs) -> int:  # noqa: ANN001
    return ws.repo.save_report(report("gov-2021", **kwargs))


def _find(issues: list[Issue], rule_id: str) -> Issue:
    return [i for i in issues if i.rule == rule_id][0]


def test_explained_warning_passes_until_its_numbers_change(empty_ws) -> None:  # noqa: ANN001
    rid = _store(empty_ws, p1=TEXT)
    _, issues = check_report(empty_ws.repo, rid)
    warning = _find(issues, "X-TEXT-T3")
    assert not warning.explained
    empty_ws.repo.explain_issue(rid, warning, "正文为市本级口径，表三为全市汇总")
    _, issues = check_report(empty_ws.repo, rid)
    warning = _find(issues, "X-TEXT-T3")
    assert warning.explained and warning.explanation == "正文为市本级口径，表三为全市汇总"
    assert counts(issues, include_explained=False)["warning"] == counts(issues)["warning"] - 1

    # an edit elsewhere leaves the finding and its explanation alone
    empty_ws.repo.set_cell(rid, "t4.count.rv_keep", 3)
    empty_ws.repo.set_cell(rid, "t4.count.rv_correct", 0)
    _, issues = check_report(empty_ws.repo, rid)
    assert _find(issues, "X-TEXT-T3").explained

    # new numbers: the same rule on the same cell comes back unexplained
    empty_ws.repo.set_cell(rid, "t3.new.np", 19)
    empty_ws.repo.set_cell(rid, "t3.carry_out.np", 1)
    _, issues = check_report(empty_ws.repo, rid)
    again = _find(issues, "X-TEXT-T3")
    assert again.expected == 29 and not again.explained and again.explanation == ""
    # the old text stays in the history of explanations, under the same rule and cell
    rows = empty_ws.repo.explanation_rows(rid)
    assert [(r["rule"], r["text"]) for r in rows] == [("X-TEXT-T3", "正文为市本级口径，表三为全市汇总")]


def test_text_change_re_raises_a_text_finding(empty_ws) -> None:  # noqa: ANN001
    rid = _store(empty_ws, p1=TEXT)
    _, issues = check_report(empty_ws.repo, rid)
    empty_ws.repo.explain_issue(rid, _find(issues, "X-TEXT-T3"), "已核实")
    empty_ws.repo.set_field(rid, "p1", "本年度共收到政府信息公开申请32件。")
    _, issues = check_report(empty_ws.repo, rid)
    assert not _find(issues, "X-TEXT-T3").explained


def test_errors_cannot_be_explained(empty_ws) -> None:  # noqa: ANN001
    rid = _store(empty_ws, changes={"t3.carry_out.np": 5})
    _, issues = check_report(empty_ws.repo, rid)
    error = _find(issues, "T3-BALANCE")
    with pytest.raises(ValueError, match="错误"):
        empty_ws.repo.explain_issue(rid, error, "没关系")
    # even written behind the engine's back, an error stays an error
    empty_ws.repo.set_explanation(rid, error.rule, error.explanation_cells, error.fingerprint, "没关系")
    _, issues = check_report(empty_ws.repo, rid)
    assert not _find(issues, "T3-BALANCE").explained


def test_findings_without_cells_are_explained_one_by_one(empty_ws) -> None:  # noqa: ANN001
    rid = _store(empty_ws, p1="本机关依法公开,及时回应。", p5="存在问题,需要改进。")
    _, issues = check_report(empty_ws.repo, rid)
    punct = [i for i in issues if i.rule == "N-PUNCT"]
    assert [i.part for i in punct] == ["p1", "p5"]
    assert punct[0].explanation_cells != punct[1].explanation_cells
    empty_ws.repo.explain_issue(rid, punct[0], "与原发布稿一致")
    _, issues = check_report(empty_ws.repo, rid)
    assert [(i.part, i.explained) for i in issues if i.rule == "N-PUNCT"] == [("p1", True), ("p5", False)]


def test_fingerprint_holds_rule_cells_numbers_and_phrase() -> None:
    a = Issue("X", "warning", "m", ("t3.new.total",), 30, 31, "p1", anchor="收到申请31件")
    assert (
        a.fingerprint
        == Issue(
            "X", "warning", "其他措辞", ("t3.new.total",), 30, 31, "p1", anchor="收到申请31件"
        ).fingerprint
    )
    assert (
        a.fingerprint
        != Issue("X", "warning", "m", ("t3.new.total",), 30, 32, "p1", anchor="收到申请31件").fingerprint
    )
    assert (
        a.fingerprint
        != Issue("X", "warning", "m", ("t3.new.total",), 30, 31, "p6", anchor="收到申请31件").fingerprint
    )
    assert (
        a.fingerprint
        != Issue("X", "warning", "m", ("t3.new.total",), 30, 31, "p1", anchor="受理申请31件").fingerprint
    )
    assert a.explanation_cells == ("t3.new.total", "@p1#收到申请31件")
    assert Issue("T3-BALANCE", "error", "m", ("t3.new.np",)).explanation_cells == ("t3.new.np",)


def test_every_rule_id_of_the_format_data_has_a_rule() -> None:
    """Each id in tables.json is checked, by the sum engine or by a registered function (X-AGG belongs to
    the roll-up module of the units work)."""
    from ruian_desk.domain.formats import format_ids, get_format

    registered = set(registered_rules())
    for fid in format_ids():
        fmt = get_format(fid)
        for r in fmt.rules + fmt.cross_rules:
            if r.id == "X-AGG":
                continue
            assert r.is_sum_rule or r.id in registered, (fid, r.id)


def test_rules_are_pure() -> None:
    """Checking twice gives the same answer and leaves the report as it was."""
    rep = report("gov-2021", p1=TEXT + "本机关依法公开,及时回应。")
    before = dict(rep.cells)
    first = run_checks(rep)
    assert run_checks(rep) == first and dict(rep.cells) == before


# ------------------------------------------------------------------------------------------ CLI


def _workspace_with_findings(tmp_path: Path) -> Path:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "瑞安市某局",
        "unit_role": "department",
        "year": 2021,
        "format": "gov-2021",
        "title": "瑞安市某局2021年政府信息公开工作年度报告",
        "parts": {
            "p1": "本年度共收到政府信息公开申请5件,全部按时答复。",
            "p5": "无。",
            "p6": "本年度未收取信息处理费。",
        },
        "tables": {"t3": {"new": {"np": 3}, "r1_open": {"np": 3}}},
    }
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ws = tmp_path / "w.sqlite"
    assert run_cli("import-json", "-w", str(ws), str(f)).returncode == 0
    return ws


def test_check_json_contract(tmp_path: Path) -> None:
    ws = _workspace_with_findings(tmp_path)
    r = run_cli("check", "-w", str(ws), "--year", "2021", "--json")
    assert r.returncode == 0, r.stderr  # warnings only
    out = json.loads(r.stdout)
    assert list(out) == ["report", "issues", "counts"]
    assert out["report"] == {"unit": "瑞安市某局", "year": 2021, "format": "gov-2021"}
    assert list(out["counts"]) == ["error", "warning", "info"]
    for issue in out["issues"]:
        assert list(issue) == ["rule", "severity", "cells", "message", "expected", "actual", "explained"]
    text = [i for i in out["issues"] if i["rule"] == "X-TEXT-T3"][0]
    assert (text["expected"], text["actual"], text["explained"]) == (3, 5, False)
    assert text["cells"] == ["t3.new.total"] and "5" in text["message"] and "3" in text["message"]
    punct = [i for i in out["issues"] if i["rule"] == "N-PUNCT"][0]
    assert punct["cells"] == [] and punct["actual"] == 1
    assert out["counts"] == {"error": 0, "warning": 2, "info": 0}


def test_check_text_form_is_grouped_by_part(tmp_path: Path) -> None:
    ws = _workspace_with_findings(tmp_path)
    r = run_cli("check", "-w", str(ws), "--year", "2021")
    lines = r.stdout.splitlines()
    assert lines[0] == "瑞安市某局 2021年（gov-2021）：错误 0，警告 2，提示 0"
    assert lines[1] == "一、总体情况（警告 2）"
    assert all(line.startswith("  [警告] ") for line in lines[2:4])
    assert {line.split()[1] for line in lines[2:4]} == {"X-TEXT-T3", "N-PUNCT"}


def test_every_rule_id_is_tested_and_documented() -> None:
    """Each rule id the engine can emit appears in a test of this folder and in the README's check list."""
    from ruian_desk.domain.formats import format_ids, get_format

    ids = set(registered_rules())
    for fid in format_ids():
        ids |= {r.id for r in get_format(fid).rules if r.is_sum_rule}
    ids.discard("X-AGG")  # the roll-up module's rule
    here = Path(__file__).parent
    tests = "\n".join(
        p.read_text(encoding="utf-8") for p in here.glob("test_*.py") if p.name != Path(__file__).name
    )
    readme = (here.parent.parent / "README.md").read_text(encoding="utf-8")
    checks = readme.split("## Checks", 1)[1].split("\n## ", 1)[0]
    assert sorted(i for i in ids if i not in tests) == []
    assert sorted(i for i in ids if i not in checks) == []
