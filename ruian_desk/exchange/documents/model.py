"""The reader-neutral form of a document, and the text clean-up every reader shares."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a .docx whose parts unpack to more than this is refused (zip bomb)
MAX_TEXT_CHARS = 2_000_000


class DocumentError(Exception):
    """A file that cannot be read as a report; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Para:
    text: str
    where: str  # "第3段", "第2页", "第120行"


@dataclass(frozen=True)
class Grid:
    """A table as a rectangular grid: a merged cell's text fills every position it covers; None = no cell."""

    rows: tuple[tuple[str | None, ...], ...]
    where: tuple[str, ...]  # one per row: "表格2第5行", "第4页表格第3行"
    spans: frozenset[tuple[int, int]] = frozenset()  # positions covered by a merge but not its origin


Block = Para | Grid


@dataclass
class Document:
    path: str
    kind: str  # docx | html | pdf | txt
    blocks: list[Block] = field(default_factory=list)
    title_hint: str = ""  # <title>, docx core title …
    problems: list[str] = field(default_factory=list)
    converted_traditional: bool = False


# ------------------------------------------------------------------------------------------ clean-up

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！“”‘’（）《》【】—…·"
# Justified Chinese in PDFs and Word→HTML comes out as "本 年 报 的 电 子 版": spaces between two CJK characters
# (or a CJK character and its punctuation) carry nothing.
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# An inline reading after a character: 年(nián) 報（bào）— lower-case letters with at least one tone mark, or a
# short toneless syllable run; English words in brackets (APP) are upper-case and stay.
_PINYIN_GLOSS = re.compile(
    rf"(?<=[{_CJK}])\s?[(（]\s*(?=[a-z{_TONE}' ]*[{_TONE}])[a-z{_TONE}' ]{{1,24}}\s*[)）]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Control characters, zero-width marks and lone surrogates out; NBSP and ideographic spaces as spaces;
    runs of spaces as one; spaces between CJK characters removed. Punctuation is kept as printed."""
    text = _SURROGATE.sub("", _CONTROL.sub("", text))
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\r", "")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()


def drop_pinyin(text: str) -> tuple[str, int]:
    out, n = _PINYIN_GLOSS.subn("", text)
    return out, n


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, int]:
    """Traditional → simplified at phrase level (OpenCC); returns the text and how many characters changed.
    Only texts that are evidently traditional are converted (a simplified text is left exactly as printed)."""
    sample = text[:20000]
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    if changed < 5 and changed < len(sample) * 0.002:
        return text, 0
    full = _t2s().convert(text) if len(text) > len(sample) else converted
    return full, sum(1 for a, b in zip(text, full, strict=False) if a != b)


def nfkc_digits(text: str) -> str:
    """Full-width digits and Latin letters as half-width (labels and numbers only; narrative keeps its form)."""
    return unicodedata.normalize("NFKC", text)


_URL = re.compile(r"(https?://|www\.)[A-Za-z0-9./?=&_%#:-]+", re.I)
_MOJIBAKE = re.compile(r"锟斤拷|烫烫烫|屯屯屯|\ufffd|Ã[\x80-\xbf]|â€")


def text_problems(label: str, text: str, allowed_hosts: tuple[str, ...] = ("gov.cn",)) -> list[str]:
    """Spam addresses and mojibake in a part's text: kept as found, named."""
    problems: list[str] = []
    urls = [m.group(0) for m in _URL.finditer(text)]
    foreign = [u for u in urls if not any(h in u.lower() for h in allowed_hosts)]
    if foreign:
        problems.append(f"{label}含有网址“{foreign[0]}”，可能是转载网站加入的内容，已按原文保留，请核对")
    if _MOJIBAKE.search(text):
        problems.append(f"{label}含有乱码字符，已按原文保留，请核对原件")
    return problems
