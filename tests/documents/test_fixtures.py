"""The reader's test documents are what they claim to be: each opens with its own library and holds its truth."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from ruian_desk.domain.formats import get_format
from tests.documents import content

FILES = Path(__file__).resolve().parent / "files"
FIXTURES = {
    "national-2021-filled": "national-2021-filled.docx",
    "own-word-2019": "own-word-2019.docx",
    "portal-gbk-2021": "portal-gbk-2021.html",
    "portal-flat-2019": "portal-flat-2019.htm",
    "libreoffice-2021": "libreoffice-2021.pdf",
    "republished-traditional-2021": "republished-traditional-2021.txt",
    "republished-simplified-2019": "republished-simplified-2019.txt",
    "defective-2021": "defective-2021.docx",
}


def expected(name: str) -> dict:
    return json.loads((FILES / f"{name}.expected.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def html_text(path: Path, encoding: str) -> str:
    import lxml.html

    tree = lxml.html.fromstring(path.read_bytes().decode(encoding))
    for bad in tree.xpath("//script"):
        bad.drop_tree()
    return "\n".join(t for t in tree.itertext())


def pdf_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def document_text(name: str) -> str:
    path = FILES / FIXTURES[name]
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".html":
        return html_text(path, "gbk")
    if path.suffix == ".htm":
        return html_text(path, "utf-8")
    if path.suffix == ".pdf":
        return "\n".join(pdf_pages(path))
    if name == "republished-traditional-2021":
        from opencc import OpenCC

        raw = path.read_bytes().decode("gb18030")
        return OpenCC("t2s").convert(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", raw))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_truth_file_covers_the_format(name: str) -> None:
    truth = expected(name)
    fmt = get_format(truth["format"])
    assert set(truth["cells"]) == set(fmt.input_cells)
    assert set(truth["stated_totals"]) == set(fmt.derived_cells)
    assert truth["unit"] in truth["parts"]["title"] and str(truth["year"]) in truth["parts"]["title"]
    assert f"自{truth['year']}年1月1日起至{truth['year']}年12月31日止" in truth["parts"]["intro"]
    for key in ("p1", "p5", "p6"):
        assert 300 <= len(truth["parts"][key]) <= 1500, (key, len(truth["parts"][key]))
    for cid, v in truth["cells"].items():
        if fmt.cells[cid].type == "decimal":
            assert v is None or isinstance(v, str)
        else:
            assert v is None or isinstance(v, int)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_truth_file_is_what_the_generator_says(name: str) -> None:
    fx = {f.name: f for f in content.all_fixtures()}[name]
    assert fx.expected() == expected(name)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_totals_follow_the_arithmetic_except_the_defective_one(name: str) -> None:
    truth = expected(name)
    fmt = get_format(truth["format"])
    wrong = {}
    for cid in fmt.derived_cells:
        parts = sum(int(truth["cells"].get(p) or 0) for p in fmt.cells[cid].parts)
        stated = truth["stated_totals"][cid]
        if (stated or 0) != parts:
            wrong[cid] = (stated, parts)
    cols = [c.id for c in fmt.tables["t3"].sections[0].columns]
    for col in cols:
        if col == "total":
            continue
        new, carry_in, carry_out = (
            int(truth["cells"][f"t3.{row}.{col}"] or 0) for row in ("new", "carry_in", "carry_out")
        )
        r7 = truth["stated_totals"][f"t3.r7_total.{col}"] or 0
        assert new + carry_in == r7 + carry_out, (name, col)
    if name == "defective-2021":
        assert list(wrong) == ["t3.r7_total.total"]
    else:
        assert wrong == {}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_document_opens_and_holds_its_texts(name: str) -> None:
    truth = expected(name)
    text = squash(document_text(name))
    assert squash(truth["unit"]) in text
    for key in ("title", "intro", "p1", "p5", "p6"):
        for para in truth["parts"][key].split("\n"):
            probe = squash(para)[:30] if name == "libreoffice-2021" else squash(para)
            assert probe in text, (key, para[:40])
    organ, _, date = truth["parts"]["signature"].partition(" ")
    assert squash(date) in text


def test_national_template_keeps_its_merges() -> None:
    from docx import Document
    from docx.oxml.ns import qn

    def shape(path: Path) -> list[list[tuple[int, str | None]]]:
        out = []
        for table in Document(str(path)).tables:
            for tr in table._tbl.tr_lst:
                row = []
                for tc in tr.tc_lst:
                    vm = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                    row.append((tc.grid_span, None if vm is None else (vm.get(qn("w:val")) or "continue")))
                out.append(row)
        return out

    template = shape(FILES / "national-template-2021.docx")
    assert shape(FILES / "national-2021-filled.docx") == template
    assert shape(FILES / "defective-2021.docx") == template


def test_national_filled_prints_the_hand_typed_forms() -> None:
    text = docx_text(FILES / "national-2021-filled.docx")
    assert "一．总体情况" in text and "（文字描述" not in text
    assert "１２" in text and "1,234" in text and "—" in text and "/" in text
    truth = expected("national-2021-filled")
    assert truth["cells"]["t3.r1_open.np"] == 12 and truth["cells"]["t2_5.license.decisions"] == 1234
    assert truth["cells"]["t2_8.admin_fee.fee_amount"] == "0.35"


def test_own_word_2019_has_the_label_variants_and_a_subtotal_column() -> None:
    from docx import Document

    doc = Document(str(FILES / "own-word-2019.docx"))
    t3 = doc.tables[1]
    assert len(t3.columns) == 11
    text = docx_text(FILES / "own-word-2019.docx")
    for label in (
        "1、属于国家秘密",
        "(一)予以公开",
        "(七)总计",
        "四、结转下一年度继续办理",
        "小计",
        "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        "五、存在问题及改进情况",
    ):
        assert label in text, label


def test_portal_page_is_gbk_with_chrome_and_merged_tables() -> None:
    raw = (FILES / "portal-gbk-2021.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    page = raw.decode("gbk")
    assert "charset=gbk" in page and "<script" in page and "网站标识码" in page and "首页</a> &gt;" in page
    assert page.count("<table") == 3 and "rowspan=22" in page and "colspan=3" in page
    assert "1236.4872" in page and "&nbsp;" in page


def test_flat_page_has_no_tables_and_slashes_for_blanks() -> None:
    page = (FILES / "portal-flat-2019.htm").read_text(encoding="utf-8")
    assert "<table" not in page
    assert page.count('<p style="text-align:center">/</p>') > 50


def test_pdf_has_a_text_layer_and_splits_table_three() -> None:
    pages = pdf_pages(FILES / "libreoffice-2021.pdf")
    first = next(i for i, t in enumerate(pages) if "一、本年新收政府信息公开申请数量" in t)
    last = next(i for i, t in enumerate(pages) if "四、结转下年度继续办理" in t)
    assert last == first + 1
    assert any("3 119" in t for t in pages)
    assert f"— {first + 1} —" in pages[first]
    assert expected("libreoffice-2021")["cells"]["t2_5.license.decisions"] == 3119


def test_traditional_copy_is_gb18030_with_glosses_and_spam() -> None:
    raw = (FILES / "republished-traditional-2021.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert "年(nián)" in text and "報告" in text and "http://www.example-spam.cn" in text
    assert "一、本年新收政府信息公開申請數量 21 7 0 0 2 0 30" in text


def test_defective_report_prints_yuan_and_a_wrong_total() -> None:
    text = docx_text(FILES / "defective-2021.docx")
    truth = expected("defective-2021")
    assert "3500元" in text and "本年收费金额（单位：万元）" in text
    assert truth["cells"]["t2_8.admin_fee.fee_amount"] == "3500" and truth["problems_expected"] == ["元"]


def test_refusals_are_what_they_say() -> None:
    refusals = json.loads((FILES / "refusals.json").read_text(encoding="utf-8"))
    assert set(refusals) == {"old-word.doc", "wps-file.wps", "scanned.pdf", "encrypted.pdf", "zip-bomb.docx"}
    ole2 = bytes.fromhex("D0CF11E0A1B11AE1")
    assert (FILES / "old-word.doc").read_bytes()[:8] == ole2
    assert (FILES / "wps-file.wps").read_bytes()[:8] == ole2
    assert all(not t.strip() for t in pdf_pages(FILES / "scanned.pdf"))
    from pypdf import PdfReader

    assert PdfReader(str(FILES / "encrypted.pdf")).is_encrypted
    bomb = FILES / "zip-bomb.docx"
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) > 200 * 1024 * 1024
    assert bomb.stat().st_size < 400 * 1024
