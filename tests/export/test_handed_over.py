"""The handed-over files state the report's own figures only: no "按此计算" (the checker's recomputed rates) and
no "数据有误" in any exported file — DOCX, PDF, HTML, XLSX, the 图解 PNG/PDF and the chart PNGs — and each
chart's title once per document."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from ruian_desk.charts.data import report_charts
from ruian_desk.charts.figures import draw_chart
from ruian_desk.charts.render import render_tujie_page
from ruian_desk.export.bundle import export_bundle
from ruian_desk.export.common import view_inputs
from ruian_desk.export.view import ExportOptions, ReportView

DOUBTS = ("按此计算", "数据有误")


@pytest.fixture(scope="module")
def bundle(sample_view: ReportView, tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportView, Path]:
    view = replace(sample_view, options=ExportOptions(charts=True, tujie=True))
    out = tmp_path_factory.mktemp("bundle")
    export_bundle(view, ["docx", "pdf", "html", "xlsx", "charts"], out)
    return view, out


def _titles(view: ReportView) -> list[str]:
    return [c.title for c in report_charts(view_inputs(view)) if c.has_data]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_the_app_itself_still_shows_the_doubts(sample_view: ReportView) -> None:
    """The sample has rates its parts do not give: the app's charts say so (the test below can fail)."""
    from ruian_desk.charts.data import ChartInputs

    inputs = ChartInputs(report=sample_view.report, issues=sample_view.issues)
    details = [b.detail for c in report_charts(inputs) for b in getattr(c, "rates", ())]
    assert any("按此计算" in d for d in details)


def test_documents_hold_no_doubts_and_each_title_once(bundle: tuple[ReportView, Path]) -> None:
    import docx
    import openpyxl

    view, out = bundle
    stem = view.file_stem
    titles = _titles(view)
    assert len(titles) >= 4
    d = docx.Document(str(out / f"{stem}.docx"))
    texts = [p.text for p in d.paragraphs]
    texts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    docx_text = "\n".join(texts)
    parser = _Text()
    parser.feed((out / f"{stem}.html").read_text(encoding="utf-8"))
    html_text = "".join(parser.parts)
    documents = {"docx": docx_text, "html": html_text}
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(out / f"{stem}.pdf"), "-"], capture_output=True, text=True)
        documents["pdf"] = pdf.stdout
    for name, text in documents.items():
        flat = _squash(text)
        for doubt in DOUBTS:
            assert doubt not in flat, name
        for title in titles:
            # once as its chart's caption (a part heading may say the same words: 四、政府信息公开行政复议…)
            in_headings = sum(_squash(title) in _squash(p.title) for p in view.report.fmt.parts)
            assert flat.count(_squash(title)) == 1 + in_headings, (name, title)
    wb = openpyxl.load_workbook(out / f"{stem}.xlsx")
    cells = [
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert not any(doubt in c for c in cells for doubt in DOUBTS)


def test_tujie_pdf_and_chart_pictures_hold_no_doubts(bundle: tuple[ReportView, Path]) -> None:
    import pypdf

    view, _ = bundle
    reader = pypdf.PdfReader(io.BytesIO(render_tujie_page(view_inputs(view), "pdf")))
    flat = _squash("".join(p.extract_text() for p in reader.pages))
    for doubt in DOUBTS:
        assert doubt not in flat
    for title in _titles(view):
        assert flat.count(_squash(title)) == 1, title
    # the pictures (图解 PNG, chart PNGs) are drawn from these charts: every text drawn on them
    for chart in report_charts(view_inputs(view)):
        fig = Figure(figsize=(7.5, 6))
        draw_chart(fig, chart)
        drawn = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        assert not any(doubt in t for t in drawn for doubt in DOUBTS), chart.key
        assert drawn.count(chart.title) == 1, chart.key
