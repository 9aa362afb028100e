"""What the narrative says about the tables: "共收到政府信息公开申请3119件" states 表三 一、本年新收 总计.

A figure is tied to the nearest keyword before it in the same sentence, after the previous figure
("予以公开1266件，部分公开234件"); a qualifier alone ("其中自然人2373件", "其中维持11件", "废止3件")
inherits the rest from the figure before it. Comparisons ("较上年增加12件") and sentences about another
year are not claims. The lexicon names rows and columns by their stable ids; which of them a format has is
looked up in the format data.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.textfigures import Figure, figures, sentence_spans

T3_COUNT_UNITS = ("件",)
T4_COUNT_UNITS = ("件", "起", "宗")
DOC_UNITS = ("件", "份", "个")
DECISION_UNITS = ("件", "个", "项", "宗")
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
ORG_COLS = ("ce", "ri", "spo", "lso", "oth")

# kind codes
ROW, COL, FAM, RES, OBJ, VERB, DELTA, EXCL = "row", "col", "fam", "res", "obj", "verb", "delta", "excl"

_LEXICON: tuple[tuple[str, str, str], ...] = (
    # 表三 rows (ids shared by both formats; a tuple value lists alternatives, first existing wins)
    ("予以公开及部分公开", ROW, "open_partial"),
    ("予以公开和部分公开", ROW, "open_partial"),
    ("予以公开或部分公开", ROW, "open_partial"),
    ("公开及部分公开", ROW, "open_partial"),
    ("予以公开", ROW, "r1_open"),
    ("同意公开", ROW, "r1_open"),
    ("全部公开", ROW, "r1_open"),
    ("部分公开", ROW, "r2_partial"),
    ("不予公开", ROW, "g3_withheld"),
    ("国家秘密", ROW, "r3_1"),
    ("法律行政法规禁止公开", ROW, "r3_2"),
    ("三安全一稳定", ROW, "r3_3"),
    ("第三方合法权益", ROW, "r3_4"),
    ("内部事务信息", ROW, "r3_5"),
    ("过程性信息", ROW, "r3_6"),
    ("行政执法案卷", ROW, "r3_7"),
    ("行政查询事项", ROW, "r3_8"),
    ("无法提供", ROW, "g4_unable"),
    ("不掌握相关政府信息", ROW, "r4_1"),
    ("本机关不掌握", ROW, "r4_1"),
    ("没有现成信息", ROW, "r4_2"),
    ("另行制作", ROW, "r4_2"),
    ("申请内容仍不明确", ROW, "r4_3"),
    ("仍不明确", ROW, "r4_3"),
    ("不予处理", ROW, "g5_not_processed"),
    ("信访举报投诉", ROW, "r5_1"),
    ("重复申请", ROW, "r5_2"),
    ("公开出版物", ROW, "r5_3"),
    ("大量反复申请", ROW, "r5_4"),
    ("确认或重新出具", ROW, "r5_5"),
    ("其他处理", ROW, "g6_other|r6_other"),
    ("逾期不补正", ROW, "r6_1"),
    ("未按收费通知", ROW, "r6_2"),
    ("上年结转", ROW, "carry_in"),
    ("上年度结转", ROW, "carry_in"),
    ("上一年度结转", ROW, "carry_in"),
    ("上年度转结", ROW, "carry_in"),
    ("往年结转", ROW, "carry_in"),
    ("结转下年度", ROW, "carry_out"),
    ("结转下一年度", ROW, "carry_out"),
    ("结转至下年度", ROW, "carry_out"),
    ("结转至下一年度", ROW, "carry_out"),
    ("结转到下年度", ROW, "carry_out"),
    ("转入下一年度", ROW, "carry_out"),
    ("转入下年度", ROW, "carry_out"),
    ("办结", ROW, "r7_total"),
    ("答复", ROW, "r7_total"),
    ("办理完毕", ROW, "r7_total"),
    ("处理完毕", ROW, "r7_total"),
    ("新收", ROW, "new"),
    ("收到", ROW, "new"),
    ("受理", ROW, "new"),
    ("接收", ROW, "new"),
    ("接到", ROW, "new"),
    ("公开申请", ROW, "new"),
    # 表三 columns
    ("自然人", COL, "np"),
    ("商业企业", COL, "ce"),
    ("科研机构", COL, "ri"),
    ("社会公益组织", COL, "spo"),
    ("法律服务机构", COL, "lso"),
    ("法人或其他组织", COL, "org"),
    ("法人和其他组织", COL, "org"),
    ("法人及其他组织", COL, "org"),
    ("法人", COL, "org"),
    # 表四
    ("行政复议", FAM, "rv"),
    ("复议案件", FAM, "rv"),
    ("行政诉讼", FAM, "lit"),
    ("诉讼案件", FAM, "lit"),
    ("诉讼", FAM, "lit"),
    ("未经复议直接起诉", FAM, "ld"),
    ("直接起诉", FAM, "ld"),
    ("行政复议后起诉", FAM, "la"),
    ("经复议后起诉", FAM, "la"),
    ("复议后起诉", FAM, "la"),
    ("维持", RES, "keep"),
    ("纠正", RES, "correct"),
    ("其他结果", RES, "other"),
    ("尚未审结", RES, "pending"),
    ("未审结", RES, "pending"),
    ("正在审理", RES, "pending"),
    ("审理中", RES, "pending"),
    # 表二
    ("行政规范性文件", OBJ, "normative"),
    ("规范性文件", OBJ, "normative"),
    ("规章", OBJ, "rules"),
    ("行政许可", OBJ, "license"),
    ("其他对外管理服务事项", OBJ, "other_mgmt"),
    ("行政处罚", OBJ, "penalty"),
    ("行政强制", OBJ, "coercion"),
    ("行政事业性收费", OBJ, "admin_fee"),
    ("政府集中采购", OBJ, "central_proc"),
    ("集中采购", OBJ, "central_proc"),
    ("制发", VERB, "made"),
    ("制定", VERB, "made"),
    ("出台", VERB, "made"),
    ("印发", VERB, "made"),
    ("新制作", VERB, "made"),
    ("新公开", VERB, "new_public"),
    ("废止", VERB, "repealed"),
    ("现行有效", VERB, "valid"),
    ("对外公开总数", VERB, "total_public"),
    ("公开总数", VERB, "total_public"),
    ("处理决定", VERB, "decisions"),
    ("作出", VERB, "decisions"),
    ("做出", VERB, "decisions"),
    ("收费金额", VERB, "fee"),
    # a figure after these is a difference or a comparison, not the count itself
    ("增加", DELTA, ""),
    ("减少", DELTA, ""),
    ("增长", DELTA, ""),
    ("下降", DELTA, ""),
    ("上升", DELTA, ""),
    ("提高", DELTA, ""),
    ("降低", DELTA, ""),
    ("同比", DELTA, ""),
    ("环比", DELTA, ""),
    ("较上年", DELTA, ""),
    ("比上年", DELTA, ""),
    ("较去年", DELTA, ""),
    ("比去年", DELTA, ""),
    ("多出", DELTA, ""),
    ("平均", DELTA, ""),
    # "受理…申请" about something else than 政府信息公开
    ("建议", EXCL, ""),
    ("提案", EXCL, ""),
    ("审批", EXCL, ""),
    ("热线", EXCL, ""),
    ("咨询", EXCL, ""),
    ("来信", EXCL, ""),
    ("来访", EXCL, ""),
    ("诉求", EXCL, ""),
    ("工单", EXCL, ""),
    ("来电", EXCL, ""),
    ("留言", EXCL, ""),
)
# Keywords that only count when nothing more specific names the row.
_WEAK = {"公开申请", "诉讼"}

_KIND = {w: (k, v) for w, k, v in _LEXICON}
_KEYWORDS = re.compile("|".join(re.escape(w) for w in sorted(_KIND, key=len, reverse=True)))
_YEAR = re.compile(r"(\d{4})年")
_VERB_COLUMNS = {
    "made": ("made", "new_made"),
    "new_public": ("new_public",),
    "repealed": ("repealed",),
    "valid": ("valid",),
    "total_public": ("total_public",),
    "decisions": ("decisions",),
    "fee": ("fee_amount",),
}
_DEFAULT_VERB = {
    "license": "decisions",
    "penalty": "decisions",
    "coercion": "decisions",
    "other_mgmt": "decisions",
}
_RESULT_LABELS = {
    "keep": "结果维持",
    "correct": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
_FAMILY_LABELS = {
    "rv": "行政复议",
    "lit": "行政诉讼（未经复议直接起诉与复议后起诉合计）",
    "ld": "行政诉讼·未经复议直接起诉",
    "la": "行政诉讼·复议后起诉",
}
_FAMILY_PREFIXES = {"rv": ("rv",), "lit": ("ld", "la"), "ld": ("ld",), "la": ("la",)}


@dataclass(frozen=True)
class Keyword:
    start: int
    end: int
    word: str
    kind: str
    value: str

    @property
    def weak(self) -> bool:
        return self.word in _WEAK


@dataclass(frozen=True)
class Claim:
    """A figure of the text tied to the cells it speaks of."""

    rule: str  # X-TEXT-T3 | X-TEXT-T2 | T4-TEXT
    ids: tuple[str, ...]  # cells or group subtotals (t3.g3_withheld.total) whose sum the text states
    cells: tuple[str, ...]  # the same as real cell ids (groups expanded to their rows)
    label: str  # what the text names, e.g. "表三（一）予以公开 总计"
    figure: Figure
    value: Decimal  # the stated value in the table's unit (万元 for the fee)
    phrase_start: int  # where the phrase to quote starts (its keyword)
    scope: tuple[str, str]  # (table, row or family) for finding the cell a wrong figure came from


@lru_cache(maxsize=512)
def keywords(text: str) -> tuple[Keyword, ...]:
    return tuple(Keyword(m.start(), m.end(), m.group(), *_KIND[m.group()]) for m in _KEYWORDS.finditer(text))


@lru_cache(maxsize=256)
def claims(text: str, format_id: str, year: int) -> tuple[Claim, ...]:
    """Every figure of the text that states a table value, with the cells it states."""
    figs = figures(text)
    if not figs:
        return ()
    fmt = get_format(format_id)
    kws = keywords(text)
    kw_starts = [k.start for k in kws]
    out: list[Claim] = []
    fig_index = 0
    for s_start, s_end in sentence_spans(text):
        state: dict[str, str | None] = {}
        window_start = s_start
        while fig_index < len(figs) and figs[fig_index].start < s_start:
            fig_index += 1
        while fig_index < len(figs) and figs[fig_index].start < s_end:
            fig = figs[fig_index]
            fig_index += 1
            i = bisect_left(kw_starts, window_start)
            window: list[Keyword] = []
            while i < len(kws) and kws[i].start < fig.start:
                if kws[i].end <= fig.start:
                    window.append(kws[i])
                i += 1
            claim = _claim(text, fmt, year, fig, window, window_start, state)
            window_start = fig.end
            if claim is not None:
                out.append(claim)
    return tuple(out)


def _claim(
    text: str,
    fmt: FormatDef,
    year: int,
    fig: Figure,
    window: list[Keyword],
    window_start: int,
    state: dict[str, str | None],
) -> Claim | None:
    strong: dict[str, Keyword] = {}
    weak: dict[str, Keyword] = {}
    for k in window:
        (weak if k.weak else strong)[k.kind] = k  # the last one of each kind, weak ones apart
    row_kw, col_kw = strong.get(ROW) or weak.get(ROW), strong.get(COL) or weak.get(COL)
    fam_kw, res_kw = strong.get(FAM) or weak.get(FAM), strong.get(RES) or weak.get(RES)
    obj_kw, verb_kw = strong.get(OBJ) or weak.get(OBJ), strong.get(VERB) or weak.get(VERB)
    # The domain is the one of the nearest naming keyword; qualifiers alone continue the previous one.
    naming = [k for k in (row_kw, fam_kw, obj_kw, verb_kw) if k is not None]
    if naming:
        nearest = max(naming, key=lambda k: k.end)
        domain = {ROW: "t3", FAM: "t4", OBJ: "t2", VERB: "t2"}[nearest.kind]
    elif col_kw is not None and state.get("domain") == "t3":
        domain = "t3"
    elif res_kw is not None and state.get("domain") == "t4":
        domain = "t4"
    else:
        return None
    skip = DELTA in strong or _other_year(text, window_start, fig.start, year)
    phrase_start = min((k.start for k in window if k.kind != DELTA), default=fig.start)

    if domain == "t3":
        row = row_kw.value if row_kw else state.get("t3row")
        col = col_kw.value if col_kw else ("total" if row_kw else state.get("t3col") or "total")
        state.update(domain="t3", t3row=row, t3col=col)
        if skip or row is None or fig.unit not in T3_COUNT_UNITS:
            return None
        if row in ("new", "r7_total") and row_kw is not None:
            # 收到/受理/办结/答复 are common words: only a paragraph about applications speaks of 表三
            if "申请" not in _context(text, fig.start) or EXCL in strong:
                return None
            if row == "new" and "申请" not in text[row_kw.start : min(len(text), fig.end + 3)]:
                return None
        return _t3_claim(fmt, row, col, fig, phrase_start)
    if domain == "t4":
        fam = fam_kw.value if fam_kw else state.get("fam")
        res = res_kw.value if res_kw else ("total" if fam_kw else None)
        state.update(domain="t4", fam=fam)
        if skip or fam is None or res is None or fig.unit not in T4_COUNT_UNITS:
            return None
        if not _T4_CONTEXT.search(_context(text, fig.start)):
            return None  # e.g. a 司法局 reporting the reviews it handled as the review organ
        return _t4_claim(fmt, fam, res, fig, phrase_start)
    obj = obj_kw.value if obj_kw else state.get("obj")
    verb = verb_kw.value if verb_kw else (None if obj_kw else state.get("verb"))
    state.update(domain="t2", obj=obj, verb=verb)
    if skip or obj is None:
        return None
    return _t2_claim(fmt, obj, verb, fig, phrase_start)


_T4_CONTEXT = re.compile(r"信息公开|依申请|被申请|被提起|被诉|公开申请")
_HEADING_LINE = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


@lru_cache(maxsize=256)
def _lines(text: str) -> tuple[tuple[int, str, str], ...]:
    """(start, line, heading line above it) for every line of the text."""
    out = []
    heading = ""
    pos = 0
    for line in text.split("\n"):
        if _HEADING_LINE.match(line):
            heading = line
        out.append((pos, line, heading))
        pos += len(line) + 1
    return tuple(out)


def _context(text: str, pos: int) -> str:
    """The paragraph holding `pos` and the sub-heading it sits under."""
    lines = _lines(text)
    i = bisect_right([start for start, _, _ in lines], pos) - 1
    _, line, heading = lines[max(i, 0)]
    return line if heading == line else f"{heading}\n{line}"


def _other_year(text: str, start: int, end: int, year: int) -> bool:
    return any(int(m.group(1)) != year for m in _YEAR.finditer(text, start, end))


def _t3_row(fmt: FormatDef, row: str) -> str | None:
    ids = {r.id for r in fmt.section("t3").rows}
    return next((r for r in row.split("|") if r in ids), None)


def _t3_claim(fmt: FormatDef, row: str, col: str, fig: Figure, phrase_start: int) -> Claim | None:
    rows = ["r1_open", "r2_partial"] if row == "open_partial" else [_t3_row(fmt, row)]
    if None in rows:
        return None
    section = fmt.section("t3")
    cols = list(ORG_COLS) if col == "org" else [col]
    ids: list[str] = []
    cells: list[str] = []
    for r in rows:
        assert r is not None
        rdef = section.row(r)
        for c in cols:
            ids.append(f"t3.{r}.{c}")
            if rdef.kind == "group":
                cells.extend(f"t3.{leaf.id}.{c}" for leaf in section.leaves_under(r))
            else:
                cells.append(f"t3.{r}.{c}")
    if not all(i in fmt.cells or i in fmt.groups for i in ids):
        return None
    names = " + ".join(row_name(fmt, r) for r in rows if r)
    label = (
        f"表三 {names}" if col == "total" and names.endswith("总计") else f"表三 {names} {col_name(fmt, col)}"
    )
    scope_row = rows[0] if len(rows) == 1 else "open_partial"
    return Claim(
        "X-TEXT-T3", tuple(ids), tuple(cells), label, fig, fig.value, phrase_start, ("t3", scope_row or "")
    )


def row_name(fmt: FormatDef, row: str) -> str:
    """A 表三 row as the text would name it: its label without the note in brackets; a group says that it
    is the sum of its items."""
    rdef = fmt.section("t3").row(row)
    label = rdef.label.split("（区分")[0]
    if rdef.kind == "group":
        return f"{label}（各项合计）"
    parent = fmt.section("t3").row(rdef.parent) if rdef.parent else None
    if parent is not None and parent.kind == "group" and parent.parent is not None:
        return f"{parent.label} {label}"
    return label


def col_name(fmt: FormatDef, col: str) -> str:
    if col == "org":
        return "法人或其他组织（五列合计）"
    return fmt.section("t3").column(col).label


def _t4_claim(fmt: FormatDef, fam: str, res: str, fig: Figure, phrase_start: int) -> Claim | None:
    ids = tuple(f"t4.count.{p}_{res}" for p in _FAMILY_PREFIXES[fam])
    if not all(i in fmt.cells for i in ids):
        return None
    label = f"表四 {_FAMILY_LABELS[fam]} {_RESULT_LABELS[res]}"
    return Claim("T4-TEXT", ids, ids, label, fig, fig.value, phrase_start, ("t4", fam))


def _t2_claim(fmt: FormatDef, obj: str, verb: str | None, fig: Figure, phrase_start: int) -> Claim | None:
    money = fig.unit in MONEY_UNITS
    if verb is None:
        if obj in _DEFAULT_VERB and not money:
            verb = _DEFAULT_VERB[obj]
        elif obj == "admin_fee" and money:
            verb = "fee"
        else:
            return None
    if verb == "fee":
        if not money:
            return None
    elif verb == "decisions":
        if fig.unit not in DECISION_UNITS:
            return None
    elif fig.unit not in DOC_UNITS:
        return None
    for section in fmt.tables["t2"].sections:
        if not any(r.id == obj for r in section.rows):
            continue
        for col in _VERB_COLUMNS[verb]:
            cid = f"{section.id}.{obj}.{col}"
            if cid in fmt.cells:
                value = fig.value
                if money:
                    # the table's fee is in 万元; the text may say 元 or 亿元
                    value = fig.value * MONEY_UNITS[fig.unit] / MONEY_UNITS["万元"]
                label = fmt.cells[cid].label
                return Claim("X-TEXT-T2", (cid,), (cid,), label, fig, value, phrase_start, ("t2", obj))
    return None


# ------------------------------------------------------------------------------ statements without figures

_CLAUSE = re.compile(r"[^，,。；;：:\n]+")
_NEGATION = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|未收到|没有收到|未接到|没有接到|未受理|没有受理|未有|没有|并无|无)"
    r"(?!法|正当|现成)"
)
_ALL_KEPT = re.compile(r"(?:均|全部|都|皆)(?:已)?(?:获|被|予以|得到|获得)?(?:维持|胜诉)")
_DIGITS = re.compile(r"[0-9０-９]")
_FAMILY_WORDS = re.compile(r"行政复议|复议|行政诉讼|诉讼")
_RECEIVED = re.compile(r"收到|受理|新收|接到|依申请公开|公开申请")


@dataclass(frozen=True)
class Statement:
    """A sentence that says something about the tables without a figure: "均获维持", "未收到…申请"."""

    kind: str  # all_kept | no_review | no_applications
    families: tuple[str, ...]  # rv / lit for 表四 statements
    start: int
    end: int


@lru_cache(maxsize=256)
def statements(text: str) -> tuple[Statement, ...]:
    if not text:
        return ()
    out: list[Statement] = []
    for m in _ALL_KEPT.finditer(text):
        if not _T4_CONTEXT.search(_context(text, m.start())):
            continue
        s_start, _ = _sentence_of(text, m.start())
        before = text[s_start : m.start()]
        fams = _families(before)
        out.append(Statement("all_kept", fams or ("rv", "lit"), _clause_start(text, m.start()), m.end()))
    done_clauses: set[int] = set()
    for neg in _NEGATION.finditer(text):
        c_start = _clause_start(text, neg.start())
        if c_start in done_clauses:
            continue
        done_clauses.add(c_start)
        clause_match = _CLAUSE.match(text, c_start)
        if clause_match is None:
            continue
        clause = clause_match.group()
        if _DIGITS.search(clause):
            continue
        after = text[neg.end() : clause_match.end()]
        fams = _families(after)
        if fams:
            if _T4_CONTEXT.search(_context(text, c_start)):
                out.append(Statement("no_review", fams, c_start, clause_match.end()))
        elif "申请" in after and _RECEIVED.search(clause):
            out.append(Statement("no_applications", (), c_start, clause_match.end()))
    return tuple(sorted(out, key=lambda s: s.start))


def _families(text: str) -> tuple[str, ...]:
    fams: list[str] = []
    for m in _FAMILY_WORDS.finditer(text):
        fam = "rv" if "复议" in m.group() else "lit"
        if fam not in fams:
            fams.append(fam)
    return tuple(fams)


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentence_spans(text):
        if s <= pos < e:
            return s, e
    return 0, len(text)


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "，,。；;：:\n":
        i -= 1
    return i


def family_prefixes(fam: str) -> tuple[str, ...]:
    return _FAMILY_PREFIXES[fam]


def family_label(fam: str) -> str:
    return _FAMILY_LABELS[fam]
