"""内容雷同: how much of a text repeats another one, by overlapping three-character pieces.

Punctuation and spaces are ignored and every digit reads as 0, so a copy whose years and figures were
updated still counts as a copy (that is exactly the 雷同 that 30号文 names).
"""

from __future__ import annotations

import re
from functools import lru_cache

SHINGLE = 3
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=256)
def normalised(text: str) -> str:
    return _DIGIT.sub("0", "".join(_KEEP.findall(text)))


@lru_cache(maxsize=256)
def shingles(text: str, k: int = SHINGLE) -> frozenset[str]:
    s = normalised(text)
    if len(s) < k:
        return frozenset((s,)) if s else frozenset()
    return frozenset(s[i : i + k] for i in range(len(s) - k + 1))


def similarity(a: str, b: str, k: int = SHINGLE) -> float:
    """Jaccard resemblance of the two texts' k-character pieces, 0.0 (nothing shared) … 1.0 (same)."""
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa or not sb:
        return 0.0
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter)


def content_length(text: str) -> int:
    """Characters that count for the comparison (no punctuation, no spaces)."""
    return len(normalised(text))


# Sentences every report writes the same way because the format or its notice prescribes them (the basis,
# the list of parts, the statistical period, where to download the report and whom to ask, "no other matters"):
# they are the same every year by nature and say nothing of the year's work.
_STOCK = re.compile(
    r"根据《中华人民共和国政府信息公开条例》|依据《中华人民共和国政府信息公开条例》|编制(?:而成|本报告)|"
    r"[一二三四五六七八九十]部分|统计期限|统计时限|统计期间|电子版|下载|如对本(?:年)?报告?有任何疑问|联系电话|"
    r"电话[:：]|地址[:：]|邮编[:：]|邮政编码|电子邮箱|传真|联系方式|"
    r"(?:本机关|本单位|本年度)?(?:无|没有)其他需要报告的事项|无其他报告事项"
)
_SENTENCES = re.compile(r"[^。！？；\n]+[。！？；]?")


def strip_stock(text: str) -> str:
    """The text without its stock sentences (`_STOCK`): what is left is what the unit wrote about its year."""
    if not text:
        return text
    return "".join(s for s in _SENTENCES.findall(text) if not _STOCK.search(s))
