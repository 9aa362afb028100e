"""考核 rubric as data, and the score of one unit under it (pure: the facts come in, the deductions go out).

A rubric (`resources/rubrics/default.json`, or the clerk's own copy stored in the workspace) is
`{"name", "total", "rectify_below", "items": [...]}`; each item `{"id", "name", "points", "per", "tie", "note"}`
deducts `per` points for each occurrence of what it is tied to, at most `points`:

- `{"kind": "severity", "severity": "error"|"warning"|"info"}` — findings of that severity (warnings with a
  written explanation do not count; rules another item is tied to are not counted twice);
- `{"kind": "rule", "rules": ["X-TEXT-T3", …]}` — findings of those rules;
- `{"kind": "similarity", "min": 0.6}` — parts (一、五、六) sharing ≥ min with another unit's same part;
- `{"kind": "deadline"}` — published late, or not published by the deadline;
- `{"kind": "published"}` — each difference of the published copy from the confirmed report;
- `{"kind": "missing", "what": "part"|"table"}` — parts left empty, tables with no figure at all.

`validate_rubric` checks the shape (the schema below) and names every problem in Chinese with the item.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
TIE_KINDS = {
    "severity": "按审核结果的类别计数",
    "rule": "按审核规则计数",
    "similarity": "与其他单位雷同",
    "deadline": "发布期限",
    "published": "发布稿差异",
    "missing": "缺项",
}
# Rules whose findings other tie kinds count (so that a severity item does not count them again).
COUNTED_ELSEWHERE = {
    "similarity": ("N-SIMILAR-PEER",),
    "deadline": ("W-DEADLINE",),
    "missing": ("N-EMPTY-PART",),
}

# The rubric's JSON schema (draft 2020-12), for reference and for editors that validate; `validate_rubric`
# applies exactly these constraints with messages in Chinese.
SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "total", "items"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "total": {"type": "number", "exclusiveMinimum": 0},
        "rectify_below": {"type": "number", "minimum": 0},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "name", "points", "tie"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "minLength": 1},
                    "points": {"type": "number", "exclusiveMinimum": 0},
                    "per": {"type": "number", "exclusiveMinimum": 0},
                    "note": {"type": "string"},
                    "tie": {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {"kind": {"enum": list(TIE_KINDS)}},
                    },
                },
            },
        },
    },
}


class RubricError(ValueError):
    """A rubric that cannot be used; `problems` names each one (item and field) in Chinese."""

    def __init__(self, source: str, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(f"评分细则“{source}”有误：" + "；".join(self.problems))


@dataclass(frozen=True)
class RubricItem:
    id: str
    name: str
    points: Decimal
    per: Decimal
    kind: str
    tie: Mapping[str, object]
    note: str = ""

    @property
    def rules(self) -> tuple[str, ...]:
        rules = self.tie.get("rules", ())
        return tuple(str(r) for r in rules) if isinstance(rules, list) else ()


@dataclass(frozen=True)
class Rubric:
    name: str
    total: Decimal
    rectify_below: Decimal
    items: tuple[RubricItem, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "total": num(self.total),
            "rectify_below": num(self.rectify_below),
            "items": [
                {
                    "id": i.id,
                    "name": i.name,
                    "points": num(i.points),
                    "per": num(i.per),
                    "tie": dict(i.tie),
                    **({"note": i.note} if i.note else {}),
                }
                for i in self.items
            ],
        }


def num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    d = Decimal(str(value))
    return d if d.is_finite() else None


def parse_rubric(text: str, source: str, known_rules: Sequence[str] = ()) -> Rubric:
    """The rubric in `text` (JSON), checked; RubricError names every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RubricError(
            source, [f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"]
        ) from None
    return validate_rubric(data, source, known_rules)


def validate_rubric(data: object, source: str, known_rules: Sequence[str] = ()) -> Rubric:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RubricError(source, ["最外层应为对象（{…}）"])
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("缺少“name”（细则名称）")
    total = _number(data.get("total"))
    if total is None or total <= 0:
        problems.append("“total”（满分）应为正数")
    rectify = _number(data.get("rectify_below", 0))
    if rectify is None or rectify < 0 or (total is not None and rectify > total):
        problems.append("“rectify_below”（低于此分发整改通知）应为 0 到满分之间的数")
    raw_items = data.get("items")
    items: list[RubricItem] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("“items”（评分项目）应为非空列表")
        raw_items = []
    seen: set[str] = set()
    known = set(known_rules)
    for n, raw in enumerate(raw_items, start=1):
        where = f"第 {n} 项"
        if not isinstance(raw, dict):
            problems.append(f"{where}应为对象（{{…}}）")
            continue
        iid = raw.get("id")
        if isinstance(iid, str) and iid.strip():
            where = f"第 {n} 项（{iid}）"
            if iid in seen:
                problems.append(f"{where}：编号“{iid}”重复")
            seen.add(iid)
        else:
            problems.append(f"{where}：缺少“id”（编号）")
        iname = raw.get("name")
        if not isinstance(iname, str) or not iname.strip():
            problems.append(f"{where}：缺少“name”（项目名称）")
        points = _number(raw.get("points"))
        if points is None or points <= 0:
            problems.append(
                f"{where}：“points”（最多扣分）应为正数，现为 {json.dumps(raw.get('points'), ensure_ascii=False)}"
            )
        per = _number(raw.get("per", raw.get("points")))
        if per is None or per <= 0:
            problems.append(
                f"{where}：“per”（每处扣分）应为正数，现为 {json.dumps(raw.get('per'), ensure_ascii=False)}"
            )
        note = raw.get("note", "")
        if not isinstance(note, str):
            problems.append(f"{where}：“note”（说明）应为文字")
            note = ""
        tie = raw.get("tie")
        kind = tie.get("kind") if isinstance(tie, dict) else None
        if not isinstance(tie, dict):
            problems.append(f"{where}：缺少“tie”（计分依据）")
        elif kind not in TIE_KINDS:
            kinds = "、".join(TIE_KINDS)
            problems.append(f"{where}：计分依据“{kind}”不认识，应为 {kinds} 之一")
        else:
            problems.extend(f"{where}：{p}" for p in _tie_problems(tie, known))
        if not problems or all(not p.startswith(where) for p in problems):
            assert isinstance(tie, dict) and points is not None and per is not None
            items.append(RubricItem(str(iid), str(iname), points, per, str(kind), dict(tie), note))
    if problems:
        raise RubricError(source, problems)
    assert total is not None and rectify is not None and isinstance(name, str)
    return Rubric(name.strip(), total, rectify, tuple(items))


def _tie_problems(tie: Mapping[str, object], known: set[str]) -> list[str]:
    kind = tie["kind"]
    if kind == "severity" and tie.get("severity") not in SEVERITY_NAMES:
        return [f"“severity”应为 {'、'.join(SEVERITY_NAMES)} 之一"]
    if kind == "rule":
        rules = tie.get("rules")
        if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
            return ['“rules”应为规则编号的列表，如 ["X-TEXT-T3"]']
        unknown = [r for r in rules if known and r not in known]
        if unknown:
            return [f"规则 {'、'.join(unknown)} 不存在"]
    if kind == "similarity":
        m = _number(tie.get("min"))
        if m is None or not (0 < m <= 1):
            return ["“min”（相似度下限）应为 0 到 1 之间的数，如 0.6"]
    if kind == "missing" and tie.get("what") not in ("part", "table"):
        return ["“what”应为 part（正文部分）或 table（表格）"]
    return []


# ------------------------------------------------------------------------------------------ scoring


@dataclass(frozen=True)
class Facts:
    """What is known of one unit's report of the year, as the rubric needs it."""

    findings: tuple[tuple[str, str, str, bool], ...] = ()  # (rule, severity, message, explained)
    similar_parts: tuple[tuple[str, str, float], ...] = ()  # (part name, other unit, score)
    deadline: str = ""  # "" on time / not judged, else the reason (逾期 N 天 …)
    published_diffs: int = 0
    published_note: str = ""
    missing_parts: tuple[str, ...] = ()
    missing_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deduction:
    item: str
    name: str
    count: int
    points: Decimal
    reason: str
    details: tuple[str, ...] = ()


@dataclass
class Score:
    unit: str
    score: Decimal
    deductions: list[Deduction] = field(default_factory=list)
    rank: int = 0
    note: str = ""


def _occurrences(item: RubricItem, facts: Facts, rubric: Rubric) -> list[str]:
    tie = item.tie
    if item.kind == "severity":
        skip = {r for other in rubric.items if other.kind == "rule" for r in other.rules}
        for other in rubric.items:
            skip.update(COUNTED_ELSEWHERE.get(other.kind, ()))
        return [
            f"{rule}：{msg}"
            for rule, sev, msg, explained in facts.findings
            if sev == tie.get("severity") and not explained and rule not in skip
        ]
    if item.kind == "rule":
        wanted = set(item.rules)
        return [
            f"{rule}：{msg}"
            for rule, _sev, msg, explained in facts.findings
            if rule in wanted and not explained
        ]
    if item.kind == "similarity":
        floor = float(_number(tie.get("min")) or 0)
        best: dict[str, tuple[str, float]] = {}
        for part, peer, score in facts.similar_parts:
            if score >= floor and score > best.get(part, ("", -1.0))[1]:
                best[part] = (peer, score)
        return [f"{part}与“{peer}”相似度 {round(score * 100)}%" for part, (peer, score) in best.items()]
    if item.kind == "deadline":
        return [facts.deadline] if facts.deadline else []
    if item.kind == "published":
        return [facts.published_note] * facts.published_diffs
    if item.kind == "missing":
        names = facts.missing_parts if tie.get("what") == "part" else facts.missing_tables
        return [f"{n}缺失" for n in names]
    return []


def score_unit(unit: str, facts: Facts, rubric: Rubric) -> Score:
    result = Score(unit, rubric.total)
    for item in rubric.items:
        found = _occurrences(item, facts, rubric)
        if not found:
            continue
        points = min(item.points, item.per * len(found))
        capped = "（已达该项最多扣分）" if item.per * len(found) > item.points else ""
        details = tuple(dict.fromkeys(found))
        reason = f"{item.name}{len(found)}处，每处扣{num(item.per)}分，扣{num(points)}分{capped}"
        result.deductions.append(Deduction(item.id, item.name, len(found), points, reason, details))
        result.score -= points
    result.score = max(result.score, Decimal(0))
    return result


def rank(scores: list[Score]) -> list[Score]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); names break ties in the order only."""
    ordered = sorted(scores, key=lambda s: (-s.score, s.unit))
    previous: Decimal | None = None
    for n, s in enumerate(ordered, start=1):
        if previous is None or s.score != previous:
            s.rank = n
        else:
            s.rank = ordered[n - 2].rank
        previous = s.score
    return ordered
