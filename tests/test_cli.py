"""The command-line contract: the sample reproduces the published text; exit codes; one-line messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"
PART_TITLES = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def _sample_lines() -> list[str]:
    # A copy of ../shared/sample/ruian-2019-report.txt, so the test runs wherever the repo is cloned.
    path = Path(__file__).parent / "data" / "ruian-2019-report.txt"
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_sample_reproduces_published_text(tmp_path: Path) -> None:
    ws = tmp_path / "s.sqlite"
    assert run_cli("sample", str(ws)).returncode == 0
    r = run_cli("export", "-w", str(ws), "--year", "2019", "--format", "json", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "o" / f"{STEM}.json").read_text(encoding="utf-8"))
    assert doc["title"] == STEM and doc["unit"] == "瑞安市人民政府" and doc["format"] == "gov-2019"
    sig = doc["signature"]
    assert sig == {"organ": "瑞安市人民政府", "date": "2020-02-19"}
    body = "\n".join([doc["title"], doc["intro"], *doc["parts"].values(), sig["organ"]])
    for line in _sample_lines():
        if line in PART_TITLES:
            continue  # the empty headings of the lost tables: part titles, not text
        if line == "2020年2月19日":
            assert sig["date"] == "2020-02-19"
            continue
        for title in PART_TITLES:  # "一、总体情况 2019年,…": the heading is the part's title
            if line.startswith(title + " "):
                line = line[len(title) + 1 :]
        assert line in body, line[:40]
    assert doc["parts"]["p1"].startswith("2019年,我市依据")
    assert doc["parts"]["p6"] == "本机关无其他报告事项。"


def test_sample_marks_illustrative_tables(sample_ws) -> None:
    report = sample_ws.repo.load_report(sample_ws.repo.find_report("瑞安市人民政府", 2019))
    assert report.sample_tables == {"t2", "t3", "t4"}
    sources = sample_ws.repo.cell_sources(report.id)
    assert sources and all(is_sample for _, _, is_sample in sources.values())
    units = [u for u in sample_ws.repo.units() if u.role != "county_government"]
    assert 5 <= len(units) <= 8 and all(u.is_sample and "示例" in u.name for u in units)
    roles = {u.role for u in units}
    assert {"department", "township", "function_zone"} <= roles


def test_sample_metrics_from_the_text(sample_ws) -> None:
    report = sample_ws.repo.load_report(sample_ws.repo.find_report("瑞安市人民政府", 2019))
    m = {x.key: x for x in report.metrics}
    assert str(m["gov_service_items"].value) == "3080"
    assert str(m["online_rate"].value) == "99.74" and m["online_rate"].unit == "%"
    assert str(m["mobile_rate"].value) == "98.70"
    assert (m["instant_share"].numerator, m["instant_share"].denominator) == (2364, 3080)
    for key in (
        "instant_items",
        "citywide_items",
        "inspection_targets",
        "inspections_done",
        "inspection_problems",
    ):
        assert key in m
    p1 = report.part("p1")
    for metric in report.metrics:  # every metric value is quoted in the narrative
        assert format(metric.value, "f") in p1, metric.key


def test_sample_tables_pass_arithmetic(sample_path: Path) -> None:
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--json")
    out = json.loads(r.stdout)
    assert out["report"] == {"unit": "瑞安市人民政府", "year": 2019, "format": "gov-2019"}
    assert out["counts"]["error"] == 0 and r.returncode == 0
    arithmetic = {"T3-ROWSUM", "T3-RESULTSUM", "T3-BALANCE", "T4-RV", "T4-LD", "T4-LA"}
    assert not [i for i in out["issues"] if i["rule"] in arithmetic]


def test_sample_refuses_overwrite(tmp_path: Path) -> None:
    ws = tmp_path / "s.sqlite"
    assert run_cli("sample", str(ws)).returncode == 0
    r = run_cli("sample", str(ws))
    assert r.returncode == 2 and "--force" in r.stderr
    assert run_cli("sample", str(ws), "--force").returncode == 0


@pytest.mark.parametrize(
    "args,expected",
    [
        (["check", "-w", "{missing}", "--year", "2019"], "不存在"),
        (["export", "-w", "{missing}", "--year", "2019", "--out", "{tmp}/o"], "不存在"),
        (["check", "-w", "{sample}", "--year", "2018"], "没有"),
        (["check", "-w", "{sample}", "--year", "2019", "--unit", "不存在的单位"], "没有"),
        (["check", "-w", "{sample}"], "用法错误"),
        (
            ["export", "-w", "{sample}", "--year", "2019", "--format", "doc", "--out", "{tmp}/o"],
            "未知的导出格式",
        ),
        (["import-json", "-w", "{sample}", "{tmp}/none.json"], "无法读取"),
        (["frobnicate"], "用法错误"),
    ],
)
def test_bad_usage_exits_2_one_line(
    args: list[str], expected: str, sample_path: Path, tmp_path: Path
) -> None:
    args = [a.format(missing=tmp_path / "missing.sqlite", sample=sample_path, tmp=tmp_path) for a in args]
    r = run_cli(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert expected in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "missing.sqlite").exists()


def test_check_text_groups_by_part(sample_path: Path) -> None:
    r = run_cli("check", "-w", str(sample_path), "--year", "2019")
    assert r.returncode == 0
    assert r.stdout.startswith("瑞安市人民政府 2019年（gov-2019）")


def test_check_exit_1_on_errors(tmp_path: Path) -> None:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "某局",
        "unit_role": "department",
        "year": 2021,
        "format": "gov-2021",
        "tables": {"t3": {"new": {"np": 3}, "r1_open": {"np": 1}}},
    }
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ws = tmp_path / "w.sqlite"
    assert run_cli("import-json", "-w", str(ws), str(f)).returncode == 0
    r = run_cli("check", "-w", str(ws), "--year", "2021", "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    bal = [i for i in out["issues"] if i["rule"] == "T3-BALANCE" and i["cells"][0] == "t3.new.np"][0]
    assert (bal["expected"], bal["actual"], bal["severity"], bal["explained"]) == (1, 3, "error", False)
    r = run_cli("export", "-w", str(ws), "--year", "2021", "--format", "json", "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and "--allow-errors" in r.stderr
    r = run_cli(
        "export",
        "-w",
        str(ws),
        "--year",
        "2021",
        "--format",
        "json",
        "--out",
        str(tmp_path / "o"),
        "--allow-errors",
    )
    assert r.returncode == 0


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--sample"],
        ["--workspace", "年报.sqlite"],
        ["-w", "a b.sqlite", "--sample"],
        ["--workspace=x.sqlite"],
        ["--workspace="],
        ["-w", ""],
        ["-w", "check"],  # a file named like a command is still the workspace
        ["--workspace", "a.sqlite", "--workspace", "b.sqlite"],
        ["--sample", "--sample"],
    ],
)
def test_gui_arguments_read_as_the_full_parser_reads_them(argv: list[str]) -> None:
    from ruian_desk.cli import build_parser
    from ruian_desk.launch import gui_arguments

    args = build_parser().parse_args(argv)
    assert args.command is None
    assert gui_arguments(argv) == (args.workspace, args.sample)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "-w", "x", "--year", "2019"],
        ["--help"],
        ["--work", "x.sqlite"],  # an abbreviation: the full parser decides
        ["-wx.sqlite"],
        ["-w"],
        ["-w", "-5"],
        ["--sample", "extra"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    from ruian_desk.launch import gui_arguments

    assert gui_arguments(argv) is None


def test_import_json_refuses_two_files_for_the_same_unit_and_year(tmp_path: Path) -> None:
    """As with returned templates: two versions of one unit's report in one command are both refused and
    nothing is stored (the later file would otherwise silently replace the earlier one)."""
    files = []
    for i, np_ in enumerate((3, 5)):
        doc = {
            "schema": "ruian-desk/report@1",
            "unit": "某局",
            "unit_role": "department",
            "year": 2021,
            "format": "gov-2021",
            "tables": {"t3": {"new": {"np": np_}, "r1_open": {"np": np_}}},
        }
        f = tmp_path / f"r{i}.json"
        f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        files.append(str(f))
    ws = tmp_path / "w.sqlite"
    r = run_cli("import-json", "-w", str(ws), *files)
    assert r.returncode == 2, r.stdout
    assert "r0.json" in r.stderr and "r1.json" in r.stderr and "未导入" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not ws.exists()


def test_import_json_treats_a_former_name_as_the_same_unit(tmp_path: Path) -> None:
    from ruian_desk.domain.report import Unit
    from ruian_desk.storage.workspace import open_workspace

    ws_path = tmp_path / "w.sqlite"
    ws = open_workspace(ws_path, create=True)
    unit = ws.repo.add_unit(Unit("瑞安市国土资源局", "department"))
    ws.repo.update_unit(Unit(**{**unit.__dict__, "name": "瑞安市自然资源和规划局"}))
    ws.close()
    files = []
    for i, name in enumerate(("瑞安市国土资源局", "瑞安市自然资源和规划局")):
        doc = {"schema": "ruian-desk/report@1", "unit": name, "unit_role": "department", "year": 2021}
        doc["format"] = "gov-2021"
        f = tmp_path / f"n{i}.json"
        f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        files.append(str(f))
    r = run_cli("import-json", "-w", str(ws_path), *files)
    assert r.returncode == 2 and "同一单位同一年度" in r.stderr
    ws = open_workspace(ws_path)
    assert ws.repo.report_index() == []
    ws.close()
