"""Registering the bundled Simplified-Chinese fonts with Qt (fontconfig would otherwise pick JP glyphs)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ruian_desk.paths import resource

SANS_FILE = "NotoSansSC-Regular.otf"
SERIF_FILE = "NotoSerifSC-Regular.otf"
_families: dict[str, str] = {}


def _register(file_name: str) -> str:
    if file_name not in _families:
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", file_name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        # A collection would list JP first; take the SC face explicitly.
        sc = [f for f in families if f.endswith(" SC")]
        _families[file_name] = (sc or families or ["Noto Sans CJK SC"])[0]
    return _families[file_name]


def sans_family() -> str:
    return _register(SANS_FILE)


def serif_family() -> str:
    return _register(SERIF_FILE)


def install_app_font(app: QApplication, point_size: float = 10.0) -> QFont:
    font = QFont(sans_family())
    font.setPointSizeF(point_size)
    app.setFont(font)
    return font
