"""单位间雷同 (the copy map): the same part (一、五、六) of two units of one year that share ≥ 60 % of their
three-character pieces, once the prescribed stock sentences and the units' own names are removed — and the rule
N-SIMILAR-PEER that reports those pairs on the report the units roll up into.

Speed: every text is reduced to its set of pieces once (cached by its content); the pieces are indexed (piece →
column, only those two texts share) and the intersections of all pairs come from one sparse-to-dense matrix
product in numpy, so no pair is compared piece by piece; difflib runs only on a pair the user opens.
"""

from __future__ import annotations

import difflib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.narrative import render_placeholders
from ruian_desk.domain.report import Report
from ruian_desk.domain.similarity import SHINGLE, normalised, strip_stock

PEER_PARTS = (
    ("p1", "一、总体情况"),
    ("p5", "五、存在的主要问题及改进情况"),
    ("p6", "六、其他需要报告的事项"),
)
PART_LABELS = dict(PEER_PARTS)
PEER_WARN = 0.6
PEER_MIN_CHARS = 80  # shorter parts ("无。") are alike by nature

_SAMPLE_SUFFIX = re.compile(r"（示例单位）$")


@dataclass(frozen=True)
class PeerPair:
    part: str
    a: str
    b: str
    score: float

    @property
    def percent(self) -> int:
        return percent(self.score)


@dataclass(frozen=True)
class Cluster:
    part: str
    units: tuple[str, ...]
    score: float  # the highest score of a pair in the cluster


@dataclass
class CopyMap:
    pairs: list[PeerPair] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (unit, part) → the text compared

    def of_unit(self, unit: str) -> list[PeerPair]:
        return [p for p in self.pairs if unit in (p.a, p.b)]

    def best(self, unit: str) -> float:
        return max((p.score for p in self.of_unit(unit)), default=0.0)

    def to_json(self) -> dict[str, object]:
        return {
            "pairs": [{"part": p.part, "units": [p.a, p.b], "score": p.percent} for p in self.pairs],
            "clusters": [
                {"part": c.part, "units": list(c.units), "score": percent(c.score)} for c in self.clusters
            ],
        }


def percent(score: float) -> int:
    return int((Decimal(score) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def name_forms(unit: str) -> list[str]:
    """The unit's name as its text may write it: the full name, without the sample mark, without the county."""
    base = _SAMPLE_SUFFIX.sub("", unit)
    forms = {unit, base}
    for prefix in ("瑞安市", "瑞安"):
        if base.startswith(prefix) and len(base) > len(prefix) + 1:
            forms.add(base[len(prefix) :])
    return sorted((f for f in forms if f), key=len, reverse=True)


def compared_text(text: str, unit: str) -> str:
    """What is compared: the text without stock sentences and without the unit's own name."""
    text = strip_stock(text)
    for form in name_forms(unit):
        text = text.replace(form, "")
    return text


# content → its pieces; bounded, so that a session editing many texts does not grow without end.
_PIECES: OrderedDict[str, frozenset[str]] = OrderedDict()
_PIECES_MAX = 4096


def pieces(text: str) -> frozenset[str]:
    got = _PIECES.get(text)
    if got is not None:
        _PIECES.move_to_end(text)
        return got
    s = normalised(text)
    out = (
        frozenset(s[i : i + SHINGLE] for i in range(len(s) - SHINGLE + 1))
        if len(s) >= SHINGLE
        else frozenset()
    )
    _PIECES[text] = out
    if len(_PIECES) > _PIECES_MAX:
        _PIECES.popitem(last=False)
    return out


def similar_pairs(
    sets: Mapping[str, frozenset[str]], threshold: float = PEER_WARN
) -> list[tuple[str, str, float]]:
    """Every pair of keys whose sets have Jaccard ≥ threshold (exact). The intersections of all pairs come
    from one product of the key × piece incidence matrix (numpy, in column blocks of bounded memory); only
    pieces two sets share can count, so the others are left out of the matrix."""
    keys = [k for k in sorted(sets) if sets[k]]
    if len(keys) < 2:
        return []
    import numpy as np

    sizes = np.array([len(sets[k]) for k in keys], dtype=np.int64)
    flat = np.array([p for k in keys for p in sets[k]])
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    owner = np.repeat(np.arange(len(keys)), sizes)
    shared = counts[inverse] > 1  # a piece only one text has cannot be in an intersection
    new_id = np.cumsum(counts > 1) - 1
    cols, owner = new_id[inverse[shared]], owner[shared]
    n, width = len(keys), int((counts > 1).sum())
    inter = np.zeros((n, n), dtype=np.int64)
    block = max(1024, 8_000_000 // n)  # ≤ 32 MB of float32 per block
    for start in range(0, width, block):
        stop = min(width, start + block)
        sel = (cols >= start) & (cols < stop)
        m = np.zeros((n, stop - start), dtype=np.float32)
        m[owner[sel], cols[sel] - start] = 1.0
        inter += np.rint(m @ m.T).astype(np.int64)  # float32 sums of 0/1 are exact far beyond these sizes
    union = sizes[:, None] + sizes[None, :] - inter
    score = inter / np.maximum(union, 1)
    ii, jj = np.nonzero(np.triu(score >= threshold - 1e-12, k=1))
    out = [(keys[i], keys[j], float(score[i, j])) for i, j in zip(ii.tolist(), jj.tolist(), strict=True)]
    return sorted(out, key=lambda t: (-t[2], t[0], t[1]))


def copy_map(
    texts: Mapping[str, Mapping[str, str]], threshold: float = PEER_WARN, min_chars: int = PEER_MIN_CHARS
) -> CopyMap:
    """`texts`: unit → part key → the part's text. Pairs of units sharing a part above `threshold`, and the
    clusters they form (units linked by such pairs, per part)."""
    result = CopyMap()
    for part, _label in PEER_PARTS:
        sets: dict[str, frozenset[str]] = {}
        for unit, parts in texts.items():
            text = compared_text(parts.get(part, "") or "", unit)
            if len(normalised(text)) < min_chars:
                continue
            result.texts[(unit, part)] = text
            sets[unit] = pieces(text)
        found = [PeerPair(part, a, b, score) for a, b, score in similar_pairs(sets, threshold)]
        result.pairs.extend(found)
        result.clusters.extend(_clusters(part, found))
    return result


def _clusters(part: str, pairs: Iterable[PeerPair]) -> list[Cluster]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[str, float] = {}
    plist = list(pairs)
    for p in plist:
        parent[root(p.a)] = root(p.b)
    for p in plist:
        r = root(p.a)
        best[r] = max(best.get(r, 0.0), p.score)
    groups: dict[str, list[str]] = defaultdict(list)
    for unit in parent:
        groups[root(unit)].append(unit)
    return sorted(
        (Cluster(part, tuple(sorted(units)), best[r]) for r, units in groups.items() if len(units) > 1),
        key=lambda c: (-len(c.units), -c.score),
    )


def report_texts(reports: Iterable[Report]) -> dict[str, dict[str, str]]:
    """unit → part → rendered text (placeholders replaced), of reports of one year."""
    return {r.unit: {k: render_placeholders(r.part(k), r) for k, _ in PEER_PARTS} for r in reports}


# The copy map of the last units seen (the main report's checks run on every edit; the units' reports rarely
# change). Unit reports are immutable values the workspace layer reuses while unchanged, so the same objects
# mean the same texts (a cheap test on every edit); other objects are compared by their texts.
_LAST: list[tuple[tuple[Report, ...], tuple[tuple[str, str, str, str], ...], CopyMap]] = []


def cached_copy_map(reports: Iterable[Report]) -> CopyMap:
    current = tuple(reports)
    if _LAST:
        seen, key, result = _LAST[0]
        if len(seen) == len(current) and all(a is b for a, b in zip(seen, current, strict=True)):
            return result
    texts = report_texts(current)
    key = tuple(sorted((u, p.get("p1", ""), p.get("p5", ""), p.get("p6", "")) for u, p in texts.items()))
    if _LAST and _LAST[0][1] == key:
        _LAST[0] = (current, key, _LAST[0][2])
        return _LAST[0][2]
    result = copy_map(texts)
    _LAST[:] = [(current, key, result)]
    return result


def similar_peer(report: Report, context: CheckContext) -> list[Issue]:
    """N-SIMILAR-PEER: on the report the units roll up into, one warning per pair of units whose same part
    is alike (stock sentences and the units' names removed)."""
    if len(context.units) < 2:
        return []
    result = cached_copy_map(context.units)
    issues = []
    for pair in result.pairs:
        pct = pair.percent
        issues.append(
            Issue(
                "N-SIMILAR-PEER",
                "warning",
                f"{PART_LABELS[pair.part]}：“{pair.a}”与“{pair.b}”的相似度为 {pct}%（除去固定语句和单位名称后三字片段重合，"
                f"达到 {percent(PEER_WARN)}% 即提示），疑似互相照搬，请核实",
                part=pair.part,
                expected=percent(PEER_WARN),
                actual=pct,
                anchor=f"{pair.a}|{pair.b}",
            )
        )
    return issues


# ----------------------------------------------------------------------------- side by side


@dataclass(frozen=True)
class Segment:
    op: str  # equal / replace / delete / insert
    a: str
    b: str


_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")


def side_by_side(a: str, b: str) -> list[Segment]:
    """The two texts aligned sentence by sentence: shared sentences (`equal`, digits and punctuation read
    alike), changed ones (`replace`), and those only one of them has."""
    sa = [s.strip() for s in _SENT.findall(a) if s.strip()]
    sb = [s.strip() for s in _SENT.findall(b) if s.strip()]
    na, nb = [normalised(s) for s in sa], [normalised(s) for s in sb]
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(Segment("equal", x, y) for x, y in zip(sa[i1:i2], sb[j1:j2], strict=True))
            continue
        left, right = sa[i1:i2], sb[j1:j2]
        for k in range(max(len(left), len(right))):
            x = left[k] if k < len(left) else ""
            y = right[k] if k < len(right) else ""
            out.append(Segment("replace" if x and y else ("delete" if x else "insert"), x, y))
    return out


def char_marks(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both sentences split into runs, each flagged True where it differs from the other."""
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if a[i1:i2]:
            left.append((a[i1:i2], op != "equal"))
        if b[j1:j2]:
            right.append((b[j1:j2], op != "equal"))
    return left, right
