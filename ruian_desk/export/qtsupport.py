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


# 公文 faces by role, in order of preference: the GB2312 faces of a 公文 PC, then the system faces every
# Windows PC has (simfang/simkai/simhei), then the macOS ones. The bundled faces stand in when none is
# installed (the body then prints in Noto Serif SC, the headings in Noto Sans SC).
GONGWEN_FACES: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋"),
    "hei": ("黑体", "SimHei", "STHeiti"),
    "kai": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti"),
    "fang": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong"),
}


def gongwen_family(role: str) -> tuple[str, bool]:
    """(family, installed) for a 公文 role (title/hei/kai/fang): an installed 公文 face, else the bundled
    stand-in (`installed` False)."""
    from PySide6.QtGui import QFontDatabase

    ensure_gui_application()
    installed = set(QFontDatabase.families())
    for name in GONGWEN_FACES[role]:
        if name in installed:
            return name, True
    return (sans_family() if role == "hei" else serif_family()), False


def has_bold_face(family: str) -> bool:
    """Whether `family` has a real bold face (else Qt would fake bold by painting the text twice)."""
    from PySide6.QtGui import QFontDatabase

    return any("bold" in s.lower() for s in QFontDatabase.styles(family))
