"""PDF export (and the document behind print preview): QTextDocument laid out on the A4 公文 type area, the
bundled SC fonts embedded, tables as the official merged grids with header rows repeated, "- 1 -" page numbers.

Sizing (PITFALLS 3): the document is laid out for the very device it is painted on (`setPaintDevice`), with its
page size = the type area in device pixels and no document margin; each page is then painted by hand at the
GB/T 9704 margins with its page number below the type area. QTextDocument scales line heights, table widths,
borders and padding from 96-dpi pixels to the device, but takes text indents in device pixels; `_Units` keeps
both straight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruian_desk.export.bundle import ExportError, register
from ruian_desk.export.common import MARGINS_MM, PAGE_MM, TYPE_AREA_MM, Block, TableContent, document_blocks
from ruian_desk.export.qtsupport import ensure_gui_application, sans_family, serif_family
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write

PDF_DPI = 600
PAGE_NUMBER_GAP_MM = 7.0  # GB/T 9704: the page number sits 7 mm below the type area
_CELL_PADDING_MM = 0.8


def pdf_font(family: str, point_size: float) -> Any:
    """A font for the PDF. The SC fonts' `locl` feature swaps digits for glyphs that Qt's PDF writer cannot
    map back to text ("raxxgkk@163.com" would be found as "raxxgkk@.com"); in an SC-only font it changes no
    Chinese glyph, so it is switched off."""
    from PySide6.QtGui import QFont

    font = QFont(family)
    font.setPointSizeF(point_size)
    font.setFeature(QFont.Tag("locl"), 0)
    return font


class _Units:
    def __init__(self, dpi: float):
        self.dpi = dpi

    def dev_mm(self, mm: float) -> float:
        """Millimetres in device pixels (page size, text indent, painting)."""
        return mm / 25.4 * self.dpi

    def dev_pt(self, pt: float) -> float:
        return pt / 72.0 * self.dpi

    @staticmethod
    def css_pt(pt: float) -> float:
        """Points in the 96-dpi pixels QTextDocument scales to the device (line heights, tables)."""
        return pt * 96.0 / 72.0

    @staticmethod
    def css_mm(mm: float) -> float:
        return mm / 25.4 * 96.0


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
        report = view.report
        writer.setTitle(report.title or report.fmt.title_for(report.unit, report.year))
        writer.setCreator("瑞安年报助手")
        doc = build_document(view, writer)
        if not paint_document(doc, writer):
            raise ExportError(f"无法写入 PDF：{target}")

    atomic_write(target, write)


def build_document(view: ReportView, device: Any, charts: bool = True) -> Any:
    """The report as a QTextDocument laid out for `device` (a QPdfWriter or QPrinter).

    Pagination is settled in passes, the first problem on the earliest page fixed each time:
    - Qt splits a table row across pages whenever the first line of one of its cells still fits; such a row
      (or one Qt pushed down, stretching the row above it) becomes a split point: the table is rebuilt in
      two parts, the second starting on the next page under a copy of the header rows — as Word prints a
      table whose header rows repeat and whose rows may not break across pages;
    - a part heading (with its 示例数据 mark) that would stay behind at the foot of a page while its table
      or text starts on the next, a sub-heading parted from its paragraph, or a 落款 split in two, gets a
      page break before it.
    """
    ensure_gui_application()
    blocks = document_blocks(view, charts=charts)
    splits: dict[int, set[int]] = {}
    breaks: set[int] = set()
    report = view.report
    title = report.title or report.fmt.title_for(report.unit, report.year)
    for _ in range(_MAX_PASSES):
        doc, builder = _build_once(blocks, device, splits, breaks, title)
        problem = builder.first_problem()
        if problem is None:
            break
        if problem[0] == "split":
            if problem[2] in splits.get(problem[1], set()):
                break  # a part taller than a page: nothing more to gain
            splits.setdefault(problem[1], set()).add(problem[2])
        else:
            if problem[1] in breaks:
                break  # a group taller than a page stays as it is
            breaks.add(problem[1])
    return doc


_MAX_PASSES = 16


def _build_once(
    blocks: list[Block], device: Any, splits: dict[int, set[int]], breaks: set[int], title: str
) -> tuple[Any, _DocBuilder]:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    units = _Units(device.logicalDpiY())
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setPageSize(QSizeF(units.dev_mm(TYPE_AREA_MM[0]), units.dev_mm(TYPE_AREA_MM[1])))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    doc.setUndoRedoEnabled(False)
    builder = _DocBuilder(doc, units, splits, breaks)
    # One edit block: without it every cell edit re-lays-out the paginated document (seconds, not ms).
    builder.cursor.beginEditBlock()
    try:
        builder.build(blocks)
    finally:
        builder.cursor.endEditBlock()
    return doc, builder


def paint_document(doc: Any, device: Any) -> bool:
    """Paint every page of `doc` on `device` (whose painter origin is the paper's top-left corner) at the
    公文 margins, with "- n -" below the type area. Returns False when the device cannot be painted on."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QPainter

    units = _Units(device.logicalDpiY())
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        page_w = doc.pageSize().width()
        page_h = doc.pageSize().height()
        left, top = units.dev_mm(MARGINS_MM["left"]), units.dev_mm(MARGINS_MM["top"])
        number_font = pdf_font(serif_family(), 14)  # 四号
        layout = doc.documentLayout()
        pages = doc.pageCount()
        # half the cell padding: inside every table, clear of the paragraphs around it
        top_level = _top_level_items(doc, units.dev_mm(_CELL_PADDING_MM / 2))
        for i in range(pages):
            if i and not device.newPage():
                return False
            painter.save()
            painter.translate(left, top - i * page_h)
            # The clip keeps each page's lines to its own page vertically; sideways it leaves room for the
            # outer borders of a table as wide as the type area (they sit half a pen outside it).
            slack = units.dev_mm(2)
            page = QRectF(-slack, i * page_h, page_w + 2 * slack, page_h)
            painter.setClipRect(page)
            _draw_page(painter, layout, top_level, page)
            painter.restore()
            painter.setFont(number_font)
            y = top + page_h + units.dev_mm(PAGE_NUMBER_GAP_MM)
            painter.drawText(
                QRectF(0, y, units.dev_mm(PAGE_MM[0]), units.dev_mm(10)),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                f"- {i + 1} -",
            )
    finally:
        painter.end()
    return True


def _top_level_items(doc: Any, inset: float) -> list[tuple[str, Any]]:
    """The root frame's content in order: ("block", QTextBlock), or ("frame", (top, bottom)) for a table.

    A table's extent comes from its cells' text, `inset` inside the cell padding: Qt's frameBoundingRect
    of a table it moved to the next page starts below the first header row, and a clip reaching beyond
    the table would let the layout draw the neighbouring paragraphs a second time."""
    frames = list(doc.rootFrame().childFrames())
    spans = [(f.firstPosition(), f.lastPosition(), f) for f in frames]
    items: list[tuple[str, Any]] = []
    done: set[int] = set()
    block = doc.begin()
    while block.isValid():
        pos = block.position()
        inside = next((f for first, last, f in spans if first <= pos <= last), None)
        if inside is None:
            items.append(("block", block))
        elif id(inside) not in done:
            done.add(id(inside))
            items.append(("frame", _table_extent(doc.documentLayout(), inside, inset)))
        block = block.next()
    return items


def _table_extent(layout: Any, table: Any, inset: float) -> tuple[float, float]:
    tops, bottoms = [], []
    for r in range(table.rows()):
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue
            tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
            bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return (min(tops) - inset, max(bottoms) + inset) if tops else (0.0, 0.0)


def _draw_page(painter: Any, layout: Any, items: list[tuple[str, Any]], page: Any) -> None:
    """Draw what belongs on one page. Paragraphs are drawn line by line, each line on the page that holds
    it: QTextLayout.draw also paints the last line *above* its clip rectangle, which would put an invisible
    copy of the previous page's last line into this page's text layer (found twice by search and copy).
    Tables go through the layout (it repeats their header rows); their rows never cross pages."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QAbstractTextDocumentLayout

    top, bottom = page.top(), page.bottom()
    for kind, item in items:
        if kind == "frame":
            t_top, t_bottom = item
            if t_bottom <= top or t_top >= bottom:
                continue
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = QRectF(
                page.left(), max(top, t_top), page.width(), min(bottom, t_bottom) - max(top, t_top)
            )
            layout.draw(painter, ctx)
            continue
        rect = layout.blockBoundingRect(item)
        if rect.bottom() <= top or rect.top() >= bottom:
            continue
        text_layout = item.layout()
        origin = text_layout.position()
        for n in range(text_layout.lineCount()):
            line = text_layout.lineAt(n)
            middle = origin.y() + line.y() + line.height() / 2
            if top <= middle < bottom:
                line.draw(painter, origin)


def _line_middle(block: Any, n: int) -> float:
    """Vertical middle of line n of a block, in document coordinates."""
    layout = block.layout()
    if layout.lineCount() == 0:
        return float(layout.position().y())
    line = layout.lineAt(min(n, layout.lineCount() - 1))
    return float(layout.position().y() + line.y() + line.height() / 2)


class _DocBuilder:
    """Typesetting of the blocks: 公文 sizes with the bundled SC fonts standing in for 小标宋/黑体/楷体/仿宋."""

    BODY_PT, BODY_LINE_PT = 16.0, 28.0  # 三号, fixed 28 pt lines
    TITLE_PT, TITLE_LINE_PT = 22.0, 35.0  # 二号
    TABLE_PT = 10.5  # 五号
    NOTE_PT = 12.0
    CHARS_PER_LINE = 27  # 三号 characters across the 156 mm type area (2-character indent on the first)

    def __init__(
        self,
        doc: Any,
        units: _Units,
        splits: dict[int, set[int]] | None = None,
        breaks: set[int] | None = None,
    ):
        from PySide6.QtGui import QTextCursor

        self.doc = doc
        self.u = units
        self.splits = splits or {}
        self.breaks = breaks or set()
        self._para_no = 0
        # keep-together groups: (paragraph number, first block, end) with end = ("lines", block, n) or
        # ("table", first part of a table); `_open_group` waits for the element that closes it
        self._groups: list[tuple[int, Any, tuple[Any, ...]]] = []
        self._open_group: tuple[int, Any] | None = None
        self._last_text: tuple[int, Any, str] | None = None
        self._table_no = 0
        self._part_no = 0
        self._watch: list[tuple[int, int, int, int, Any, int, int]] = []
        self.cursor = QTextCursor(doc)
        self.first = True
        self.serif = serif_family()
        self.sans = sans_family()
        self._image_no = 0
        self.break_next = False

    # formats ----------------------------------------------------------------------------------------
    def char(self, family: str, pt: float, bold: bool = False) -> Any:
        from PySide6.QtGui import QTextCharFormat

        f = pdf_font(family, pt)
        f.setBold(bold)
        fmt = QTextCharFormat()
        fmt.setFont(f)
        return fmt

    def block_format(
        self,
        align: str = "justify",
        indent_chars: float = 0,
        line_pt: float | None = None,
        font_pt: float | None = None,
        before_pt: float = 0,
        after_pt: float = 0,
    ) -> Any:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QTextBlockFormat

        bf = QTextBlockFormat()
        bf.setAlignment(
            {
                "left": Qt.AlignmentFlag.AlignLeft,
                "center": Qt.AlignmentFlag.AlignHCenter,
                "right": Qt.AlignmentFlag.AlignRight,
                "justify": Qt.AlignmentFlag.AlignJustify,
            }[align]
        )
        if indent_chars:
            bf.setTextIndent(self.u.dev_pt(indent_chars * (font_pt or self.BODY_PT)))
        if line_pt:
            bf.setLineHeight(self.u.css_pt(line_pt), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        bf.setTopMargin(self.u.css_pt(before_pt))
        bf.setBottomMargin(self.u.css_pt(after_pt))
        return bf

    def paragraph(self, bf: Any, runs: list[tuple[str, Any]]) -> tuple[int, Any]:
        """Append a paragraph; returns (its number, its QTextBlock)."""
        from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFormat

        cur = self.cursor
        cur.movePosition(QTextCursor.MoveOperation.End)
        number = self._para_no
        self._para_no += 1
        if self.break_next or number in self.breaks:
            bf = QTextBlockFormat(bf)
            bf.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            self.break_next = False
        if self.first:
            cur.setBlockFormat(bf)
            self.first = False
        else:
            cur.insertBlock(bf)
        for text, cf in runs:
            if text:
                cur.insertText(text, cf)
        if not runs:
            cur.setBlockCharFormat(self.char(self.serif, self.BODY_PT))
        return number, cur.block()

    def _close_group(self, end: tuple[Any, ...]) -> None:
        if self._open_group is not None:
            number, block = self._open_group
            self._groups.append((number, block, end))
            self._open_group = None

    # blocks -----------------------------------------------------------------------------------------
    def build(self, blocks: list[Block]) -> None:
        body_cf = self.char(self.serif, self.BODY_PT)
        body_bf = self.block_format("justify", 2, self.BODY_LINE_PT)
        for b in blocks:
            if b.kind in ("title", "signature", "page_break"):
                self._open_group = None  # a heading is kept only with text or a table
            if b.kind == "title":
                # No synthetic bold anywhere: Qt paints it as a second copy of the text, which search and
                # copy in a PDF reader would then find twice.
                cf = self.char(self.serif, self.TITLE_PT)
                bf = self.block_format("center", 0, self.TITLE_LINE_PT, after_pt=self.BODY_LINE_PT)
                self.paragraph(bf, [("\u2028".join(b.lines), cf)])
            elif b.kind == "body":
                number, block = self.paragraph(body_bf, [(b.text, body_cf)])
                self._close_group(("lines", block, 2))
                self._last_text = (number, block, b.text)
            elif b.kind == "part":
                bf = self.block_format("left", 2, self.BODY_LINE_PT)
                self._open_group = self.paragraph(bf, [(b.text, self.char(self.sans, self.BODY_PT))])
            elif b.kind == "heading":
                head_cf = self.char(self.serif, self.BODY_PT)
                number, block = self.paragraph(body_bf, [(b.number + b.heading, head_cf), (b.text, body_cf)])
                self._close_group(("lines", block, 2 if b.text else 1))
                if not b.text:
                    self._open_group = (number, block)
            elif b.kind == "item":
                text = b.number + b.heading + b.text
                number, block = self.paragraph(body_bf, [(text, body_cf)])
                self._close_group(("lines", block, 2))
                self._last_text = (number, block, text)
            elif b.kind == "note":
                bf = self.block_format("center", 0, 18, after_pt=3)
                self.paragraph(bf, [(b.text, self.char(self.serif, self.NOTE_PT))])
            elif b.kind == "table" and b.table is not None:
                self.table(b.table)
            elif b.kind == "signature":
                self.paragraph(body_bf, [])
                bf = self.block_format("right", 0, self.BODY_LINE_PT)
                bf.setRightMargin(self.u.css_pt(2 * self.BODY_PT))
                first: tuple[int, Any] | None = None
                block = None
                for line in b.lines:
                    number, block = self.paragraph(bf, [(line, body_cf)])
                    first = first or (number, block)
                # A short closing paragraph goes with the 落款, so it never stands alone on a page.
                if self._last_text is not None and len(self._last_text[2]) <= 3 * self.CHARS_PER_LINE:
                    first = (self._last_text[0], self._last_text[1])
                    # …and so does the heading kept with that paragraph (two groups in a chain would
                    # each force a page break of their own)
                    for number, start, end in self._groups:
                        if end[0] == "lines" and end[1] == first[1]:
                            first = (number, start)
                            break
                if first is not None and block is not None:
                    self._groups.append((first[0], first[1], ("lines", block, 1)))
            elif b.kind == "page_break":
                self.break_next = True
            elif b.kind == "image":
                self.image(b)

    def table(self, t: TableContent) -> None:
        table_no = self._table_no
        self._table_no += 1
        grid = t.grid
        cuts = sorted(r for r in self.splits.get(table_no, ()) if grid.header_rows < r < grid.n_rows)
        starts, ends = [0, *cuts], [*cuts, grid.n_rows]
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            more = i < len(cuts)
            if i == 0:
                self._table_part(table_no, t, list(range(start, end)), grid.header_rows, False, more)
            else:
                rows = [*range(grid.header_rows), *range(start, end)]
                self._table_part(table_no, t, rows, start, True, more)

    def _table_part(
        self,
        table_no: int,
        t: TableContent,
        rows: list[int],
        first_data: int,
        continued: bool,
        continues: bool,
    ) -> None:
        """One printed part of a table: `rows` are grid rows (the header rows again for a continuation);
        a merged cell cut by the split keeps its text in the part where it starts."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import (
            QBrush,
            QColor,
            QTextBlockFormat,
            QTextCharFormat,
            QTextCursor,
            QTextFormat,
            QTextFrameFormat,
            QTextLength,
            QTextTableFormat,
        )

        grid = t.grid
        tf = QTextTableFormat()
        tf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tf.setCellSpacing(0)
        tf.setCellPadding(self.u.css_mm(_CELL_PADDING_MM))
        # Collapsed borders thinner than one 96-dpi pixel are not drawn at all: 1 px = 0.75 pt.
        tf.setBorder(1.0)
        tf.setBorderBrush(QBrush(QColor("black")))
        tf.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        tf.setBorderCollapse(True)
        tf.setMargin(0)
        tf.setHeaderRowCount(grid.header_rows)
        if continues:
            # The page break goes after the part (a break before the next part could land on a page of
            # its own when the part ends right at the page bottom).
            tf.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter)
        else:
            tf.setBottomMargin(self.u.css_pt(self.BODY_LINE_PT * 0.5))
        tf.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.FixedLength, self.u.css_mm(w)) for w in t.widths_mm]
        )
        cur = self.cursor
        cur.movePosition(QTextCursor.MoveOperation.End)
        if continued:
            # The block between two parts of a table takes (almost) no room.
            bf = QTextBlockFormat()
            bf.setLineHeight(0.1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            cur.setBlockFormat(bf)
        elif not self.first:
            cur.insertBlock(self.block_format("left", 0, 1))
        self.first = False
        local = {grid_row: i for i, grid_row in enumerate(rows)}
        part_no = self._part_no
        self._part_no += 1
        table = cur.insertTable(len(rows), grid.n_cols, tf)
        if not continued:
            self._close_group(("table", table))
        placed: list[tuple[Any, int, int, Any]] = []
        for cell in grid.cells:
            covered = [local[r] for r in range(cell.row, cell.row + cell.rowspan) if r in local]
            if not covered:
                continue
            top, span = covered[0], len(covered)
            if span > 1 or cell.colspan > 1:
                table.mergeCells(top, cell.col, span, cell.colspan)
            placed.append((cell, top, span, cell.row in local))
        cf = self.char(self.serif, self.TABLE_PT)
        for cell, top, span, is_anchor in placed:
            qcell = table.cellAt(top, cell.col)
            cell_fmt = qcell.format().toTableCellFormat()
            cell_fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
            qcell.setFormat(cell_fmt)
            align = "left" if cell.kind == "label" and cell.rowspan == 1 and grid.header_rows else "center"
            c = qcell.firstCursorPosition()
            cell_bf = self.block_format(align, 0, None)
            if cell.is_number:
                cell_bf.setNonBreakableLines(True)  # a number is never wrapped inside its cell
            c.setBlockFormat(cell_bf)
            # Not setBlockCharFormat: a cell's first block char format IS the cell format (spans included).
            if is_anchor:
                c.insertText(t.text(cell), cf)
            if span == 1 and is_anchor and cell.row >= first_data:
                self._watch.append((table_no, part_no, cell.row, first_data, table, top, cell.col))
        # what follows goes into the block after the table
        cur.movePosition(QTextCursor.MoveOperation.End)
        self.first = True

    def first_problem(self) -> tuple[str, int, int] | None:
        """The earliest pagination problem: ("split", table number, grid row) for a table row that Qt
        broke across pages or pushed to a later page than the first data row of its part (stretching the
        row above it), or ("break", paragraph number, 0) for a keep-together group that straddles a page."""
        layout = self.doc.documentLayout()
        page_h = self.doc.pageSize().height()
        found: list[tuple[float, tuple[str, int, int]]] = []
        part_page: dict[int, int] = {}
        for table_no, part_no, grid_row, first_data, table, row, col in self._watch:
            qcell = table.cellAt(row, col)
            top = layout.blockBoundingRect(qcell.firstCursorPosition().block()).top()
            bottom = layout.blockBoundingRect(qcell.lastCursorPosition().block()).bottom()
            top_page, bottom_page = int(top // page_h), int((bottom - 0.5) // page_h)
            if grid_row == first_data:
                part_page[part_no] = min(part_page.get(part_no, top_page), top_page)
                continue
            if top_page != bottom_page or top_page > part_page.get(part_no, top_page):
                found.append((top, ("split", table_no, grid_row)))
                break
        for number, block, end in self._groups:
            start_y = _line_middle(block, 0)
            if end[0] == "table":
                end_y = layout.frameBoundingRect(end[1]).top() + 1
            else:
                end_block, n = end[1], end[2]
                end_y = _line_middle(end_block, max(0, min(n, end_block.layout().lineCount()) - 1))
            if int(start_y // page_h) != int(end_y // page_h):
                found.append((start_y, ("break", number, 0)))
                break
        return min(found, key=lambda f: f[0])[1] if found else None

    def image(self, b: Block) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QImage, QTextCursor, QTextDocument, QTextImageFormat

        image = QImage.fromData(b.png)
        if image.isNull():
            return
        caption: tuple[int, Any] | None = None
        if b.text:
            cbf = self.block_format("center", 0, 20, before_pt=6, after_pt=3)
            caption = self.paragraph(cbf, [(b.text, self.char(self.sans, 12))])
            self._close_group(("lines", caption[1], 1))
        pbf = self.block_format("center", 0, None)
        self._image_no += 1
        name = f"chart://{self._image_no}.png"
        self.doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        max_w, max_h = self.u.css_mm(150), self.u.css_mm(195)
        width = max_w
        if image.width() and image.height() and max_w * image.height() / image.width() > max_h:
            width = max_h * image.width() / image.height()
        fmt = QTextImageFormat()
        fmt.setName(name)
        fmt.setWidth(width)
        fmt.setHeight(width * image.height() / max(1, image.width()))
        _, block = self.paragraph(pbf, [])
        cur = self.cursor
        cur.movePosition(QTextCursor.MoveOperation.End)
        cur.insertImage(fmt)
        self._close_group(("lines", block, 1))
        if caption is not None:  # a caption never stays behind without its picture
            self._groups.append((caption[0], caption[1], ("lines", block, 1)))
