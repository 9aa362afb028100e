"""DOCX export reopened with python-docx: official grids, merges, numbers, 公文 typography, reference.docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.report import format_number
from ruian_desk.export import reference as ref
from ruian_desk.export.docx import render_docx, write_docx
from ruian_desk.export.view import ExportOptions, ReportView

TABLES = ("t2", "t3", "t4")


def _open(view: ReportView, tmp_path: Path) -> docx.document.Document:
    target = tmp_path / "r.docx"
    write_docx(view, target)
    return docx.Document(str(target))


def _grid_span(tc) -> int:  # noqa: ANN001
    span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
    return int(span.get(qn("w:val"))) if span is not None else 1


def _vmerge(tc) -> str | None:  # noqa: ANN001
    v = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
    if v is None:
        return None
    return v.get(qn("w:val")) or "continue"


def test_three_tables_with_official_shapes_merges_labels_and_numbers(
    any_view: ReportView, tmp_path: Path
) -> None:
    d = _open(any_view, tmp_path)
    report = any_view.report
    assert len(d.tables) == 3
    for table, tid in zip(d.tables, TABLES, strict=True):
        grid = table_grid(report.format_id, tid)
        tbl = table._tbl
        assert len(tbl.tr_lst) == grid.n_rows
        assert len(tbl.tblGrid.findall(qn("w:gridCol"))) == grid.n_cols
        for r, tr in enumerate(tbl.tr_lst):
            # every XML row covers exactly the grid width
            assert sum(_grid_span(tc) for tc in tr.tc_lst) == grid.n_cols
            col = 0
            for tc in tr.tc_lst:
                anchor = grid.anchor_at(r, col)
                assert anchor is not None and anchor.col == col
                assert _grid_span(tc) == anchor.colspan
                expected_vmerge = None
                if anchor.rowspan > 1:
                    expected_vmerge = "restart" if anchor.row == r else "continue"
                assert _vmerge(tc) == expected_vmerge, (tid, r, col)
                col += anchor.colspan
        # by cell identity too: python-docx resolves gridSpan/vMerge to the same cell
        for r in range(grid.n_rows):
            for c in range(grid.n_cols):
                a = grid.anchor_at(r, c)
                assert table.cell(r, c)._tc is table.cell(a.row, a.col)._tc
        for cell in grid.cells:
            text = table.cell(cell.row, cell.col).text
            if cell.cell_id is None:
                assert text in (cell.text, cell.text + "（单位：万元）")  # a money column says its unit
            else:
                assert text == format_number(report.values.number(cell.cell_id))
                assert text != ""


def test_table_shapes_of_both_formats(sample_view: ReportView, view_2021: ReportView, tmp_path: Path) -> None:
    shapes = {}
    for view in (sample_view, view_2021):
        d = _open(view, tmp_path)
        shapes[view.report.format_id] = [(len(t.rows), len(t.columns)) for t in d.tables]
    assert shapes["gov-2021"][1] == (28, 10)
    assert shapes["gov-2019"][1] == (26, 10)
    assert shapes["gov-2021"][2] == shapes["gov-2019"][2] == (4, 15)
    assert shapes["gov-2021"][0][1] == shapes["gov-2019"][0][1] == 4
    d = _open(view_2021, tmp_path)
    t3 = d.tables[1]
    corner = t3.cell(0, 0)
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert all(t3.cell(r, c)._tc is corner._tc for r in range(3) for c in range(3))
    assert t3.cell(27, 0).text == "四、结转下年度继续办理"


def test_known_numbers_in_their_cells(view_2021: ReportView, tmp_path: Path) -> None:
    d = _open(view_2021, tmp_path)
    values = view_2021.report.values
    t3 = d.tables[1]
    grid = table_grid("gov-2021", "t3")
    for cid in ("t3.new.np", "t3.r3_4.lso", "t3.r6_2.oth", "t3.r7_total.total", "t3.carry_out.ce"):
        r, c = grid.position_of(cid)
        assert t3.cell(r, c).text == format_number(values.number(cid))
    # the derived （七）总计 / 总计 column is the computed sum, not blank
    r, c = grid.position_of("t3.r7_total.total")
    assert int(t3.cell(r, c).text) == values.number("t3.r7_total.total") > 0
    t2 = d.tables[0]
    g2 = table_grid("gov-2021", "t2")
    r, c = g2.position_of("t2_8.admin_fee.fee_amount")
    assert t2.cell(r, c).text.endswith(".25")


def test_blank_cells_print_zero(view_2021: ReportView, tmp_path: Path) -> None:
    from dataclasses import replace

    view = replace(view_2021, report=view_2021.report.with_cells({}))
    d = _open(view, tmp_path)
    grid = table_grid("gov-2021", "t4")
    t4 = d.tables[2]
    assert [t4.cell(3, c).text for c in range(grid.n_cols)] == ["0"] * 15


def test_header_rows_repeat_and_rows_never_split(any_view: ReportView, tmp_path: Path) -> None:
    d = _open(any_view, tmp_path)
    for table, tid in zip(d.tables, TABLES, strict=True):
        grid = table_grid(any_view.report.format_id, tid)
        for r, tr in enumerate(table._tbl.tr_lst):
            trpr = tr.trPr
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (r < grid.header_rows)
    assert table_grid(any_view.report.format_id, "t3").header_rows == 3


def test_text_in_order_with_part_headings(any_view: ReportView, tmp_path: Path) -> None:
    d = _open(any_view, tmp_path)
    report = any_view.report
    paras = [p for p in d.paragraphs if p.text]
    assert paras[0].style.style_id == ref.TITLE
    assert paras[0].text.replace("\n", "") == report.title
    headings = [p.text for p in paras if p.style.style_id == ref.HEADING1]
    assert headings == [p.title for p in report.fmt.parts]
    assert any(p.style.style_id == ref.BODY and p.text.startswith(report.intro.strip()[:20]) for p in paras)


def test_placeholders_rendered_and_subheadings(view_2021: ReportView, tmp_path: Path) -> None:
    d = _open(view_2021, tmp_path)
    texts = [p.text for p in d.paragraphs]
    total = format_number(view_2021.report.values.number("t3.new.total"))
    assert any(f"全年主动公开信息{total}条" in t for t in texts)
    assert not any("{{" in t for t in texts)
    inline = next(p for p in d.paragraphs if p.text.startswith("（一）主动公开"))
    first, second = inline.runs[0], inline.runs[1]
    assert first.text == "（一）主动公开"
    assert first._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert second._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_sample_note_on_every_illustrative_table(
    sample_view: ReportView, view_2021: ReportView, tmp_path: Path
) -> None:
    d = _open(sample_view, tmp_path)
    notes = [p.text for p in d.paragraphs if p.style.style_id == ref.NOTE]
    assert len(notes) == 3 and all("示例数据" in n for n in notes)
    assert [n[6:8] for n in notes] == ["表二", "表三", "表四"]
    assert d.core_properties.keywords == "示例数据"
    d2 = _open(view_2021, tmp_path)
    assert not [p for p in d2.paragraphs if "示例数据" in p.text]


def test_signature_optional(view_2021: ReportView, tmp_path: Path) -> None:
    from dataclasses import replace

    d = _open(view_2021, tmp_path)
    sig = [p for p in d.paragraphs if p.style.style_id == ref.SIGNATURE]
    assert [p.text for p in sig] == ["瑞安市测试局", "2022年1月20日"]
    assert all(p.paragraph_format.alignment == 2 or p.style.paragraph_format.alignment == 2 for p in sig)
    d = _open(replace(view_2021, options=ExportOptions(signature=False)), tmp_path)
    assert not [p for p in d.paragraphs if p.style.style_id == ref.SIGNATURE]


def test_gongwen_page_setup_and_footer_page_field(sample_view: ReportView, tmp_path: Path) -> None:
    d = _open(sample_view, tmp_path)
    s = d.sections[0]
    sect = s._sectPr
    pgmar = sect.find(qn("w:pgMar"))
    assert {k: int(pgmar.get(qn(f"w:{k}"))) for k in ("top", "bottom", "left", "right")} == {
        "top": 2098,
        "bottom": 1984,
        "left": 1587,
        "right": 1474,
    }
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    # GB/T 9704: "— 1 —", odd pages right and even pages left, one character in
    assert d.settings.odd_and_even_pages_header_footer
    for footer, text, side in ((s.footer, "— 1 —", "right"), (s.even_page_footer, "— 2 —", "left")):
        p = footer.paragraphs[0]
        assert p.text == text
        xml = p._p.xml
        assert 'w:fldCharType="begin"' in xml and " PAGE " in xml and 'w:fldCharType="end"' in xml
        assert f'<w:jc w:val="{side}"/>' in xml and f'w:{side}="280"' in xml


def test_east_asian_fonts_sizes_and_spacing_on_styles_and_runs(
    sample_view: ReportView, tmp_path: Path
) -> None:
    d = _open(sample_view, tmp_path)
    styles = {s.style_id: s for s in d.styles}
    expected = {
        ref.TITLE: ("方正小标宋简体", 44),
        ref.HEADING1: ("黑体", 32),
        ref.HEADING2: ("楷体_GB2312", 32),
        ref.BODY: ("仿宋_GB2312", 32),
        ref.TABLE_TEXT: ("仿宋_GB2312", 21),
    }
    for sid, (font, half_points) in expected.items():
        rpr = styles[sid].element.rPr
        assert rpr.rFonts.get(qn("w:eastAsia")) == font, sid
        assert int(rpr.find(qn("w:sz")).get(qn("w:val"))) == half_points, sid
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    normal = styles["Normal"].element.pPr.find(qn("w:spacing"))
    assert (normal.get(qn("w:line")), normal.get(qn("w:lineRule"))) == ("560", "exact")
    ind = styles[ref.BODY].element.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:firstLineChars")), ind.get(qn("w:firstLine"))) == ("200", "640")
    assert styles[ref.TITLE].element.pPr.find(qn("w:jc")).get(qn("w:val")) == "center"
    defaults = d.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # every run that carries text names its East-Asian font
    body = d.element.body
    runs = [r for r in body.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    assert len(runs) > 100
    for r in runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in {"方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"}
    # table text is the smaller size (from the TableText style) and single-spaced
    cell_para = d.tables[1].cell(3, 0).paragraphs[0]
    assert cell_para.style.style_id == ref.TABLE_TEXT
    tspacing = styles[ref.TABLE_TEXT].element.pPr.find(qn("w:spacing"))
    assert tspacing.get(qn("w:lineRule")) == "auto" and tspacing.get(qn("w:line")) == "240"


def test_tables_fit_the_type_area(any_view: ReportView, tmp_path: Path) -> None:
    d = _open(any_view, tmp_path)
    type_area = 11906 - 1587 - 1474
    for t in d.tables:
        widths = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) - type_area) <= 10


def test_reference_docx_of_the_clerk_is_used(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A replaced reference document changes margins and fonts; styles it lacks are added back."""
    own = tmp_path / "home"
    own.mkdir()
    monkeypatch.setenv("RUIAN_DESK_HOME", str(own))
    src = ref.build_reference_docx(tmp_path / "base.docx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    styles_xml = parts["word/styles.xml"].decode("utf-8")
    styles_xml = styles_xml.replace('w:eastAsia="仿宋_GB2312"', 'w:eastAsia="仿宋"')
    # drop the SampleNote style entirely
    start = styles_xml.index('<w:style w:type="paragraph" w:customStyle="1" w:styleId="SampleNote">')
    end = styles_xml.index("</w:style>", start) + len("</w:style>")
    styles_xml = styles_xml[:start] + styles_xml[end:]
    parts["word/styles.xml"] = styles_xml.encode("utf-8")
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'w:left="1587"', b'w:left="1701"')
    with zipfile.ZipFile(own / "reference.docx", "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert ref.reference_docx_path() == own / "reference.docx"
    d = docx.Document(io.BytesIO(render_docx(sample_view)))
    assert d.sections[0]._sectPr.find(qn("w:pgMar")).get(qn("w:left")) == "1701"
    body_run = next(p for p in d.paragraphs if p.style.style_id == ref.BODY and p.text).runs[0]
    assert body_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert ref.NOTE in {s.style_id for s in d.styles}
    notes = [p for p in d.paragraphs if p.style.style_id == ref.NOTE]
    assert len(notes) == 3


def test_bundled_reference_matches_the_builder(tmp_path: Path) -> None:
    from ruian_desk.paths import resource

    bundled = resource("reference.docx")
    assert bundled.is_file()
    rebuilt = ref.build_reference_docx(tmp_path / "reference.docx")
    assert bundled.read_bytes() == rebuilt.read_bytes(), "run python -m ruian_desk.export.reference"


@pytest.mark.parametrize("bad", ["a\x0bb", "x & <y>"])
def test_text_is_escaped(view_2021: ReportView, tmp_path: Path, bad: str) -> None:
    from dataclasses import replace

    report = replace(view_2021.report, parts={**view_2021.report.parts, "p6": bad})
    d = _open(replace(view_2021, report=report), tmp_path)
    texts = [p.text for p in d.paragraphs]
    assert bad.replace("\x0b", "") in texts


def test_every_money_figure_has_its_unit(sample_view: ReportView, view_2021: ReportView) -> None:
    from ruian_desk.export.common import table_content

    for view in (sample_view, view_2021):
        report = view.report
        t = table_content(report, "t2")
        for cell in t.grid.cells:
            if cell.cell_id and report.fmt.cells[cell.cell_id].is_money:
                heads = [
                    t.text(c)
                    for c in t.grid.cells
                    if c.cell_id is None
                    and c.col <= cell.col < c.col + c.colspan
                    and c.row < cell.row
                    and c.text
                ]
                assert "万元" in heads[-1], heads


def test_sub_headings_in_either_bracket_style_print_as_sub_headings(view_2021: ReportView) -> None:
    """Recognised whichever brackets were typed, and printed as typed (the published copy is checked
    against the stored text)."""
    from dataclasses import replace

    from ruian_desk.export.common import document_blocks

    report = replace(view_2021.report, parts={"p1": "(四)加强公开平台建设 推进集约化。", "p5": "", "p6": ""})
    heads = [b for b in document_blocks(replace(view_2021, report=report)) if b.kind == "heading"]
    assert [(b.number, b.heading, b.text) for b in heads] == [("(四)", "加强公开平台建设", "推进集约化。")]
