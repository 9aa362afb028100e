"""The engine around the rules: explanations stored in a real workspace (kept while the numbers stand,
re-raised when they change, never for errors), fingerprints, `check --json` and the text form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ruian_desk.domain.registry import BY_ID, RULES, rules_run
from ruian_desk.domain.rules import Issue, counts, run_checks
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
    """Each id in the format data is in the registry, and runs on that format (by the sum engine or a function)."""
    from ruian_desk.domain.formats import format_ids, get_format

    for fid in format_ids():
        fmt = get_format(fid)
        run = set(rules_run(fid))
        for r in fmt.rules + fmt.cross_rules:
            assert r.id in BY_ID and r.id in run, (fid, r.id)
            assert (BY_ID[r.id].fn is None) == r.is_sum_rule, (
                r.id
            )  # arithmetic rules are data, not hand-written


# The number of rules a check runs, per format: a rule that stops running (its module not imported, its id
# dropped from the table or from the format data) changes this number and fails here.
RULES_PER_FORMAT = {"gov-2019": 50, "gov-2021": 51}


def test_rule_count_per_format_is_pinned() -> None:
    from ruian_desk.domain.formats import format_ids

    assert {fid: len(rules_run(fid)) for fid in format_ids()} == RULES_PER_FORMAT
    assert len(RULES) == 55 and len(BY_ID) == len(RULES)
    for spec in RULES:
        assert spec.name and spec.severity in ("error", "warning", "info") and spec.needs, spec.id


def test_the_registry_imports_its_rule_modules_by_name() -> None:
    """No rule module is loaded from a string: the registry's own source imports each one."""
    import ruian_desk.domain.registry as registry

    source = Path(registry.__file__).read_text(encoding="utf-8")
    assert "from ruian_desk.domain.checks import cell_rules, data_rules, form, metrics, tables, text, writing" in source
    assert "importlib" not in source and "import_module" not in source
    rules_source = (Path(registry.__file__).parent / "rules.py").read_text(encoding="utf-8")
    assert "importlib" not in rules_source


def test_a_format_naming_an_unknown_rule_is_refused(monkeypatch) -> None:  # noqa: ANN001
    from dataclasses import replace

    from ruian_desk.domain import formats, registry

    fmt = formats.get_format("gov-2021")
    bogus = replace(
        fmt, id="gov-bogus", cross_rules=(*fmt.cross_rules, replace(fmt.cross_rules[0], id="X-GONE"))
    )
    monkeypatch.setattr(registry, "get_format", lambda fid: bogus)
    with pytest.raises(registry.UnknownRule, match="X-GONE"):
        registry.rules_for("gov-bogus")


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
            "p5": "存在的主要问题是部分公开内容更新不够及时、政策解读形式较为单一。下一步，我局将加强政务公开业务培训，"
            "完善主动公开目录，提升政策解读质量。",
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
    assert list(out) == ["report", "issues", "counts", "rules_run"]
    assert len(out["rules_run"]) == RULES_PER_FORMAT["gov-2021"] and "X-TEXT-T3" in out["rules_run"]
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
    assert lines[1] == f"已运行审核规则 {RULES_PER_FORMAT['gov-2021']} 条"
    assert lines[2] == "一、总体情况（警告 2）"
    assert all(line.startswith("  [警告] ") for line in lines[3:5])
    assert {line.split()[1] for line in lines[3:5]} == {"X-TEXT-T3", "N-PUNCT"}


def test_every_rule_id_is_tested_and_documented() -> None:
    """Each rule id the engine can emit appears in a test of this folder and in the README's check list."""
    from ruian_desk.domain.formats import format_ids, get_format

    ids = set(BY_ID)
    for fid in format_ids():
        ids |= {r.id for r in get_format(fid).rules if r.is_sum_rule}
    here = Path(__file__).parent
    tests = "\n".join(
        p.read_text(encoding="utf-8") for p in here.glob("test_*.py") if p.name != Path(__file__).name
    )
    readme = (here.parent.parent / "README.md").read_text(encoding="utf-8")
    checks = readme.split("## Checks", 1)[1].split("\n## ", 1)[0]
    assert sorted(i for i in ids if i not in tests) == []
    assert sorted(i for i in ids if i not in checks) == []


def test_the_fingerprint_of_a_finding_holding_decimals_in_a_list() -> None:
    """X-AGG holds the differing cells' values in a list; a fee cell's are decimals (it used to raise)."""
    from decimal import Decimal

    from ruian_desk.domain.issues import Issue

    a = Issue("X-AGG", "warning", "…", ("t4.fee",), [Decimal("1.50"), 3], [Decimal("1.5"), 2])
    b = Issue("X-AGG", "warning", "…", ("t4.fee",), [Decimal("1.5"), 3], [Decimal("1.50"), 2])
    assert a.fingerprint == b.fingerprint  # the same numbers, written differently
    assert a.fingerprint != Issue("X-AGG", "warning", "…", ("t4.fee",), [Decimal("1.6"), 3], [1, 2]).fingerprint
    # lists of whole numbers keep the fingerprint they always had (explanations stored under it still match)
    assert Issue("X-AGG", "warning", "…", ("c",), [1, 2], (3,)).fingerprint == Issue(
        "X-AGG", "warning", "…", ("c",), [Decimal(1), 2], [3]
    ).fingerprint
