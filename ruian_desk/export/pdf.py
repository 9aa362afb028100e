"""PDF export (and the pages behind print preview and printing): the report typeset as the DOCX is — A4, the
GB/T 9704 type area (margins 37/35/28/26 mm), title 二号 with 35 pt lines, body 三号 on fixed 28 pt lines with a
two-character indent, 黑体 part headings, 楷体 sub-headings, tables in 五号, "— 1 —" page numbers 7 mm below the
type area (odd pages right, even pages left, one character in) — in the 公文 faces when installed (方正小标宋简体,
黑体, 楷体_GB2312, 仿宋_GB2312, or the system's 仿宋/楷体/黑体), the bundled Noto Serif/Sans SC otherwise.

Pagination is by construction (`pdf_flow`): every line, table row group and picture is measured on the very
device it is painted on and placed on its page before painting, so nothing can be lost, drawn twice or cut
by a page foot, whatever the text lengths (see `pdf_flow` and `pdf_table` for the rules). QTextDocument's
own pagination was given up: it moves lines and splits table rows where its page test cannot see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruian_desk.export.common import MARGINS_MM, TYPE_AREA_MM, Block, document_blocks
from ruian_desk.export.pdf_flow import Atom, Page, Typesetter, page_break, paginate
from ruian_desk.export.pdf_table import TableFlow
from ruian_desk.export.qtsupport import ensure_gui_application, gongwen_family, serif_family
from ruian_desk.export.registry import ExportError, register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write

PDF_DPI = 600
PAGE_NUMBER_GAP_MM = 7.0  # GB/T 9704: the page number's dash line sits 7 mm below the type area

BODY_PT, BODY_LINE_PT = 16.0, 28.0  # 三号, fixed 28 pt lines
TITLE_PT, TITLE_LINE_PT = 22.0, 35.0  # 二号
TABLE_PT, TABLE_LINE_PT = 10.5, 13.5  # 五号
NOTE_PT, NOTE_LINE_PT = 12.0, 18.0
CAPTION_PT, CAPTION_LINE_PT = 12.0, 20.0
PAGE_NUMBER_PT = 14.0  # 四号
INDENT_CHARS = 2
IMAGE_MAX_MM = (150.0, 200.0)


def pdf_font(family: str, point_size: float, bold: bool = False) -> Any:
    """A font for the PDF. The SC fonts' `locl` feature swaps digits for glyphs that Qt's PDF writer cannot
    map back to text ("raxxgkk@163.com" would be found as "raxxgkk@.com"); in an SC-only font it changes no
    Chinese glyph, so it is switched off."""
    from PySide6.QtGui import QFont

    font = QFont(family)
    font.setPointSizeF(point_size)
    font.setFeature(QFont.Tag("locl"), 0)
    if bold:
        font.setBold(True)
    return font


@dataclass
class PdfDocument:
    """The report paginated for one device: its pages of placed atoms."""

    pages: list[Page]
    title: str

    def pageCount(self) -> int:  # noqa: N802 - the QTextDocument name the print code has always called
        return len(self.pages)


class _Faces:
    def __init__(self) -> None:
        self.title, title_installed = gongwen_family("title")
        # 方正小标宋 is a heavy face of its own; a stand-in is made bold by stroking its outlines, the same on
        # every machine (a system's bold CJK face maps some glyphs back to Kangxi radicals: ⼈ for 人)
        self.title_stroke = not title_installed
        self.title_bold = False
        self.hei = gongwen_family("hei")[0]
        self.kai = gongwen_family("kai")[0]
        self.fang = gongwen_family("fang")[0]
        self.number = serif_family()  # 宋体 digits


@register("pdf", "pdf", "PDF 文档")
def write_pdf(view: ReportView, target: Path) -> None:
    ensure_gui_application()

    def write(tmp: Path) -> None:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        doc = build_document(view, writer)
        writer.setTitle(doc.title)
        writer.setCreator("瑞安年报助手")
        if not paint_document(doc, writer):
            raise ExportError(f"无法写入 PDF：{target}")

    atomic_write(target, write)


def build_document(view: ReportView, device: Any, charts: bool = True) -> PdfDocument:
    """The report paginated for `device` (a QPdfWriter or a QPrinter painting from the paper's corner)."""
    ensure_gui_application()
    ts = Typesetter(device, 0.0)
    ts.width = ts.mm(TYPE_AREA_MM[0])
    page_height = ts.mm(TYPE_AREA_MM[1])
    atoms = flow_atoms(document_blocks(view, charts=charts), ts, page_height)
    report = view.report
    title = report.title or report.fmt.title_for(report.unit, report.year)
    return PdfDocument(paginate(atoms, page_height), title)


def flow_atoms(blocks: list[Block], ts: Typesetter, page_height: float) -> list[Atom]:
    """The blocks as atoms of the page flow, with the keep-together rules of 公文 practice."""
    faces = _Faces()
    body = pdf_font(faces.fang, BODY_PT)
    indent = INDENT_CHARS * BODY_PT
    out: list[Atom] = []
    space = 0.0  # space owed before the next atom (after the title, after a table)

    def add(atoms: list[Atom]) -> None:
        nonlocal space
        if atoms and space:
            atoms[0].space_before = max(atoms[0].space_before, ts.pt(space))
        space = 0.0
        out.extend(atoms)

    for b in blocks:
        if b.kind == "title":
            font = pdf_font(faces.title, TITLE_PT, bold=faces.title_bold)
            for line in b.lines:
                add(
                    ts.paragraph(
                        [(line, font)], TITLE_LINE_PT, "center", keep_next=True, bold=faces.title_stroke
                    )
                )
            space = BODY_LINE_PT
        elif b.kind == "body":
            add(ts.paragraph([(b.text, body)], BODY_LINE_PT, indent_pt=indent))
        elif b.kind == "part":
            hei = pdf_font(faces.hei, BODY_PT)
            add(ts.paragraph([(b.text, hei)], BODY_LINE_PT, "left", indent_pt=indent, keep_next=True))
        elif b.kind == "heading":
            kai = pdf_font(faces.kai, BODY_PT)
            runs = [(b.number + b.heading, kai), (b.text, body)]
            add(ts.paragraph(runs, BODY_LINE_PT, indent_pt=indent, keep_next=not b.text))
        elif b.kind == "item":
            add(ts.paragraph([(b.number + b.heading + b.text, body)], BODY_LINE_PT, indent_pt=indent))
        elif b.kind == "note":
            note = pdf_font(faces.kai, NOTE_PT)
            add(ts.paragraph([(b.text, note)], NOTE_LINE_PT, "center", keep_next=True))
        elif b.kind == "table" and b.table is not None:
            table_font = pdf_font(faces.fang, TABLE_PT)
            add(TableFlow(b.table, ts, table_font, TABLE_LINE_PT, page_height).atoms())
            space = BODY_LINE_PT / 2
        elif b.kind == "signature":
            if out:
                out[-1].keep_next = True  # the 落款 never stands alone: the paragraph's last lines go with it
            blank = ts.paragraph([("", body)], BODY_LINE_PT, keep_next=True)
            add(blank)
            for n, line in enumerate(b.lines):
                atoms = ts.paragraph([(line, body)], BODY_LINE_PT, "right", right_pt=indent)
                atoms[-1].keep_next = n < len(b.lines) - 1
                add(atoms)
        elif b.kind == "page_break":
            out.append(page_break())
            space = 0.0
        elif b.kind == "image":
            add(_image_atoms(b, ts, faces, page_height))
    return out


def _image_atoms(b: Block, ts: Typesetter, faces: _Faces, page_height: float) -> list[Atom]:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage

    image = QImage.fromData(b.png)
    if image.isNull() or not image.width() or not image.height():
        return []
    atoms: list[Atom] = []
    if b.text:
        caption = pdf_font(faces.hei, CAPTION_PT)
        atoms = ts.paragraph(
            [(b.text, caption)], CAPTION_LINE_PT, "center", keep_next=True, space_before_pt=6
        )
    room = page_height - sum(a.height for a in atoms) - ts.pt(6)
    width = ts.mm(IMAGE_MAX_MM[0])
    height = width * image.height() / image.width()
    limit = min(ts.mm(IMAGE_MAX_MM[1]), room)
    if height > limit:
        width, height = limit * image.width() / image.height(), limit
    x_off = (ts.width - width) / 2

    def paint(painter: Any, x: float, y: float) -> None:
        painter.drawImage(QRectF(x + x_off, y, width, height), image)

    atoms.append(Atom(height, paint, kind="image", space_before=0.0 if b.text else ts.pt(6), text=b.text))
    return atoms


def page_number_text(n: int) -> str:
    """GB/T 9704: the number between two 一字线 (em dashes)."""
    return f"— {n} —"


def paint_document(doc: PdfDocument, device: Any) -> bool:
    """Paint every page on `device` (painter origin at the paper's top-left corner) at the 公文 margins, with
    its page number. Returns False when the device cannot be painted on."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFontMetricsF, QPainter

    ensure_gui_application()
    ts = Typesetter(device, 0.0)
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        left, top = ts.mm(MARGINS_MM["left"]), ts.mm(MARGINS_MM["top"])
        type_w, type_h = ts.mm(TYPE_AREA_MM[0]), ts.mm(TYPE_AREA_MM[1])
        number_font = pdf_font(serif_family(), PAGE_NUMBER_PT)
        metrics = QFontMetricsF(number_font, device)
        one_char = ts.pt(PAGE_NUMBER_PT)
        for i, page in enumerate(doc.pages):
            if i and not device.newPage():
                return False
            for placed in page.items:
                placed.atom.paint(painter, left, top + placed.y)
            n = i + 1
            text = page_number_text(n)
            width = metrics.horizontalAdvance(text)
            x = left + type_w - one_char - width if n % 2 else left + one_char
            baseline = top + type_h + ts.mm(PAGE_NUMBER_GAP_MM) + metrics.ascent()
            painter.setFont(number_font)
            painter.drawText(QPointF(x, baseline), text)
    finally:
        painter.end()
    return True
