"""Issue #19, holes 4, 5, 6 and 11: one figure reader for every input path, text cleaned of what no document can
hold (at write time and at export), one escaping helper for workbooks, Windows-safe names for unit files."""

from __future__ import annotations

import json
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.numbers import CellInputError, to_decimal
from ruian_desk.domain.report import parse_cell_value, parse_decimal
from ruian_desk.textsafe import clean_text, sheet_text, windows_safe_name
from tests.conftest import run_cli
from tests.storage.conftest import dump

NOT_FIGURES = ["0E-999999", "NaN", "nan", "∞", "Infinity", "-inf", "1e3", "1E+3", "٣", "३", "²", "⑫", "1_000"]


@pytest.mark.parametrize("text", NOT_FIGURES)
@pytest.mark.parametrize("cell_type", ["int", "signed_int", "decimal"])
def test_what_cannot_be_a_printed_figure_is_refused_for_cells(text: str, cell_type: str) -> None:
    with pytest.raises(CellInputError):
        parse_cell_value(text, cell_type)


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_what_cannot_be_a_printed_figure_is_refused_for_metrics(text: str) -> None:
    from ruian_desk.gui.editors.metrics import parse_metric_number  # the metrics editor's typing path

    with pytest.raises(CellInputError):
        parse_decimal(text)
    with pytest.raises(CellInputError):
        parse_metric_number(text)


def test_decimal_objects_cannot_smuggle_a_million_digits() -> None:
    for value in (Decimal("0E-999999"), Decimal("1E-40"), Decimal("NaN"), Decimal("Infinity"), float("nan")):
        with pytest.raises(CellInputError):
            to_decimal(value)
    with pytest.raises(CellInputError, match="费用"):
        to_decimal("1e3", field="费用")


def test_printed_figures_stay_storable_with_their_precision() -> None:
    assert parse_cell_value("24252.311082", "decimal") == Decimal("24252.311082")
    assert parse_cell_value("３,０８０", "int") == 3080
    assert parse_cell_value(" 1 234 ", "int") == 1234
    assert parse_decimal("98.70") == Decimal("98.70")
    assert parse_decimal("−5") == Decimal(-5)  # Word's minus sign
    assert parse_cell_value(Decimal("1E+3"), "int") == 1000  # a JSON number, not text


def _report_doc(**extra: object) -> dict:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "某县人民政府",
        "unit_role": "county_government",
        "year": 2021,
        "format": "gov-2021",
        "title": "某县人民政府2021年政府信息公开工作年度报告",
        "parts": {"p1": "无。", "p5": "无。", "p6": "无。"},
    }
    doc.update(extra)
    return doc


def test_json_metric_of_a_million_digits_is_refused_naming_the_field(
    sample_path: Path, tmp_path: Path
) -> None:
    doc = _report_doc(metrics=[{"key": "m1", "label": "公开率", "value": 1}])
    text = json.dumps(doc, ensure_ascii=False).replace('"value": 1', '"value": 0E-999999')
    f = tmp_path / "r.json"
    f.write_text(text, encoding="utf-8")
    before = dump(sample_path)
    r = run_cli("import-json", "-w", str(sample_path), str(f))
    assert r.returncode == 2
    assert "metrics" in r.stderr and "value" in r.stderr and "小数位数过多" in r.stderr, r.stderr
    assert "内部错误" not in r.stderr
    assert dump(sample_path) == before


DIRTY = "第一行\x0b第二行\x0c第三行\x07响铃\uffff\ud800完"
CLEAN = "第一行\n第二行\n第三行响铃完"


def test_clean_text_turns_word_breaks_into_line_breaks_and_drops_the_rest() -> None:
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("普通文本\n第二段") == "普通文本\n第二段"


def test_json_with_control_characters_and_a_lone_surrogate_imports_clean(tmp_path: Path) -> None:
    doc = _report_doc()
    text = json.dumps(doc, ensure_ascii=True).replace('"\\u65e0\\u3002"', json.dumps(DIRTY), 1)
    assert "\\ud800" in text
    f = tmp_path / "r.json"
    f.write_text(text, encoding="utf-8")
    ws_path = tmp_path / "new" / "w.sqlite"
    r = run_cli("import-json", "-w", str(ws_path), str(f))
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(ws_path)
    try:
        p1 = conn.execute("SELECT p1 FROM reports").fetchone()[0]
    finally:
        conn.close()
    assert p1 == CLEAN
    out = tmp_path / "out"
    r = run_cli(
        "export",
        "-w",
        str(ws_path),
        "--year",
        "2021",
        "--format",
        "docx,xlsx",
        "--out",
        str(out),
        "--allow-errors",
    )
    assert r.returncode == 0, r.stderr
    import docx

    (docx_path,) = out.glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "第一行" in text and "第三行响铃完" in text


def test_a_refused_json_import_leaves_no_new_workspace_file(tmp_path: Path) -> None:
    doc = _report_doc(metrics=[{"key": "m1", "label": "公开率", "value": 1}])
    text = json.dumps(doc, ensure_ascii=False).replace('"value": 1', '"value": 1e400')
    f = tmp_path / "r.json"
    f.write_text(text, encoding="utf-8")
    ws_path = tmp_path / "new.sqlite"
    r = run_cli("import-json", "-w", str(ws_path), str(f))
    assert r.returncode == 2 and "内部错误" not in r.stderr
    assert not ws_path.exists()


def test_typed_text_is_cleaned_when_stored_and_exports_cannot_fail_on_old_text(
    sample_path: Path, tmp_path: Path
) -> None:
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(sample_path, daily_backup=False) as ws:
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        assert rid is not None
        ws.repo.set_field(rid, "p5", DIRTY)  # what a paste from Word gives
        assert ws.repo.load_report(rid).parts["p5"] == CLEAN
    # text stored by an older version, before cleaning existed
    conn = sqlite3.connect(sample_path)
    conn.execute("UPDATE reports SET p6 = ? WHERE id = ?", ("旧文本\x0b换行\x01", rid))
    conn.commit()
    conn.close()
    out = tmp_path / "out"
    r = run_cli(
        "export", "-w", str(sample_path), "--year", "2019", "--format", "docx,xlsx", "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    import docx

    (docx_path,) = out.glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "旧文本" in text and "\x0b" not in text and "\x01" not in text


def test_feedback_workbook_keeps_a_formula_like_unit_name_as_text(tmp_path: Path) -> None:
    import openpyxl

    from ruian_desk.exchange.feedback import FeedbackItem, write_feedback

    name = '=HYPERLINK("http://evil.example/","点此")'
    item = FeedbackItem(
        severity="错误", where="=1+1", message="@SUM(A1)", expected="-1", actual="+2", note="x"
    )
    path = tmp_path / "f.xlsx"
    write_feedback(path, name, 2021, [item], issuer="=cmd|' /C calc'!A0")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    assert all(not str(c.value).startswith(("=", "+", "-", "@")) for c in cells)
    assert str(ws["A1"].value).startswith("'=HYPERLINK")


def test_sheet_text_is_the_one_escaping_helper() -> None:
    from ruian_desk.export.xlsx import safe_text

    for value in ("=1+1", "+1", "-1", "@x", "\t=1", "＝1"):
        assert sheet_text(value).startswith("'") and safe_text(value) == sheet_text(value)
    assert sheet_text("普通\x0b文本") == "普通\n文本"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("CON", "_CON"), ("NUL.", "_NUL"), ("com1.txt", "_com1.txt"), ("a<b>:c", "a_b__c"), ("某局. ", "某局")],
)
def test_windows_safe_names_for_every_unit_file(name: str, expected: str) -> None:
    from ruian_desk.exchange.feedback import feedback_file_name
    from ruian_desk.exchange.unit_template import template_file_name
    from ruian_desk.export.view import safe_file_name

    assert windows_safe_name(name) == expected
    assert safe_file_name(name) == expected
    for file_name in (feedback_file_name(name, 2021, "xlsx"), template_file_name(name, 2021)):
        stem = file_name.split(".", 1)[0]
        assert stem.upper() not in {"CON", "NUL", "COM1"} and not any(ch in file_name for ch in '<>:"/\\|?*')
    assert len(windows_safe_name("某" * 300)) <= 100


def test_unit_names_starting_with_a_dash_can_be_given(sample_path: Path) -> None:
    r = run_cli("check", "-h")
    assert "--unit=-" in r.stdout
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--unit=-不存在的单位")
    assert r.returncode != 0 and "-不存在的单位" in r.stderr and "expected one argument" not in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs on Windows")
def test_a_fifo_or_device_is_no_report_file(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        r = run_cli("import-json", "-w", str(tmp_path / "w.sqlite"), str(path), timeout=60)
        assert r.returncode == 2 and "不是普通文件" in r.stderr and "MemoryError" not in r.stderr, r.stderr
    assert not (tmp_path / "w.sqlite").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs on Windows")
def test_a_fifo_is_no_returned_template(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    import os

    from ruian_desk.exchange.template_import import import_context, read_template_file

    fifo = tmp_path / "t.xlsx"
    os.mkfifo(fifo)
    assert "不是普通文件" in read_template_file(fifo, import_context(sample_ws.repo)).problems[0]
