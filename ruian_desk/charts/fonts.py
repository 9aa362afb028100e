"""Registering the bundled Simplified-Chinese font with matplotlib, by its file, once per process."""

from __future__ import annotations

from ruian_desk.paths import resource

SANS_FILE = "NotoSansSC-Regular.otf"
# The bundled file calls itself "Noto Sans CJK SC", as does the system collection of fonts-noto-cjk
# (NotoSansCJK-Regular.ttc): by that name matplotlib may pick the system .ttc. Registered under a family
# name of its own, the bundled file is the only match, whatever fonts the machine has.
FAMILY = "Ruian Desk Noto Sans SC"
_family: str | None = None


def chart_font_path() -> str:
    return str(resource("fonts", SANS_FILE))


def chart_font_family() -> str:
    """Register the bundled SC font (if not yet) and make it matplotlib's sans-serif; returns its family.

    matplotlib never falls back to system CJK fonts by itself, and a system "Noto Sans CJK" collection
    would be listed under its JP face: naming the bundled SC file explicitly avoids both boxes and Japanese
    glyph forms. The font is added by path (never through a rebuild of matplotlib's font cache, which goes
    stale after an apt font install and takes seconds to build).
    """
    global _family
    if _family is not None:
        return _family
    import dataclasses

    import matplotlib
    from matplotlib import font_manager, ft2font

    path = chart_font_path()
    entry = font_manager.ttfFontProperty(ft2font.FT2Font(path))
    manager = font_manager.fontManager
    manager.ttflist = [dataclasses.replace(entry, name=FAMILY)] + [
        e for e in manager.ttflist if e.name != FAMILY
    ]
    # findfont keeps its answers: forget those given before the font was there.
    cache_clear = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [FAMILY, *[f for f in rc["font.sans-serif"] if f != FAMILY]]
    # The SC font has U+2212 but a hyphen-minus matches how the report's tables print negative numbers.
    rc["axes.unicode_minus"] = False
    # SVG glyphs as outlines: the file shows Chinese on a machine without the font. A fixed salt makes the
    # SVG's element ids, and so the file, the same for the same chart.
    rc["svg.fonttype"] = "path"
    rc["svg.hashsalt"] = "ruian-desk"
    _family = FAMILY
    return FAMILY
