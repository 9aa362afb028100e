"""Narrative ↔ tables: figures, claims and 信息处理费 the text states, against the tables they quote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from ruian_desk.domain.checks.common import (
    as_text,
    cell_sum,
    place_of,
    quote_span,
    text_of,
    texts_of,
    unit_of,
)
from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.issues import CheckContext, Issue, applies
from ruian_desk.domain.report import Report
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
    approx_range,
    figures,
    fmt_decimal,
    line_of,
    quote,
    sentence_at,
)

# ---------------------------------------------------------------------------------- narrative ↔ tables


def text_tables(report: Report, context: CheckContext) -> list[Issue]:
    """Figures the narrative quotes from 表二/表三/表四 equal the cells or group totals they name; claims
    without a figure ("均获维持", "未发生行政复议", "未收到申请") agree with the tables."""
    fmt = report.fmt
    wanted = {r for r in ("X-TEXT-T3", "X-TEXT-T2", "T4-TEXT") if applies(fmt, r)}
    if not wanted:
        return []
    issues: list[Issue] = []
    for key, text in texts_of(report):
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
    table_value = cell_sum(report, claim.ids)
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
    unit = unit_of(fmt, claim.cells[0]) if claim.cells else "件"
    where = place_of(fmt, key, text, fig.start)
    phrase = quote_span(text, claim.phrase_start, fig.end)
    stated = fig.text if not fig.exact else f"{fmt_decimal(claim.value)} {unit}"
    table_text = "为空（未填）" if table_value is None else f"为 {as_text(table_value)} {unit}"
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
        v = cell_sum(report, ids)
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
    where = place_of(fmt, key, text, st.start)
    phrase = quote_span(text, st.start, st.end)
    out: list[Issue] = []
    if st.kind == "no_applications":
        if "X-TEXT-T3" not in wanted:
            return []
        total = cell_sum(report, ("t3.new.total",))
        if total:
            out.append(
                Issue(
                    "X-TEXT-T3",
                    "warning",
                    f"{where}“{phrase}”：文中称没有收到申请，但表三 一、本年新收政府信息公开申请数量 总计为 {as_text(total)} 件",
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
        total = cell_sum(report, tuple(f"t4.count.{p}_total" for p in prefixes)) or 0
        cells = tuple(
            f"t4.count.{p}_{r}" for p in prefixes for r in ("keep", "correct", "other", "pending", "total")
        )
        if st.kind == "no_review":
            if total:
                out.append(
                    Issue(
                        "T4-TEXT",
                        "warning",
                        f"{where}“{phrase}”：文中称没有{family_label(fam).split('（')[0]}，但表四 {family_label(fam)} 总计为 {as_text(total)} 件",
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
        keep = cell_sum(report, tuple(f"t4.count.{p}_keep" for p in prefixes)) or 0
        if total and keep == total:
            continue
        others = []
        for res, name in (("correct", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")):
            v = cell_sum(report, tuple(f"t4.count.{p}_{res}" for p in prefixes)) or 0
            if v:
                others.append(f"{name} {as_text(v)} 件")
        detail = f"其中结果维持 {as_text(keep)} 件、{'、'.join(others)}" if total else "没有案件"
        out.append(
            Issue(
                "T4-TEXT",
                "warning",
                f"{where}“{phrase}”：文中称均获维持，但表四 {family_label(fam)} 共 {as_text(total)} 件，{detail}",
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
    for key, text in texts_of(report):
        pos = text.find(_FEE_WORD)
        if pos < 0:
            continue
        mentioned_in.append(key)
        while pos >= 0:
            issues.extend(_fee_sentence(report, key, text, pos, admin_fee))
            pos = text.find(_FEE_WORD, sentence_at(text, pos)[1])
    p6 = text_of(report, "p6")
    if mentioned_in and "p6" not in mentioned_in:
        key = mentioned_in[0]
        text = text_of(report, key)
        pos = text.find(_FEE_WORD)
        issues.append(
            Issue(
                "X-FEE-TEXT",
                "info",
                f"{place_of(fmt, key, text, pos)}：信息处理费的收取情况应在“六、其他需要报告的事项”中报告",
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
    where = place_of(fmt, key, text, pos)
    out: list[Issue] = []
    if not money:
        return out
    total = money[0]
    phrase = quote_span(text, pos, total.end)
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
                f"{where}“{phrase}”：信息处理费 {total.text} 与表二“行政事业性收费”本年收费金额 {as_text(admin_fee)} 万元相同；"
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


# ------------------------------------------------------------------------------ X-TEXT-ALLDONE

_ALL_DONE = re.compile(
    r"(?:全部|均已|均|已全部|悉数|全都|100%)(?:按时|按期|依法|及时|在法定期限内)?(?:予以)?"
    r"(?:办结|答复|处理完毕|办理完毕|作出答复)"
)


def all_done(report: Report, context: CheckContext) -> list[Issue]:
    """The text says every application was answered while 表三 四、结转下年度继续办理 > 0."""
    if "t3.carry_out.total" not in report.fmt.cells:
        return []
    carried = cell_sum(report, ("t3.carry_out.total",)) or 0
    if not carried:
        return []
    issues = []
    for key, text in texts_of(report, ("intro", "p1")):
        for m in _ALL_DONE.finditer(text):
            s_start, s_end = sentence_at(text, m.start())
            if "申请" not in text[s_start:s_end] or "结转" in text[s_start:s_end]:
                continue  # the sentence is not about applications, or it already names what was carried over
            phrase = quote(text, max(s_start, m.start() - 16), m.end())
            issues.append(
                Issue(
                    "X-TEXT-ALLDONE",
                    "warning",
                    f"{place_of(report.fmt, key, text, m.start())}“{phrase}”：文中称申请均已办结（答复），但表三"
                    f"“四、结转下年度继续办理”总计为 {carried} 件，尚有申请结转下年度办理",
                    ("t3.carry_out.total",),
                    expected=0,
                    actual=carried,
                    part=key,
                    anchor=phrase,
                    paragraph=line_of(text, m.start()),
                )
            )
    return issues


# -------------------------------------------------------------------------------- X-FEE-NOTICE


def fee_notice(report: Report, context: CheckContext) -> list[Issue]:
    """表三（六）2 逾期未按收费通知要求缴纳费用 > 0: part 六 should say how 信息处理费 was charged."""
    cell = "t3.r6_2.total"
    label = report.fmt.cells.get(cell)
    if label is None or "收费通知" not in label.label:
        return []
    n = cell_sum(report, (cell,)) or 0
    if not n:
        return []
    p6 = text_of(report, "p6")
    if "信息处理费" in p6 or "收费通知" in p6:
        return []
    return [
        Issue(
            "X-FEE-NOTICE",
            "warning",
            f"表三（六）2.“申请人逾期未按收费通知要求缴纳费用”为 {n} 件，说明本年发出过收费通知，但“六、其他需要报告的事项”"
            "未说明信息处理费的收取情况（国办函〔2020〕109号）",
            (cell,),
            expected=None,
            actual=n,
            part="p6",
            anchor="收费通知",
        )
    ]
