"""XLSX export reopened with openpyxl: official layouts with merges, numbers, units, checks, no formulas."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.rules import Issue
from ruian_desk.export.view import ExportOptions, ReportView
from ruian_desk.export.xlsx import (
    CHECKS_SHEET,
    GRID_ORIGIN_ROW,
    INFO_SHEET,
    METRICS_SHEET,
    UNITS_SHEET,
    safe_text,
    write_xlsx,
)
from tests.export.conftest import INJECTION_UNIT


def _open(view: ReportView, tmp_path: Path) -> openpyxl.Workbook:
    target = tmp_path / "r.xlsx"
    write_xlsx(view, target)
    return openpyxl.load_workbook(target)


def _as_number(v: object) -> object:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def test_sheets(any_view: ReportView, tmp_path: Path) -> None:
    wb = _open(any_view, tmp_path)
    # the handed-over workbook is for readers: 审核结果 only on request
    assert wb.sheetnames == [INFO_SHEET, "表二", "表三", "表四", METRICS_SHEET, UNITS_SHEET]
    checked = _open(replace(any_view, options=ExportOptions(with_checks=True)), tmp_path)
    assert checked.sheetnames[-1] == CHECKS_SHEET


def test_every_sheet_prints_fitted_with_titles_and_no_local_path(
    any_view: ReportView, tmp_path: Path
) -> None:
    wb = _open(any_view, tmp_path)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, ws.title
        if ws.title not in (INFO_SHEET, "表二"):  # 表二's bands have no header rows
            assert ws.print_title_rows, ws.title
    assert wb[METRICS_SHEET].page_setup.orientation == "landscape"
    assert wb[UNITS_SHEET].print_title_cols == "$A:$C"
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any(any_view.workspace and any_view.workspace in t for t in texts)
    assert not any("按此计算" in t or "审核" == t for t in texts)


def test_tables_in_official_layout_with_merges_and_numbers(any_view: ReportView, tmp_path: Path) -> None:
    wb = _open(any_view, tmp_path)
    report = any_view.report
    o = GRID_ORIGIN_ROW
    for tid, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
        ws = wb[name]
        grid = table_grid(report.format_id, tid)
        merged = {str(r) for r in ws.merged_cells.ranges if r.min_row >= o}
        expected = set()
        for cell in grid.merges():
            top = ws.cell(row=o + cell.row, column=1 + cell.col).coordinate
            bottom = ws.cell(row=o + cell.row + cell.rowspan - 1, column=cell.col + cell.colspan).coordinate
            expected.add(f"{top}:{bottom}")
        assert merged == expected, name
        for cell in grid.cells:
            value = ws.cell(row=o + cell.row, column=1 + cell.col).value
            if cell.cell_id is None:
                assert value in (cell.text, cell.text + "（单位：万元）")  # a money column says its unit
            else:
                number = report.values.number(cell.cell_id)
                assert isinstance(value, (int, float)) and not isinstance(value, bool)
                assert Decimal(str(value)) == Decimal(number)
        assert (
            ws.cell(row=1, column=1).value
            == report.fmt.part(f"p{'234'[('t2', 't3', 't4').index(tid)]}").title
        )
    t3 = wb["表三"]
    assert t3.print_title_rows == f"${o}:${o + 2}"


def test_2021_specific_cells(view_2021: ReportView, tmp_path: Path) -> None:
    wb = _open(view_2021, tmp_path)
    ws = wb["表三"]
    grid = table_grid("gov-2021", "t3")
    assert grid.n_rows == 28
    r, c = grid.position_of("t3.r6_3.np")
    assert ws.cell(row=GRID_ORIGIN_ROW + r, column=1 + c).value == view_2021.report.values.number(
        "t3.r6_3.np"
    )
    assert ws.cell(row=GRID_ORIGIN_ROW + r, column=3).value == "3.其他"
    fee = wb["表二"]
    r, c = table_grid("gov-2021", "t2").position_of("t2_8.admin_fee.fee_amount")
    assert _as_number(fee.cell(row=GRID_ORIGIN_ROW + r, column=1 + c).value) == pytest.approx(
        float(view_2021.report.values.number("t2_8.admin_fee.fee_amount"))
    )


def test_decimals_show_the_places_the_other_exports_print(view_2021: ReportView, tmp_path: Path) -> None:
    """59237.2450 万元 and a rate of 98.70% print so in DOCX/PDF/HTML; the XLSX cell holds the number and its
    format shows the same places (Excel's General format would show 59237.245 and 98.7)."""
    from ruian_desk.domain.report import Metric

    report = view_2021.report
    cells = {**report.cells, "t2_8.admin_fee.fee_amount": Decimal("59237.2450")}
    metric = Metric("online_rate", "网上办理开通率", Decimal("98.70"), "%", Decimal(987), Decimal(1000))
    view = replace(view_2021, report=replace(report, cells=cells, metrics=(metric,)))
    wb = _open(view, tmp_path)
    r, c = table_grid("gov-2021", "t2").position_of("t2_8.admin_fee.fee_amount")
    fee = wb["表二"].cell(row=GRID_ORIGIN_ROW + r, column=1 + c)
    assert fee.value == pytest.approx(59237.245) and fee.number_format == "0.0000"
    rate = wb[METRICS_SHEET].cell(row=2, column=2)
    assert rate.value == pytest.approx(98.7) and rate.number_format == "0.00"
    units = wb[UNITS_SHEET]
    row = next(
        r for r in range(2, units.max_row + 1) if units.cell(r, 2).value == "t2_8.admin_fee.fee_amount"
    )
    assert units.cell(row, units.max_column).number_format == "0.0000"


def test_sample_marks(sample_view: ReportView, view_2021: ReportView, tmp_path: Path) -> None:
    wb = _open(sample_view, tmp_path)
    for name in ("表二", "表三", "表四"):
        assert "示例数据" in wb[name].cell(row=2, column=1).value
    assert any("示例数据" in str(c.value) for row in wb[INFO_SHEET].iter_rows() for c in row if c.value)
    wb = _open(view_2021, tmp_path)
    assert wb["表三"].cell(row=2, column=1).value is None


def test_units_side_by_side(sample_view: ReportView, tmp_path: Path) -> None:
    wb = _open(sample_view, tmp_path)
    ws = wb[UNITS_SHEET]
    header = [c.value for c in ws[1]]
    units = [u.unit for u in sample_view.units]
    assert header == ["表", "编号", "项目", *units, "各单位合计", "本报告"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(2, ws.max_row + 1)}
    fmt = sample_view.report.fmt
    assert set(fmt.cells) <= set(rows)
    for cid in ("t3.new.np", "t3.r7_total.total", "t4.count.rv_total"):
        r = rows[cid]
        values = [ws.cell(row=r, column=4 + i).value for i in range(len(units))]
        assert values == [u.values.number(cid) for u in sample_view.units]
        assert ws.cell(row=r, column=4 + len(units)).value == sum(values)
        # 表三/表四 are rolled up in the sample: the report equals the sum of its units
        assert (
            ws.cell(row=r, column=5 + len(units)).value
            == sample_view.report.values.number(cid)
            == sum(values)
        )


def test_metrics_and_checks(sample_view: ReportView, view_2021: ReportView, tmp_path: Path) -> None:
    sample_view = replace(sample_view, options=ExportOptions(with_checks=True))
    view_2021 = replace(view_2021, options=ExportOptions(with_checks=True))
    wb = _open(sample_view, tmp_path)
    ws = wb[METRICS_SHEET]
    metrics = sample_view.report.metrics
    assert ws.max_row == len(metrics) + 1
    by_key = {ws.cell(row=r, column=9).value: r for r in range(2, ws.max_row + 1)}
    online = next(m for m in metrics if m.unit == "%" and m.denominator)
    r = by_key[online.key]
    assert ws.cell(row=r, column=1).value == online.label
    assert Decimal(str(ws.cell(row=r, column=2).value)) == online.value
    assert Decimal(str(ws.cell(row=r, column=8).value)) == online.computed_rate()
    rows = [[c.value for c in row] for row in wb[CHECKS_SHEET].iter_rows(min_row=2)]
    assert len(rows) == len(sample_view.issues)  # the sample's warnings (rates, punctuation), one row each
    assert [r[1] for r in rows] == [i.rule for i in sample_view.issues]
    assert wb[CHECKS_SHEET].cell(row=2, column=1).value == "警告"
    assert (
        "审核未发现问题。"
        == _open(replace(sample_view, issues=()), tmp_path)[CHECKS_SHEET].cell(row=2, column=1).value
    )
    issue = Issue(
        rule="T3-BALANCE",
        severity="error",
        message='=HYPERLINK("http://x") 不平衡',
        cells=("t3.new.np",),
        expected=12,
        actual=10,
    )
    wb = _open(replace(view_2021, issues=(issue,)), tmp_path)
    row = [c.value for c in wb[CHECKS_SHEET][2]]
    assert row[:6] == ["错误", "T3-BALANCE", '\'=HYPERLINK("http://x") 不平衡', "t3.new.np", 12, 10]


def test_no_text_cell_can_be_a_formula(view_2021: ReportView, tmp_path: Path) -> None:
    """A unit named like a DDE payload, a title and texts starting with = + - @ stay inert text."""
    assert any(u.unit == INJECTION_UNIT for u in view_2021.units)
    report = replace(view_2021.report, title="=1+1", signature=view_2021.report.signature)
    view = replace(view_2021, report=report, workspace="@SUM(A1)")
    target = tmp_path / "r.xlsx"
    write_xlsx(view, target)
    wb = openpyxl.load_workbook(target)  # formulas would load as strings starting with "="
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate)
                    assert cell.data_type == "s"
    assert "'" + INJECTION_UNIT in texts
    assert "'=1+1" in texts and "@SUM(A1)" not in "".join(texts)  # no workspace path in the workbook
    # the raw XML has no formula element at all
    import zipfile

    with zipfile.ZipFile(target) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("=cmd", "'=cmd"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\t=x", "'\t=x"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_text(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected
