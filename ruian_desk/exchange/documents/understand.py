"""Document → ReadReport: the unit, year and format, the six parts split by their headings, and the three
tables found by their labels (not by position), every figure with the place it was read from.

Nothing is invented: a table the document does not have stays blank and is named missing; a blank, "/", "-",
"—" or "不适用" is blank, never 0; a total printed differently from its parts is kept as printed (the checks
report it); a figure with more decimals than usual is kept exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ruian_desk.domain.formats import format_for_year, get_format
from ruian_desk.exchange.documents.labels import norm_label
from ruian_desk.exchange.documents.model import (
    Document,
    Grid,
    Para,
    drop_pinyin,
    text_problems,
    to_simplified,
)
from ruian_desk.exchange.documents.result import TABLES, ReadReport
from ruian_desk.exchange.documents.tables import read_table

_CN_NUM = "一二三四五六"

# ------------------------------------------------------------------------------------------ headings

_PART_TITLES = {
    "p1": r"(?:总体情况|总体概况|基本情况|概述)",
    "p2": r"(?:主动公开(?:政府信息)?(?:的|工作)?情况)",
    "p3": r"(?:收到和处理(?:政府信息)?公开申请(?:的)?情况|依申请公开(?:政府信息)?(?:的|工作)?情况)",
    "p4": r"(?:(?:因)?政府信息公开(?:工作)?(?:被申请|申请)?行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况"
    r"|行政复议[、和及与]行政诉讼(?:的)?情况)",
    "p5": r"(?:(?:政府信息公开)?(?:工作)?存在(?:的)?(?:主要)?问题(?:及|和|与)?(?:改进|整改)(?:情况|措施)?)",
    "p6": r"(?:其他需要报告的事项|其他需要报告事项|其他事项)",
}
_KEYS = ("p1", "p2", "p3", "p4", "p5", "p6")
_HEADING = {
    key: re.compile(rf"(?<![（(\d])([{_CN_NUM}])\s*[、.．，,]\s*{title}") for key, title in _PART_TITLES.items()
}
_BARE_HEADING = {key: re.compile(rf"^{title}$") for key, title in _PART_TITLES.items()}


@dataclass(frozen=True)
class _Heading:
    key: str
    block: int
    start: int  # in the paragraph's text
    end: int


def _heading_candidates(paras: list[tuple[int, str]]) -> list[_Heading]:
    out: list[_Heading] = []
    for block, text in paras:
        for i, key in enumerate(_KEYS):
            for m in _HEADING[key].finditer(text):
                if m.group(1) != _CN_NUM[i]:
                    continue
                # A heading starts its line, or follows the end of a sentence run into it.
                before = text[: m.start()].rstrip()
                if before and before[-1] not in "。.；;！!？?）)”\"" and len(before) > 0:
                    continue
                out.append(_Heading(key, block, m.start(), m.end()))
            if _BARE_HEADING[key].match(text.strip()):
                out.append(_Heading(key, block, 0, len(text)))
    return sorted(out, key=lambda h: (h.block, h.start))


def _choose_headings(cands: list[_Heading]) -> dict[str, _Heading]:
    """The increasing sequence of part headings that covers the most parts (later candidates win ties, so a
    sub-heading of 一 numbered like a part does not cut part 一 short)."""
    best: dict[int, tuple[int, list[_Heading]]] = {}  # index of last candidate → (count, chain)
    for j, h in enumerate(cands):
        chain: list[_Heading] = [h]
        count = 1
        for i in range(j):
            prev = cands[i]
            if _KEYS.index(prev.key) < _KEYS.index(h.key) and (prev.block, prev.start) < (h.block, h.start):
                c, ch = best[i]
                if c + 1 >= count:
                    count, chain = c + 1, [*ch, h]
        best[j] = (count, chain)
    if not best:
        return {}
    top = max(best.values(), key=lambda v: v[0])
    return {h.key: h for h in top[1]}


# ------------------------------------------------------------------------------------------ the reader


def understand(doc: Document) -> ReadReport:
    rr = ReadReport(path=doc.path, name=doc.path, kind=doc.kind)
    rr.problems.extend(doc.problems)
    blocks = _normalise_script(doc, rr)
    paras = [(i, b.text) for i, b in enumerate(blocks) if isinstance(b, Para)]
    headings = _choose_headings(_heading_candidates(paras))
    _read_title_and_year(blocks, headings, doc.title_hint, rr)
    labels_format = _labels_format(blocks)
    year_format = None
    if rr.year is not None:
        try:
            year_format = format_for_year(rr.year).id
        except Exception:  # noqa: BLE001 - a year before 2019: no national format
            year_format = None
    if labels_format and year_format and labels_format != year_format:
        rr.problems.append(
            f"{rr.year}年的报告使用了{_format_name(labels_format)}的表格标签（按年度应为{_format_name(year_format)}），"
            f"已按表格标签读取，请核对"
        )
    rr.format_id = labels_format or year_format or "gov-2021"
    if not labels_format and not year_format:
        rr.problems.append("未能确定年度和表格格式，按2021年格式读取，请核对年度")
    fmt = get_format(rr.format_id)
    _read_parts(blocks, headings, rr)
    regions = _table_regions(blocks, headings)
    for table in TABLES:
        read_table(fmt, table, blocks, regions.get(table), rr)
    for key, label in (("p1", "第一部分"), ("p5", "第五部分"), ("p6", "第六部分"), ("intro", "引言")):
        text = rr.intro if key == "intro" else rr.parts.get(key, "")
        rr.problems.extend(text_problems(label, text))
    kept = "\n".join([rr.title, rr.intro, *rr.parts.values()])
    outside = [b.text for b in blocks if isinstance(b, Para) and b.text not in kept]
    for problem in text_problems("正文以外", "\n".join(outside)):
        if "网址" in problem:
            rr.problems.append(problem.replace("已按原文保留", "不属于报告内容，未导入"))
    return rr


def _format_name(format_id: str) -> str:
    return {"gov-2019": "2019年版格式（60号文）", "gov-2021": "2021年版格式（30号文）"}.get(format_id, format_id)


def _normalise_script(doc: Document, rr: ReadReport) -> list:
    """Traditional characters → simplified (OpenCC, phrase level) and inline pinyin glosses removed, for every
    paragraph and cell alike."""
    joined = "\n".join(b.text for b in doc.blocks if isinstance(b, Para))
    _, changed = to_simplified(joined + "\n".join(c or "" for b in doc.blocks if isinstance(b, Grid) for r in b.rows for c in r))
    glosses = 0
    out: list = []
    for b in doc.blocks:
        if isinstance(b, Para):
            text = to_simplified(b.text)[0] if changed else b.text
            text, n = drop_pinyin(text)
            glosses += n
            out.append(Para(text, b.where))
        else:
            rows = tuple(
                tuple((to_simplified(c)[0] if changed and c else c) for c in row) for row in b.rows
            )
            out.append(Grid(rows, b.where, b.spans))
    if changed:
        rr.problems.append(f"原文为繁体字，已转换为简体（{changed} 个字），请核对")
    if glosses:
        rr.problems.append(f"原文夹有拼音注音 {glosses} 处（如“年(nián)”），已去掉")
    return out


_TITLE = re.compile(
    r"^(?:关于)?(?P<unit>.*?)[“\"]?(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:的)?政府信息公开(?:工作)?年度?报告"
)
_PERIOD = re.compile(r"统计期限[^。]{0,8}?(?:自|为|从)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")


_UNIT_LIKE = re.compile(r"^[\u3400-\u9fff（）()]{2,40}$")


def _clean_unit(text: str) -> str:
    """The unit before the year in a title, without what a republishing site put in front of it."""
    text = re.sub(r"(https?://|www\.)\S+", " ", text)
    pieces = [p for p in re.split(r"[\s:：，,。!！|/【】\[\]]+", text) if p]
    return pieces[-1].strip("“”\"") if pieces else ""


def _read_title_and_year(blocks: list, headings: dict[str, _Heading], hint: str, rr: ReadReport) -> None:
    first_part = headings.get("p1") or next(iter(headings.values()), None)
    limit = first_part.block if first_part else min(len(blocks), 12)
    head_paras = [(i, b.text) for i, b in enumerate(blocks[: max(limit, 1)]) if isinstance(b, Para)]
    title_idx: list[int] = []
    for k, (i, text) in enumerate(head_paras):
        flat = text.replace("\n", "")
        m = _TITLE.match(flat)
        span = 1
        wrapped_ok = "政府信息公开" in flat or "年度报" in flat or _UNIT_LIKE.match(flat) is not None
        while m is None and wrapped_ok and span < 3 and k + span < len(head_paras) and len(flat) <= 60:
            # A title wrapped over lines ("…工作年度报" / "告"), each line its own paragraph.
            flat += head_paras[k + span][1].replace("\n", "")
            span += 1
            m = _TITLE.match(flat)
        if m and len(flat) <= 80:
            unit = _clean_unit(m.group("unit"))
            idx = [i] + [head_paras[k + j][0] for j in range(1, span)]
            if not unit and k > 0:
                # "瑞安市人民政府" on its own line above "2019年政府信息公开工作年度报告".
                prev_i, prev = head_paras[k - 1]
                if len(prev) <= 40 and not re.search(r"[。，,]", prev):
                    unit = prev.strip()
                    idx.insert(0, prev_i)
            rr.title = (unit + flat[m.start("year") :]).strip() if unit else flat
            rr.unit = unit or None
            rr.year = int(m.group("year"))
            title_idx = idx
            break
    if rr.year is None and hint:
        m = _TITLE.match(hint)
        if m:
            rr.year = int(m.group("year"))
            rr.unit = m.group("unit").strip() or None
            rr.title = hint
    # The introduction: what stands between the title and part 一.
    start = (title_idx[-1] + 1) if title_idx else 0
    intro = [
        b.text
        for b in blocks[start:limit]
        if isinstance(b, Para) and not _is_page_chrome(b.text)
    ]
    if first_part is not None and first_part.start > 0:
        before = blocks[first_part.block].text[: first_part.start].strip()
        if before:
            intro.append(before)
    rr.intro = "\n".join(intro).strip()
    period = _PERIOD.search(rr.intro) or _PERIOD.search(
        "\n".join(b.text for b in blocks[:80] if isinstance(b, Para))
    )
    if period:
        py = int(period.group(1))
        if rr.year is None:
            rr.year = py
        elif py != rr.year:
            rr.problems.append(f"标题中的年度（{rr.year}年）与统计期限（{py}年）不一致")
    if rr.year is None:
        rr.problems.append("未能从标题或统计期限中读出年度")


_CHROME = re.compile(
    r"^(?:发布(?:时间|日期|机构)|来源|信息来源|浏览(?:次数)?|访问量|点击(?:数|量)?|字号|作者|索引号|文号|生成日期|"
    r"主题分类|公开方式|公开范围|打印|关闭|分享到|【|\[)"
)


def _is_page_chrome(text: str) -> bool:
    t = text.strip()
    return bool(_CHROME.match(t)) and len(t) < 120 or t in ("大", "中", "小", "【大 中 小】")


def _read_parts(blocks: list, headings: dict[str, _Heading], rr: ReadReport) -> None:
    order = [h for h in sorted(headings.values(), key=lambda h: (h.block, h.start))]
    for n, h in enumerate(order):
        nxt = order[n + 1] if n + 1 < len(order) else None
        pieces: list[str] = []
        first = blocks[h.block].text[h.end :].strip(" ：:")
        if first:
            pieces.append(first)
        end_block = nxt.block if nxt else len(blocks)
        for b in blocks[h.block + 1 : end_block]:
            if isinstance(b, Para):
                pieces.append(b.text)
        if nxt is not None and nxt.block > h.block and nxt.start > 0:
            pieces.append(blocks[nxt.block].text[: nxt.start].strip())
        if nxt is not None and nxt.block == h.block:
            pieces = [blocks[h.block].text[h.end : nxt.start].strip(" ：:")]
        if h.key in ("p1", "p5", "p6"):
            if h.key == "p6" or nxt is None:
                pieces = _take_signature(pieces, rr)
            rr.parts[h.key] = "\n".join(p for p in pieces if p).strip()
    for key, label in (("p1", "一、总体情况"), ("p5", "五、存在的主要问题及改进情况"), ("p6", "六、其他需要报告的事项")):
        if key not in headings:
            rr.problems.append(f"未找到“{label}”部分的标题，该部分文字未读取")


def _take_signature(pieces: list[str], rr: ReadReport) -> list[str]:
    """The 落款 at the end (unit line, date line) comes off part 六."""
    lines = [p for p in pieces if p]
    tail = lines[-4:]
    for k in range(len(tail) - 1, -1, -1):
        text = tail[k].replace(" ", "")
        date = _parse_date(text)
        if date is None:
            continue
        rr.signature_date = date
        organ = ""
        cut = len(lines) - len(tail) + k
        if k > 0 and len(tail[k - 1]) <= 40 and not re.search(r"[。；;]", tail[k - 1]):
            organ = tail[k - 1].strip()
            cut -= 1
        rr.signature_organ = organ
        rr.signature_text = " ".join(x for x in (organ, tail[k].strip()) if x)
        if rr.unit is None and organ:
            rr.unit = organ
        return lines[:cut]
    return lines


def _parse_date(text: str) -> dt.date | None:
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.match(text)
        if m:
            digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
            year = int("".join(digits[c] for c in m.group(1)))
            return dt.date(year, _cn_small(m.group(2)), _cn_small(m.group(3)))
    except ValueError:
        return None
    return None


def _cn_small(text: str) -> int:
    values = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + values[text[1]]
    if "十" in text:
        a, _, b = text.partition("十")
        return values[a] * 10 + (values[b] if b else 0)
    return values[text]


def _labels_format(blocks: list) -> str | None:
    """gov-2019 or gov-2021 from the labels 表二 prints (the two formats differ most there)."""
    texts: list[str] = []
    for b in blocks:
        if isinstance(b, Grid):
            texts.extend(norm_label(c) for row in b.rows for c in row if c)
        else:
            texts.append(norm_label(b.text))
    joined = "|".join(texts)
    old = sum(joined.count(k) for k in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购总金额"))
    new = sum(joined.count(k) for k in ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正"))
    if old > new:
        return "gov-2019"
    if new > old:
        return "gov-2021"
    return None


def _table_regions(blocks: list, headings: dict[str, _Heading]) -> dict[str, tuple[int, int]]:
    """Block ranges of parts 二/三/四 (where a table printed as text lines is looked for)."""
    out: dict[str, tuple[int, int]] = {}
    order = sorted(headings.values(), key=lambda h: h.block)
    for n, h in enumerate(order):
        if h.key in ("p2", "p3", "p4"):
            end = order[n + 1].block if n + 1 < len(order) else len(blocks)
            out[{"p2": "t2", "p3": "t3", "p4": "t4"}[h.key]] = (h.block, max(end, h.block + 1))
    return out


