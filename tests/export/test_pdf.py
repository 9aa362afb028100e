"""PDF export read back with pypdf (and pdffonts when installed): text, tables, fonts, pages, pagination."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.report import format_number
from ruian_desk.export.pdf import write_pdf
from ruian_desk.export.view import ReportView

MM = 72 / 25.4


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_pdf(sample_view: ReportView, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    target = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    write_pdf(sample_view, target)
    return PdfReader(str(target))


@pytest.fixture(scope="module")
def pdf_2021(view_2021: ReportView, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    target = tmp_path_factory.mktemp("pdf") / "r2021.pdf"
    write_pdf(view_2021, target)
    return PdfReader(str(target))


def _page_texts(reader: PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


@pytest.mark.parametrize("which", ["sample", "2021"])
def test_text_has_title_parts_and_every_table_label(
    which: str, sample_pdf: PdfReader, pdf_2021: PdfReader, sample_view: ReportView, view_2021: ReportView
) -> None:
    reader, view = (sample_pdf, sample_view) if which == "sample" else (pdf_2021, view_2021)
    report = view.report
    flat = _squash("".join(_page_texts(reader)))
    assert _squash(report.title) in flat
    for part in report.fmt.parts:
        assert part.title in flat
    for tid in ("t2", "t3", "t4"):
        for cell in table_grid(report.format_id, tid).cells:
            if cell.text:
                assert _squash(cell.text) in flat, cell.text
    assert _squash(report.signature.date_text) in flat


def test_page_setup_numbers_and_margins(sample_pdf: PdfReader) -> None:
    texts = _page_texts(sample_pdf)
    assert len(texts) >= 8
    for n, page in enumerate(sample_pdf.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
        assert _squash(texts[n - 1]).endswith(f"—{n}—")  # GB/T 9704 page numbers
    # body lines start at the 28 mm left margin and no text sits above the 37 mm top margin
    xs, tops = [], []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
            tops.append(842 - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    sample_pdf.pages[1].extract_text(visitor_text=visit)
    assert abs(min(xs) - 28 * MM) < 1.0
    assert min(tops) > 37 * MM
    assert max(x for x in xs) < (210 - 26) * MM


def test_fonts_are_embedded_sc_fonts(sample_pdf: PdfReader) -> None:
    seen = set()
    for page in sample_pdf.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            seen.add(str(font["/BaseFont"]))
    assert any("SerifCJKsc" in f or "SerifSC" in f for f in seen), seen
    assert any("SansCJKsc" in f or "SansSC" in f for f in seen), seen


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
def test_pdffonts_reports_every_font_embedded(sample_view: ReportView, tmp_path: Path) -> None:
    target = tmp_path / "s.pdf"
    write_pdf(sample_view, target)
    out = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb = row[-5]
        assert emb == "yes", row


def test_no_text_duplicated_across_pages(sample_pdf: PdfReader) -> None:
    """A page's text layer holds only its own lines (Qt would also paint the previous page's last line)."""
    texts = _page_texts(sample_pdf)
    for a, b in zip(texts, texts[1:], strict=False):
        last_body = [x for x in a.split("\n") if x.strip()][-2]  # [-1] is the page number
        first_next = [x for x in b.split("\n") if x.strip()][0]
        assert last_body != first_next


def _t3_pages(texts: list[str]) -> list[int]:
    return [i for i, t in enumerate(texts) if "（本列数据的勾稽关系" in t.replace("\n", "")]


def test_table_header_rows_repeat_on_the_next_page(sample_pdf: PdfReader, pdf_2021: PdfReader) -> None:
    for reader in (sample_pdf, pdf_2021):
        texts = _page_texts(reader)
        pages = _t3_pages(texts)
        assert pages, "表三 not found"
        flat_all = _squash("".join(texts))
        # every data row label of 表三 appears exactly once, whatever page it landed on
        for label in ("四、结转下年度继续办理", "（七）总计", "一、本年新收政府信息公开申请数量"):
            assert flat_all.count(label) == 1
        if len(pages) > 1:
            for p in pages:
                flat = _squash(texts[p])
                assert "申请人情况" in flat and "法人或其他组织" in flat
    # the 2021 report's 表三 does cross pages (the sample's fits on one since rows are as tall as in the
    # DOCX): its header is on each
    assert len(_t3_pages(_page_texts(pdf_2021))) >= 2


def test_numbers_follow_their_row_labels(sample_pdf: PdfReader, sample_view: ReportView) -> None:
    lines = [x.strip() for t in _page_texts(sample_pdf) for x in t.split("\n") if x.strip()]
    values = sample_view.report.values
    for row_id, label in (("r7_total", "（七）总计"), ("carry_out", "四、结转下年度继续办理")):
        i = lines.index(label)
        expected = [
            format_number(values.number(f"t3.{row_id}.{c}"))
            for c in ("np", "ce", "ri", "spo", "lso", "oth", "total")
        ]
        assert lines[i + 1 : i + 8] == expected
    i = lines.index("行政许可")
    assert lines[i + 1 : i + 4] == [
        format_number(values.number(f"t2_5.license.{c}")) for c in ("prev_items", "change", "decisions")
    ]


def test_sample_marks_and_signature(sample_pdf: PdfReader, pdf_2021: PdfReader) -> None:
    flat = _squash("".join(_page_texts(sample_pdf)))
    for name in ("表二", "表三", "表四"):
        assert f"【示例数据】{name}中的数字为示例数据" in flat
    texts = _page_texts(pdf_2021)
    assert "示例数据" not in "".join(texts)
    last = _squash(texts[-1])
    assert "瑞安市测试局" in last and "2022年1月20日" in last


def test_signature_never_alone_on_a_page(sample_pdf: PdfReader) -> None:
    last = [x for x in _page_texts(sample_pdf)[-1].split("\n") if x.strip()]
    assert "瑞安市人民政府" in last and "2020年2月19日" in last
    assert len(last) > 3  # more than organ, date and page number


def test_metadata(sample_pdf: PdfReader, sample_view: ReportView) -> None:
    assert sample_pdf.metadata.title == sample_view.report.title


def test_every_paragraph_is_in_the_text_layer(sample_pdf: PdfReader, sample_view: ReportView) -> None:
    """Search and copy find the whole text, digits included (the SC fonts' locl digits had no mapping)."""
    from ruian_desk.export.common import document_blocks

    flat = re.sub(r"—\d+—", "", _squash("".join(_page_texts(sample_pdf))))
    for block in document_blocks(sample_view):
        if block.kind in ("body", "item", "heading"):
            assert _squash(block.number + block.heading + block.text) in flat, block.text[:30]
    assert "raxxgkk@163.com" in flat
