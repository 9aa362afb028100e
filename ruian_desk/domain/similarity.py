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
