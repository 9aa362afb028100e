"""Interchange JSON: round trip, strict refusal of broken files with the path named, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ruian_desk.exchange.report_json import ReportFileError, report_from_json, report_to_json
from tests.conftest import run_cli

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> Path:
    r = run_cli(
        "export", "-w", str(sample_path), "--year", "2019", "--format", "json", "--out", str(tmp_path / "o")
    )
    assert r.returncode == 0, r.stderr
    return tmp_path / "o" / f"{STEM}.json"


def test_round_trip_byte_identical(exported: Path, tmp_path: Path) -> None:
    ws2 = tmp_path / "new.sqlite"
    r = run_cli("import-json", "-w", str(ws2), str(exported))
    assert r.returncode == 0, r.stderr
    r = run_cli("export", "-w", str(ws2), "--year", "2019", "--format", "json", "--out", str(tmp_path / "o2"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o2" / f"{STEM}.json").read_bytes() == exported.read_bytes()


def test_in_memory_round_trip_keeps_stated_totals() -> None:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "某局",
        "unit_role": "department",
        "year": 2021,
        "format": "gov-2021",
        "tables": {
            "t3": {"new": {"np": 3, "ce": 1, "total": 5}, "carry_in": {"np": 2, "total": None}},
            "t2": {"t2_8": {"admin_fee": {"fee_amount": 2.0200}}},
        },
        "metrics": [{"key": "mobile_rate", "label": "掌上办理开通率", "value": 98.70, "unit": "%"}],
    }
    r = report_from_json(json.dumps(doc))
    assert r.cells["t3.new.total"] == 5 and r.cells["t3.carry_in.total"] is None
    assert str(r.metrics[0].value) == "98.70" or str(r.metrics[0].value) == "98.7"
    again = report_from_json(report_to_json(r))
    assert report_to_json(again) == report_to_json(r)


def test_round_trip_keeps_a_blank_total_beside_zero_parts(empty_ws) -> None:
    """A returned template whose 总计 formula was cleared next to parts of 0 leaves a stated blank total
    (blank is not 0). Export writes it as null; import must keep it, or the second export says 0 and the
    round trip is not byte-identical (and the report read back differs from the one exported)."""
    from dataclasses import replace
    from decimal import Decimal

    from ruian_desk.domain.report import Unit, default_report

    report = replace(
        default_report(Unit("某局", "department"), 2021),
        cells={
            "t3.carry_in.np": 0,
            "t3.carry_in.total": None,  # stated blank beside a 0
            "t3.new.np": 4,
            "t3.r1_open.np": 4,
            "t3.r2_partial.total": None,  # stated blank beside blank parts: nothing to keep
            "t2_8.admin_fee.fee_amount": Decimal("59237.2450"),
        },
    )
    rid = empty_ws.repo.save_report(report)
    first = report_to_json(empty_ws.repo.load_report(rid))
    back = report_from_json(first)
    assert "t3.carry_in.total" in back.cells and back.cells["t3.carry_in.total"] is None
    assert "t3.r2_partial.total" not in back.cells
    again = empty_ws.repo.save_report(replace(back, unit="某局（二）"))
    assert report_to_json(empty_ws.repo.load_report(again)).replace("某局（二）", "某局") == first


def _doc(exported: Path) -> dict:
    return json.loads(exported.read_text(encoding="utf-8"))


BROKEN = {
    "negative": (lambda d: d["tables"]["t3"]["new"].__setitem__("np", -3), "tables.t3.new.np: 应为非负整数"),
    "text_in_cell": (
        lambda d: d["tables"]["t3"]["new"].__setitem__("np", "十二"),
        "tables.t3.new.np: 应为数字",
    ),
    "fraction": (
        lambda d: d["tables"]["t4"]["count"].__setitem__("rv_keep", 1.5),
        "tables.t4.count.rv_keep: 应为非负整数",
    ),
    "unknown_cell": (
        lambda d: d["tables"]["t3"]["new"].__setitem__("xx", 1),
        "tables.t3.new.xx: 未知的单元格",
    ),
    "unknown_row": (
        lambda d: d["tables"]["t3"].__setitem__("r6_1", {"np": 1}),
        "tables.t3.r6_1.np: 未知的单元格",
    ),
    "unknown_format": (lambda d: d.__setitem__("format", "gov-2030"), "format: 未知的格式版本"),
    "format_year": (lambda d: d.__setitem__("format", "gov-2021"), "format: 2019年的报告应使用 gov-2019"),
    "year_type": (lambda d: d.__setitem__("year", "2019"), "year: 应为整数年份"),
    "bad_schema": (lambda d: d.__setitem__("schema", "other"), "schema: 应为"),
    "unknown_part": (lambda d: d["parts"].__setitem__("p2", "x"), "parts.p2: 未知的部分"),
    "metric_value": (lambda d: d["metrics"][0].__setitem__("value", "3080"), "metrics[0].value: 应为数字"),
    "bad_date": (lambda d: d["signature"].__setitem__("date", "2020年2月19日"), "signature.date: 应为日期"),
    "unknown_field": (lambda d: d.__setitem__("extra", 1), "extra: 未知字段"),
    "role": (lambda d: d.__setitem__("unit_role", "bureau"), "unit_role: 未知的单位类型"),
}


def _workspace_json(ws: Path, tmp: Path) -> bytes:
    out = tmp / "check-export"
    r = run_cli("export", "-w", str(ws), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return (out / f"{STEM}.json").read_bytes()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_refused_with_path(case: str, exported: Path, sample_path: Path, tmp_path: Path) -> None:
    mutate, expected = BROKEN[case]
    doc = _doc(exported)
    mutate(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = _workspace_json(sample_path, tmp_path / "a")
    r = run_cli("import-json", "-w", str(sample_path), str(bad))
    assert r.returncode == 2
    assert expected in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert _workspace_json(sample_path, tmp_path / "b") == before


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"\xff\xfe{\x00", "不是 UTF-8"),
        (None, "JSON 格式错误"),  # truncated
        (b"", "文件为空"),
        (b"[1, 2]", "顶层应为 JSON 对象"),
        (b'{"a": NaN}', "JSON 内容无效"),
        (b'{"schema": 1, "schema": 2}', "重复的键"),
    ],
)
def test_unreadable_files(
    data: bytes | None, expected: str, exported: Path, sample_path: Path, tmp_path: Path
) -> None:
    if data is None:
        raw = exported.read_bytes()
        data = raw[: len(raw) // 2]
    bad = tmp_path / "bad.json"
    bad.write_bytes(data)
    before = _workspace_json(sample_path, tmp_path / "a")
    r = run_cli("import-json", "-w", str(sample_path), str(bad))
    assert r.returncode == 2 and expected in r.stderr, r.stderr
    assert _workspace_json(sample_path, tmp_path / "b") == before


def test_every_problem_listed() -> None:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "某局",
        "unit_role": "department",
        "year": 2021,
        "format": "gov-2021",
        "tables": {"t3": {"new": {"np": -1, "ce": "2"}}},
    }
    with pytest.raises(ReportFileError) as info:
        report_from_json(json.dumps(doc))
    assert len(info.value.problems) == 2
