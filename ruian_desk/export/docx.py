"""DOCX export: the report in 公文 style on the reference document, tables as the official merged grids.

python-docx opens the reference (page setup, footer, styles) and saves the package; the body is written as
WordprocessingML directly, because building a 28×10 merged grid cell by cell through python-docx costs far
more than the whole rest of the export. Fonts are named on the styles (from the reference) and again on
every run, East-Asian font included (`w:eastAsia`), so Word and WPS never fall back to a theme font.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ruian_desk.export import reference as ref
from ruian_desk.export.common import Block, TableContent, document_blocks, png_size
from ruian_desk.export.registry import register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write

TWIPS_PER_MM = 1440 / 25.4
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")


@register("docx", "docx", "Word 文档（DOCX）")
def write_docx(view: ReportView, target: Path) -> None:
    data = render_docx(view)
    atomic_write(target, lambda tmp: tmp.write_bytes(data))


def render_docx(view: ReportView, reference: Path | None = None) -> bytes:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    doc = docx.Document(str(reference or ref.reference_docx_path()))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _ensure_styles(doc)
    fonts = _StyleFonts(doc)
    writer = _BodyWriter(fonts)
    sect_pr = body.find(qn("w:sectPr"))

    def flush() -> None:
        xml = writer.take()
        if not xml:
            return
        fragment = parse_xml(f'<w:body xmlns:w="{ref.W_NS}" xmlns:r="{ref.R_NS}">{xml}</w:body>')
        for el in list(fragment):
            if sect_pr is not None:
                sect_pr.addprevious(el)
            else:
                body.append(el)

    for block in document_blocks(view):
        if block.kind == "image":
            flush()
            _add_image(doc, block, fonts)
        else:
            writer.block(block)
    flush()
    _set_properties(doc, view)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _ensure_styles(doc: Any) -> None:
    """A replaced reference that lacks one of our styles gets the default definition of it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    styles = doc.styles.element
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for style_id, xml in ref.STYLE_XML.items():
        if style_id not in have:
            styles.append(parse_xml(f'<w:styles xmlns:w="{ref.W_NS}">{xml}</w:styles>')[0])


class _StyleFonts:
    """The fonts each style resolves to in the reference (style chain, then document defaults)."""

    def __init__(self, doc: Any):
        from docx.oxml.ns import qn

        self._qn = qn
        styles = doc.styles.element
        self._by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        defaults = styles.find(qn("w:docDefaults"))
        self._default = self._fonts_of(defaults.find(qn("w:rPrDefault")) if defaults is not None else None)
        self._cache: dict[str, str] = {}

    def _fonts_of(self, holder: Any) -> dict[str, str]:
        qn = self._qn
        if holder is None:
            return {}
        rpr = holder.find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if rfonts is None:
            return {}
        return {a: v for a in _FONT_ATTRS if (v := rfonts.get(qn(f"w:{a}")))}

    def resolve(self, style_id: str) -> dict[str, str]:
        qn = self._qn
        chain: list[dict[str, str]] = []
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in self._by_id:
            seen.add(current)
            style = self._by_id[current]
            chain.append(self._fonts_of(style))
            based = style.find(qn("w:basedOn"))
            current = based.get(qn("w:val")) if based is not None else None
        out = dict(self._default)
        for fonts in reversed(chain):
            out.update(fonts)
        return out

    def rpr(self, style_id: str) -> str:
        """Run properties naming the style's fonts, East-Asian font included."""
        if style_id not in self._cache:
            fonts = self.resolve(style_id)
            attrs = "".join(
                f' w:{a}="{escape(fonts[a], {chr(34): "&quot;"})}"' for a in _FONT_ATTRS if a in fonts
            )
            self._cache[style_id] = (
                f'<w:rPr><w:rFonts{attrs} w:hint="eastAsia"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
            )
        return self._cache[style_id]


def _text(text: str) -> str:
    return escape(_CONTROL.sub("", text.replace("\t", " ")))


class _BodyWriter:
    def __init__(self, fonts: _StyleFonts):
        self.fonts = fonts
        self._parts: list[str] = []

    def take(self) -> str:
        xml = "".join(self._parts)
        self._parts = []
        return xml

    def run(self, text: str, font_style: str) -> str:
        return f'<w:r>{self.fonts.rpr(font_style)}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'

    def para(self, style: str, runs: str, ppr_extra: str = "") -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr_extra}</w:pPr>{runs}</w:p>'

    def block(self, b: Block) -> None:
        add = self._parts.append
        if b.kind == "title":
            runs = f"<w:r>{self.fonts.rpr(ref.TITLE)}<w:br/></w:r>".join(
                self.run(x, ref.TITLE) for x in b.lines
            )
            add(self.para(ref.TITLE, runs))
        elif b.kind == "body":
            add(self.para(ref.BODY, self.run(b.text, ref.BODY)))
        elif b.kind == "part":
            add(self.para(ref.HEADING1, self.run(b.text, ref.HEADING1)))
        elif b.kind == "heading":
            if b.text:
                # 公文 practice: a sub-heading followed by text on the same line stays one body paragraph.
                runs = self.run(b.number + b.heading, ref.HEADING2) + self.run(b.text, ref.BODY)
                add(self.para(ref.BODY, runs))
            else:
                add(self.para(ref.HEADING2, self.run(b.number + b.heading, ref.HEADING2)))
        elif b.kind == "item":
            add(self.para(ref.BODY, self.run(b.number + b.heading + b.text, ref.BODY)))
        elif b.kind == "note":
            add(self.para(ref.NOTE, self.run(b.text, ref.NOTE)))
        elif b.kind == "table" and b.table is not None:
            add(self.table(b.table))
            add(self.para(ref.BODY, ""))  # Word needs a paragraph between a table and what follows
        elif b.kind == "signature":
            add(self.para(ref.BODY, ""))
            for line in b.lines:
                add(self.para(ref.SIGNATURE, self.run(line, ref.SIGNATURE)))
        elif b.kind == "page_break":
            add('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(self, t: TableContent) -> str:
        grid = t.grid
        widths = [round(w * TWIPS_PER_MM) for w in t.widths_mm]
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{ref.TABLE}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/>{ref.TABLE_BORDERS}<w:tblLayout w:type="fixed"/>{ref.TABLE_CELL_MARGINS}'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid>'
        ]
        out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.append("</w:tblGrid>")
        cell_rpr = self.fonts.rpr(ref.TABLE_TEXT)
        for r in range(grid.n_rows):
            # Header rows repeat on every page the table reaches; no row is ever split across pages.
            header = "<w:tblHeader/>" if r < grid.header_rows else ""
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
            c = 0
            while c < grid.n_cols:
                cell = grid.anchor_at(r, c)
                if cell is None:  # not expected for the official grids; keep the row well-formed anyway
                    out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                    c += 1
                    continue
                span = cell.colspan
                tcpr = [f'<w:tcW w:w="{sum(widths[cell.col : cell.col + span])}" w:type="dxa"/>']
                if span > 1:
                    tcpr.append(f'<w:gridSpan w:val="{span}"/>')
                if cell.rowspan > 1:
                    tcpr.append('<w:vMerge w:val="restart"/>' if cell.row == r else "<w:vMerge/>")
                if cell.is_number:
                    tcpr.append("<w:noWrap/>")
                tcpr.append('<w:vAlign w:val="center"/>')
                if cell.row == r:
                    jc = (
                        "left"
                        if cell.kind == "label" and cell.rowspan == 1 and grid.header_rows
                        else "center"
                    )
                    text = t.text(cell)
                    run = (
                        f'<w:r>{cell_rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>' if text else ""
                    )
                    para = f'<w:p><w:pPr><w:pStyle w:val="{ref.TABLE_TEXT}"/><w:jc w:val="{jc}"/></w:pPr>{run}</w:p>'
                else:
                    para = f'<w:p><w:pPr><w:pStyle w:val="{ref.TABLE_TEXT}"/></w:pPr></w:p>'
                out.append(f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr>{para}</w:tc>")
                c += span
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


def _add_image(doc: Any, block: Block, fonts: _StyleFonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    if block.text:
        caption = doc.add_paragraph()
        caption.style = _style(doc, ref.CAPTION)
        run = caption.add_run(block.text)
        _name_fonts(run, fonts.resolve(ref.CAPTION))
    para = doc.add_paragraph()
    para.style = _style(doc, ref.TABLE_TEXT)
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    w, h = png_size(block.png)
    max_w, max_h = 150.0, 200.0
    width = max_w
    if w and h and max_w * h / w > max_h:
        width = max_h * w / h
    para.add_run().add_picture(io.BytesIO(block.png), width=Mm(width))


def _style(doc: Any, style_id: str) -> Any:
    for s in doc.styles:
        if s.style_id == style_id:
            return s
    return None


def _name_fonts(run: Any, fonts: dict[str, str]) -> None:
    from docx.oxml.ns import qn

    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr, value in fonts.items():
        rfonts.set(qn(f"w:{attr}"), value)


def _set_properties(doc: Any, view: ReportView) -> None:
    import datetime as dt

    report = view.report
    props = doc.core_properties
    props.title = report.title or report.fmt.title_for(report.unit, report.year)
    props.subject = f"{report.year}年政府信息公开工作年度报告"
    props.author = report.unit
    props.last_modified_by = "瑞安年报助手"
    props.category = report.format_id
    props.keywords = "示例数据" if view.is_sample else ""
    props.comments = view.sample_note
    props.revision = 1
    try:
        when = dt.datetime.fromisoformat(view.generated_at)
    except ValueError:
        when = dt.datetime.now()
    props.created = when
    props.modified = when
