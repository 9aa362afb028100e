"""What each test document says: unit, year, texts and figures, and the truth a reader must recover from it.

The figures are invented but follow the format's arithmetic (表三 row sums, result sums and the corner balance,
表四 sums) except where a fixture prints a wrong total on purpose. `printed` holds the exact string each
document shows in a cell; `truth` holds what that string means (None = printed blank, "/", "—" …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from ruian_desk.domain.formats import FormatDef, get_format

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

T3_COLS = ("np", "ce", "ri", "spo", "lso", "oth")


@dataclass
class Fixture:
    name: str
    unit: str
    year: int
    format: str
    title: str
    intro: list[str]
    p1: list[str]
    p5: list[str]
    p6: list[str]
    signature: tuple[str, str]  # (organ, date) as printed
    truth: dict[str, Any] = field(default_factory=dict)  # input cell id -> int | "decimal string" | None
    printed: dict[str, str] = field(default_factory=dict)  # every cell id (input and derived) -> printed text
    stated: dict[str, Any] = field(default_factory=dict)  # derived cell id -> value as printed (None = blank)
    problems: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def fmt(self) -> FormatDef:
        return get_format(self.format)

    def part_text(self, key: str) -> str:
        return "\n".join(getattr(self, key))

    def expected(self) -> dict[str, Any]:
        fmt = self.fmt
        cells = {cid: self.truth[cid] for cid in fmt.input_cells}
        return {
            "unit": self.unit,
            "year": self.year,
            "format": self.format,
            "parts": {
                "title": self.title,
                "intro": "\n".join(self.intro),
                "p1": self.part_text("p1"),
                "p5": self.part_text("p5"),
                "p6": self.part_text("p6"),
                "signature": " ".join(self.signature),
            },
            "cells": cells,
            "stated_totals": {cid: self.stated[cid] for cid in fmt.derived_cells},
            "problems_expected": self.problems,
            "notes": self.notes,
        }


# ------------------------------------------------------------------------------------------------- figures


def _t3_matrix(
    results: dict[str, list[int]], carry_in: list[int], carry_out: list[int]
) -> dict[str, list[int]]:
    """Rows of 表三 (six applicant columns); 新收 is worked out so the corner balance holds in every column."""
    leaves = [r for r in results]
    r7 = [sum(results[r][k] for r in leaves) for k in range(6)]
    new = [r7[k] + carry_out[k] - carry_in[k] for k in range(6)]
    assert all(n >= 0 for n in new), new
    out = {"new": new, "carry_in": carry_in, **results, "carry_out": carry_out}
    return out


def _fill(
    fx: Fixture,
    t2: dict[str, Any],
    t3: dict[str, list[int]],
    t4: list[int],
    blank: Any,
    fmt_number: Any = str,
    blank_total: Any = None,
) -> None:
    """Work out truth, printed text and stated totals.

    t2: input cell id -> value (int, decimal string, or None for a printed blank; a str value that is not a
    number is the printed blank mark itself, e.g. "/"). blank(cell_id) -> the mark printed for a zero in an input
    cell of 表三/表四, or None to print the zero. blank_total(cell_id, parts_all_blank) -> mark for a zero total.
    """
    fmt = fx.fmt
    values: dict[str, int] = {}
    for row, vals in t3.items():
        for col, v in zip(T3_COLS, vals, strict=True):
            values[f"t3.{row}.{col}"] = v
    for col, v in zip([c.id for c in fmt.tables["t4"].sections[0].columns if not c.derived], t4, strict=True):
        values[f"t4.count.{col}"] = v
    for cid, v in t2.items():
        assert cid in fmt.cells and not fmt.cells[cid].derived, cid
        if v is None or (isinstance(v, str) and not _is_number(v)):
            fx.truth[cid] = None
            fx.printed[cid] = v or ""
        else:
            fx.truth[cid] = v
            fx.printed[cid] = fmt_number(v) if isinstance(v, int) else v
    for cid, v in values.items():
        mark = blank(cid) if v == 0 else None
        if mark is not None:
            fx.truth[cid] = None
            fx.printed[cid] = mark
        else:
            fx.truth[cid] = v
            fx.printed[cid] = fmt_number(v)
    for cid in fmt.derived_cells:
        parts = fmt.cells[cid].parts
        total = sum(values.get(p, 0) for p in parts)
        all_blank = all(fx.truth.get(p) is None for p in parts)
        mark = blank_total(cid, all_blank) if (blank_total and total == 0) else None
        if mark is not None:
            fx.stated[cid] = None
            fx.printed[cid] = mark
        else:
            fx.stated[cid] = total
            fx.printed[cid] = fmt_number(total)
    missing = set(fmt.input_cells) - set(fx.truth)
    assert not missing, sorted(missing)


def _is_number(s: str) -> bool:
    try:
        float(s.replace(",", ""))
    except ValueError:
        return False
    return True


def value(fx: Fixture, cid: str) -> int:
    """A cell's value with blanks as 0 (for quoting figures in the text)."""
    if fx.fmt.cells[cid].derived:
        v = fx.stated[cid]
    else:
        v = fx.truth[cid]
    return int(v or 0)


def group_total(fx: Fixture, group: str) -> int:
    return sum(value(fx, c) for c in fx.fmt.groups[f"t3.{group}.total"])


# ------------------------------------------------------------------------------------------------- texts


def _intro(
    fx: Fixture, rng: random.Random, site: str = "瑞安市人民政府门户网站（www.ruian.gov.cn）"
) -> list[str]:
    y = fx.year
    basis = rng.choice(
        [
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求，",
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，",
        ]
    )
    return [
        f"{basis}由{fx.unit}结合有关统计数据编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六个方面。"
        f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。本年度报告的电子版可以从{site}下载。"
        f"如对本报告有任何疑问，请与{fx.unit}办公室联系（地址：瑞安市安阳街道万松东路{rng.randint(10, 300)}号，"
        f"电话：0577-6581{rng.randint(1000, 9999)}）。"
    ]


def _thousands(n: int) -> str:
    return f"{n:,}"


def _p1(fx: Fixture, rng: random.Random, pub: dict[str, int], short: bool = False) -> list[str]:
    u, y = fx.unit, fx.year
    new, cin, cout = (
        value(fx, "t3.new.total"),
        value(fx, "t3.carry_in.total"),
        value(fx, "t3.carry_out.total"),
    )
    opened, partial = value(fx, "t3.r1_open.total"), value(fx, "t3.r2_partial.total")
    withheld, unable, notp = (group_total(fx, g) for g in ("g3_withheld", "g4_unable", "g5_not_processed"))
    other = value(fx, "t3.r6_other.total") if fx.format == "gov-2019" else group_total(fx, "g6_other")
    rv = value(fx, "t4.count.rv_total")
    lit = value(fx, "t4.count.ld_total") + value(fx, "t4.count.la_total")
    if fx.format == "gov-2021":
        made, rep, valid = (value(fx, f"t2_1.normative.{c}") for c in ("made", "repealed", "valid"))
        docs = f"全年制发行政规范性文件{made}件，废止{rep}件，截至{y}年底现行有效{valid}件，均在瑞安市行政规范性文件数据库中集中公开"
    else:
        made, public, total = (
            value(fx, f"t2_1.normative.{c}") for c in ("new_made", "new_public", "total_public")
        )
        docs = f"全年新制作规范性文件{made}件，新公开{public}件，对外公开规范性文件总数达{total}件"
    lead = rng.choice(
        [
            f"{y}年，{u}在市委、市政府的正确领导下，深入贯彻落实《条例》和省、市政务公开工作要点，坚持以公开为常态、不公开为例外，"
            f"围绕中心工作持续深化政务公开，不断提升政府信息公开工作的质量和实效，切实保障人民群众的知情权、参与权、表达权和监督权。",
            f"{y}年，{u}以习近平新时代中国特色社会主义思想为指导，认真贯彻《条例》，把政务公开作为转变政府职能、建设法治政府的重要抓手，"
            f"健全工作机制，拓展公开渠道，推动政府信息公开工作提质增效。现将有关情况报告如下：",
        ]
    )
    active = (
        f"（一）主动公开。全年通过瑞安市人民政府门户网站“政府信息公开”专栏主动公开政府信息{_thousands(pub['total'])}条，"
        f"其中机构职能类{pub['org']}条、政策文件类{pub['policy']}条、规划计划类{pub['plan']}条、财政资金类{pub['finance']}条、"
        f"重点领域信息{pub['key']}条；通过“{pub['wx']}”微信公众号发布各类信息{_thousands(pub['wx_n'])}条，"
        f"发布政策解读{pub['interp']}篇，其中图文解读{pub['pic']}篇、视频解读{pub['video']}篇，回应社会关切{pub['resp']}次。"
    )
    applied = (
        f"（二）依申请公开。全年共收到政府信息公开申请{new}件，上年结转{cin}件。已办结的申请中，予以公开{opened}件，部分公开{partial}件，"
        f"不予公开{withheld}件，无法提供{unable}件，不予处理{notp}件，其他处理{other}件，结转下年度继续办理{cout}件。"
        f"全部申请均在法定期限内答复。全年发生政府信息公开行政复议{rv}件、行政诉讼{lit}件。"
    )
    manage = (
        f"（三）政府信息管理。严格落实公开属性源头认定机制，公文在拟稿时即确定主动公开、依申请公开或不予公开属性；"
        f"{docs}。开展政府信息公开保密审查{pub['review']}次，未发生泄密和侵犯个人隐私事件。"
        f"组织开展历年政府信息清理，对已失效、已废止的文件及时标注。"
    )
    platform = (
        f"（四）政府信息公开平台建设。以瑞安市人民政府门户网站为第一平台，整合“{pub['wx']}”微信公众号、"
        f"“瑞安发布”政务新媒体等渠道，规范栏目设置，全年更新维护栏目{pub['columns']}个，办公场所设置政府信息公开查阅点1个，"
        f"方便群众就近查阅。"
    )
    guard = (
        f"（五）监督保障。成立由主要负责人任组长的政务公开工作领导小组，明确办公室为政府信息公开工作机构，配备专兼职工作人员{pub['staff']}名；"
        f"将政务公开纳入年度目标责任制考核，组织业务培训{pub['training']}次。全年未发生因政府信息公开工作引发的责任追究情况。"
    )
    if short:
        return [lead, active, applied, manage]
    return [lead, active, applied, manage, platform, guard]


def _p5(fx: Fixture, rng: random.Random) -> list[str]:
    problems = rng.sample(
        [
            "政策解读形式还不够丰富，图解、视频、问答等解读方式占比不高，解读内容与群众关切的契合度有待提升",
            "部分业务科室对公开属性认定的把握还不够准确，个别文件存在“应公开未公开”或公开不及时的情况",
            "依申请公开答复文书的规范性有待进一步提高，告知书中法律依据和救济途径的表述还不够统一",
            "基层政务公开标准化规范化建设推进不够平衡，部分重点领域信息更新频率偏低",
            "主动公开信息的及时性和完整性仍有提升空间，个别栏目存在内容更新滞后的问题",
            "工作人员变动较快，兼职人员较多，业务能力与新形势下政务公开工作要求还存在差距",
        ],
        4,
    )
    measures = rng.sample(
        [
            "加强政策解读，推行“文件+解读”同步起草、同步审签、同步发布，提高图解、视频解读比例，增强解读的可读性和传播力",
            "开展政务公开业务培训，通过以会代训、案例教学等方式，提高工作人员公开属性认定和答复文书制作能力",
            "严格落实依申请公开登记、审核、答复全流程管理，规范答复文书格式，做到依法、规范、及时答复",
            "对照基层政务公开标准目录，动态更新公开事项清单，推进重大建设项目、公共资源配置等重点领域信息公开",
            "健全信息发布审核机制，落实“三审三校”制度，确保发布信息准确、及时、完整，定期开展栏目自查",
            "加强对政务公开工作的监督考核，将栏目更新、依申请办理等情况纳入科室年度考核并定期通报",
        ],
        4,
    )
    ordinals = ("一是", "二是", "三是", "四是")
    p = "".join(f"{o}{t}；" for o, t in zip(ordinals, problems, strict=True))[:-1] + "。"
    m = "".join(f"{o}{t}；" for o, t in zip(ordinals, measures, strict=True))[:-1] + "。"
    prev = (
        f"针对{fx.year - 1}年度报告中提出的问题，本年度已完成政府信息公开栏目梳理和规范性文件清理，"
        f"整改任务{rng.randint(3, 8)}项全部完成。"
    )
    return [
        f"{fx.year}年，我单位政府信息公开工作取得了一定成效，但对照上级要求和群众期盼，仍存在一些不足：{p}",
        prev,
        f"下一步，我们将重点做好以下工作：{m}",
    ]


def _p6(fx: Fixture, rng: random.Random, fee_cases: int = 0, fee_yuan: int = 0) -> list[str]:
    if fee_cases:
        fee = (
            f"依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度共对{fee_cases}件政府信息公开申请收取信息处理费"
            f"{fee_yuan}元，收费依据、标准及缴费方式均在收费通知中一并告知申请人。"
        )
    else:
        fee = (
            "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未收取政府信息公开信息处理费，"
            "亦未发生因申请人逾期未缴纳费用而不再处理其申请的情形。"
        )
    proposals = (
        f"{fx.year}年，共办理人大代表建议{rng.randint(3, 12)}件、政协提案{rng.randint(2, 9)}件，办复率100%，"
        f"代表、委员满意率100%，办理复文均按规定在门户网站“建议提案办理”栏目公开。"
    )
    points = rng.choice(
        [
            f"认真落实《{fx.year}年瑞安市政务公开工作要点》，逐项细化任务分工，组织“政府开放日”活动{rng.randint(1, 3)}次，"
            f"邀请人大代表、政协委员和群众代表走进机关，现场了解政策落实情况，听取意见建议{rng.randint(8, 30)}条。",
            f"围绕政务公开工作要点，完成政府信息公开指南和目录更新，开展政务公开“走进基层”宣传活动{rng.randint(2, 6)}场，"
            f"发放宣传资料{rng.randint(300, 1500)}份，群众对政务公开的知晓度进一步提高。",
        ]
    )
    channels = (
        f"本单位依申请公开受理渠道包括当面申请、信函申请和网络申请，受理地点为{fx.unit}办公室，"
        "工作时间为法定工作日上午8:30—12:00、下午14:30—17:30。"
    )
    return [fee, proposals, points, channels]


# ------------------------------------------------------------------------------------------------- fixtures


def _pub(rng: random.Random, wx: str) -> dict[str, Any]:
    org, policy, plan, finance, key = (rng.randint(5, 400) for _ in range(5))
    return {
        "org": org,
        "policy": policy,
        "plan": plan,
        "finance": finance,
        "key": key,
        "total": org + policy + plan + finance + key + rng.randint(300, 900),
        "wx": wx,
        "wx_n": rng.randint(400, 2600),
        "interp": rng.randint(6, 30),
        "pic": rng.randint(2, 5),
        "video": rng.randint(1, 3),
        "resp": rng.randint(5, 40),
        "review": rng.randint(40, 300),
        "columns": rng.randint(20, 60),
        "staff": rng.randint(2, 5),
        "training": rng.randint(2, 6),
    }


def _frame(name: str, unit: str, year: int, fmt: str, seed: int) -> tuple[Fixture, random.Random]:
    fx = Fixture(
        name=name,
        unit=unit,
        year=year,
        format=fmt,
        title=f"{unit}{year}年政府信息公开工作年度报告",
        intro=[],
        p1=[],
        p5=[],
        p6=[],
        signature=(unit, f"{year + 1}年1月{10 + seed % 15}日"),
    )
    return fx, random.Random(seed)


def _texts(
    fx: Fixture, rng: random.Random, wx: str, fee_cases: int = 0, fee_yuan: int = 0, **kw: Any
) -> None:
    fx.intro = _intro(fx, rng)
    fx.p1 = _p1(fx, rng, _pub(rng, wx), **kw)
    fx.p5 = _p5(fx, rng)
    fx.p6 = _p6(fx, rng, fee_cases, fee_yuan)


def _t3_2021(rng: random.Random, scale: int) -> dict[str, list[int]]:
    def few(p: float, hi: int) -> list[int]:
        return [rng.randint(0, hi) if rng.random() < p else 0 for _ in range(6)]

    results = {
        "r1_open": [scale, max(1, scale // 4), 0, 0, 1, 0],
        "r2_partial": [max(1, scale // 6), 1, 0, 0, 0, 0],
        "r3_1": [0] * 6,
        "r3_2": [0] * 6,
        "r3_3": [1, 0, 0, 0, 0, 0],
        "r3_4": [2, 0, 0, 0, 0, 0],
        "r3_5": [0] * 6,
        "r3_6": [1, 0, 0, 0, 0, 0],
        "r3_7": [0] * 6,
        "r3_8": [0] * 6,
        "r4_1": [max(1, scale // 3), 2, 0, 0, 1, 0],
        "r4_2": [1, 0, 0, 0, 0, 0],
        "r4_3": [0] * 6,
        "r5_1": [2, 0, 0, 0, 0, 0],
        "r5_2": [1, 1, 0, 0, 0, 0],
        "r5_3": [0] * 6,
        "r5_4": [0] * 6,
        "r5_5": [0] * 6,
        "r6_1": [1, 0, 0, 0, 0, 0],
        "r6_2": [0] * 6,
        "r6_3": few(0.3, 2),
    }
    results["r6_3"][2:] = [0, 0, 0, 0]
    return _t3_matrix(results, carry_in=[2, 0, 0, 0, 0, 0], carry_out=[3, 1, 0, 0, 0, 0])


def _to_2019(t3: dict[str, list[int]]) -> dict[str, list[int]]:
    out = {k: v for k, v in t3.items() if not k.startswith("r6_")}
    other = [sum(t3[f"r6_{i}"][k] for i in (1, 2, 3)) for k in range(6)]
    keys = list(out)
    idx = keys.index("carry_out")
    items = list(out.items())
    items.insert(idx, ("r6_other", other))
    return dict(items)


def national_filled() -> Fixture:
    fx, rng = _frame("national-2021-filled", "瑞安市塘下镇人民政府", 2021, "gov-2021", 1)
    t2 = {
        "t2_1.rules.made": "/",
        "t2_1.rules.repealed": "/",
        "t2_1.rules.valid": "/",
        "t2_1.normative.made": 3,
        "t2_1.normative.repealed": 1,
        "t2_1.normative.valid": 17,
        "t2_5.license.decisions": 1234,
        "t2_6.penalty.decisions": 562,
        "t2_6.coercion.decisions": "—",
        "t2_8.admin_fee.fee_amount": "0.35",
    }
    t3 = _t3_2021(rng, 12)
    t4 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    def blank(cid: str) -> str | None:
        if cid.startswith("t4."):
            return None  # 表四 typed as 0
        row = cid.split(".")[1]
        if row.startswith("r3_"):
            return "/"
        if row.startswith("r6_"):
            return "—"
        if row in ("r5_3", "r5_4"):
            return None  # a clerk typed 0 here
        return ""

    def blank_total(cid: str, all_blank: bool) -> str | None:
        return "" if all_blank and cid.startswith("t3.") else None

    def number(v: int) -> str:
        if v == 1234:
            return "1,234"
        return str(v)

    _fill(fx, t2, t3, t4, blank, number, blank_total)
    fx.printed["t3.r1_open.np"] = "１２"  # typed with a Chinese input method
    fx.printed["t3.new.np"] = fx.printed["t3.new.np"].translate(FULL_WIDTH)
    _texts(fx, rng, "塘下发布")
    fx.notes = (
        "The national 2021 template filled in by hand: numbers typed into its merged cells, zeros left empty or "
        "typed as '/', '—' or '0' (表四 all '0'); full-width digits in 表三 (新收 自然人, （一）予以公开 自然人); "
        "'1,234' for 行政许可; '/' in the 规章 row and '—' for 行政强制; totals of all-blank rows left empty (null "
        "in stated_totals); part 一 heading printed '一．总体情况'; （文字描述） placeholders replaced by paragraphs."
    )
    return fx


def own_word_2019() -> Fixture:
    fx, rng = _frame("own-word-2019", "瑞安市教育局", 2019, "gov-2019", 2)
    t2 = {
        "t2_1.rules.new_made": 0,
        "t2_1.rules.new_public": 0,
        "t2_1.rules.total_public": 0,
        "t2_1.normative.new_made": 6,
        "t2_1.normative.new_public": 6,
        "t2_1.normative.total_public": 41,
        "t2_5.license.prev_items": 9,
        "t2_5.license.change": -2,
        "t2_5.license.decisions": 186,
        "t2_5.other_mgmt.prev_items": 14,
        "t2_5.other_mgmt.change": 3,
        "t2_5.other_mgmt.decisions": 2350,
        "t2_6.penalty.prev_items": 27,
        "t2_6.penalty.change": 0,
        "t2_6.penalty.decisions": 4,
        "t2_6.coercion.prev_items": 3,
        "t2_6.coercion.change": 0,
        "t2_6.coercion.decisions": 0,
        "t2_8.admin_fee.prev_items": 2,
        "t2_8.admin_fee.change": -1,
        "t2_9.central_proc.proc_count": 38,
        "t2_9.central_proc.proc_amount": "4217.65",
    }
    t3 = _to_2019(_t3_2021(rng, 20))
    t4 = [2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    _fill(fx, t2, t3, t4, lambda cid: None, str)
    _texts(fx, rng, "瑞安教育")
    fx.notes = (
        "The unit's own Word file in the 2019 format (tables built with real merges): half-width brackets "
        "'(一)予以公开' … '(七)总计', sub-items numbered '1、', '结转下一年度继续办理', an extra '小计' column under "
        "法人或其他组织 in 表三 (8 number columns; 小计 = sum of the five organisation columns, not a format cell), "
        "headings '四、因政府信息公开工作被申请行政复议和提起行政诉讼情况' and '五、存在问题及改进情况'; every cell "
        "printed, zeros as 0; 本年增/减 negative as '-2'; 采购总金额 with decimals (no unit printed)."
    )
    return fx


def portal_gbk() -> Fixture:
    fx, rng = _frame("portal-gbk-2021", "瑞安市自然资源和规划局", 2022, "gov-2021", 3)
    t2 = {
        "t2_1.rules.made": 0,
        "t2_1.rules.repealed": 0,
        "t2_1.rules.valid": 0,
        "t2_1.normative.made": 2,
        "t2_1.normative.repealed": 0,
        "t2_1.normative.valid": 9,
        "t2_5.license.decisions": 847,
        "t2_6.penalty.decisions": 96,
        "t2_6.coercion.decisions": 3,
        "t2_8.admin_fee.fee_amount": "1236.4872",
    }
    t3 = _t3_2021(rng, 41)
    t4 = [3, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]

    def blank(cid: str) -> str | None:
        row = cid.split(".")[1]
        return "\u00a0" if row.startswith(("r3_", "r5_")) else None

    _fill(fx, t2, t3, t4, blank)
    _texts(fx, rng, "瑞安自然资源和规划")
    fx.notes = (
        "A portal page saved from the browser, GBK-encoded (meta charset=gbk), with header, navigation, breadcrumb, "
        "search box, scripts, a sidebar listing other years' reports (titles with other years: not this report's "
        "year), footer; the article in nested divs with a publish/来源/浏览次数 line. Tables as Word→HTML makes "
        "them: style attributes, <p><span> inside <td>, rowspan/colspan; zeros of the 不予公开 and 不予处理 rows "
        "left as &nbsp; (null); the fee with four decimals (万元)."
    )
    return fx


def portal_flat() -> Fixture:
    fx, rng = _frame("portal-flat-2019", "瑞安市安阳街道办事处", 2020, "gov-2019", 4)
    t2 = {
        "t2_1.rules.new_made": "/",
        "t2_1.rules.new_public": "/",
        "t2_1.rules.total_public": "/",
        "t2_1.normative.new_made": 1,
        "t2_1.normative.new_public": 1,
        "t2_1.normative.total_public": 12,
        "t2_5.license.prev_items": 5,
        "t2_5.license.change": 0,
        "t2_5.license.decisions": 73,
        "t2_5.other_mgmt.prev_items": 11,
        "t2_5.other_mgmt.change": -3,
        "t2_5.other_mgmt.decisions": 1568,
        "t2_6.penalty.prev_items": 18,
        "t2_6.penalty.change": 2,
        "t2_6.penalty.decisions": 215,
        "t2_6.coercion.prev_items": 4,
        "t2_6.coercion.change": 0,
        "t2_6.coercion.decisions": 7,
        "t2_8.admin_fee.prev_items": "/",
        "t2_8.admin_fee.change": "/",
        "t2_9.central_proc.proc_count": 12,
        "t2_9.central_proc.proc_amount": "386.2",
    }
    t3 = _to_2019(_t3_2021(rng, 9))
    t4 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    def blank(cid: str) -> str | None:
        return "/"

    _fill(fx, t2, t3, t4, blank, str, lambda cid, all_blank: "/" if all_blank else None)
    _texts(fx, rng, "安阳街道", short=True)
    fx.notes = (
        "A republished 2019-format report (year 2020) as a UTF-8 page whose tables were flattened: each table cell "
        "became its own <p> in row order (a merged cell once, at its first position); every zero printed as '/', "
        "totals of all-'/' rows '/' too (null). Part 一 has no (四)/(五) sub-sections."
    )
    return fx


def libreoffice_pdf() -> Fixture:
    fx, rng = _frame("libreoffice-2021", "瑞安市市场监督管理局", 2023, "gov-2021", 5)
    t2 = {
        "t2_1.rules.made": 0,
        "t2_1.rules.repealed": 0,
        "t2_1.rules.valid": 0,
        "t2_1.normative.made": 4,
        "t2_1.normative.repealed": 2,
        "t2_1.normative.valid": 15,
        "t2_5.license.decisions": 3119,
        "t2_6.penalty.decisions": 1587,
        "t2_6.coercion.decisions": 64,
        "t2_8.admin_fee.fee_amount": "0",
    }
    t3 = _t3_2021(rng, 57)
    t4 = [4, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    _fill(fx, t2, t3, t4, lambda cid: None)
    fx.printed["t2_5.license.decisions"] = "3 119"
    _texts(fx, rng, "瑞安市场监管")
    fx.notes = (
        "A 2021-format report (year 2023) written in Word (python-docx, 仿宋_GB2312 body, page numbers '— N —' from "
        "a PAGE field in the footer) and printed to PDF by LibreOffice: text layer present, 表三 split over two "
        "pages with the page footer between its rows; 行政许可 printed '3 119' (truth 3119); every zero printed 0; "
        "the fee printed '0'."
    )
    return fx


def traditional_txt() -> Fixture:
    fx, rng = _frame("republished-traditional-2021", "瑞安市飞云街道办事处", 2021, "gov-2021", 6)
    t2 = {
        "t2_1.rules.made": "/",
        "t2_1.rules.repealed": "/",
        "t2_1.rules.valid": "/",
        "t2_1.normative.made": 0,
        "t2_1.normative.repealed": 0,
        "t2_1.normative.valid": 4,
        "t2_5.license.decisions": 25,
        "t2_6.penalty.decisions": 138,
        "t2_6.coercion.decisions": 2,
        "t2_8.admin_fee.fee_amount": "/",
    }
    t3 = _t3_2021(rng, 8)
    t4 = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    def blank(cid: str) -> str | None:
        return "/" if cid.startswith("t3.r3_") or cid.startswith("t3.r5_") else None

    _fill(fx, t2, t3, t4, blank, str, lambda cid, all_blank: "/" if all_blank else None)
    _texts(fx, rng, "飞云发布", fee_cases=1, fee_yuan=100)
    fx.problems = ["繁体", "拼音", "网址"]
    fx.notes = (
        "A copy taken from a republishing site: traditional characters (OpenCC s2t), GB18030-encoded, inline pinyin "
        "glosses after some characters (年(nián)), spam lines with URLs before the title and after the 落款 (outside "
        "every part), tables as text lines of label + numbers ('/' for the zeros of the 不予公开 and 不予处理 rows, "
        "'0' elsewhere). The truth is the simplified text (OpenCC t2s of the printed text, checked to give back the "
        "original) without the glosses."
    )
    return fx


def simplified_txt() -> Fixture:
    fx, rng = _frame("republished-simplified-2019", "瑞安市卫生健康局", 2019, "gov-2019", 7)
    t2 = {
        "t2_1.rules.new_made": 0,
        "t2_1.rules.new_public": 0,
        "t2_1.rules.total_public": 0,
        "t2_1.normative.new_made": 2,
        "t2_1.normative.new_public": 2,
        "t2_1.normative.total_public": 8,
        "t2_5.license.prev_items": 31,
        "t2_5.license.change": 4,
        "t2_5.license.decisions": 1046,
        "t2_5.other_mgmt.prev_items": 22,
        "t2_5.other_mgmt.change": -5,
        "t2_5.other_mgmt.decisions": 389,
        "t2_6.penalty.prev_items": 46,
        "t2_6.penalty.change": 1,
        "t2_6.penalty.decisions": 312,
        "t2_6.coercion.prev_items": 6,
        "t2_6.coercion.change": 0,
        "t2_6.coercion.decisions": 5,
        "t2_8.admin_fee.prev_items": 3,
        "t2_8.admin_fee.change": 0,
        "t2_9.central_proc.proc_count": 27,
        "t2_9.central_proc.proc_amount": "2903.18",
    }
    t3 = _to_2019(_t3_2021(rng, 15))
    t4 = [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    _fill(fx, t2, t3, t4, lambda cid: None)
    for cid, v in t2.items():
        if cid.endswith(".change") and isinstance(v, int) and v > 0:
            fx.printed[cid] = f"+{v}"
    _texts(fx, rng, "瑞安卫健")
    fx.notes = (
        "A UTF-8 text copy of a 2019-format report: paragraphs one per line, tables one cell per line in row order "
        "(a merged cell once), every cell printed (zeros as 0); 本年增/减 with '+'/'-' signs."
    )
    return fx


def defective() -> Fixture:
    fx, rng = _frame("defective-2021", "瑞安市人力资源和社会保障局", 2024, "gov-2021", 8)
    t2 = {
        "t2_1.rules.made": 0,
        "t2_1.rules.repealed": 0,
        "t2_1.rules.valid": 0,
        "t2_1.normative.made": 5,
        "t2_1.normative.repealed": 3,
        "t2_1.normative.valid": 22,
        "t2_5.license.decisions": 58,
        "t2_6.penalty.decisions": 11,
        "t2_6.coercion.decisions": 0,
        "t2_8.admin_fee.fee_amount": "3500",
    }
    t3 = _t3_2021(rng, 30)
    t4 = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    _fill(fx, t2, t3, t4, lambda cid: None)
    fx.printed["t2_8.admin_fee.fee_amount"] = "3500元"
    right = fx.stated["t3.r7_total.total"]
    fx.stated["t3.r7_total.total"] = right + 2
    fx.printed["t3.r7_total.total"] = str(right + 2)
    _texts(fx, rng, "瑞安人社")
    fx.p1[3] += "全年收取行政事业性收费3500元，收费项目及标准均在门户网站公开。"
    fx.problems = ["元"]
    fx.notes = (
        "The national template filled with two defects. 表二 行政事业性收费 printed '3500元' in the column headed "
        "（单位：万元） and the text says 3500元: the truth keeps the printed figure 3500 (not divided by 10000) and "
        f"the reader must name 元. 表三 （七）总计/总计 printed {right + 2} while its parts sum to {right} (stated_totals "
        "holds the printed figure; the checks must report it). Everything else is consistent."
    )
    return fx


def all_fixtures() -> list[Fixture]:
    return [
        national_filled(),
        own_word_2019(),
        portal_gbk(),
        portal_flat(),
        libreoffice_pdf(),
        traditional_txt(),
        simplified_txt(),
        defective(),
    ]
