"""Pagination by construction for the PDF and print: every block is measured first and cut into atoms that are
never split (one line of a paragraph, a group of table rows joined by a merged cell, a picture), then the atoms
are placed page after page by `paginate`, which knows where each one lands before anything is painted:

- an atom that does not fit on the page goes to the next one, together with the atoms before it that must stay
  with it (`keep_next`: a heading with the first lines of what follows, a paragraph's first and last two lines,
  a table's header with its first row group, the 落款 with the paragraph before it, a caption with its picture);
- a table atom that starts a page brings a copy of its table's header rows (`header`);
- a chain of kept atoms taller than a page is broken where the page is full (nothing is ever lost or clipped).

Painting places each atom at the position decided here, so the text layer holds every line exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Painter = Callable[[Any, float, float], None]  # (QPainter, x, y of the atom's top-left corner)

_EPS = 0.01


@dataclass(eq=False)
class Atom:
    height: float
    paint: Painter
    kind: str = "line"  # line | rows | image | break
    keep_next: bool = False
    space_before: float = 0.0  # dropped at the top of a page
    header: Atom | None = None  # a table's header rows, repeated above this atom when it starts a page
    text: str = ""  # the atom's text, for tests and debugging


@dataclass(frozen=True)
class Placed:
    atom: Atom
    y: float  # from the top of the type area, device pixels
    index: int  # the atom's position in the flow (a repeated header has the index of the atom it precedes)


@dataclass
class Page:
    items: list[Placed] = field(default_factory=list)


def page_break() -> Atom:
    return Atom(0.0, lambda painter, x, y: None, kind="break")


def paginate(atoms: Sequence[Atom], page_height: float) -> list[Page]:
    """Place the atoms on pages of `page_height` (the type area); see the module's docstring."""
    pages = [Page()]
    y = 0.0
    start = 0  # index of the first atom on the current page
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        page = pages[-1]
        if atom.kind == "break":
            if page.items:
                pages.append(Page())
                y = 0.0
            i += 1
            start = i
            continue
        top = not page.items
        header = atom.header if top else None
        need = atom.height + (header.height if header else 0.0) + (0.0 if top else atom.space_before)
        if top or y + need <= page_height + _EPS:
            if header is not None:
                page.items.append(Placed(header, 0.0, i))
                y = header.height
            elif not top:
                y += atom.space_before
            page.items.append(Placed(atom, y, i))
            y += atom.height
            i += 1
            continue
        j = i
        while j > start and atoms[j - 1].keep_next:
            j -= 1
        if j == start:
            j = i  # the kept chain fills the page: break where the page is full
        page.items = [p for p in page.items if p.index < j]
        pages.append(Page())
        y = 0.0
        start = i = j
    if len(pages) > 1 and not pages[-1].items:
        pages.pop()
    return pages


class Typesetter:
    """Measures paragraphs with QTextLayout on the paint device, in device pixels."""

    def __init__(self, device: Any, width: float):
        self.device = device
        self.dpi = float(device.logicalDpiY())
        self.width = width

    def pt(self, pt: float) -> float:
        return pt / 72.0 * self.dpi

    def mm(self, mm: float) -> float:
        return mm / 25.4 * self.dpi

    def layout(
        self,
        runs: Sequence[tuple[str, Any]],
        width: float,
        pitch: float,
        align: str = "justify",
        indent: float = 0.0,
        wrap: bool = True,
    ) -> tuple[Any, list[Any]]:
        """A QTextLayout of `runs` ((text, QFont) pairs) broken into lines of `width` (the first indented by
        `indent`), one every `pitch`; returns (layout, lines)."""
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QFont, QTextCharFormat, QTextLayout, QTextOption

        text = "".join(t for t, _ in runs)
        layout = QTextLayout(text, runs[0][1] if runs else QFont(), self.device)
        ranges = []
        pos = 0
        for t, font in runs:
            if t:
                fr = QTextLayout.FormatRange()
                fr.start, fr.length = pos, len(t)
                cf = QTextCharFormat()
                cf.setFont(font)
                fr.format = cf
                ranges.append(fr)
            pos += len(t)
        layout.setFormats(ranges)
        option = QTextOption(
            {
                "left": Qt.AlignmentFlag.AlignLeft,
                "center": Qt.AlignmentFlag.AlignHCenter,
                "right": Qt.AlignmentFlag.AlignRight,
                "justify": Qt.AlignmentFlag.AlignJustify,
            }[align]
        )
        option.setWrapMode(
            QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap else QTextOption.WrapMode.NoWrap
        )
        layout.setTextOption(option)
        lines: list[Any] = []
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            first = not lines
            line.setLineWidth(max(1.0, width - (indent if first else 0.0)))
            line.setPosition(QPointF(indent if first else 0.0, y))
            y += pitch
            lines.append(line)
        layout.endLayout()
        return layout, lines

    def paragraph(
        self,
        runs: Sequence[tuple[str, Any]],
        pitch_pt: float,
        align: str = "justify",
        indent_pt: float = 0.0,
        right_pt: float = 0.0,
        keep_next: bool = False,
        space_before_pt: float = 0.0,
        bold: bool = False,
    ) -> list[Atom]:
        """One atom per line; the first and last two lines of a paragraph stay together (widow/orphan
        control, as Word does); `keep_next` keeps the last line with what follows."""
        pitch = self.pt(pitch_pt)
        layout, lines = self.layout(runs, self.width - self.pt(right_pt), pitch, align, self.pt(indent_pt))
        atoms = []
        for line in lines:
            text = layout.text()[line.textStart() : line.textStart() + line.textLength()]
            atoms.append(Atom(pitch, _line_painter(layout, line, pitch, bold, self.pt(0.45)), text=text))
        n = len(atoms)
        if n >= 2:
            atoms[0].keep_next = True
        if n >= 3:
            atoms[n - 2].keep_next = True
        if atoms:
            atoms[-1].keep_next = keep_next
            atoms[0].space_before = self.pt(space_before_pt)
        return atoms


def _line_painter(layout: Any, line: Any, pitch: float, bold: bool, stroke: float) -> Painter:
    """Paint one line with its box's top at (x, y), centred in the line pitch (Word's exact spacing)."""

    def paint(painter: Any, x: float, y: float) -> None:
        from PySide6.QtCore import QPointF

        origin = QPointF(x, y - line.y() + (pitch - line.height()) / 2)
        line.draw(painter, origin)
        if bold:
            _embolden(painter, line, origin, stroke)

    paint.layout = layout  # type: ignore[attr-defined]  # the lines live as long as their layout
    return paint


def _embolden(painter: Any, line: Any, origin: Any, width: float) -> None:
    """Bold for a face without a bold style: the glyph outlines stroked on top of the text. A path adds
    nothing to the text layer (Qt's synthetic bold paints the text twice, so search would find it twice)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainterPath, QPen

    path = QPainterPath()
    for run in line.glyphRuns():
        raw = run.rawFont()
        for index, pos in zip(run.glyphIndexes(), run.positions(), strict=False):
            glyph = raw.pathForGlyph(index)
            glyph.translate(origin + pos)
            path.addPath(glyph)
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.save()
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()
