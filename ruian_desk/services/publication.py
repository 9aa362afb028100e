"""Publication tracking (issue 12 part 2): each unit's publication date and link per year, typed or taken from a
verified page, against the deadlines of 条例第四十九条 (editable per workspace), with the last 发布回读核验 result.

Qt-free; the GUI's tracker columns and `python main.py publication` both call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ruian_desk.domain.deadlines import (
    DEFAULT_DEADLINES,
    DeadlineError,
    parse_date,
    parse_mmdd,
    timeliness,
)
from ruian_desk.domain.report import ROLES, Unit
from ruian_desk.storage import publications as store
from ruian_desk.storage.repository import Repository

VERIFY_KIND = "verify"  # the imports-log kind verify-published writes


class PublicationError(ValueError):
    """Bad input for the tracker (unknown unit, unreadable date, bad link); Chinese, names the value."""


@dataclass(frozen=True)
class TrackRow:
    unit: Unit
    year: int
    deadline: dt.date
    date: dt.date | None
    link: str
    source: str
    status: str  # 按时发布 / 逾期发布 / 逾期未发布 / 未到期限
    days_late: int
    verification: str  # the last 核验结果 of the year ("" = not verified)
    verified_file: str

    def to_json(self) -> dict[str, object]:
        return {
            "unit": self.unit.name,
            "year": self.year,
            "deadline": self.deadline.isoformat(),
            "date": self.date.isoformat() if self.date else None,
            "link": self.link,
            "source": self.source,
            "status": self.status,
            "days_late": self.days_late,
            "verification": self.verification,
        }


def deadlines(repo: Repository) -> dict[str, str]:
    """role → "MM-DD": the defaults with the workspace's changes."""
    return {**DEFAULT_DEADLINES, **store.deadline_overrides(repo)}


def _role_of(text: str) -> str:
    text = text.strip()
    if text in DEFAULT_DEADLINES:
        return text
    for role, label in ROLES.items():
        if text == label or text == label.replace("（", "(").replace("）", ")"):
            return role
    if text in ("乡镇", "街道"):
        return "township"
    roles = "、".join(ROLES.values())
    raise PublicationError(f"单位类别“{text}”不认识，应为：{roles}")


def set_deadline(repo: Repository, role: str, mmdd: str | None) -> str:
    """Change (or with None reset) the deadline of one unit category; returns the role id."""
    rid = _role_of(role)
    if mmdd is not None:
        try:
            month, day = parse_mmdd(mmdd)
        except DeadlineError as exc:
            raise PublicationError(str(exc)) from None
        mmdd = f"{month:02d}-{day:02d}"
        if mmdd == DEFAULT_DEADLINES.get(rid):
            mmdd = None
    store.set_deadline_override(repo, rid, mmdd)
    return rid


def deadline_of(repo: Repository, unit: Unit, year: int) -> dt.date:
    return store.deadline_of(repo, unit.role, year)


def _unit(repo: Repository, name: str) -> Unit:
    unit = repo.unit_by_name(name.strip())
    if unit is None:
        raise PublicationError(f"工作区中没有单位“{name}”")
    return unit


def check_link(link: str) -> str:
    link = (link or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise PublicationError(f"链接“{link}”应以 http:// 或 https:// 开头")
    if any(c.isspace() for c in link):
        raise PublicationError(f"链接“{link}”中有空格")
    return link


def record_publication(
    repo: Repository, unit_name: str, year: int, date: str | dt.date, link: str = "", source: str = "typed"
) -> TrackRow:
    """Record a unit's publication of `year` (replacing what was recorded). Refused, with nothing changed, for
    an unknown unit, a date that cannot be read or that lies before the year's end, a link that is no web
    address."""
    unit = _unit(repo, unit_name)
    if isinstance(date, str):
        try:
            date = parse_date(date)
        except DeadlineError as exc:
            raise PublicationError(f"“{unit.name}”的发布日期：{exc}") from None
    if date <= dt.date(year, 12, 31):
        raise PublicationError(
            f"“{unit.name}”的发布日期 {date.isoformat()} 早于{year}年统计期限结束（{year}年12月31日），请核对年度"
        )
    if date > dt.date.today() + dt.timedelta(days=1):
        raise PublicationError(f"“{unit.name}”的发布日期 {date.isoformat()} 在今天之后")
    store.set_publication(repo, int(unit.id or 0), year, date.isoformat(), check_link(link), source)
    return track_row(repo, unit, year)


def clear_publication(repo: Repository, unit_name: str, year: int) -> bool:
    unit = _unit(repo, unit_name)
    return store.delete_publication(repo, int(unit.id or 0), year)


def track_row(
    repo: Repository,
    unit: Unit,
    year: int,
    today: dt.date | None = None,
    records: Mapping[int, store.PublicationRecord] | None = None,
    verified: Mapping[int, Mapping[str, object]] | None = None,
) -> TrackRow:
    uid = int(unit.id or 0)
    records = store.publications(repo, year) if records is None else records
    verified = repo.last_imports(year, VERIFY_KIND) if verified is None else verified
    rec = records.get(uid)
    published = dt.date.fromisoformat(rec.date) if rec and rec.date else None
    deadline = deadline_of(repo, unit, year)
    status, late = timeliness(published, deadline, today or dt.date.today())
    v = verified.get(uid) or {}
    return TrackRow(
        unit=unit,
        year=year,
        deadline=deadline,
        date=published,
        link=rec.link if rec else "",
        source=rec.source if rec else "",
        status=status,
        days_late=late,
        verification=str(v.get("result") or ""),
        verified_file=str(v.get("file") or ""),
    )


def tracking(
    repo: Repository, year: int, today: dt.date | None = None, units: Iterable[Unit] | None = None
) -> list[TrackRow]:
    """Every (non-retired) unit's publication state for `year`."""
    records = store.publications(repo, year)
    verified = repo.last_imports(year, VERIFY_KIND)
    chosen = list(units) if units is not None else repo.units(include_retired=False)
    return [track_row(repo, u, year, today, records, verified) for u in chosen]


is_tracked = store.is_tracked
publication_settings = store.publication_settings


def adopt_from_pages(
    repo: Repository, year: int, found: Iterable[tuple[str, str, dt.date | None, str]]
) -> list[str]:
    """Record the date and link read from verified pages, (unit, file, date, link) each; a unit whose page
    gives no date keeps what it has. Returns one line per unit recorded or skipped."""
    lines = []
    for unit_name, file, date, link in found:
        if date is None:
            lines.append(f"{unit_name}：发布稿“{file}”中没有发布日期，未登记")
            continue
        try:
            record_publication(repo, unit_name, year, date, link, source=f"verify:{file}")
        except PublicationError as exc:
            lines.append(f"{unit_name}：未登记（{exc}）")
            continue
        lines.append(f"{unit_name}：已登记发布日期 {date.isoformat()}" + (f"，链接 {link}" if link else ""))
    return lines
