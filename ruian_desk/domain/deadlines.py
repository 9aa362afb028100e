"""发布期限: when a unit's annual report must be public (条例第四十九条), and the rule W-DEADLINE.

部门、乡镇（街道）、功能区 publish their reports of year Y by 1月31日 of Y+1; the county government's own report by
3月31日 (it is compiled from the units'). A workspace may change these dates (`deadline.<role>` in its meta,
"MM-DD"); the rule reads the date that applies to the report, the recorded publication date and the date it
judges against from the check settings, which the workspace layer fills (see `publication_settings`). Pure: no
I/O, no clock other than an explicit "today".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import Report

DEFAULT_DEADLINES: dict[str, str] = {
    "county_government": "03-31",
    "office": "01-31",
    "department": "01-31",
    "township": "01-31",
    "function_zone": "01-31",
}
BASIS = "《中华人民共和国政府信息公开条例》第四十九条"

# Check-setting keys (filled by the workspace layer for each report).
KEY_DATE, KEY_LINK, KEY_DEADLINE, KEY_TODAY, KEY_TRACKED = (
    "publication.date",
    "publication.link",
    "publication.deadline",
    "check.today",
    "publication.tracked",
)

_MMDD = re.compile(r"^(\d{1,2})-(\d{1,2})$")


class DeadlineError(ValueError):
    """A deadline or date that cannot be read; the message is Chinese and names the value."""


def parse_mmdd(text: str) -> tuple[int, int]:
    """ "01-31" / "1-31" / "1月31日" → (1, 31); refuses a day that no year has."""
    s = text.strip().replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    m = _MMDD.match(s)
    if not m:
        raise DeadlineError(f"期限“{text}”无法识别，应写成“01-31”或“1月31日”")
    month, day = int(m.group(1)), int(m.group(2))
    try:
        dt.date(2000, month, day)  # a leap year: 02-29 is allowed
    except ValueError:
        raise DeadlineError(f"期限“{text}”不是有效的月日") from None
    return month, day


def deadline_date(year: int, mmdd: str) -> dt.date:
    """The deadline for the report of `year` (a date in year + 1); 02-29 falls back to 02-28."""
    month, day = parse_mmdd(mmdd)
    try:
        return dt.date(year + 1, month, day)
    except ValueError:
        return dt.date(year + 1, month, 28)


def deadline_for(role: str, year: int, overrides: Mapping[str, str] | None = None) -> dt.date:
    mmdd = (overrides or {}).get(role) or DEFAULT_DEADLINES.get(role, DEFAULT_DEADLINES["department"])
    return deadline_date(year, mmdd)


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> dt.date:
    """ "2020-01-20", "2020/1/20", "2020年1月20日" → date; anything else is refused, named."""
    m = _DATE.match(text or "")
    if not m:
        raise DeadlineError(f"日期“{text}”无法识别，应写成“2020-01-20”或“2020年1月20日”")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise DeadlineError(f"日期“{text}”不存在") from None


def timeliness(published: dt.date | None, deadline: dt.date, today: dt.date) -> tuple[str, int]:
    """(status, days late): 按时发布 / 逾期发布 / 逾期未发布 / 未到期限."""
    if published is not None:
        late = (published - deadline).days
        return ("逾期发布", late) if late > 0 else ("按时发布", 0)
    late = (today - deadline).days
    return ("逾期未发布", late) if late > 0 else ("未到期限", 0)


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def w_deadline(report: Report, context: CheckContext) -> list[Issue]:
    """W-DEADLINE: the report was published after its deadline, or its deadline has passed with no
    publication recorded. Runs for years the workspace tracks (a publication of the year recorded, or a
    deadline set), so that a workspace that does not use the tracker is not warned about every old year."""
    s = context.settings
    if not s.get(KEY_TRACKED) and not s.get(KEY_DATE):
        return []
    try:
        deadline = (
            parse_date(s[KEY_DEADLINE])
            if s.get(KEY_DEADLINE)
            else deadline_for(report.unit_role, report.year)
        )
        published = parse_date(s[KEY_DATE]) if s.get(KEY_DATE) else None
        today = parse_date(s[KEY_TODAY]) if s.get(KEY_TODAY) else dt.date.today()
    except DeadlineError as exc:
        return [Issue("W-DEADLINE", "warning", f"发布登记有误：{exc}", part="publication")]
    status, late = timeliness(published, deadline, today)
    if status == "逾期发布":
        assert published is not None
        msg = f"{report.year}年报告于{_cn(published)}发布，晚于发布期限{_cn(deadline)} {late} 天（{BASIS}）"
    elif status == "逾期未发布":
        msg = f"{report.year}年报告的发布期限{_cn(deadline)}已过 {late} 天，尚未登记发布日期（{BASIS}）"
    else:
        return []
    return [
        Issue(
            "W-DEADLINE",
            "warning",
            msg,
            part="publication",
            expected=deadline.isoformat(),
            actual=published.isoformat() if published else None,
        )
    ]
