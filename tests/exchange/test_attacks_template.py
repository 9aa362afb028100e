"""Issue #19, hole 10: returned templates — macros and external links found by content type whatever the part
is called, odd compression refused, figures Excel hides (hidden row/column, `;;;`, under a merge, a cell
listed twice) refused naming the cell, text numbers read by the one figure reader, an array formula named by
its text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ruian_desk.exchange.template_import import import_context, read_template_file
from ruian_desk.services.templates import generate_templates
from tests.exchange.test_unit_template import POLICE, YEAR, _pos, fill

CELL = "t3.new.np"


def _filled(sample_ws, tmp_path: Path, value: object = 12) -> Path:  # noqa: ANN001
    (path,) = generate_templates(sample_ws, YEAR, tmp_path / "out", [POLICE])
    return fill(path, {CELL: value})


def _problems(sample_ws, path: Path) -> list[str]:  # noqa: ANN001
    return read_template_file(path, import_context(sample_ws.repo)).problems


def _rezip(path: Path, change) -> Path:  # noqa: ANN001
    """Rewrite the package: `change(name, data) -> [(name, data, compress_type)]` for every member."""
    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, data in members:
            for new_name, new_data, how in change(name, data):
                out.writestr(
                    zipfile.ZipInfo(new_name, date_time=(2024, 1, 1, 0, 0, 0)), new_data, compress_type=how
                )
    path.write_bytes(buf.getvalue())
    return path


def _sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="' + re.escape(sheet) + r'"[^>]*r:id="(rId\d+)"', wb)
    assert rid is not None
    target = re.search(r'Id="' + rid.group(1) + r'"[^>]*Target="([^"]+)"', rels) or re.search(
        r'Target="([^"]+)"[^>]*Id="' + rid.group(1) + '"', rels
    )
    assert target is not None
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def test_a_clean_return_is_accepted(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    assert _problems(sample_ws, _filled(sample_ws, tmp_path)) == []


@pytest.mark.parametrize(
    ("part", "content_type", "expected"),
    [
        ("xl/macros.bin", "application/vnd.ms-office.vbaProject", "宏"),
        (
            "xl/links/link1.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
            "外部链接",
        ),
        ("xl/stuff/data.xml", "application/vnd.ms-office.activeX+xml", "宏"),
    ],
)
def test_active_content_is_found_by_its_content_type(
    sample_ws,
    tmp_path: Path,
    part: str,
    content_type: str,
    expected: str,  # noqa: ANN001
) -> None:
    path = _filled(sample_ws, tmp_path)
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()

    def change(name: str, data: bytes) -> list:
        if name == "[Content_Types].xml":
            yield_ = [(name, data.replace(b"</Types>", override + b"</Types>"), zipfile.ZIP_DEFLATED)]
            return [*yield_, (part, b"<x/>", zipfile.ZIP_DEFLATED)]
        return [(name, data, zipfile.ZIP_DEFLATED)]

    problems = _problems(sample_ws, _rezip(path, change))
    assert problems and expected in problems[0]


def test_an_external_relationship_is_refused_whatever_its_part(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    rel = b'<Relationship Id="rId99" Type="http://example.com/anything" Target="file:///C:/x.xlsx" TargetMode="External"/>'

    def change(name: str, data: bytes) -> list:
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", rel + b"</Relationships>")
        return [(name, data, zipfile.ZIP_DEFLATED)]

    problems = _problems(sample_ws, _rezip(path, change))
    assert problems and "外部链接" in problems[0]


def test_non_standard_compression_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    sheet = _sheet_part(path, _pos(CELL)[0])

    def change(name: str, data: bytes) -> list:
        return [(name, data, zipfile.ZIP_BZIP2 if name == sheet else zipfile.ZIP_DEFLATED)]

    problems = _problems(sample_ws, _rezip(path, change))
    assert problems and "压缩方式" in problems[0]


def _edit_full(path: Path, edit) -> Path:  # noqa: ANN001
    wb = openpyxl.load_workbook(path)
    sheet, coord = _pos(CELL)
    edit(wb[sheet], coord)
    wb.save(path)
    return path


def test_a_figure_in_a_hidden_row_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    _edit_full(path, lambda ws, coord: setattr(ws.row_dimensions[ws[coord].row], "hidden", True))
    problems = _problems(sample_ws, path)
    assert any(_pos(CELL)[1] in p and "隐藏" in p for p in problems), problems


def test_a_figure_in_a_hidden_column_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    _edit_full(
        path, lambda ws, coord: setattr(ws.column_dimensions[re.sub(r"\d", "", coord)], "hidden", True)
    )
    problems = _problems(sample_ws, path)
    assert any(_pos(CELL)[1] in p and "隐藏" in p for p in problems), problems


def test_a_figure_with_a_format_that_hides_it_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    _edit_full(path, lambda ws, coord: setattr(ws[coord], "number_format", ";;;"))
    problems = _problems(sample_ws, path)
    assert any(_pos(CELL)[1] in p and ";;;" in p for p in problems), problems


def test_a_merge_laid_over_a_figure_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    sheet_name, coord = _pos(CELL)
    col = re.sub(r"\d", "", coord)
    row = int(re.sub(r"\D", "", coord))
    left = chr(ord(col) - 1)
    part = _sheet_part(path, sheet_name)
    merge = f'<mergeCell ref="{left}{row}:{coord}"/>'.encode()

    def change(name: str, data: bytes) -> list:
        if name == part:
            if b"<mergeCells" in data:
                data = re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + merge, data, count=1)
            else:
                data = data.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merge + b"</mergeCells>")
        return [(name, data, zipfile.ZIP_DEFLATED)]

    problems = _problems(sample_ws, _rezip(path, change))
    assert any(coord in p and "合并" in p for p in problems), problems


def test_a_cell_listed_twice_is_refused(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(sample_ws, tmp_path)
    sheet_name, coord = _pos(CELL)
    part = _sheet_part(path, sheet_name)

    def change(name: str, data: bytes) -> list:
        if name == part:
            m = re.search(rb'<c r="' + coord.encode() + rb'"[^>]*>.*?</c>', data, re.S)
            assert m is not None
            twin = re.sub(rb"<v>[^<]*</v>", b"<v>999</v>", m.group(0))
            data = data[: m.start()] + twin + data[m.start() :]
        return [(name, data, zipfile.ZIP_DEFLATED)]

    problems = _problems(sample_ws, _rezip(path, change))
    assert any(coord in p and "两次" in p for p in problems), problems


@pytest.mark.parametrize("text", ["1_000", "²", "⑫", "1e3", "٣", "十二", "NaN"])
def test_text_that_is_no_printed_figure_is_refused(sample_ws, tmp_path: Path, text: str) -> None:  # noqa: ANN001
    problems = _problems(sample_ws, _filled(sample_ws, tmp_path, text))
    assert any(_pos(CELL)[1] in p and "不是数字" in p for p in problems), problems


def test_text_digits_read_as_typed_digits(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    parsed = read_template_file(_filled(sample_ws, tmp_path, "１２"), import_context(sample_ws.repo))
    assert parsed.problems == [] and parsed.cells[CELL] == 12


def test_an_array_formula_is_named_by_its_text(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from openpyxl.worksheet.formula import ArrayFormula

    path = _filled(sample_ws, tmp_path)
    _edit_full(path, lambda ws, coord: ws.__setitem__(coord, ArrayFormula(coord, "=SUM(1,2)")))
    problems = _problems(sample_ws, path)
    hit = [p for p in problems if _pos(CELL)[1] in p]
    assert hit and "公式" in hit[0] and "SUM" in hit[0] and "object" not in hit[0], problems
