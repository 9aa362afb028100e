"""Qt for the document exporters: a headless QGuiApplication when none exists, the bundled SC fonts, and a
guard against a PySide6 reference-count bug on CPython 3.11."""

from __future__ import annotations

import os
import sys
from typing import Any

from ruian_desk.paths import resource
from ruian_desk.qtcompat import guard_none_refcount

SERIF_FILE = "NotoSerifSC-Regular.otf"
SANS_FILE = "NotoSansSC-Regular.otf"

_app: Any = None  # the QGuiApplication created for a headless export (kept alive for the process)
_families: dict[str, str] = {}


def ensure_gui_application() -> Any:
    """A QGuiApplication for fonts and painting; headless (offscreen) on Linux without a display."""
    global _app
    guard_none_refcount()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if sys.platform.startswith("linux") and no_display:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        argv = [sys.argv[0] if sys.argv and sys.argv[0] else "ruian-desk"]
        if "PySide6.QtWidgets" in sys.modules:
            # Widgets are in use in this process (or will be): only a QApplication can host them later.
            from PySide6.QtWidgets import QApplication

            app = QApplication(argv)
        else:
            app = QGuiApplication(argv)
        _app = app
    return app


def _family(file_name: str, fallback: str) -> str:
    """Register a bundled font once and name its SC family explicitly (fontconfig would pick JP glyphs for
    a family it does not know, PITFALLS 1)."""
    if file_name not in _families:
        from PySide6.QtGui import QFontDatabase

        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", file_name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        sc = [f for f in families if f.endswith(" SC")]
        _families[file_name] = (sc or families or [fallback])[0]
    return _families[file_name]


def serif_family() -> str:
    """Noto Serif CJK SC: stands in for 仿宋/宋体/小标宋 in PDF and print."""
    return _family(SERIF_FILE, "Noto Serif CJK SC")


def sans_family() -> str:
    """Noto Sans CJK SC: stands in for 黑体 in PDF and print."""
    return _family(SANS_FILE, "Noto Sans CJK SC")


def prepare_fonts() -> None:
    """Register the fonts on the calling (GUI) thread before a worker thread lays out a document."""
    ensure_gui_application()
    serif_family()
    sans_family()
