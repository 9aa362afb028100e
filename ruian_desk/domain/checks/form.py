"""Completeness and form of the text: empty parts, template marks, dates, 统计期限, punctuation, 编制依据,
title and 落款.
"""

from __future__ import annotations

import datetime as dt
import re

from ruian_desk.domain.checks.common import (
    part_name,
    place_of,
    quote_span,
    text_of,
    texts_of,
)
from ruian_desk.domain.formats import notices
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.narrative import PLACEHOLDER
from ruian_desk.domain.report import Report
from ruian_desk.domain.text_edits import FULL_FORM, half_width_marks
from ruian_desk.domain.textfigures import (
    line_of,
    sentence_at,
)

FORM_KEYS = ("title", "intro", "p1", "p5", "p6")
# Roles whose report is published as a whole (narrative included) rather than only feeding the roll-up.
PUBLISHING_ROLES = ("county_government", "office")

# ------------------------------------------------------------------------------ completeness and form


def empty_part(report: Report, context: CheckContext) -> list[Issue]:
    """Parts 一、五、六 are written (六 may say "无。"). A unit's return that holds only numbers (every part
    empty) is a source for the roll-up: a hint, not an error."""
    fmt = report.fmt
    keys = [p.key for p in fmt.parts if p.kind == "text"]
    empty = [k for k in keys if not text_of(report, k).strip()]
    if not empty:
        return []
    publishing = report.unit_role in PUBLISHING_ROLES or bool(context.units)
    if len(empty) == len(keys) and not publishing:
        return [
            Issue(
                "N-EMPTY-PART",
                "info",
                "正文（一、五、六）均未填写：作为汇总来源可以；如本单位要发布年报，须补写正文",
                part=empty[0],
            )
        ]
    return [
        Issue(
            "N-EMPTY-PART",
            "error",
            f"{part_name(fmt, k)}：未填写（没有内容时也应写明，如“无。”）",
            part=k,
        )
        for k in empty
    ]


# (a literal that must be present, the pattern): the literal test is cheap, most texts have none of them.
_TEMPLATE_MARKS = (
    ("文字描述", re.compile(r"[（(]\s*文字描述[^）)\n]*[）)]|文字描述")),
    ("**", re.compile(r"\*{2,}")),
    ("＊＊", re.compile(r"＊{2,}")),
    ("XX", re.compile(r"(?<![A-Za-z])X{2,}(?![A-Za-z])")),
    ("xx", re.compile(r"(?<![A-Za-z])x{2,}(?![A-Za-z])")),
    ("××", re.compile(r"×{2,}")),
    ("ＸＸ", re.compile(r"Ｘ{2,}")),
    ("ｘｘ", re.compile(r"ｘ{2,}")),
    ("___", re.compile(r"_{3,}")),
    ("＿＿", re.compile(r"＿{2,}")),
    ("□", re.compile(r"□+")),
    ("填写", re.compile(r"请填写|此处填写")),
    ("在此处报告", re.compile(r"在此处报告")),
)
_UNFILLED = re.compile(PLACEHOLDER.pattern.replace(r"[A-Za-z0-9_.]+", r"[^{}]*"))
# A placeholder with a brace lost ("{{t3.new.tota}", "{{" left by a cancelled insert): "{{" with no "}}"
# closing it on its line, or a key closed by "}}" that lost its "{{".
_BROKEN = re.compile(
    r"\{\{(?![^{}\n]*\}\})[^{}\n]{0,40}\}?|(?<![{\w.])\{?[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_.]+\}\}"
)


def placeholders(report: Report, context: CheckContext) -> list[Issue]:
    """Template marks left in the text: （文字描述）, **, XX, ____, unknown {{…}} placeholders."""
    fmt = report.fmt
    issues = []
    parts = list(texts_of(report, FORM_KEYS))
    if report.signature.organ:
        parts.append(("signature", report.signature.organ))
    for key, text in parts:
        hits = [
            (m.start(), m.group()) for lit, rx in _TEMPLATE_MARKS if lit in text for m in rx.finditer(text)
        ]
        if "{{" in text:
            hits += [(m.start(), m.group()) for m in _UNFILLED.finditer(text)]
        if "{" in text or "}}" in text:
            hits += [(m.start(), m.group().strip()) for m in _BROKEN.finditer(text)]
        if not hits:
            continue
        hits.sort()
        shown = "、".join(f"“{h}”" for h in dict.fromkeys(h for _, h in hits[:5]))
        first = hits[0][0]
        where = "落款" if key == "signature" else place_of(fmt, key, text, first)
        issues.append(
            Issue(
                "N-PLACEHOLDER",
                "error",
                f"{where}：留有未填写的模板占位符 {shown}（共 {len(hits)} 处）",
                part=key,
                expected=0,
                actual=len(hits),
                paragraph=None if key == "signature" else line_of(text, first),
            )
        )
    return issues


_YEAR_OPENING = re.compile(r"(\d{4})年度?[，,、]")
_NUMBERING = re.compile(r"\s*(?:[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.、．])?\s*")


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether `pos` starts a paragraph or a sentence (after an optional （一）/1. number)."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    if _NUMBERING.fullmatch(before):
        return True
    before = before.rstrip()
    return before[-1:] in ("。", "！", "？", "；")


_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


# Statutory publication deadline (条例第四十九条): 部门 by 1月31日, the county government's report by 3月31日.
def _days_in_month(year: int, month: int) -> int:
    """`calendar.monthrange(year, month)[1]` (Gregorian, any year), without importing calendar and locale."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


_DEADLINES = {"county_government": (3, 31), "office": (1, 31), "department": (1, 31)}


def dates(report: Report, context: CheckContext) -> list[Issue]:
    """Dates that do not belong to the report year: a 落款 before the year ended or after the deadline, a
    paragraph that opens with another year (text copied from an earlier report), impossible dates, and
    dated events in 一、总体情况 outside the report year."""
    fmt = report.fmt
    y = report.year
    issues: list[Issue] = []
    d = report.signature.date
    if d is not None:
        deadline = _DEADLINES.get(report.unit_role)
        if d <= dt.date(y, 12, 31):
            issues.append(
                Issue(
                    "N-DATE",
                    "error",
                    f"落款日期 {report.signature.date_text} 早于统计期结束（{y}年12月31日）",
                    part="signature",
                    expected=f"{y + 1}",
                    actual=d.isoformat(),
                )
            )
        elif d.year > y + 1:
            issues.append(
                Issue(
                    "N-DATE",
                    "warning",
                    f"落款日期 {report.signature.date_text} 不在报告年度的次年（{y + 1}年）",
                    part="signature",
                    expected=f"{y + 1}",
                    actual=d.isoformat(),
                )
            )
        elif deadline is not None and d > dt.date(y + 1, *deadline):
            issues.append(
                Issue(
                    "N-DATE",
                    "warning",
                    f"落款日期 {report.signature.date_text} 晚于《政府信息公开条例》第四十九条的公布期限"
                    f"（{y + 1}年{deadline[0]}月{deadline[1]}日）",
                    part="signature",
                    expected=dt.date(y + 1, *deadline).isoformat(),
                    actual=d.isoformat(),
                )
            )
    for key, text in texts_of(report):
        # A paragraph or sentence that opens with a year speaks of that year's work: in 一 and the
        # introduction only the report year fits; 五、六 may also speak of the next year's plans.
        allowed = {y} if key in ("intro", "p1") else {y, y + 1}
        for m in _YEAR_OPENING.finditer(text):
            year = int(m.group(1))
            if year in allowed or not _opens_sentence(text, m.start()):
                continue
            pos = m.start(1)
            s_start, s_end = sentence_at(text, pos)
            phrase = quote_span(text, pos, min(s_end, pos + 24))
            issues.append(
                Issue(
                    "N-DATE",
                    "warning",
                    f"{place_of(fmt, key, text, pos)}“{phrase}”：以{year}年开头，本报告是{y}年度报告（是否沿用了往年文字？）",
                    part=key,
                    expected=y,
                    actual=year,
                    anchor=phrase,
                    paragraph=line_of(text, pos),
                )
            )
        for m in _FULL_DATE.finditer(text):
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.group(3) else None
            pos = m.start()
            phrase = m.group()
            bad_day = day is not None and 1 <= month <= 12 and not (1 <= day <= _days_in_month(year, month))
            if not 1 <= month <= 12 or bad_day:
                issues.append(
                    Issue(
                        "N-DATE",
                        "warning",
                        f"{place_of(fmt, key, text, pos)}“{phrase}”：不是有效日期",
                        part=key,
                        actual=phrase,
                        anchor=phrase,
                        paragraph=line_of(text, pos),
                    )
                )
            elif (
                (key == "p1" and year != y) or (key == "intro" and year not in (y, y + 1))
            ) and not _in_period_sentence(text, pos):  # the introduction may date the publication
                issues.append(
                    Issue(
                        "N-DATE",
                        "warning",
                        f"{place_of(fmt, key, text, pos)}“{phrase}”：日期不在报告年度（{y}年）内",
                        part=key,
                        expected=y,
                        actual=year,
                        anchor=phrase,
                        paragraph=line_of(text, pos),
                    )
                )
    return issues


_PERIOD_WORD = re.compile(r"统计(?:期限|时限|期间|区间|时段|周期|时间|截止时间)|数据统计期")


def _in_period_sentence(text: str, pos: int) -> bool:
    s, e = sentence_at(text, pos)
    return bool(_PERIOD_WORD.search(text, s, e))


_BLANK_DATE = re.compile(r"(?:自|从)\s*年|年\s+月|月\s+日|至\s*止|年\s*月\s*日")
_YEAR_ONLY = re.compile(r"(\d{4})\s*年")


def period(report: Report, context: CheckContext) -> list[Issue]:
    """The sentence giving the statistical period names 1月1日 to 12月31日 of the report year, complete."""
    fmt = report.fmt
    y = report.year
    issues = []
    for key, text in texts_of(report):
        for m in _PERIOD_WORD.finditer(text):
            s_start, s_end = sentence_at(text, m.start())
            sentence = text[s_start:s_end]
            phrase = quote_span(text, m.start(), s_end)
            where = place_of(fmt, key, text, m.start())
            dates_found = [
                (int(a), int(b), int(c))
                for a, b, c in _FULL_DATE.findall(sentence)
                if c  # 年月日 complete
            ]
            expected = f"{y}年1月1日至{y}年12月31日"
            problem = None
            actual: object = None
            if len(dates_found) >= 2:
                first, last = dates_found[0], dates_found[-1]
                if first != (y, 1, 1) or last != (y, 12, 31):
                    actual = f"{first[0]}年{first[1]}月{first[2]}日至{last[0]}年{last[1]}月{last[2]}日"
                    problem = f"统计期限为 {actual}，本报告应为 {expected}"
            else:
                years = [int(v) for v in _YEAR_ONLY.findall(sentence)]
                if _BLANK_DATE.search(sentence) or not years:
                    problem = f"统计期限不完整，应为 {expected}"
                    actual = "不完整"
                elif any(v != y for v in years):
                    actual = "、".join(f"{v}年" for v in years)
                    problem = f"统计期限写的是 {actual}，本报告应为 {expected}"
            if problem:
                issues.append(
                    Issue(
                        "N-PERIOD",
                        "error",
                        f"{where}“{phrase}”：{problem}",
                        part=key,
                        expected=expected,
                        actual=actual,
                        anchor=phrase,
                        paragraph=line_of(text, m.start()),
                    )
                )
    return issues


# The half-width marks and their full forms are those 一键改为全角标点 changes (domain/text_edits.py).
_half_width_hits = half_width_marks
_FULL_FORM = FULL_FORM


def punct(report: Report, context: CheckContext) -> list[Issue]:
    """Half-width , : ; ( ) next to Chinese characters: one finding per part, with counts and examples."""
    fmt = report.fmt
    issues = []
    for key, text in texts_of(report, FORM_KEYS):
        hits = _half_width_hits(text)
        if not hits:
            continue
        by_mark: dict[str, int] = {}
        for h in hits:
            by_mark[h[1]] = by_mark.get(h[1], 0) + 1
        counts_text = "、".join(f"“{k}” {v} 处" for k, v in sorted(by_mark.items(), key=lambda kv: -kv[1]))
        examples: list[str] = []
        last_end = -1
        for h in hits:
            if len(examples) == 3:
                break
            pos = h[0]
            line_start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos + 1)
            line_end = len(text) if line_end < 0 else line_end
            start = max(line_start, pos - 6)
            if start < last_end:
                continue  # examples that do not overlap
            last_end = min(line_end, pos + 7)
            examples.append(f"“{text[start:last_end]}”")
        fixes = "".join(_FULL_FORM[k] for k in sorted(by_mark, key=lambda k: -by_mark[k]))
        issues.append(
            Issue(
                "N-PUNCT",
                "warning",
                f"{part_name(fmt, key)}：中文之间用了半角标点共 {len(hits)} 处（{counts_text}），"
                f"应为全角（{fixes}），如 {'、'.join(examples)}",
                part=key,
                expected=0,
                actual=len(hits),
                paragraph=line_of(text, hits[0][0]),
            )
        )
    return issues


_NOTICE_NO = re.compile(r"国办公开办函\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d+)\s*号")
_TITLE_IN_NOTICE = re.compile(r"《([^》]+)》")
_BRACKETS = str.maketrans("", "", '〈〉《》<>()（）"“” ')


def _notice_numbers() -> dict[tuple[int, int], str]:
    out = {}
    for fid, notice in notices().items():
        m = _NOTICE_NO.search(notice.notice_no)
        if m:
            out[(int(m.group(1)), int(m.group(2)))] = fid
    return out


def _notice_titles(fid: str) -> list[str]:
    return [t.translate(_BRACKETS) for t in _TITLE_IN_NOTICE.findall(notices()[fid].notice)]


def basis(report: Report, context: CheckContext) -> list[Issue]:
    """The basis sentence cites the notice of the report's own format (60号 for 2019–2020, 30号 from 2021),
    by number and by title."""
    fmt = report.fmt
    numbers = _notice_numbers()
    issues = []
    others = [fid for fid in notices() if fid != fmt.id]
    own_titles = set(_notice_titles(fmt.id))
    for key, text in texts_of(report):
        for m in _NOTICE_NO.finditer(text):
            fid = numbers.get((int(m.group(1)), int(m.group(2))))
            if fid is None or fid == fmt.id:
                continue
            issues.append(
                Issue(
                    "N-BASIS",
                    "warning",
                    f"{place_of(fmt, key, text, m.start())}“{m.group()}”：{report.year}年度报告适用的是"
                    f"{fmt.notice_no}，文中引用的是{notices()[fid].notice_no}",
                    part=key,
                    expected=fmt.notice_no,
                    actual=m.group(),
                    anchor=m.group(),
                    paragraph=line_of(text, m.start()),
                )
            )
        if "年度报告" not in text:
            continue
        flat = text.translate(_BRACKETS)
        for fid in others:
            for title in _notice_titles(fid):
                if title in own_titles or title not in flat:
                    continue
                pos = text.find(title[:8]) if title[:8] in text else 0
                issues.append(
                    Issue(
                        "N-BASIS",
                        "warning",
                        f"{place_of(fmt, key, text, pos)}：文中引用的《{title}》属于{notices()[fid].notice_no}，"
                        f"{report.year}年度报告适用{fmt.notice_no}",
                        part=key,
                        expected=fmt.notice_no,
                        actual=title,
                        anchor=title,
                        paragraph=line_of(text, pos),
                    )
                )
    return issues


_TITLE_YEAR = re.compile(r"(\d{4})\s*年")


def title(report: Report, context: CheckContext) -> list[Issue]:
    """The title names the unit and the report year: “{unit}{year}年政府信息公开工作年度报告”."""
    fmt = report.fmt
    expected = fmt.title_for(report.unit, report.year)
    actual = "".join((report.title or "").split())
    if actual == expected or actual == expected.replace("年政府", "年度政府"):
        return []
    problems = []
    if not actual:
        problems.append("标题为空")
    else:
        years = [int(v) for v in _TITLE_YEAR.findall(actual)]
        if not years:
            problems.append("没有写年度")
        elif any(v != report.year for v in years):
            problems.append(f"年度写作{'、'.join(str(v) for v in years)}年，本报告是{report.year}年度")
        if report.unit not in actual:
            problems.append(f"没有写明单位“{report.unit}”")
        if "政府信息公开工作年度报告" not in actual:
            problems.append("应写作“政府信息公开工作年度报告”")
    if not problems:
        return []  # a tolerable variant: unit, year and the report name are all there
    return [
        Issue(
            "N-TITLE",
            "warning",
            f"标题“{report.title}”：{'；'.join(problems)}（应为“{expected}”）",
            part="title",
            expected=expected,
            actual=report.title,
        )
    ]


def signature(report: Report, context: CheckContext) -> list[Issue]:
    """The 落款 organ is the reporting unit."""
    organ = "".join(report.signature.organ.split())
    if not organ or organ == report.unit:
        return []
    return [
        Issue(
            "N-SIGNATURE",
            "warning",
            f"落款单位“{report.signature.organ}”与报告单位“{report.unit}”不一致",
            part="signature",
            expected=report.unit,
            actual=report.signature.organ,
        )
    ]
