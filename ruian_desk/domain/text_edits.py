"""Edits across the report's text: find/replace over every text field, and 一键改为全角标点 (the half-width
, : ; ( ) that N-PUNCT finds next to Chinese characters), each change listed before it is made."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruian_desk.domain.report import Report

# The report's text fields in reading order, with the names the clerk knows them by.
TEXT_FIELDS: dict[str, str] = {
    "title": "标题",
    "intro": "引言",
    "p1": "一、总体情况",
    "p5": "五、存在的主要问题及改进情况",
    "p6": "六、其他需要报告的事项",
}

CJK = "\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—"
# A half-width mark before a Chinese character, or after one (the Chinese character is consumed, the mark is
# the match's last character): every mark is found once.
HALF_PUNCT = re.compile(rf"[,:;()](?=[{CJK}])|[{CJK}][,:;()]")
FULL_FORM = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


def field_texts(report: Report) -> dict[str, str]:
    """The stored text of every field of TEXT_FIELDS (placeholders as written)."""
    return {
        "title": report.title or "",
        "intro": report.intro or "",
        **{k: report.parts.get(k, "") or "" for k in ("p1", "p5", "p6")},
    }


def half_width_marks(text: str) -> list[tuple[int, str]]:
    """(position, mark) of every half-width mark with a Chinese character (or Chinese punctuation) on
    either side."""
    out = []
    for m in HALF_PUNCT.finditer(text):
        pos = m.end() - 1 if len(m.group()) == 2 else m.start()
        out.append((pos, text[pos]))
    return out


@dataclass(frozen=True)
class TextChange:
    field: str
    pos: int
    old: str
    new: str
    before: str  # the text around the change as it reads now
    after: str  # … and as it will read


def _context(text: str, pos: int, length: int, new: str, width: int = 8) -> tuple[str, str]:
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos + length)
    line_end = len(text) if line_end < 0 else line_end
    left = text[max(line_start, pos - width) : pos]
    right = text[pos + length : min(line_end, pos + length + width)]
    return left + text[pos : pos + length] + right, left + new + right


def punct_changes(texts: dict[str, str]) -> list[TextChange]:
    """Every half-width mark to make full-width, in reading order."""
    out = []
    for field, text in texts.items():
        for pos, mark in half_width_marks(text):
            before, after = _context(text, pos, 1, FULL_FORM[mark])
            out.append(TextChange(field, pos, mark, FULL_FORM[mark], before, after))
    return out


def find_all(texts: dict[str, str], needle: str) -> list[TextChange]:
    """Every occurrence of `needle` (no overlaps), in reading order."""
    if not needle:
        return []
    out = []
    for field, text in texts.items():
        start = 0
        while (pos := text.find(needle, start)) >= 0:
            before, after = _context(text, pos, len(needle), needle)
            out.append(TextChange(field, pos, needle, needle, before, after))
            start = pos + len(needle)
    return out


def apply_changes(texts: dict[str, str], changes: list[TextChange]) -> dict[str, str]:
    """The fields that change, with their new text (changes applied from the end, so positions hold)."""
    new: dict[str, str] = {}
    for field in dict.fromkeys(c.field for c in changes):
        text = texts[field]
        for c in sorted((c for c in changes if c.field == field), key=lambda c: -c.pos):
            assert text[c.pos : c.pos + len(c.old)] == c.old
            text = text[: c.pos] + c.new + text[c.pos + len(c.old) :]
        if text != texts[field]:
            new[field] = text
    return new


def replace_changes(texts: dict[str, str], needle: str, replacement: str) -> list[TextChange]:
    """Every occurrence of `needle`, to become `replacement`."""
    out = []
    for c in find_all(texts, needle):
        text = texts[c.field]
        before, after = _context(text, c.pos, len(needle), replacement)
        out.append(TextChange(c.field, c.pos, needle, replacement, before, after))
    return out
