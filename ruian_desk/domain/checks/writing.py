"""How the parts are written: 雷同 with last year (parts 一、五、六 and the whole report), a thin part 五,
an overlong part 一, doubled words, the intro's list of parts, the title's form.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ruian_desk.domain.checks.common import (
    part_name,
    place_of,
    text_of,
    texts_of,
)
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.narrative import char_count
from ruian_desk.domain.report import Report
from ruian_desk.domain.similarity import content_length, similarity, strip_stock
from ruian_desk.domain.textfigures import (
    cn_number,
    line_of,
    quote,
    sentence_at,
)

SIMILARITY_WARN = 0.6  # share of three-character pieces in common with last year's part
SIMILARITY_MIN_CHARS = (
    80  # shorter parts ("无。", "本机关无其他报告事项。") are the same every year by nature
)

# Report settings the rules read (stored per report, like `scope.t3`).
SIMILAR_WHOLE_SETTING = "check.similar_whole"  # percent; 0 switches the rule off
SIMILAR_WHOLE_DEFAULT = 50
LENGTH_SETTING = (
    "limit.p1"  # the 字数 limit of 一、总体情况 the clerk set (the GUI counter's setting); 0 = none
)


def _setting_int(context: CheckContext, key: str) -> int | None:
    raw = context.settings.get(key)
    if raw is None or not str(raw).strip():
        return None
    try:
        return int(Decimal(str(raw).strip().rstrip("%％")))
    except ArithmeticError:
        return None


# ------------------------------------------------------------------------------------ year on year


# Parts N-SIMILAR compares: the unit's own writing. The introduction is prescribed boilerplate (basis, parts,
# period, contacts): comparing it flags every report every year.
SIMILAR_KEYS = ("p1", "p5", "p6")


def similar(report: Report, context: CheckContext) -> list[Issue]:
    """内容雷同: part 一、五 or 六 whose text, stock sentences removed, largely repeats last year's."""
    prev = context.previous
    if prev is None:
        return []
    fmt = report.fmt
    issues = []
    for key, text in texts_of(report, SIMILAR_KEYS):
        text = strip_stock(text)
        before = strip_stock(text_of(prev, key))
        if content_length(text) < SIMILARITY_MIN_CHARS or content_length(before) < SIMILARITY_MIN_CHARS:
            continue
        score = similarity(text, before)
        if score < SIMILARITY_WARN:
            continue
        pct = int((Decimal(score) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        issues.append(
            Issue(
                "N-SIMILAR",
                "warning",
                f"{part_name(fmt, key)}：与上年（{prev.year}年）报告同一部分的相似度为 {pct}%（除去固定语句后三字片段重合，"
                f"达到 {int(SIMILARITY_WARN * 100)}% 即提示），内容雷同属30号文列明的追责情形，请改写或说明",
                part=key,
                expected=int(SIMILARITY_WARN * 100),
                actual=pct,
            )
        )
    return issues


# -------------------------------------------------------------------------------- N-SIMILAR-WHOLE

WHOLE_KEYS = ("intro", "p1", "p5", "p6")


def similar_whole(report: Report, context: CheckContext) -> list[Issue]:
    """The whole text (stock sentences removed) largely repeats last year's report."""
    prev = context.previous
    if prev is None:
        return []
    threshold = _setting_int(context, SIMILAR_WHOLE_SETTING)
    threshold = SIMILAR_WHOLE_DEFAULT if threshold is None else threshold
    if threshold <= 0:
        return []
    now = strip_stock("\n".join(text_of(report, k) for k in WHOLE_KEYS))
    before = strip_stock("\n".join(text_of(prev, k) for k in WHOLE_KEYS))
    if content_length(now) < 200 or content_length(before) < 200:
        return []
    pct = int((Decimal(similarity(now, before)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if pct < threshold:
        return []
    return [
        Issue(
            "N-SIMILAR-WHOLE",
            "warning",
            f"全文：与上年（{prev.year}年）报告的相似度为 {pct}%（除去格式规定的固定语句后三字片段重合，达到 {threshold}% 即提示，"
            "阈值可在报告设置中调整），请核实是否照搬了上年报告",
            part="intro",
            expected=threshold,
            actual=pct,
            anchor="全文",
        )
    ]


# -------------------------------------------------------------------------------- N-PART5-THIN

_PROBLEM_WORDS = re.compile(
    r"问题|不足|短板|薄弱|差距|欠缺|不够|不到位|有待|不平衡|不充分|滞后|不高|不强|不规范|困难"
)
_IMPROVE_WORDS = re.compile(
    r"改进|下一步|今后|将进一步|将继续|加强|推进|提升|完善|整改|措施|强化|优化|健全|着力"
)
# "有待加强" names a problem, not a measure: it is taken out before looking for an improvement.
_AWAITING = re.compile(
    r"(?:有待|亟待|需要|需|仍需|还需)(?:进一步)?(?:加强|提升|提高|完善|强化|优化|健全|改进)"
)
PART5_MIN_CHARS = 50


def part5_thin(report: Report, context: CheckContext) -> list[Issue]:
    """五、存在的主要问题及改进情况 says "无", is under 50 字, or names no problem or no improvement."""
    text = text_of(report, "p5").strip()
    if not text:
        return []  # N-EMPTY-PART
    fmt = report.fmt
    n = char_count(text)
    flat = "".join(text.split()).rstrip("。.")
    if flat in ("无", "暂无", "没有", "无问题"):
        problem = f"只写了“{text}”；每年的报告都应如实说明存在的主要问题和改进情况"
    elif n < PART5_MIN_CHARS:
        problem = f"只有 {n} 字，过于简略（不足 {PART5_MIN_CHARS} 字），应写明存在的主要问题和改进情况"
    elif not _PROBLEM_WORDS.search(text):
        problem = "没有写出存在的问题（如“一是……不足”），只写了工作或措施"
    elif not _IMPROVE_WORDS.search(_AWAITING.sub("", text)):
        problem = "写了问题，没有写改进情况或下一步措施"
    else:
        return []
    return [
        Issue(
            "N-PART5-THIN",
            "warning",
            f"{part_name(fmt, 'p5')}：{problem}",
            part="p5",
            expected=PART5_MIN_CHARS,
            actual=n,
            anchor="内容",
        )
    ]


# -------------------------------------------------------------------------------------- N-LENGTH


def length(report: Report, context: CheckContext) -> list[Issue]:
    """一、总体情况 over the 字数 limit set for the report (the same count the editor's counter shows)."""
    limit = _setting_int(context, LENGTH_SETTING)
    if not limit or limit <= 0:
        return []
    n = char_count(text_of(report, "p1"))
    if n <= limit:
        return []
    return [
        Issue(
            "N-LENGTH",
            "warning",
            f"{part_name(report.fmt, 'p1')}：共 {n} 字，超过本报告设定的字数上限 {limit} 字 {n - limit} 字",
            part="p1",
            expected=limit,
            actual=n,
        )
    ]


# -------------------------------------------------------------------------------------- N-DUPWORD

_DUP = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
# Reduplications that are words (研究研究, 一件一件) and words that end as they begin across a join.
_DUP_OK = frozenset({"研究", "商量", "讨论", "学习", "考虑", "看看", "了解"})


def dup_word(report: Report, context: CheckContext) -> list[Issue]:
    """A word written twice in a row by mistake (资金资金, 政府信息公开政府信息公开)."""
    issues = []
    for key, text in texts_of(report, ("title", "intro", "p1", "p5", "p6")):
        seen: set[str] = set()
        for m in _DUP.finditer(text):
            word = m.group(1)
            if word in _DUP_OK or word.startswith("一") or len(set(word)) == 1:
                continue  # 一件一件, 一步一步: a counted repetition
            phrase = quote(text, max(0, m.start() - 4), min(len(text), m.end() + 2))
            if phrase in seen:
                continue
            seen.add(phrase)
            where = (
                part_name(report.fmt, key) if key == "title" else place_of(report.fmt, key, text, m.start())
            )
            issues.append(
                Issue(
                    "N-DUPWORD",
                    "warning",
                    f"{where}“{phrase}”：“{word}”连写了两次，是否多打了一遍？",
                    part=key,
                    actual=m.group(),
                    anchor=phrase,
                    paragraph=line_of(text, m.start()),
                )
            )
    return issues


# -------------------------------------------------------------------------------- N-INTRO-PARTS

_N_PARTS = re.compile(r"([一二三四五六七八九十两]|\d{1,2})\s*(?:个)?部分")
# What names each part of the report in the introduction's list (one pattern per part of the format, in order).
_PART_WORDS = (
    re.compile(r"总体情况"),
    re.compile(r"主动公开"),
    re.compile(r"收到和处理|依申请|申请情况"),
    re.compile(r"行政复议|行政诉讼"),
    re.compile(r"存在的主要问题|主要问题|改进情况"),
    re.compile(r"其他需要报告|其他事项"),
)


def intro_parts(report: Report, context: CheckContext) -> list[Issue]:
    """The introduction's "…等六部分" gives the number of parts it lists, and the format's number."""
    text = text_of(report, "intro")
    if not text:
        return []
    fmt = report.fmt
    expected = len(fmt.parts)
    issues = []
    for m in _N_PARTS.finditer(text):
        raw = m.group(1)
        stated = int(raw) if raw.isdigit() else cn_number(raw)
        if stated is None:
            continue
        s_start, s_end = sentence_at(text, m.start())
        sentence = text[s_start : m.start()]
        listed = sum(1 for rx in _PART_WORDS if rx.search(sentence))
        phrase = quote(text, max(s_start, m.start() - 12), m.end())
        problem = ""
        if listed >= 3 and listed != stated:
            problem = f"称全文共{raw}部分，但所列为 {listed} 部分"
        elif stated != expected:
            problem = f"称全文共{raw}部分，{fmt.notice_no}规定的年报为 {expected} 部分"
        if problem:
            issues.append(
                Issue(
                    "N-INTRO-PARTS",
                    "warning",
                    f"{place_of(fmt, 'intro', text, m.start())}“{phrase}”：{problem}",
                    part="intro",
                    expected=expected,
                    actual=stated,
                    anchor=phrase,
                    paragraph=line_of(text, m.start()),
                )
            )
    return issues


# -------------------------------------------------------------------------------- N-TITLE-FORM

_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年")


def title_form(report: Report, context: CheckContext) -> list[Issue]:
    """The title writes the year twice ("2021年度2021年…") or the report's name twice."""
    title = "".join((report.title or "").split())
    if not title:
        return []
    problems = []
    years = _YEAR_IN_TITLE.findall(title)
    if len(years) > 1:
        problems.append(f"年度写了 {len(years)} 次（{'、'.join(y + '年' for y in years)}）")
    for word in ("政府信息公开", "工作年度报告", "年度报告"):
        if title.count(word) > 1:
            problems.append(f"“{word}”重复")
            break
    if not problems:
        return []
    return [
        Issue(
            "N-TITLE-FORM",
            "warning",
            f"标题“{report.title}”：{'；'.join(problems)}（应为“{report.fmt.title_for(report.unit, report.year)}”）",
            part="title",
            actual=report.title,
        )
    ]
