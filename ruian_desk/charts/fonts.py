"""Registering the bundled Simplified-Chinese font with matplotlib, once per process."""

from __future__ import annotations

from ruian_desk.paths import resource

SANS_FILE = "NotoSansSC-Regular.otf"
_family: str | None = None


def chart_font_family() -> str:
    """Register the bundled SC font (if not yet) and make it matplotlib's sans-serif; returns its family.

    matplotlib never falls back to system CJK fonts by itself, and a system "Noto Sans CJK" collection
    would be listed under its JP face: naming the bundled SC file's family explicitly avoids both boxes and
    Japanese glyph forms. `addfont` also sidesteps matplotlib's font cache, which goes stale after an apt
    font install.
    """
    global _family
    if _family is not None:
        return _family
    import matplotlib
    from matplotlib import font_manager

    path = resource("fonts", SANS_FILE)
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [family, *[f for f in rc["font.sans-serif"] if f != family]]
    # The SC font has U+2212 but a hyphen-minus matches how the report's tables print negative numbers.
    rc["axes.unicode_minus"] = False
    # SVG glyphs as outlines: the file shows Chinese on a machine without the font. A fixed salt makes the
    # SVG's element ids, and so the file, the same for the same chart.
    rc["svg.fonttype"] = "path"
    rc["svg.hashsalt"] = "ruian-desk"
    _family = family
    return family
