"""The templates written per unit from a workbook built once (`TemplateMaker`) are the workbook openpyxl builds
for that unit; titles never clipped; 表三 on one page; mismatches counted per column; labels as on the form."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Unit
from ruian_desk.exchange.template_book import TemplateMaker, build_template_workbook
from ruian_desk.exchange.template_layout import GRID_LEFT, GRID_TOP, TITLE_ROW, coordinate, sheet_layout

STAMP = "2026-01-01T08:00:00"


def _values(format_id: str) -> dict[str, object]:
    fmt = get_format(format_id)
    out: dict[str, object] = {}
    for i, cid in enumerate(fmt.input_cells):
        cell = fmt.cells[cid]
        if i % 3 == 0:
            continue  # some left blank
        if cell.type == "decimal":
            out[cid] = Decimal(f"{i}.2500")
        elif cell.type == "signed_int":
            out[cid] = -i
        else:
            out[cid] = i
    return out


def _snapshot(wb: openpyxl.Workbook) -> dict[str, object]:
    out: dict[str, object] = {"sheets": wb.sheetnames, "lock": wb.security.lockStructure}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                cells[c.coordinate] = (
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.name,
                    c.font.b,
                    c.fill.fgColor.rgb,
                    c.protection.locked,
                    c.alignment.horizontal,
                    c.alignment.wrap_text,
                    c.border.left.style,
                )
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "dv": sorted((str(d.sqref), d.formula1, d.type) for d in ws.data_validations.dataValidation),
            "state": ws.sheet_state,
            "protected": ws.protection.sheet,
            "titles": ws.print_title_rows,
            "fit": (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.page_setup.orientation),
            "heights": {k: v.height for k, v in ws.row_dimensions.items() if v.height},
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes,
        }
    return out


@pytest.mark.parametrize("format_id,year", [("gov-2019", 2019), ("gov-2021", 2021)])
@pytest.mark.parametrize("name", ["瑞安市公安局", '=HYPERLINK("x")&<b>', "瑞安市" + "某" * 60 + "管理委员会"])
def test_maker_writes_what_openpyxl_builds(format_id: str, year: int, name: str) -> None:
    unit = Unit(name, "department", id=42)
    values = _values(format_id)
    made = openpyxl.load_workbook(io.BytesIO(TemplateMaker(year, format_id, STAMP).render(unit, values)))
    built = build_template_workbook(unit, year, format_id, values, STAMP)
    buf = io.BytesIO()
    built.save(buf)
    expected = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert _snapshot(made) == _snapshot(expected)
    assert made["meta"]["B3"].value == 42 and made["meta"]["B4"].value == name


def test_one_maker_many_units_keeps_each_units_own() -> None:
    maker = TemplateMaker(2021, "gov-2021", STAMP)
    a = openpyxl.load_workbook(io.BytesIO(maker.render(Unit("甲单位", "department", id=1), {"t3.new.np": 5})))
    b = openpyxl.load_workbook(io.BytesIO(maker.render(Unit("乙单位", "department", id=2), {})))
    ref = coordinate(*sheet_layout("gov-2021", "t3").positions["t3.new.np"])
    assert a["表三"][ref].value == 5 and b["表三"][ref].value is None
    assert a["meta"]["B3"].value == 1 and b["meta"]["B3"].value == 2
    assert a["表三"].cell(TITLE_ROW, GRID_LEFT).value.startswith("甲单位")


def test_long_names_wrap_in_a_taller_title_row() -> None:
    maker = TemplateMaker(2021, "gov-2021", STAMP)
    heights = []
    for n in (2, 30, 90):
        wb = openpyxl.load_workbook(io.BytesIO(maker.render(Unit("某" * n, "department", id=1), {})))
        for sheet in ("填报说明", "表二", "表三", "表四"):
            cell = wb[sheet].cell(TITLE_ROW, 1)
            assert cell.alignment.wrap_text, sheet
        heights.append(wb["表二"].row_dimensions[TITLE_ROW].height)
    assert heights[0] < heights[1] < heights[2]
    # lines of 14 pt enough for the title at the narrowest sheet's width
    assert heights[2] >= 22 * 3


def test_2021_table_three_prints_on_one_landscape_page_with_its_checks() -> None:
    wb = build_template_workbook(Unit("单位", "department", id=1), 2021, "gov-2021")
    ws = wb["表三"]
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (
        "landscape",
        1,
        1,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert not ws.print_area  # the whole sheet, check rows included


def test_mismatches_counted_per_column_not_again_in_the_total() -> None:
    layout = sheet_layout("gov-2021", "t3")
    total_col = layout.positions["t3.new.total"][1]
    assert any(c.col == total_col for c in layout.checks)
    counted = {c.col for c in layout.checks if c.counted}
    assert total_col not in counted and len(counted) == 6
    wb = build_template_workbook(Unit("单位", "department", id=1), 2021, "gov-2021")
    r, _, vc = layout.summary
    formula = wb["表三"].cell(r, vc).value
    row = layout.checks[0].row
    assert coordinate(row, total_col) not in formula
    assert f"{coordinate(row, min(counted))}:{coordinate(row, max(counted))}" in formula


def test_labels_aligned_as_on_the_official_form() -> None:
    wb = build_template_workbook(Unit("单位", "department", id=1), 2021, "gov-2021")
    ws = wb["表三"]
    layout = sheet_layout("gov-2021", "t3")
    for gc in layout.grid.cells:
        if gc.cell_id is not None or not gc.text:
            continue
        cell = ws.cell(GRID_TOP + gc.row, GRID_LEFT + gc.col)
        if gc.kind == "label" and gc.rowspan == 1:
            assert cell.alignment.horizontal == "left", gc.text
        elif gc.kind in ("header", "corner") or gc.rowspan > 1:
            assert cell.alignment.horizontal == "center", gc.text
