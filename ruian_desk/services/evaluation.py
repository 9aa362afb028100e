"""考核 (issue 12 part 4): the units of a year scored under a rubric and ranked, each deduction with its reason,
from the same checks the 审核意见 uses, the cross-unit copy map, the publication tracker and the last
发布回读核验 of each unit. Qt-free; the 单位 page and `python main.py evaluate` call it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ruian_desk.domain.peers import PART_LABELS, CopyMap, copy_map, report_texts
from ruian_desk.domain.registry import BY_ID
from ruian_desk.domain.report import Report
from ruian_desk.domain.rubric import Facts, Rubric, RubricError, Score, parse_rubric, rank, score_unit
from ruian_desk.domain.rules import Issue
from ruian_desk.paths import resource
from ruian_desk.services.publication import is_tracked, tracking
from ruian_desk.storage import publications as store
from ruian_desk.storage.repository import Repository

if TYPE_CHECKING:
    from ruian_desk.exchange.tracker import UnitStatus

DEFAULT_RUBRIC = "default.json"
_DIFFS = re.compile(r"有差异（(\d+)处数字、(\d+)处文字）")
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def default_rubric_text() -> str:
    return resource("rubrics", DEFAULT_RUBRIC).read_text(encoding="utf-8")


def load_rubric(repo: Repository | None = None, path: str | Path | None = None) -> Rubric:
    """The rubric to score with: a file given, else the workspace's own copy, else the default one."""
    known = tuple(BY_ID)
    if path is not None:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RubricError(p.name, ["文件不是 UTF-8 编码的文字"]) from None
        except OSError as exc:
            raise RubricError(p.name, [f"无法读取（{exc.strerror or exc}）"]) from None
        return parse_rubric(text, p.name, known)
    if repo is not None:
        own = store.rubric_text(repo)
        if own:
            return parse_rubric(own, "工作区中的评分细则", known)
    return parse_rubric(default_rubric_text(), DEFAULT_RUBRIC, known)


def save_rubric(repo: Repository, text: str | None) -> Rubric | None:
    """Store the clerk's own rubric (checked first: a broken one is refused, nothing stored); None resets to
    the default."""
    if text is None:
        store.set_rubric_text(repo, None)
        return None
    rubric = parse_rubric(text, "编辑中的评分细则", tuple(BY_ID))
    store.set_rubric_text(repo, text)
    return rubric


@dataclass
class UnitEvaluation:
    unit: str
    report_id: int | None
    format_id: str
    issues: tuple[Issue, ...]
    facts: Facts
    score: Score

    def to_json(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "rank": self.score.rank,
            "score": float(self.score.score) if self.score.score % 1 else int(self.score.score),
            "note": self.score.note,
            "deductions": [
                {
                    "item": d.item,
                    "name": d.name,
                    "count": d.count,
                    "points": float(d.points),
                    "reason": d.reason,
                    "details": list(d.details),
                }  # fmt: skip
                for d in self.score.deductions
            ],
        }


@dataclass
class Evaluation:
    year: int
    rubric: Rubric
    units: list[UnitEvaluation] = field(default_factory=list)
    copies: CopyMap = field(default_factory=CopyMap)
    notes: list[str] = field(default_factory=list)

    def below(self) -> list[UnitEvaluation]:
        return [
            u for u in self.units if u.report_id is not None and u.score.score < self.rubric.rectify_below
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "rubric": self.rubric.name,
            "total": float(self.rubric.total),
            "rectify_below": float(self.rubric.rectify_below),
            "units": [u.to_json() for u in self.units],
            "copy_map": self.copies.to_json(),
            "notes": list(self.notes),
        }


def _missing(report: Report) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fmt = report.fmt
    parts = tuple(PART_LABELS[k] for k in PART_LABELS if not report.part(k).strip())
    tables = []
    for table in ("t2", "t3", "t4"):
        ids = [cid for cid, c in fmt.cells.items() if c.table == table and not c.derived]
        if ids and all(report.cells.get(cid) is None for cid in ids):
            tables.append(TABLE_NAMES[table])
    return parts, tuple(tables)


def evaluate(
    repo: Repository,
    year: int,
    rubric: Rubric | None = None,
    today: dt.date | None = None,
    statuses: Sequence[UnitStatus] | None = None,
) -> Evaluation:
    """Score and rank every unit of `year` (the main organ, which does the evaluating, is left out).
    `statuses` (the year's, with their checks) reuses checks already run, e.g. by the 单位 page."""
    from ruian_desk.exchange.tracker import unit_statuses

    rubric = rubric or load_rubric(repo)
    result = Evaluation(year, rubric)
    if statuses is None:
        statuses = unit_statuses(repo, year, persist=False)
    statuses = [s for s in statuses if not s.is_main and not s.unit.retired]
    reports: dict[str, Report] = {}
    for s in statuses:
        if s.report_id is not None:
            reports[s.unit.name] = repo.load_report(s.report_id)
    result.copies = copy_map(report_texts(reports.values()))
    tracked = is_tracked(repo, year)
    track = {row.unit.name: row for row in tracking(repo, year, today)}
    if not tracked:
        result.notes.append(f"{year}年尚未登记任何发布情况，“发布期限”一项未评")
    verified = repo.last_imports(year, "verify")
    scores = []
    for s in statuses:
        name = s.unit.name
        report = reports.get(name)
        if report is None:
            score = Score(name, rubric.total * 0, note="未报送年度报告")
            scores.append(score)
            result.units.append(UnitEvaluation(name, None, "", (), Facts(), score))
            continue
        similar = []
        for pair in result.copies.of_unit(name):
            other = pair.b if pair.a == name else pair.a
            similar.append((PART_LABELS[pair.part], other, pair.score))
        deadline = ""
        row = track.get(name)
        if tracked and row is not None and row.status in ("逾期发布", "逾期未发布"):
            when = f"{row.date.isoformat()}发布" if row.date else "未登记发布"
            deadline = f"{row.status}（期限{row.deadline.isoformat()}，{when}，逾期{row.days_late}天）"
        diffs, note = 0, ""
        v = verified.get(int(s.unit.id or 0))
        if v:
            status = str(v.get("result") or "")
            m = _DIFFS.search(status)
            if m:
                diffs = max(1, int(m.group(1)) + int(m.group(2)))
                note = f"发布稿与审定稿{status}（{v.get('file')}）"
            elif status and status != "一致":
                diffs, note = 1, f"发布稿：{status}（{v.get('file')}）"
        parts, tables = _missing(report)
        facts = Facts(
            findings=tuple((i.rule, i.severity, i.message, i.explained) for i in s.issues),
            similar_parts=tuple(similar),
            deadline=deadline,
            published_diffs=diffs,
            published_note=note,
            missing_parts=parts,
            missing_tables=tables,
        )
        score = score_unit(name, facts, rubric)
        scores.append(score)
        result.units.append(
            UnitEvaluation(name, s.report_id, report.format_id, tuple(s.issues), facts, score)
        )
    order = {sc.unit: n for n, sc in enumerate(rank(scores))}
    result.units.sort(key=lambda u: order[u.unit])
    return result
