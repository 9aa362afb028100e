"""Property test of the PDF's pagination: whatever the text lengths (0–5,000 字 per part) and the number of
units (0–200), every heading and paragraph is in the PDF's text exactly once and in order (pdftotext, and
the 三号 characters read with pdfplumber), no table row crosses the type area, and page 1 holds more than the
title."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruian_desk.domain.report import Signature, Unit, default_report
from ruian_desk.export.common import TYPE_AREA_MM, document_blocks
from ruian_desk.export.pdf import write_pdf
from ruian_desk.export.view import ReportView

pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

MM = 72 / 25.4
TOP, BOTTOM = 37 * MM, (37 + TYPE_AREA_MM[1]) * MM
HAN = "政府信息公开申请办理结果行政复议诉讼主动公开平台建设规范制度工作人员培训考核监督保障"
PUNCT = "，。、；：“”（）"
NUMBERS = ("（一）", "（二）", "(三)", "（四）", "1.", "2．", "3、")


@st.composite
def part_text(draw: st.DrawFn, tag: str) -> str:
    """Paragraphs of a part, up to about 5,000 字, with sub-headings and items; each paragraph starts with a
    serial of its own so that "exactly once" can be read off the text."""
    budget = draw(st.integers(0, 5000))
    out, used, serial = [], 0, 0
    while used < budget:
        serial += 1
        size = draw(st.integers(1, min(900, budget - used + 1)))
        body = "".join(draw(st.lists(st.sampled_from(HAN + PUNCT), min_size=size, max_size=size)))
        kind = draw(st.sampled_from(("body", "body", "heading", "heading_only", "item")))
        lead = f"{tag}{serial}号"
        if kind == "heading":
            line = f"{draw(st.sampled_from(NUMBERS[:4]))}{lead}标题。{body}"
        elif kind == "heading_only":
            line = f"{draw(st.sampled_from(NUMBERS[:4]))}{lead}标题"
        elif kind == "item":
            line = f"{draw(st.sampled_from(NUMBERS[4:]))}{lead}。{body}"
        else:
            line = lead + body
        out.append(line)
        used += len(line)
    return "\n".join(out)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _view(p1: str, p5: str, p6: str, intro: str, n_units: int, year: int) -> ReportView:
    report = default_report(Unit("瑞安市某某局", "department"), year)
    report = replace(
        report,
        intro=intro,
        parts={"p1": p1, "p5": p5, "p6": p6},
        signature=Signature("瑞安市某某局", dt.date(year + 1, 1, 20)),
    )
    units = tuple(default_report(Unit(f"单位{i}", "township"), year) for i in range(n_units))
    return ReportView(report=report, units=units)


def check_pdf(view: ReportView, path: Path) -> None:
    write_pdf(view, path)
    blocks = document_blocks(view)
    expected = []
    for b in blocks:
        if b.kind in ("body", "item", "heading", "part"):
            expected.append(_squash(b.number + b.heading + b.text))
        elif b.kind == "signature":
            expected.extend(_squash(x) for x in b.lines)
    # pdftotext: each in order, exactly once
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"—\d+—", "", _squash(text))
    at = 0
    for para in expected:
        if not para:
            continue
        found = flat.find(para, at)
        assert found >= 0, f"missing or out of order: {para[:40]}"
        at = found + len(para)
        if len(para) >= 6 and "号" in para:
            assert flat.count(para) == 1, para[:40]
    with pdfplumber.open(str(path)) as pdf:
        # the 三号 text (headings, paragraphs, 落款) read with pdfplumber is exactly the paragraphs, in order
        body = "".join(c["text"] for page in pdf.pages for c in page.chars if abs(c["size"] - 16) < 0.2)
        assert _squash(body) == "".join(expected)
        for n, page in enumerate(pdf.pages, start=1):
            for r in page.rects:  # every table cell (a row's box) inside the type area
                assert r["top"] >= TOP - 1 and r["bottom"] <= BOTTOM + 1, (n, r["top"], r["bottom"])
            for c in page.chars:
                if abs(c["size"] - 14) > 0.2:  # all but the page number
                    assert TOP - 1 <= c["top"] and c["bottom"] <= BOTTOM + 1, (n, c["text"])
        first = pdf.pages[0].chars
        assert any(abs(c["size"] - 22) > 0.2 and abs(c["size"] - 14) > 0.2 for c in first), "title only"


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    p1=part_text("甲"),
    p5=part_text("乙"),
    p6=part_text("丙"),
    intro=st.sampled_from(["", "本报告根据条例编制。", "本报告" * 300]),
    n_units=st.integers(0, 200),
    year=st.sampled_from([2019, 2021]),
)
def test_pdf_never_loses_or_clips_content(
    p1: str, p5: str, p6: str, intro: str, n_units: int, year: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("prop") / "r.pdf"
    check_pdf(_view(p1, p5, p6, intro, n_units, year), path)


@pytest.mark.parametrize("year", [2019, 2021])
def test_numbers_only_report_starts_its_tables_on_page_one(year: int, tmp_path: Path) -> None:
    view = _view("", "", "", "", 0, year)
    check_pdf(view, tmp_path / "n.pdf")
    with pdfplumber.open(str(tmp_path / "n.pdf")) as pdf:
        assert pdf.pages[0].rects, "page 1 holds no table"


def test_heading_five_is_kept_whatever_the_length(tmp_path: Path) -> None:
    """The lengths that lost "五、存在的主要问题及改进情况" on the old path: one character at a time around a
    page's end."""
    for n in range(0, 12):
        view = _view("", "公" * (27 * 20 + n * 9), "存在问题。", "", 0, 2021)
        check_pdf(view, tmp_path / f"h{n}.pdf")
