"""Colours and small drawing helpers shared by the editors (one place, so the legend matches the cells)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon, QPixmap

# QIcon, QPainter and QPixmap are imported by the functions that draw: the first report is shown before any
# mark is drawn, and a Qt class costs start-up time the first time it is touched.

HEADER_BG = QColor("#e9eef5")
CAPTION_BG = QColor("#dfe6f0")
DERIVED_BG = QColor("#eef3fb")
DERIVED_FG = QColor("#1f3f73")
SAMPLE_BG = QColor("#fff8e1")
INPUT_BG = QColor("#ffffff")
LABEL_FG = QColor("#1b1b1b")
ERROR = QColor("#d32f2f")
WARNING = QColor("#f29900")
EXPLAINED = QColor("#9e9e9e")
INFO = QColor("#1976d2")
STATED = QColor("#7b1fa2")
OK = QColor("#2e7d32")
MUTED = QColor("#5f6368")

SEVERITY_COLORS = {"error": ERROR, "warning": WARNING, "info": INFO, "explained": EXPLAINED}


@cache
def severity_icon(severity: str, size: int = 14) -> QIcon:
    """A filled round mark with ×, ! or i: readable in print-outs of the panel, no theme needed."""
    from PySide6.QtGui import QFont, QIcon, QPainter, QPixmap

    pix = QPixmap(QSize(size, size))
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(SEVERITY_COLORS.get(severity, MUTED))
    p.drawEllipse(0, 0, size, size)
    p.setPen(QColor("white"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.75))
    p.setFont(font)
    glyph = {"error": "×", "warning": "!", "info": "i", "explained": "✓"}.get(severity, "?")
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
    p.end()
    return QIcon(pix)


def swatch(fill: QColor, border: QColor | None = None, dashed: bool = False, size: int = 14) -> QPixmap:
    from PySide6.QtGui import QPainter, QPixmap

    pix = QPixmap(QSize(size, size))
    pix.fill(fill)
    if border is not None:
        p = QPainter(pix)
        pen = p.pen()
        pen.setColor(border)
        pen.setWidth(2)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRect(1, 1, size - 2, size - 2)
        p.end()
    return pix


@cache
def blank_icon(size: int = 14) -> QIcon:
    from PySide6.QtGui import QIcon, QPixmap

    pix = QPixmap(QSize(size, size))
    pix.fill(Qt.GlobalColor.transparent)
    return QIcon(pix)


def page_title(text: str, parent: QWidget) -> QLabel:
    """The heading of a page (the part's official title, 指标, 审核 …)."""
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    label.setStyleSheet("QLabel#pageTitle { font-size: 15pt; font-weight: bold; }")
    return label


def escape(text: str) -> str:
    """`html.escape` (quotes included), without importing `html` and its entity tables at start-up."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
