"""The rules issue #13 added: each fires on a realistic report, names the place and both figures, and stays
silent on the 瑞安 2019 sample (which has none of these defects)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ruian_desk.domain.rules import CheckContext, run_checks
from ruian_desk.storage.assemble import check_report, resolve_report_id
from tests.domain.checkdata import P5, issues_of, report

NEW_RULES = (
    "X-TEXT-ALLDONE",
    "X-FEE-NOTICE",
    "T-YOY-SPIKE",
    "N-PART5-THIN",
    "N-DUPWORD",
    "N-INTRO-PARTS",
    "N-TITLE-FORM",
    "N-LENGTH",
    "N-SIMILAR-WHOLE",
)

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
    "政府信息公开工作年度报告格式〉的通知》要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开"
    "申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分。"
)


def test_new_rules_are_silent_on_the_sample(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    _, issues = check_report(repo, resolve_report_id(repo, 2019))
    assert [i.rule for i in issues if i.rule in NEW_RULES] == []


def test_new_rules_are_silent_on_a_clean_report() -> None:
    prev = report("gov-2021", year=2021)
    rep = report("gov-2021", year=2022, intro=INTRO, p5=P5 + "三是政策解读形式较为单一。")
    ctx = CheckContext(previous=prev, settings={"limit.p1": "1000"})
    assert [i.message for i in run_checks(rep, ctx) if i.rule in NEW_RULES] == []


# ------------------------------------------------------------------------------ X-TEXT-ALLDONE


def test_all_done_while_applications_are_carried_over() -> None:
    """表三 结转下年度 3 件, the text says every application was answered."""
    rep = report(p1="（二）依申请公开\n本年度共收到政府信息公开申请30件，已全部按时答复。")
    found = issues_of("X-TEXT-ALLDONE", rep)
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "warning" and issue.cells == ("t3.carry_out.total",)
    assert (issue.expected, issue.actual) == (0, 3)
    assert "全部按时答复" in issue.message and "3 件" in issue.message
    assert issue.message.startswith("一、总体情况 （二）第1段“")


def test_all_done_is_true_when_nothing_is_carried_over() -> None:
    zero = {f"t3.carry_out.{c}": 0 for c in ("np", "ce", "ri", "spo", "lso", "oth")}
    zero.update({"t3.r1_open.np": 12, "t3.r1_open.ce": 3})  # what was carried now answered: still balanced
    rep = report(changes=zero, p1="本年度共收到政府信息公开申请30件，已全部按时答复。")
    assert issues_of("X-TEXT-ALLDONE", rep) == []
    # naming the carried applications in the same sentence is no contradiction
    said = "本年度共收到政府信息公开申请30件，除结转下年度的3件外已全部答复。"
    assert issues_of("X-TEXT-ALLDONE", report(p1=said)) == []


# -------------------------------------------------------------------------------- X-FEE-NOTICE


def test_fee_notice_without_a_word_on_fees() -> None:
    rep = report(
        "gov-2021",
        changes={"t3.r6_2.np": 1, "t3.r6_1.np": 0},  # the 其他处理 case was one that did not pay
        p6="本机关无其他需要报告的事项。",
    )
    found = issues_of("X-FEE-NOTICE", rep)
    assert len(found) == 1
    assert found[0].part == "p6" and found[0].actual == 1
    assert "逾期未按收费通知要求缴纳费用" in found[0].message and "信息处理费" in found[0].message
    said = report(
        "gov-2021",
        changes={"t3.r6_2.np": 1, "t3.r6_1.np": 0},
        p6="本年度发出收费通知1件，申请人未缴纳信息处理费。",
    )
    assert issues_of("X-FEE-NOTICE", said) == []
    assert issues_of("X-FEE-NOTICE", report("gov-2019")) == []  # 2019 has no such row


# --------------------------------------------------------------------------------- T-YOY-SPIKE


def test_spike_against_last_year_is_advice() -> None:
    prev = report("gov-2021", year=2021)  # 新收 30
    big = {"t3.new.np": 170, "t3.r1_open.np": 160}  # 新收 180 = 6×, balanced
    rep = report("gov-2021", year=2022, changes=big)
    found = issues_of("T-YOY-SPIKE", rep, CheckContext(previous=prev))
    assert [(i.cells, i.expected, i.actual, i.severity) for i in found] == [
        (("t3.new.total",), 30, 180, "info")
    ]
    assert "6.0 倍" in found[0].message and "2021年" in found[0].message
    # under 10 last year: no advice
    small_prev = report("gov-2021", year=2021, changes={"t4.count.rv_keep": 0, "t4.count.rv_correct": 0})
    assert all(
        "行政复议" not in i.message for i in issues_of("T-YOY-SPIKE", rep, CheckContext(previous=small_prev))
    )


def test_info_findings_are_advice_without_explanation() -> None:
    """An info finding does not wait for an explanation: the GUI offers no box for it (issue #13, item 7)."""
    fee = report("gov-2021", changes={"t2_8.admin_fee.fee_amount": Decimal("24252.311082")})
    hint = issues_of("T2-FEE-PRECISION", fee)[0]
    assert hint.severity == "info" and not hint.explainable
    assert issues_of("X-TEXT-ALLDONE", report(p1="本年度共收到政府信息公开申请30件，均已答复。"))[
        0
    ].explainable


# -------------------------------------------------------------------------------- N-PART5-THIN


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("无。", "只写了“无。”"),
        ("工作中还存在一些不足，今后将加以改进。", "过于简略"),
        (
            "本年度，我局认真落实政务公开各项要求，坚持以公开为常态、不公开为例外，政府信息公开工作取得了较好成效，得到群众好评。",
            "没有写出存在的问题",
        ),
        (
            "一是公开意识有待加强，部分科室对条例理解不深；二是信息公开内容不够全面，部分栏目更新不够及时，存在一定差距。",
            "没有写改进情况",
        ),
    ],
)
def test_part5_thin(text: str, words: str) -> None:
    found = issues_of("N-PART5-THIN", report(p5=text))
    assert len(found) == 1 and words in found[0].message, [i.message for i in found]
    assert found[0].part == "p5" and found[0].message.startswith("五、存在的主要问题及改进情况：")


# ----------------------------------------------------------------------------------- N-DUPWORD


def test_doubled_word() -> None:
    p1 = "（一）主动公开\n全年公开财政资金资金使用情况12条，及时回应社会关切。"
    found = issues_of("N-DUPWORD", report(p1=p1))
    assert len(found) == 1
    assert "“资金”连写了两次" in found[0].message and found[0].paragraph == 1
    ok = "（一）主动公开\n要一件一件抓落实，研究研究再定，方方面面都要顾及。"
    assert issues_of("N-DUPWORD", report(p1=ok)) == []


# ------------------------------------------------------------------------------- N-INTRO-PARTS


def test_intro_parts_count() -> None:
    assert issues_of("N-INTRO-PARTS", report(intro=INTRO)) == []
    wrong = INTRO.replace("、其他需要报告的事项等六部分", "等六部分")
    found = issues_of("N-INTRO-PARTS", report(intro=wrong))
    assert len(found) == 1 and "所列为 5 部分" in found[0].message and found[0].part == "intro"
    five = INTRO.replace("等六部分", "等五部分")
    found = issues_of("N-INTRO-PARTS", report(intro=five))
    assert len(found) == 1 and "五部分" in found[0].message and (found[0].expected, found[0].actual) == (6, 5)


# -------------------------------------------------------------------------------- N-TITLE-FORM


def test_year_twice_in_the_title() -> None:
    rep = report(title="瑞安市某局2021年度2021年政府信息公开工作年度报告")
    found = issues_of("N-TITLE-FORM", rep)
    assert len(found) == 1 and "年度写了 2 次" in found[0].message and found[0].part == "title"
    assert issues_of("N-TITLE-FORM", report()) == []


# ------------------------------------------------------------------------------------ N-LENGTH


def test_length_over_the_reports_limit() -> None:
    p1 = "（一）主动公开\n" + "本机关坚持以公开为常态、不公开为例外，及时主动公开各类政府信息。" * 40
    rep = report(p1=p1)
    found = issues_of("N-LENGTH", rep, CheckContext(settings={"limit.p1": "1000"}))
    assert len(found) == 1 and found[0].expected == 1000 and found[0].actual > 1000
    assert "超过本报告设定的字数上限 1000 字" in found[0].message
    assert issues_of("N-LENGTH", rep, CheckContext(settings={"limit.p1": "0"})) == []  # 不限
    assert issues_of("N-LENGTH", rep, CheckContext(settings={"limit.p1": "5000"})) == []


# ------------------------------------------------------------------------- N-SIMILAR, N-SIMILAR-WHOLE

SAMPLE_INTRO = (
    "本年报根据《中华人民共和国政府信息公开条例》，综合各功能区、各乡镇（街道）和市各有关部门单位的政府信息公开年度报告"
    "编制而成。本年报包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼"
    "情况、存在的主要问题及改进情况和其他需要报告的事项等六部分。本年报中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    "本年报的电子版可在“中国·瑞安”政府门户网站下载。如对本年报有任何疑问，请与瑞安市人民政府办公室政务公开科联系"
    "（地址：瑞安市万松东路154号，邮编：325200，电话：0577-65812207）。"
)
P5_2020 = (
    "一是公开意识有待进一步增强，部分科室对政务公开工作重视不够；二是公开内容还不够全面，政策解读形式较为单一；"
    "三是依申请公开办理能力有待提高，答复规范性需要加强。下一步，我局将加强业务培训，完善工作制度，提升公开质量。"
)
P1_2020 = (
    "（一）主动公开\n本机关坚持以公开为常态、不公开为例外，围绕重点领域及时主动公开财政预决算、重大项目、公共服务等信息，"
    "通过门户网站、政务新媒体发布政策文件和解读材料，回应社会关切。\n（二）依申请公开\n本年度依法办理政府信息公开申请，"
    "严格按照法定程序和期限答复申请人，答复文书格式规范，理由说明充分。\n（三）政府信息管理\n完善信息发布审查机制，"
    "对拟公开的信息进行保密审查，动态调整主动公开目录。"
)


def test_intro_that_changes_only_in_the_year_is_not_similar() -> None:
    prev = report("gov-2021", year=2021, intro=SAMPLE_INTRO.format(y=2021), p5=P5_2020)
    rep = report(
        "gov-2021", year=2022, intro=SAMPLE_INTRO.format(y=2022), p5=P5 + "三是政策解读形式较为单一。"
    )
    assert issues_of("N-SIMILAR", rep, CheckContext(previous=prev)) == []
    copied = report("gov-2021", year=2022, intro=SAMPLE_INTRO.format(y=2022), p5=P5_2020)
    found = issues_of("N-SIMILAR", copied, CheckContext(previous=prev))
    assert [(i.part, i.actual) for i in found] == [("p5", 100)]
    assert "除去固定语句" in found[0].message


def test_stock_sentences_do_not_make_a_part_similar() -> None:
    """Part 六 with the fee sentence and the stock closing: only what the unit wrote is compared."""
    from ruian_desk.domain.similarity import strip_stock

    stock = "本机关无其他需要报告的事项。如对本报告有任何疑问，请联系电话0577-65812207。"
    assert strip_stock(stock) == ""
    assert strip_stock("本年度未收取信息处理费。" + stock) == "本年度未收取信息处理费。"


def test_whole_report_similar_to_last_year() -> None:
    prev = report("gov-2021", year=2021, intro=SAMPLE_INTRO.format(y=2021), p1=P1_2020, p5=P5_2020)
    same = report("gov-2021", year=2022, intro=SAMPLE_INTRO.format(y=2022), p1=P1_2020, p5=P5_2020)
    found = issues_of("N-SIMILAR-WHOLE", same, CheckContext(previous=prev))
    assert len(found) == 1 and found[0].actual == 100 and found[0].expected == 50
    assert "全文" in found[0].message and "2021年" in found[0].message
    assert (
        issues_of("N-SIMILAR-WHOLE", same, CheckContext(previous=prev, settings={"check.similar_whole": "0"}))
        == []
    )
    # a threshold above the score: silent
    assert (
        issues_of(
            "N-SIMILAR-WHOLE", same, CheckContext(previous=prev, settings={"check.similar_whole": "101"})
        )
        == []
    )


# -------------------------------------------------------------------- one reading of figures in text

PDF_TEXT = "（二）依申请公开\n本年度共受理政府信息公开申请 30 件，其中自然人申请 2 0 件，法人或其他组织申请１０件；上年结转 3\n件。"


def test_figures_with_spaces_full_width_digits_and_line_breaks_read_alike() -> None:
    """Text taken from a PDF: every figure reads as it does typed; a wrong one is still caught."""
    assert issues_of("X-TEXT-T3", report(p1=PDF_TEXT)) == []
    wrong = PDF_TEXT.replace("申请 30 件", "申请 31 件")
    found = issues_of("X-TEXT-T3", report(p1=wrong))
    assert [(i.expected, i.actual) for i in found] == [(30, 31)]
    assert "申请31件" in found[0].message


def test_reading_form() -> None:
    from ruian_desk.domain.textfigures import reading_form

    assert reading_form("受理政府信息公开申请 17 件") == "受理政府信息公开申请17件"
    assert reading_form("2024 年 3 月") == "2024年3月"
    assert reading_form("3 119件，占比 85.38 %。") == "3119件，占比85.38%。"
    assert reading_form("共计１７件\u3000") == "共计17件\u3000"
    assert reading_form("合计12\n3件") == "合计123件"
    # words and paragraphs stay as they are: a numbered item opens its own line
    assert reading_form("本机关 依法公开\n1. 主动公开") == "本机关 依法公开\n1. 主动公开"


def test_dates_with_spaces_read_as_dates() -> None:
    p1 = "（一）主动公开\n2 020 年 5 月，本机关开展政务公开专项检查。"
    found = issues_of("N-DATE", report("gov-2021", year=2021, p1=p1))
    assert found and found[0].actual == 2020
