"""Figures quoted in narrative text ("3119件", "1,234件", "一千余件", "近600个", "85.38%") and their places.

Everything here works on plain strings and is cached by the string, so the several rules that read one
part of a report parse it once. Full-width digits are read as digits; positions always refer to the text as
given (the normalisation maps one character to one character).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ruian_desk.domain.narrative import paragraphs

# The patterns are kept as text and compiled by `re` on first use (and cached there): this module is
# imported before the window's first paint, which needs none of them.

# One character for one character, so that match positions stay valid in the original text.
_NORMALISE = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

_FULL_WIDTH = "[０-９．％]"
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "零〇一二两三四五六七八九十百千"

# Units a report's figures carry. Longest first, so that "万元" wins over "元" and "户次" over "户".
UNITS = (
    "个百分点",
    "万元",
    "亿元",
    "户次",
    "人次",
    "元",
    "件",
    "项",
    "个",
    "条",
    "次",
    "场",
    "份",
    "家",
    "期",
    "篇",
    "户",
    "宗",
    "%",
)

# Approximation markers: before the number (近600个, 约3000件, 超过1000件) or after it (20余场, 3000多件,
# 100件左右, 1000件以上).
_BEFORE = ("将近", "接近", "大约", "超过", "近", "约", "逾", "超")
_AFTER_NUMBER = ("余", "多")
_AFTER_UNIT = ("左右", "以上", "之多")

# The number and what follows it; what may precede it (近, 约 …) and what must not (a digit, 第, 每 …) is
# looked at in Python: a pattern that starts with the number itself lets the regex engine skip ahead fast.
_FIGURE = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|[" + _CN_CHARS + r"]+)"
    r"(?P<mult>[万亿](?!元))?"
    r"(?P<post>[余多])?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")"
    r"(?P<post2>左右|以上|之多)?"
)
# Characters that, just before a Chinese numeral, make it part of a word (第三件, 每一件, 唯一一件).
_CN_BLOCKED_BEFORE = set(_CN_CHARS + "万亿第每这那哪任同统唯逐")

_SENTENCE_END = r"[。！？!?；;\n]"


# Reading form of a text (`reading_form`): whitespace that splits a figure from its digits, its unit or the words
# around it, as PDF text layers and pasted copies have it ("申请 17 件", "3 119件", "2024 年", "12\n月").
_SPACE = "[ \t\u00a0\u2002-\u200b\u3000]"
_DIGIT_GAP = rf"(?<=[0-9０-９.．,]){_SPACE}+(?=[0-9０-９])"  # 3 119 → 3119
_BROKEN_FIGURE = r"(?<=[0-9０-９])\n(?=[0-9０-９]|[年月日件项个条次%％万元])"  # a figure broken by a line
_AROUND_DIGITS = rf"(?<=[\u4e00-\u9fff（(：:，,、“]){_SPACE}+(?=[0-9０-９])|(?<=[0-9０-９%％]){_SPACE}+(?=[\u4e00-\u9fff%％）)，。；、”])"


@lru_cache(maxsize=512)
def reading_form(text: str) -> str:
    """The text as every rule that reads figures reads it: full-width digits, "." and "%" half-width, and the
    spaces (half- or full-width) and line breaks inside figures or between a figure and its words removed, so
    "受理政府信息公开申请 １７ 件" reads as "受理政府信息公开申请17件". Spaces between words stay; a line break
    stays unless it splits a figure (paragraphs keep their numbers)."""
    if not text:
        return text
    out = text.translate(_NORMALISE) if re.search(_FULL_WIDTH, text) else text
    if not any(ch.isspace() for ch in out):
        return out
    out = re.sub(_BROKEN_FIGURE, "", out)
    out = re.sub(_DIGIT_GAP, "", out)
    return re.sub(_AROUND_DIGITS, "", out)


@dataclass(frozen=True)
class Figure:
    """One quoted figure: its value (multipliers such as 万 applied), unit, place and approximation."""

    value: Decimal
    unit: str
    start: int  # the whole figure, approximation markers and unit included
    end: int
    num_start: int  # where the number itself starts (after 近/约 …)
    approx: str  # "" for an exact figure, else the marker: 余 多 近 约 左右 以上 超过 …
    decimals: int  # digits after the decimal point as written (the precision of a stated rate)
    text: str

    @property
    def exact(self) -> bool:
        return not self.approx

    def fits(self, actual: Decimal | int) -> bool:
        """Whether a true value is possible under this figure: equal for an exact figure; within the range
        the approximation allows otherwise (一千余件: 1000 ≤ n < 2000; 近600个: 500 ≤ n ≤ 600)."""
        a = Decimal(actual)
        if self.exact:
            return a == self.value
        low, high, high_open = approx_range(self)
        if a < low:
            return False
        if high is None:
            return True
        return a < high if high_open else a <= high


def approx_range(fig: Figure) -> tuple[Decimal, Decimal | None, bool]:
    """(low, high, high is exclusive) of an approximate figure; high None means no upper bound."""
    base = fig.value
    step = _step(fig)
    marker = fig.approx
    if marker in ("余", "多"):
        return base, base + step, True
    if marker in ("以上", "超过", "超", "逾", "之多"):
        return base, None, False
    if marker in ("近", "将近", "接近"):
        return base - step, base, False
    # 约, 大约, 左右
    return base - step, base + step, False


def _step(fig: Figure) -> Decimal:
    """The size of the last significant place of the figure as written: 1000 for 一千, 100 for 1200,
    10 for 20, 10^5 for 10万."""
    if fig.decimals:
        return Decimal(1).scaleb(-fig.decimals)
    n = int(fig.value)
    if n == 0:
        return Decimal(1)
    step = 1
    while n % (step * 10) == 0:
        step *= 10
    return Decimal(step)


def cn_number(text: str) -> int | None:
    """A Chinese numeral up to the thousands (一千, 两千三百, 十二, 二〇一九); None when it is not one."""
    if not text:
        return None
    if len(text) > 1 and all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))  # positional: 二〇一九
    total = 0
    digit: int | None = None
    last_unit = 10**6
    for ch in text:
        if ch in _CN_DIGITS:
            if digit and _CN_DIGITS[ch]:
                return None  # 三四 is not a number here (三百零五: the 零 only holds the place)
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    return total + (digit or 0)


@lru_cache(maxsize=512)
def figures(text: str) -> tuple[Figure, ...]:
    """Every figure with a unit in the text, in order."""
    if not text:
        return ()
    norm = (
        text.translate(_NORMALISE) if re.search(_FULL_WIDTH, text) else text
    )  # translate is slow: only if needed
    out: list[Figure] = []
    for m in re.finditer(_FIGURE, norm):
        raw = m.group("num")
        num_start = m.start()
        before = norm[num_start - 1] if num_start else ""
        if raw[0].isdigit():
            if (
                before.isdigit()
                or before == "."
                or (before == "," and norm[num_start - 2 : num_start - 1].isdigit())
            ):
                continue  # the tail of a longer number
            value = Decimal(raw.replace(",", ""))
            decimals = len(raw.partition(".")[2])
        else:
            n = cn_number(raw)
            if n is None or before in _CN_BLOCKED_BEFORE:
                continue
            value = Decimal(n)
            decimals = 0
        if m.group("mult"):
            value *= 10000 if m.group("mult") == "万" else 100000000
        pre = next((w for w in _BEFORE if norm.startswith(w, num_start - len(w))), "") if num_start else ""
        start = num_start - len(pre)
        approx = pre or m.group("post") or m.group("post2") or ""
        out.append(
            Figure(
                value=value,
                unit=m.group("unit"),
                start=start,
                end=m.end(),
                num_start=num_start,
                approx=approx,
                decimals=decimals,
                text=text[start : m.end()],
            )
        )
    return tuple(out)


@lru_cache(maxsize=512)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence: ends at 。！？；, a line break, or the end of the text."""
    spans = []
    start = 0
    for m in re.finditer(_SENTENCE_END, text):
        if m.start() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


@lru_cache(maxsize=512)
def _sentence_starts(text: str) -> tuple[int, ...]:
    return tuple(s for s, _ in sentence_spans(text))


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the sentence holding `pos`."""
    spans = sentence_spans(text)
    i = bisect_right(_sentence_starts(text), pos) - 1
    if i < 0:
        return (0, len(text))
    return spans[i]


@lru_cache(maxsize=512)
def figure_starts(text: str) -> tuple[int, ...]:
    return tuple(f.start for f in figures(text))


def figures_from(text: str, pos: int) -> tuple[Figure, ...]:
    """The figures of the text that start at or after `pos`."""
    return figures(text)[bisect_left(figure_starts(text), pos) :]


@lru_cache(maxsize=512)
def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return tuple(starts)


def line_of(text: str, pos: int) -> int:
    """0-based line (paragraph) index of a position, as `narrative.Paragraph.index`."""
    return bisect_right(_line_starts(text), pos) - 1


@lru_cache(maxsize=512)
def _paragraph_labels(text: str) -> dict[int, str]:
    """line index → how a reader names that paragraph: （三）2. for an item under a heading, （四） for a
    heading, （二）第1段 for a plain paragraph under a heading, 第N段 before any heading."""
    labels: dict[int, str] = {}
    heading = ""
    plain = 0
    for p in paragraphs(text):
        number = p.number.replace("(", "（").replace(")", "）")
        if p.kind == "heading":
            heading = number
            plain = 0
            labels[p.index] = number
        elif p.kind == "item":
            labels[p.index] = f"{heading}{number}"
        else:
            plain += 1
            labels[p.index] = f"{heading}第{plain}段"
    return labels


def paragraph_label(text: str, pos: int) -> str:
    return _paragraph_labels(text).get(line_of(text, pos), "")


def quote(text: str, start: int, end: int, limit: int = 36) -> str:
    """The phrase text[start:end] for a message, shortened in the middle when long."""
    s = text[start:end].replace("\n", " ").strip()
    if len(s) > limit:
        half = limit // 2 - 1
        s = s[:half] + "…" + s[-half:]
    return s


def fmt_decimal(value: Decimal | int, places: int | None = None) -> str:
    """A number for a message: no exponent, trailing zeros kept only when `places` asks for them."""
    d = Decimal(value)
    if places is not None:
        return f"{d:.{places}f}"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s
