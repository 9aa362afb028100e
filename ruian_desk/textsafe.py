"""Text that can be stored, exported and put in a workbook whatever it was pasted or imported from.

`clean_text` is applied to every text the workspace stores (storage.db, at write time) and to what the
exports write, so no DOCX/XLSX writer can fail on it: Word's Shift+Enter (vertical tab) and form feeds become
line breaks; other control characters, U+FFFE/U+FFFF and the other noncharacters, and lone surrogates (a
broken JSON escape) are dropped — none of them can be in an XML file, none is visible text.

`sheet_text` is the one escaping of a text written into a workbook cell: it is cleaned, and a text that a
spreadsheet would read as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, their full-width forms, or a leading
tab/CR) gets one leading apostrophe, so it stays text in Excel and WPS.
"""

from __future__ import annotations

import re

# Everything XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF), plus C1 controls and
# the noncharacters U+FDD0–U+FDEF: nothing of it is text a clerk meant.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def clean_text(text: str) -> str:
    """`text` without characters no document can hold (vertical tab, form feed, U+2028/U+2029 → line
    break; the rest dropped)."""
    if not _BAD.search(text) and "\u2028" not in text and "\u2029" not in text:
        return text
    return _BAD.sub("", text.translate(_BREAKS))


def has_bad_characters(text: str) -> bool:
    return _BAD.search(text) is not None


def sheet_text(value: object) -> str:
    """A text as a workbook cell must hold it: cleaned, and never readable as a formula."""
    text = clean_text("" if value is None else str(value))
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


_UNSAFE_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
MAX_NAME = 100  # characters of a file or folder name made from a unit name (Windows allows 255, paths 260)


def windows_safe_name(name: str, fallback: str = "_") -> str:
    """A file or folder name every Windows can create from `name` (a unit name): <>:"/\\|?* and control
    characters → "_", no trailing dots or spaces, no reserved device name (CON, NUL., com1.txt …: a "_" is
    added), at most `MAX_NAME` characters. The same name on every system, so a folder copied to Windows
    keeps working."""
    cleaned = _UNSAFE_NAME_CHARS.sub("_", clean_text(name)).strip()
    cleaned = cleaned[:MAX_NAME].rstrip(". ")
    if not cleaned:
        return fallback
    if cleaned.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned


__all__ = ["MAX_NAME", "clean_text", "has_bad_characters", "sheet_text", "windows_safe_name"]
