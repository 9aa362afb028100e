"""The check rules beyond the data-driven sums: cross-year, 表二, narrative ↔ tables, metrics, 雷同, form.

Every rule is a pure function `(report, context) -> list[Issue]` listed in `registry.py`; rules of one format
version run only where that format's data lists them (`applies`). Messages are Chinese and name the place
(table cell, or part + paragraph + the quoted phrase) and both numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ruian_desk.domain.formats import FormatDef, get_format, notices
from ruian_desk.domain.narrative import PLACEHOLDER, render_placeholders
from ruian_desk.domain.report import Metric, Number, Report, format_number, percent
from ruian_desk.domain.rules import CheckContext, Issue, applies
from ruian_desk.domain.similarity import content_length, similarity, strip_stock
from ruian_desk.domain.textclaims import (
    MONEY_UNITS,
    ORG_COLS,
    Claim,
    Statement,
    claims,
    col_name,
    family_label,
    family_prefixes,
    row_name,
    statements,
)
from ruian_desk.domain.textfigures import (
    Figure,
    approx_range,
    figures,
    figures_from,
    fmt_decimal,
    line_of,
    paragraph_label,
    quote,
    reading_form,
    sentence_at,
)

# Parts whose text the narrative checks read, in reading order.
NARRATIVE_KEYS = ("intro", "p1", "p5", "p6")
FORM_KEYS = ("title", "intro", "p1", "p5", "p6")
PART_NAMES = {"title": "标题", "intro": "引言"}
# Roles whose report is published as a whole (narrative included) rather than only feeding the roll-up.
PUBLISHING_ROLES = ("county_government", "office")
SIMILARITY_WARN = 0.6  # share of three-character pieces in common with last year's part
SIMILARITY_MIN_CHARS = (
    80  # shorter parts ("无。", "本机关无其他报告事项。") are the same every year by nature
)
FEE_LARGE_WANYUAN = Decimal(100000)  # 10亿元: above this a 万元 amount was probably typed in 元


# ----------------------------------------------------------------------------------------- helpers


def _text_of(report: Report, key: str) -> str:
    return _rendered(report).get(key, "")


def _rendered(report: Report) -> dict[str, str]:
    """Every text of the report as it will be printed (placeholders show their current value) in its reading
    form (`textfigures.reading_form`: figures split by spaces or line breaks read whole), computed once per
    report object: a dozen rules read them."""
    cached = report.__dict__.get("_checks_texts")  # same trick as functools.cached_property on a frozen class
    if cached is None:
        cached = {}
        for key in ("title", "intro", "p1", "p5", "p6"):
            if key == "title":
                text = report.title
            elif key == "intro":
                text = report.intro
            else:
                text = report.part(key)
            text = text or ""
            cached[key] = reading_form(render_placeholders(text, report) if "{{" in text else text)
        report.__dict__["_checks_texts"] = cached
    return cached


def _texts(report: Report, keys: tuple[str, ...] = NARRATIVE_KEYS) -> list[tuple[str, str]]:
    texts = _rendered(report)
    return [(key, texts[key]) for key in keys if texts.get(key, "").strip()]


def part_name(fmt: FormatDef, key: str) -> str:
    if key in PART_NAMES:
        return PART_NAMES[key]
    try:
        return fmt.part(key).title
    except KeyError:
        return key


def _where(fmt: FormatDef, key: str, text: str, pos: int) -> str:
    label = paragraph_label(text, pos) if key not in ("title",) else ""
    return f"{part_name(fmt, key)}{' ' + label if label else ''}"


def _phrase(text: str, start: int, end: int) -> str:
    return quote(text, start, end)


_CLAUSE_BREAKS = "，,；;：:"


def _lead_in(text: str, pos: int, reach: int = 20, clauses: int = 1) -> int:
    """Where a quoted phrase ending at a figure should start: back to the start of the clause holding
    `pos` (or of the clause before it, with clauses=2), at most `reach` characters per clause."""
    s_start = sentence_at(text, pos)[0]
    start = pos
    for _ in range(clauses):
        low = max(s_start, start - reach)
        cut = max(text.rfind(sep, low, start) for sep in _CLAUSE_BREAKS)
        if cut < 0:
            return low
        start = cut
    return start + 1


def _n(value: Number | Decimal | None) -> str:
    if value is None:
        return "空白"
    return fmt_decimal(Decimal(value)) if isinstance(value, Decimal) else format_number(value)


def _unit(fmt: FormatDef, cell_id: str) -> str:
    cell = fmt.cells.get(cell_id)
    return (cell.unit if cell else "件").split("（")[0]


def _sum(report: Report, ids: tuple[str, ...]) -> Number | None:
    """Sum of cells or group subtotals as printed; None when every one of them is blank."""
    values = report.values
    total: Number = 0
    seen = False
    for i in ids:
        v = values.get(i)
        if v is not None:
            total += v
            seen = True
    return total if seen else None


def _part_of_table(fmt: FormatDef, table: str) -> str:
    for p in fmt.parts:
        if p.table == table:
            return p.key
    return ""


def _table_has_values(report: Report, prefix: str) -> bool:
    return any(v is not None for c, v in report.cells.items() if c.startswith(prefix))


# ------------------------------------------------------------------------------------- cross-year


def t3_xyear_carry(report: Report, context: CheckContext) -> list[Issue]:
    """二、上年结转 = last year's 四、结转下年度继续办理, column by column."""
    prev = context.previous
    fmt = report.fmt
    if prev is None or not applies(fmt, "T3-XYEAR-CARRY") or not _table_has_values(prev, "t3."):
        return []
    pfmt = prev.fmt
    diffs = []
    for col in fmt.section("t3").columns:
        cur_id, prev_id = f"t3.carry_in.{col.id}", f"t3.carry_out.{col.id}"
        if cur_id not in fmt.cells or prev_id not in pfmt.cells:
            continue
        now, then = report.values.number(cur_id), prev.values.number(prev_id)
        if now != then:
            diffs.append((col, cur_id, now, then))
    if any(not col.derived for col, *_ in diffs):
        diffs = [d for d in diffs if not d[0].derived]  # the 总计 column follows from its parts
    return [
        Issue(
            "T3-XYEAR-CARRY",
            "warning",
            f"表三 二、上年结转 / {col.label}：本年填 {_n(now)} 件，上年（{prev.year}年）报告"
            f"“四、结转下年度继续办理”为 {_n(then)} 件，两者应相等（单位撤并、调整时可能合理不等，请写明原因）",
            (cur_id,),
            expected=then,
            actual=now,
        )
        for col, cur_id, now, then in diffs
    ]


def _same_cell(prev: Report, cell_id: str) -> bool:
    return cell_id in prev.fmt.cells


def t2_xyear_valid(report: Report, context: CheckContext) -> list[Issue]:
    """现行有效 = last year's 现行有效 + 本年制发 − 本年废止, per row of 第二十条第（一）项."""
    prev = context.previous
    fmt = report.fmt
    if prev is None or not applies(fmt, "T2-XYEAR-VALID"):
        return []
    issues = []
    section = fmt.section("t2_1")
    for row in section.rows:
        valid, made, repealed = (f"t2_1.{row.id}.{c}" for c in ("valid", "made", "repealed"))
        if not all(c in fmt.cells for c in (valid, made, repealed)) or not _same_cell(prev, valid):
            continue
        raw = [report.cells.get(c) for c in (valid, made, repealed)] + [prev.cells.get(valid)]
        if all(v is None for v in raw):
            continue
        v = report.values.number(valid)
        m = report.values.number(made)
        r = report.values.number(repealed)
        pv = prev.values.number(valid)
        expected = pv + m - r
        if v == expected:
            continue
        issues.append(
            Issue(
                "T2-XYEAR-VALID",
                "warning",
                f"表二 {section.caption}·{row.label}：现行有效件数 {_n(v)}，按上年（{prev.year}年）现行有效 {_n(pv)}"
                f" + 本年制发 {_n(m)} − 本年废止 {_n(r)} 应为 {_n(expected)}（清理、修改、到期失效等可能造成合理差异，请写明原因）",
                (valid, made, repealed),
                expected=expected,
                actual=v,
            )
        )
    return issues


def t2_repeal_bound(report: Report, context: CheckContext) -> list[Issue]:
    """本年废止 ≤ last year's 现行有效 + 本年制发: one cannot repeal what was never in force."""
    prev = context.previous
    fmt = report.fmt
    if prev is None or not applies(fmt, "T2-REPEAL-BOUND"):
        return []
    issues = []
    section = fmt.section("t2_1")
    for row in section.rows:
        valid, made, repealed = (f"t2_1.{row.id}.{c}" for c in ("valid", "made", "repealed"))
        if not all(c in fmt.cells for c in (valid, made, repealed)) or not _same_cell(prev, valid):
            continue
        r = report.values.number(repealed)
        bound = prev.values.number(valid) + report.values.number(made)
        if r <= bound:
            continue
        issues.append(
            Issue(
                "T2-REPEAL-BOUND",
                "warning",
                f"表二 {section.caption}·{row.label}：本年废止 {_n(r)} 件，多于上年（{prev.year}年）现行有效"
                f" {_n(prev.values.number(valid))} 件与本年制发 {_n(report.values.number(made))} 件之和 {_n(bound)} 件",
                (repealed, made),
                expected=bound,
                actual=r,
            )
        )
    return issues


def t2_19_xyear_items(report: Report, context: CheckContext) -> list[Issue]:
    """上一年项目数量 = last year's 上一年项目数量 + 本年增/减, for every row that has both."""
    prev = context.previous
    fmt = report.fmt
    if prev is None or not applies(fmt, "T2-19-XYEAR-ITEMS"):
        return []
    issues = []
    for section in fmt.tables["t2"].sections:
        for row in section.rows:
            items, change = f"{section.id}.{row.id}.prev_items", f"{section.id}.{row.id}.change"
            if items not in fmt.cells or not (_same_cell(prev, items) and _same_cell(prev, change)):
                continue
            if (
                report.cells.get(items) is None
                and prev.cells.get(items) is None
                and prev.cells.get(change) is None
            ):
                continue
            now = report.values.number(items)
            p_items, p_change = prev.values.number(items), prev.values.number(change)
            expected = p_items + p_change
            if now == expected:
                continue
            issues.append(
                Issue(
                    "T2-19-XYEAR-ITEMS",
                    "warning",
                    f"表二 {section.caption}·{row.label}：上一年项目数量 {_n(now)}，按上年（{prev.year}年）报告"
                    f"上一年项目数量 {_n(p_items)} 与本年增/减 {_signed(p_change)} 应为 {_n(expected)}",
                    (items,),
                    expected=expected,
                    actual=now,
                )
            )
    return issues


def _signed(n: Number) -> str:
    return f"+{_n(n)}" if n > 0 else _n(n)


# --------------------------------------------------------------------------------------------- 表二


def t2_county_rules(report: Report, context: CheckContext) -> list[Issue]:
    """规章 is made by 国务院部门 and provincial or 设区的市 governments only (立法法): every role of a 瑞安
    report (the county government, its office, departments, 乡镇（街道）, 功能区) is county-level."""
    fmt = report.fmt
    section = next((s for s in fmt.tables["t2"].sections if any(r.id == "rules" for r in s.rows)), None)
    if section is None:
        return []
    cells = [f"{section.id}.rules.{c.id}" for c in section.columns]
    nonzero = [(c, report.values.get(c)) for c in cells if report.values.get(c)]
    if not nonzero:
        return []
    listing = "、".join(f"{fmt.cells[c].label.rsplit('·', 1)[-1]} {_n(v)}" for c, v in nonzero)
    return [
        Issue(
            "T2-COUNTY-RULES",
            "warning",
            f"表二 {section.caption}·规章：县级政府及其部门、乡镇（街道）、功能区没有规章制定权（《立法法》），"
            f"本行通常应为 0，现为 {listing}",
            tuple(c for c, _ in nonzero),
            expected=0,
            actual=sum((v for _, v in nonzero if v is not None), start=0),
        )
    ]


def t2_fee_precision(report: Report, context: CheckContext) -> list[Issue]:
    """收费金额 is in 万元: at most 4 decimals, and a huge amount was probably typed in 元."""
    fmt = report.fmt
    if not applies(fmt, "T2-FEE-PRECISION"):
        return []
    issues = []
    for cid, cell in fmt.cells.items():
        if cell.type != "decimal" or cell.unit != "万元":
            continue
        v = report.cells.get(cid)
        if v is None:
            continue
        d = Decimal(v)
        exponent = d.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -4:
            issues.append(
                Issue(
                    "T2-FEE-PRECISION",
                    "info",
                    f"{cell.label}：{_n(d)} 万元有 {-exponent} 位小数，万元金额保留2至4位小数即可（元→万元除以10000）",
                    (cid,),
                    expected=d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                    actual=d,
                )
            )
        elif d >= FEE_LARGE_WANYUAN:
            issues.append(
                Issue(
                    "T2-FEE-PRECISION",
                    "info",
                    f"{cell.label}：{_n(d)} 万元即 {fmt_decimal(d / 10000, 2)} 亿元，数额很大，请确认没有把元当作万元填写"
                    f"（元→万元需除以10000，应为 {fmt_decimal(d / 10000, 4)} 万元？）",
                    (cid,),
                    expected=None,
                    actual=d,
                )
            )
    return issues


def t2_19_public_le_made(report: Report, context: CheckContext) -> list[Issue]:
    return _t2_19_compare(report, "T2-19-PUBLIC-LE-MADE", "new_public", "new_made", "不应多于")


def t2_19_total_ge_new(report: Report, context: CheckContext) -> list[Issue]:
    return _t2_19_compare(report, "T2-19-TOTAL-GE-NEW", "new_public", "total_public", "不应多于")


def _t2_19_compare(report: Report, rule_id: str, small: str, big: str, words: str) -> list[Issue]:
    """`small ≤ big` per row of 第二十条第（一）项 (2019 format)."""
    fmt = report.fmt
    if not applies(fmt, rule_id):
        return []
    issues = []
    section = fmt.section("t2_1")
    for row in section.rows:
        a_id, b_id = f"t2_1.{row.id}.{small}", f"t2_1.{row.id}.{big}"
        if a_id not in fmt.cells or b_id not in fmt.cells:
            continue
        a, b = report.values.number(a_id), report.values.number(b_id)
        if a <= b:
            continue
        a_label, b_label = section.column(small).label, section.column(big).label
        issues.append(
            Issue(
                rule_id,
                "warning",
                f"表二 {section.caption}·{row.label}：{a_label} {_n(a)} {words}{b_label} {_n(b)}",
                (a_id, b_id),
                expected=b,
                actual=a,
            )
        )
    return issues


# ---------------------------------------------------------------------------------- narrative ↔ tables


def text_tables(report: Report, context: CheckContext) -> list[Issue]:
    """Figures the narrative quotes from 表二/表三/表四 equal the cells or group totals they name; claims
    without a figure ("均获维持", "未发生行政复议", "未收到申请") agree with the tables."""
    fmt = report.fmt
    wanted = {r for r in ("X-TEXT-T3", "X-TEXT-T2", "T4-TEXT") if applies(fmt, r)}
    if not wanted:
        return []
    issues: list[Issue] = []
    for key, text in _texts(report):
        for claim in claims(text, fmt.id, report.year):
            if claim.rule in wanted:
                issue = _claim_issue(report, key, text, claim)
                if issue is not None:
                    issues.append(issue)
        for st in statements(text):
            issues.extend(_statement_issues(report, key, text, st, wanted))
    return issues


def _claim_issue(report: Report, key: str, text: str, claim: Claim) -> Issue | None:
    fmt = report.fmt
    table_value = _sum(report, claim.ids)
    fig = claim.figure
    t = Decimal(table_value or 0)
    if fig.exact:
        if t == claim.value:
            return None
    else:
        scale = MONEY_UNITS.get(fig.unit)
        in_text_units = t * MONEY_UNITS["万元"] / scale if scale is not None else t
        if fig.fits(in_text_units):
            return None
    unit = _unit(fmt, claim.cells[0]) if claim.cells else "件"
    where = _where(fmt, key, text, fig.start)
    phrase = _phrase(text, claim.phrase_start, fig.end)
    stated = fig.text if not fig.exact else f"{fmt_decimal(claim.value)} {unit}"
    table_text = "为空（未填）" if table_value is None else f"为 {_n(table_value)} {unit}"
    message = f"{where}“{phrase}”：文中为 {stated}，{claim.label} {table_text}，两者不一致"
    if not fig.exact:
        low, high, _ = approx_range(fig)
        span = f"{fmt_decimal(low)} 以上" if high is None else f"{fmt_decimal(low)} 至 {fmt_decimal(high)}"
        message += f"（“{fig.approx}”表示约 {span}）"
    else:
        hint = _hint(report, claim)
        if hint:
            message += f"；{hint}"
    return Issue(
        claim.rule,
        "warning",
        message,
        claim.cells,
        expected=table_value,
        actual=claim.value,
        part=key,
        anchor=phrase,
        paragraph=line_of(text, fig.start),
    )


def _hint(report: Report, claim: Claim) -> str:
    """When the stated figure is another cell of the same row or group (a single column, a single item) or of
    a sibling row, say so: that is the usual way a text goes wrong."""
    stated = claim.value
    if stated <= 0:
        return ""
    matches: dict[str, list[str]] = {"part": [], "row": []}
    for label, ids, kind in _alternatives(report.fmt, claim):
        if set(ids) == set(claim.ids):
            continue
        v = _sum(report, ids)
        if v is not None and Decimal(v) == stated and label not in matches[kind]:
            matches[kind].append(label)
    if matches["part"]:
        return f"{fmt_decimal(stated)} 恰是{'或'.join(matches['part'][:2])}的数，文中似把单列（单项）数字当作了合计"
    if matches["row"]:
        return f"{fmt_decimal(stated)} 恰是{'或'.join(matches['row'][:2])}的数，文中似引用了另一行"
    return ""


def _alternatives(fmt: FormatDef, claim: Claim) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(label, cells, kind) of what a wrong figure may have been taken from: "part" for a column or item of
    the named row or group, "row" for another row."""
    table, scope = claim.scope
    if table == "t3":
        section = fmt.section("t3")
        plain = [c.id for c in section.columns if not c.derived]
        rows = ["r1_open", "r2_partial"] if scope == "open_partial" else [scope]
        for r in rows:
            rname = row_name(fmt, r)
            if section.row(r).kind == "group":  # one item of a group quoted as the group: the usual slip
                for leaf in section.leaves_under(r):
                    yield f"“{row_name(fmt, leaf.id)}”一项", (f"t3.{leaf.id}.total",), "part"
            for c in plain:
                yield f"“{rname}”中“{col_name(fmt, c)}”一列", (f"t3.{r}.{c}",), "part"
            yield f"“{rname}”中“法人或其他组织”五列合计", tuple(f"t3.{r}.{c}" for c in ORG_COLS), "part"
        if scope == "open_partial":
            for r in rows:
                yield f"“{row_name(fmt, r)}”", (f"t3.{r}.total",), "part"
        for r in ("new", "carry_in", "r7_total", "carry_out"):
            yield f"“{row_name(fmt, r)}”", (f"t3.{r}.total",), "row"
    elif table == "t4":
        for p in family_prefixes(scope):
            block = fmt.cells[f"t4.count.{p}_keep"]
            section = fmt.section(block.section)
            top = section.column(f"{p}_keep")
            name = "·".join(x for x in (top.top, top.sub) if x)
            for res in ("keep", "correct", "other", "pending"):
                yield f"“{name}·{section.column(f'{p}_{res}').label}”", (f"t4.count.{p}_{res}",), "part"
        if scope == "lit":
            yield "“未经复议直接起诉”", ("t4.count.ld_total",), "part"
            yield "“复议后起诉”", ("t4.count.la_total",), "part"


def _statement_issues(report: Report, key: str, text: str, st: Statement, wanted: set[str]) -> list[Issue]:
    fmt = report.fmt
    where = _where(fmt, key, text, st.start)
    phrase = _phrase(text, st.start, st.end)
    out: list[Issue] = []
    if st.kind == "no_applications":
        if "X-TEXT-T3" not in wanted:
            return []
        total = _sum(report, ("t3.new.total",))
        if total:
            out.append(
                Issue(
                    "X-TEXT-T3",
                    "warning",
                    f"{where}“{phrase}”：文中称没有收到申请，但表三 一、本年新收政府信息公开申请数量 总计为 {_n(total)} 件",
                    ("t3.new.total",),
                    expected=total,
                    actual=0,
                    part=key,
                    anchor=phrase,
                    paragraph=line_of(text, st.start),
                )
            )
        return out
    if "T4-TEXT" not in wanted:
        return []
    for fam in st.families:
        prefixes = family_prefixes(fam)
        total = _sum(report, tuple(f"t4.count.{p}_total" for p in prefixes)) or 0
        cells = tuple(
            f"t4.count.{p}_{r}" for p in prefixes for r in ("keep", "correct", "other", "pending", "total")
        )
        if st.kind == "no_review":
            if total:
                out.append(
                    Issue(
                        "T4-TEXT",
                        "warning",
                        f"{where}“{phrase}”：文中称没有{family_label(fam).split('（')[0]}，但表四 {family_label(fam)} 总计为 {_n(total)} 件",
                        tuple(f"t4.count.{p}_total" for p in prefixes),
                        expected=total,
                        actual=0,
                        part=key,
                        anchor=phrase,
                        paragraph=line_of(text, st.start),
                    )
                )
            continue
        # all_kept: every case ended with 维持
        keep = _sum(report, tuple(f"t4.count.{p}_keep" for p in prefixes)) or 0
        if total and keep == total:
            continue
        others = []
        for res, name in (("correct", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")):
            v = _sum(report, tuple(f"t4.count.{p}_{res}" for p in prefixes)) or 0
            if v:
                others.append(f"{name} {_n(v)} 件")
        detail = f"其中结果维持 {_n(keep)} 件、{'、'.join(others)}" if total else "没有案件"
        out.append(
            Issue(
                "T4-TEXT",
                "warning",
                f"{where}“{phrase}”：文中称均获维持，但表四 {family_label(fam)} 共 {_n(total)} 件，{detail}",
                cells,
                expected=keep,
                actual=total,
                part=key,
                anchor=f"{phrase}#{fam}",
                paragraph=line_of(text, st.start),
            )
        )
    return out


# ------------------------------------------------------------------------------------ 信息处理费


_FEE_WORD = "信息处理费"
_ADMIN_FEE_WORD = "行政事业性收费"


def fee_text(report: Report, context: CheckContext) -> list[Issue]:
    """信息处理费 is reported in part 六 in 元; it is not 表二（八）行政事业性收费 (万元)."""
    fmt = report.fmt
    if not applies(fmt, "X-FEE-TEXT"):
        return []
    issues: list[Issue] = []
    mentioned_in: list[str] = []
    fee_cell = _admin_fee_cell(fmt.id)
    admin_fee = report.values.get(fee_cell) if fee_cell else None
    for key, text in _texts(report):
        pos = text.find(_FEE_WORD)
        if pos < 0:
            continue
        mentioned_in.append(key)
        while pos >= 0:
            issues.extend(_fee_sentence(report, key, text, pos, admin_fee))
            pos = text.find(_FEE_WORD, sentence_at(text, pos)[1])
    p6 = _text_of(report, "p6")
    if mentioned_in and "p6" not in mentioned_in:
        key = mentioned_in[0]
        text = _text_of(report, key)
        pos = text.find(_FEE_WORD)
        issues.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                f"{_where(fmt, key, text, pos)}：信息处理费的收取情况应在“六、其他需要报告的事项”中报告",
                part=key,
                anchor="位置",
                paragraph=line_of(text, pos),
            )
        )
    # 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号) applies from 2021-01-01.
    if report.year >= 2021 and p6.strip() and not mentioned_in:
        issues.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                "六、其他需要报告的事项：未说明信息处理费的收取情况（《政府信息公开信息处理费管理办法》施行后，"
                "年报在此报告收取的信息处理费，未收取也宜写明）",
                part="p6",
                anchor="未说明",
            )
        )
    return issues


@lru_cache(maxsize=8)
def _admin_fee_cell(format_id: str) -> str | None:
    return next((c for c in get_format(format_id).cells if c.endswith(".admin_fee.fee_amount")), None)


def _fee_sentence(report: Report, key: str, text: str, pos: int, admin_fee: object) -> list[Issue]:
    fmt = report.fmt
    s_start, s_end = sentence_at(text, pos)
    money = [
        f for f in figures(text) if s_start <= f.start < s_end and f.start > pos and f.unit in MONEY_UNITS
    ]
    where = _where(fmt, key, text, pos)
    out: list[Issue] = []
    if not money:
        return out
    total = money[0]
    phrase = _phrase(text, pos, total.end)
    para = line_of(text, pos)
    if total.unit != "元":
        out.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                f"{where}“{phrase}”：信息处理费按件或按量计收，通常以元报告（文中为 {total.text}）",
                part=key,
                anchor=f"单位#{phrase}",
                paragraph=para,
            )
        )
    in_wanyuan = total.value * MONEY_UNITS[total.unit] / MONEY_UNITS["万元"]
    sentence = text[s_start:s_end]
    if isinstance(admin_fee, Decimal | int) and admin_fee and in_wanyuan == Decimal(admin_fee):
        out.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                f"{where}“{phrase}”：信息处理费 {total.text} 与表二“行政事业性收费”本年收费金额 {_n(admin_fee)} 万元相同；"
                "信息处理费不是行政事业性收费，两者不应混填",
                part=key,
                anchor=f"混填#{phrase}",
                paragraph=para,
            )
        )
    elif _ADMIN_FEE_WORD in sentence:
        out.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                f"{where}“{phrase}”：信息处理费不是表二“行政事业性收费”，请分开表述",
                part=key,
                anchor=f"混称#{phrase}",
                paragraph=para,
            )
        )
    # A per-unit breakdown after 其中 must add up to the total.
    qi = sentence.find("其中", total.end - s_start)
    if qi >= 0:
        parts = [f for f in money[1:] if f.start >= s_start + qi and f.exact]
        if len(parts) >= 2 and total.exact:
            scale = MONEY_UNITS
            parts_sum = sum((f.value * scale[f.unit] for f in parts), start=Decimal(0))
            total_yuan = total.value * scale[total.unit]
            if parts_sum != total_yuan:
                out.append(
                    Issue(
                        "X-FEE-SUM",
                        "warning",
                        f"{where}“{phrase}”：信息处理费合计 {fmt_decimal(total_yuan)} 元，其中各项之和为 "
                        f"{fmt_decimal(parts_sum)} 元（{'、'.join(f.text for f in parts)}），两者不一致",
                        part=key,
                        expected=total_yuan,
                        actual=parts_sum,
                        anchor=phrase,
                        paragraph=para,
                    )
                )
    return out


# ------------------------------------------------------------------------------------------ metrics


def metric_bounds(report: Report, context: CheckContext) -> list[Issue]:
    """A rate lies within 0–100 % and its numerator does not exceed its denominator."""
    issues = []
    for m in report.metrics:
        if not m.is_rate:
            continue
        has_parts = m.numerator is not None and m.denominator is not None
        where = f"指标“{m.label}”"
        if m.value is not None and not (0 <= m.value <= 100):
            issues.append(
                Issue(
                    "X-METRIC-BOUNDS",
                    "error" if has_parts else "warning",
                    f"{where}：比率 {fmt_decimal(m.value)}% 超出 0–100% 的范围",
                    part="metrics",
                    expected=None,
                    actual=m.value,
                    anchor=f"{m.key}#范围",
                )
            )
        if has_parts:
            assert m.numerator is not None and m.denominator is not None
            if m.numerator < 0 or m.denominator < 0:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分子 {fmt_decimal(m.numerator)}、分母 {fmt_decimal(m.denominator)} 不能为负数",
                        part="metrics",
                        expected=None,
                        actual=m.numerator,
                        anchor=f"{m.key}#负数",
                    )
                )
            elif m.denominator == 0:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分母为 0，无法计算比率（分子 {fmt_decimal(m.numerator)}）",
                        part="metrics",
                        expected=None,
                        actual=m.denominator,
                        anchor=f"{m.key}#分母",
                    )
                )
            elif m.numerator > m.denominator:
                issues.append(
                    Issue(
                        "X-METRIC-BOUNDS",
                        "error",
                        f"{where}：分子 {fmt_decimal(m.numerator)} 大于分母 {fmt_decimal(m.denominator)}",
                        part="metrics",
                        expected=m.denominator,
                        actual=m.numerator,
                        anchor=f"{m.key}#分子",
                    )
                )
    return issues


_RATE_SUFFIXES = ("占比", "比例", "比率", "总数", "数量", "总量")


def _strict_anchors(label: str) -> list[str]:
    out = [label]
    for suffix in _RATE_SUFFIXES:
        if label.endswith(suffix) and len(label) - len(suffix) >= 2:
            out.append(label[: -len(suffix)])
    return out


def _loose_anchors(label: str) -> list[str]:
    out = _strict_anchors(label)
    out += [label[i:] for i in range(1, len(label) - 2) if label[i:] not in out]
    return out


def _locate(report: Report, m: Metric, strict: bool) -> tuple[str, str, Figure, int] | None:
    """Where the text states the metric: (part, text, figure, anchor start). The figure is the first with
    the metric's unit right after the label (or right before it: "147个双随机抽查任务")."""
    unit = m.unit.replace("％", "%")
    anchors = _strict_anchors(m.label) if strict else _loose_anchors(m.label)
    texts = list(_texts(report, ("p1", "intro", "p5", "p6")))
    for anchor in anchors:
        for key, text in texts:
            start = text.find(anchor)
            while start >= 0:
                end = start + len(anchor)
                found = _figure_near(text, start, end, unit, m.is_rate)
                if found is not None:
                    return key, text, found, start
                start = text.find(anchor, end)
    return None


def _figure_near(text: str, start: int, end: int, unit: str, is_rate: bool) -> Figure | None:
    s_start, s_end = sentence_at(text, start)
    reach = 16 if is_rate else 8
    for f in figures_from(text, s_start):
        if f.start < s_start:
            continue
        if f.start >= s_end:
            break
        if f.end <= start and start - f.end <= 1 and not is_rate:
            if not unit or f.unit == unit:
                return f
        if f.start >= end:
            if f.start - end > reach:
                return None
            if not unit or f.unit == unit:
                return f
            if not is_rate:
                return None  # the next figure is of another kind: the label is not followed by its value
    return None


def _metric_text_place(report: Report, m: Metric) -> tuple[str, str, Figure] | None:
    """The figure in the text that states a rate metric: near its label, else the one figure with its
    value; for messages and for the precision the text uses."""
    found = _locate(report, m, strict=False)
    if found is not None and m.value is not None and found[2].value == m.value:
        return found[0], found[1], found[2]
    if m.value is None:
        return None
    hits = [
        (key, text, f)
        for key, text in _texts(report, ("p1", "intro", "p5", "p6"))
        for f in figures(text)
        if f.unit == "%" and f.value == m.value
    ]
    if len(hits) == 1:
        return hits[0]
    return None


def metric_rate(report: Report, context: CheckContext) -> list[Issue]:
    """A rate stated with its numerator and denominator equals numerator ÷ denominator, rounded half-up at
    the precision the text uses."""
    fmt = report.fmt
    issues = []
    for m in report.metrics:
        if not (m.is_rate and m.value is not None and m.numerator is not None and m.denominator):
            continue
        if m.numerator < 0 or m.denominator < 0:
            continue  # X-METRIC-BOUNDS
        place = _metric_text_place(report, m)
        places = place[2].decimals if place else max(0, -int(m.value.as_tuple().exponent))
        computed = percent(m.numerator, m.denominator, places)
        if computed == m.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
            continue
        stated = fmt_decimal(m.value, places)
        calc = f"{fmt_decimal(m.numerator)} ÷ {fmt_decimal(m.denominator)} 计算应为 {fmt_decimal(computed, places)}%"
        if place is not None:
            key, text, fig = place
            phrase = _phrase(text, _lead_in(text, fig.start, clauses=2), fig.end)
            message = f"{_where(fmt, key, text, fig.start)}“{phrase}”：指标“{m.label}”文中为 {stated}%，按 {calc}，两者不一致"
            part, para = key, line_of(text, fig.start)
        else:
            message = f"指标“{m.label}”：填报为 {stated}%，按 {calc}，两者不一致"
            part, para = "metrics", None
        issues.append(
            Issue(
                "X-METRIC-RATE",
                "warning",
                message,
                part=part,
                expected=computed,
                actual=m.value,
                anchor=f"metric:{m.key}",
                paragraph=para,
            )
        )
    return issues


def metric_text(report: Report, context: CheckContext) -> list[Issue]:
    """A figure the text states right at a metric's label equals the metric's value."""
    fmt = report.fmt
    issues = []
    for m in report.metrics:
        if m.value is None:
            continue
        found = _locate(report, m, strict=True)
        if found is None:
            continue
        key, text, fig, anchor_start = found
        if fig.fits(m.value) or (not fig.exact and fig.value == m.value):
            continue
        start, end = min(anchor_start, fig.start), max(anchor_start + len(m.label), fig.end)
        phrase = _phrase(text, start, end)
        unit = m.unit or ""
        issues.append(
            Issue(
                "X-METRIC-TEXT",
                "warning",
                f"{_where(fmt, key, text, fig.start)}“{phrase}”：文中为 {fig.text}，指标“{m.label}”登记为 "
                f"{fmt_decimal(m.value)}{unit}，两者不一致",
                part=key,
                expected=m.value,
                actual=fig.value,
                anchor=f"metric:{m.key}",
                paragraph=line_of(text, fig.start),
            )
        )
    return issues


_RATE_WORD = re.compile(r"(?:占比|占|比例|比重|[\u4e00-\u9fff]{0,4}率)(?:为|达到|达|是)?$")
_TOTAL_WORD = re.compile(r"(?:总数|总量|总计|合计|共计|累计|共有|共|全部|总)(?:达到|达|为|是)?$")


def text_rate(report: Report, context: CheckContext) -> list[Issue]:
    """A share stated right after its count ("即办事项2364项，占比76.75%") equals the count divided by the
    base the text implies: the total named before it ("政务服务事项总数达3080项"), else the nearest larger
    figure of the same unit in the sentence ("抽查对象6731户次，完成5935户次，完成率88.32%")."""
    fmt = report.fmt
    covered = {
        (m.numerator, m.value)
        for m in report.metrics
        if m.is_rate and m.numerator is not None and m.denominator is not None
    }
    issues = []
    for key, text in _texts(report):
        figs = figures(text)
        for i, rate in enumerate(figs):
            if rate.unit != "%" or not rate.exact or i == 0:
                continue
            num = figs[i - 1]
            if num.unit in ("%", "个百分点") or not num.exact or num.value <= 0:
                continue
            s_start, _ = sentence_at(text, rate.start)
            if num.start < s_start:
                continue
            between = text[num.end : rate.num_start]
            if len(between) > 8 or not _RATE_WORD.search(between) or any(ch.isdigit() for ch in between):
                continue
            if _is_total(text, num):
                continue  # "总数达3080项，网上办理开通率99.74%": the rate is not a share of that count
            base = _implied_base(text, figs, i - 1)
            if base is None:
                continue
            if (num.value, rate.value) in covered:
                continue  # a metric holds this rate with its own numerator/denominator: X-METRIC-RATE checks it
            computed = percent(num.value, base.value, rate.decimals)
            if computed == rate.value:
                continue
            phrase = _phrase(text, _lead_in(text, num.start), rate.end)
            issues.append(
                Issue(
                    "X-TEXT-RATE",
                    "warning",
                    f"{_where(fmt, key, text, rate.start)}“{phrase}”：文中为 {fmt_decimal(rate.value, rate.decimals)}%，"
                    f"按前文 {fmt_decimal(num.value)}{num.unit} ÷ {fmt_decimal(base.value)}{base.unit}（“{_phrase(text, _lead_in(text, base.start, reach=14), base.end)}”）"
                    f"计算应为 {fmt_decimal(computed, rate.decimals)}%，两者不一致",
                    part=key,
                    expected=computed,
                    actual=rate.value,
                    anchor=phrase,
                    paragraph=line_of(text, rate.start),
                )
            )
    return issues


def _is_total(text: str, fig: Figure) -> bool:
    return bool(_TOTAL_WORD.search(text[max(0, fig.start - 6) : fig.start]))


def _implied_base(text: str, figs: tuple[Figure, ...], num_index: int) -> Figure | None:
    num = figs[num_index]
    line_start = text.rfind("\n", 0, num.start) + 1
    s_start, _ = sentence_at(text, num.start)
    candidates = [
        f
        for f in figs[:num_index]
        if f.start >= line_start and f.unit == num.unit and f.exact and f.value >= num.value
    ]
    totals = [f for f in candidates if _is_total(text, f)]
    if totals:
        return totals[-1]
    same_sentence = [f for f in candidates if f.start >= s_start and f.value > num.value]
    return same_sentence[-1] if same_sentence else None


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
    for key, text in _texts(report, SIMILAR_KEYS):
        text = strip_stock(text)
        before = strip_stock(_text_of(prev, key))
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


# Key totals whose jump from last year is worth a second look (a figure typed in the wrong unit or row).
SPIKE_TOTALS = (
    ("表三 一、本年新收政府信息公开申请数量", ("t3.new.total",)),
    ("表四 行政复议", ("t4.count.rv_total",)),
    ("表四 行政诉讼", ("t4.count.ld_total", "t4.count.la_total")),
    ("表二 行政处罚决定", ("t2_6.penalty.decisions",)),
    ("表二 行政许可决定", ("t2_5.license.decisions",)),
)
SPIKE_FACTOR = 5
SPIKE_MIN_BEFORE = 10


def yoy_spike(report: Report, context: CheckContext) -> list[Issue]:
    """Advice: a key total more than 5× or under ⅕ of last year's (last year ≥ 10)."""
    prev = context.previous
    if prev is None:
        return []
    fmt, pfmt = report.fmt, prev.fmt
    issues = []
    for label, ids in SPIKE_TOTALS:
        if not all(c in fmt.cells and c in pfmt.cells for c in ids):
            continue
        now, then = _sum(report, ids), _sum(prev, ids)
        if now is None or then is None or then < SPIKE_MIN_BEFORE:
            continue
        if now > then * SPIKE_FACTOR:
            how = f"是上年的 {fmt_decimal(Decimal(now) / Decimal(then), 1)} 倍"
        elif now * SPIKE_FACTOR < then:
            how = f"不到上年的五分之一（{fmt_decimal(Decimal(now) * 100 / Decimal(then), 1)}%）"
        else:
            continue
        issues.append(
            Issue(
                "T-YOY-SPIKE",
                "info",
                f"{label}：本年 {_n(now)} 件，上年（{prev.year}年）{_n(then)} 件，{how}；请确认没有填错行、单位或漏填",
                ids,
                expected=then,
                actual=now,
            )
        )
    return issues


def unchanged(report: Report, context: CheckContext) -> list[Issue]:
    """Every figure of a table equal to last year's: probably last year's table copied."""
    prev = context.previous
    if prev is None:
        return []
    fmt = report.fmt
    pfmt = prev.fmt
    issues = []
    for table in fmt.tables.values():
        common = _common_inputs(fmt.id, pfmt.id, table.id)
        if not common:
            continue
        now = [report.values.number(c) for c in common]
        if now != [prev.values.number(c) for c in common]:
            continue
        nonzero = sum(1 for v in now if v)
        if nonzero < 2:
            continue  # an all-zero 表四 two years running is ordinary
        key = _part_of_table(fmt, table.id)
        issues.append(
            Issue(
                "N-UNCHANGED",
                "warning",
                f"{table.name}：全部 {len(common)} 个数字（其中 {nonzero} 个非零）与上年（{prev.year}年）报告完全相同，"
                "请核实是否沿用了上年数据",
                part=key,
                expected=None,
                actual=nonzero,
            )
        )
    return issues


@lru_cache(maxsize=32)
def _common_inputs(format_id: str, prev_format_id: str, table: str) -> tuple[str, ...]:
    """Input cells of a table that both formats have (cross-format years compare what is comparable)."""
    fmt, pfmt = get_format(format_id), get_format(prev_format_id)
    return tuple(
        cid
        for cid, cell in fmt.cells.items()
        if cell.table == table and not cell.derived and cid in pfmt.cells and not pfmt.cells[cid].derived
    )


# ------------------------------------------------------------------------------ completeness and form


def empty_part(report: Report, context: CheckContext) -> list[Issue]:
    """Parts 一、五、六 are written (六 may say "无。"). A unit's return that holds only numbers (every part
    empty) is a source for the roll-up: a hint, not an error."""
    fmt = report.fmt
    keys = [p.key for p in fmt.parts if p.kind == "text"]
    empty = [k for k in keys if not _text_of(report, k).strip()]
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


def placeholders(report: Report, context: CheckContext) -> list[Issue]:
    """Template marks left in the text: （文字描述）, **, XX, ____, unknown {{…}} placeholders."""
    fmt = report.fmt
    issues = []
    parts = list(_texts(report, FORM_KEYS))
    if report.signature.organ:
        parts.append(("signature", report.signature.organ))
    for key, text in parts:
        hits = [
            (m.start(), m.group()) for lit, rx in _TEMPLATE_MARKS if lit in text for m in rx.finditer(text)
        ]
        if "{{" in text:
            hits += [(m.start(), m.group()) for m in _UNFILLED.finditer(text)]
        if not hits:
            continue
        hits.sort()
        shown = "、".join(f"“{h}”" for h in dict.fromkeys(h for _, h in hits[:5]))
        first = hits[0][0]
        where = "落款" if key == "signature" else _where(fmt, key, text, first)
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
    for key, text in _texts(report):
        # A paragraph or sentence that opens with a year speaks of that year's work: in 一 and the
        # introduction only the report year fits; 五、六 may also speak of the next year's plans.
        allowed = {y} if key in ("intro", "p1") else {y, y + 1}
        for m in _YEAR_OPENING.finditer(text):
            year = int(m.group(1))
            if year in allowed or not _opens_sentence(text, m.start()):
                continue
            pos = m.start(1)
            s_start, s_end = sentence_at(text, pos)
            phrase = _phrase(text, pos, min(s_end, pos + 24))
            issues.append(
                Issue(
                    "N-DATE",
                    "warning",
                    f"{_where(fmt, key, text, pos)}“{phrase}”：以{year}年开头，本报告是{y}年度报告（是否沿用了往年文字？）",
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
                        f"{_where(fmt, key, text, pos)}“{phrase}”：不是有效日期",
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
                        f"{_where(fmt, key, text, pos)}“{phrase}”：日期不在报告年度（{y}年）内",
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
    for key, text in _texts(report):
        for m in _PERIOD_WORD.finditer(text):
            s_start, s_end = sentence_at(text, m.start())
            sentence = text[s_start:s_end]
            phrase = _phrase(text, m.start(), s_end)
            where = _where(fmt, key, text, m.start())
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


_CJK = "\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—"
# A half-width mark before a Chinese character, or after one (the Chinese character is consumed, the mark
# is the match's last character): every mark is found once.
_HALF_PUNCT = re.compile(rf"[,:;()](?=[{_CJK}])|[{_CJK}][,:;()]")


def _half_width_hits(text: str) -> list[tuple[int, str]]:
    """(position, mark) of every half-width mark with a Chinese character (or Chinese punctuation) on
    either side."""
    out = []
    for m in _HALF_PUNCT.finditer(text):
        pos = m.end() - 1 if len(m.group()) == 2 else m.start()
        out.append((pos, text[pos]))
    return out


_FULL_FORM = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


def punct(report: Report, context: CheckContext) -> list[Issue]:
    """Half-width , : ; ( ) next to Chinese characters: one finding per part, with counts and examples."""
    fmt = report.fmt
    issues = []
    for key, text in _texts(report, FORM_KEYS):
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
    for key, text in _texts(report):
        for m in _NOTICE_NO.finditer(text):
            fid = numbers.get((int(m.group(1)), int(m.group(2))))
            if fid is None or fid == fmt.id:
                continue
            issues.append(
                Issue(
                    "N-BASIS",
                    "warning",
                    f"{_where(fmt, key, text, m.start())}“{m.group()}”：{report.year}年度报告适用的是"
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
                        f"{_where(fmt, key, text, pos)}：文中引用的《{title}》属于{notices()[fid].notice_no}，"
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
