"""Narrative ↔ tables: figures the text quotes from 表二/表三/表四, claims without figures, 信息处理费."""

from __future__ import annotations

import pytest

from tests.domain.checkdata import FORMATS, issues_of, report

# The helper's tables: 表三 新收 30 (自然人 20, 法人或其他组织 10), 上年结转 3, 予以公开 14 (自然人 10),
# 部分公开 4, 不予公开 4 (其中 保护第三方合法权益 3), 无法提供 5, 不予处理 2, 其他处理 1, 办结 30, 结转 3;
# 表四 行政复议 4 (维持 2, 纠正 1, 尚未审结 1), 行政诉讼 3 (直接起诉 2, 复议后起诉 1).
GOOD_T3 = (
    "（二）依申请公开\n本年度共收到政府信息公开申请30件，其中自然人申请20件，法人或其他组织申请10件；上年结转3件。"
    "全年办结30件，其中予以公开14件，部分公开4件，不予公开4件，无法提供5件，不予处理2件，其他处理1件；"
    "结转下年度继续办理3件。予以公开及部分公开共18件，与上年相比增加12件。2020年收到申请100件。"
)
GOOD_T4 = "本年度因政府信息公开工作被申请行政复议4件，其中维持2件，纠正1件，尚未审结1件；被提起行政诉讼3件。"


@pytest.mark.parametrize("fid", FORMATS)
def test_quoted_t3_figures_that_match(fid: str) -> None:
    rep = report(fid, year=2021 if fid == "gov-2021" else 2019, p1=GOOD_T3.replace("2020年", "2018年"))
    assert issues_of("X-TEXT-T3", rep) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_single_column_quoted_as_the_row_total(fid: str) -> None:
    """予以公开 of 自然人 only (10) written as if it were all 予以公开 (14): both numbers in the message."""
    rep = report(fid, p1=GOOD_T3.replace("予以公开14件", "予以公开10件"))
    found = issues_of("X-TEXT-T3", rep)
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "warning" and issue.part == "p1"
    assert (issue.expected, issue.actual) == (14, 10)
    assert issue.cells == ("t3.r1_open.total",)
    assert "“予以公开10件”" in issue.message and "14" in issue.message and "10" in issue.message
    assert "自然人" in issue.message and "单列" in issue.message
    assert issue.message.startswith("一、总体情况 （二）第1段“")
    assert issue.paragraph == 1


@pytest.mark.parametrize("fid", FORMATS)
def test_single_item_quoted_as_the_group_total(fid: str) -> None:
    rep = report(fid, p1=GOOD_T3.replace("不予公开4件", "不予公开3件"))
    found = issues_of("X-TEXT-T3", rep)
    assert len(found) == 1
    issue = found[0]
    assert (issue.expected, issue.actual) == (4, 3)
    assert "保护第三方合法权益" in issue.message and "（三）不予公开（各项合计）" in issue.message
    # the group is shown through its real cells, so the clerk can jump to them
    assert "t3.r3_4.total" in issue.cells and "t3.r3_1.total" in issue.cells


@pytest.mark.parametrize("fid", FORMATS)
@pytest.mark.parametrize(
    "old,new,cell,table,text",
    [
        ("申请30件", "申请31件", "t3.new.total", 30, 31),
        ("自然人申请20件", "自然人申请21件", "t3.new.np", 20, 21),
        ("上年结转3件", "上年结转4件", "t3.carry_in.total", 3, 4),
        ("办结30件", "办结29件", "t3.r7_total.total", 30, 29),
        ("结转下年度继续办理3件", "结转下年度继续办理2件", "t3.carry_out.total", 3, 2),
        ("共18件", "共17件", "t3.r1_open.total", 18, 17),
        ("无法提供5件", "无法提供6件", "t3.r4_1.total", 5, 6),
        ("不予处理2件", "不予处理3件", "t3.r5_2.total", 2, 3),
    ],
)
def test_each_quoted_t3_figure_is_compared(
    fid: str, old: str, new: str, cell: str, table: int, text: int
) -> None:
    rep = report(fid, p1=GOOD_T3.replace(old, new))
    found = issues_of("X-TEXT-T3", rep)
    assert [(i.expected, i.actual) for i in found] == [(table, text)]
    assert cell in found[0].cells


def test_other_processing_is_a_group_in_2021_and_a_row_in_2019() -> None:
    for fid, cell in (("gov-2019", "t3.r6_other.total"), ("gov-2021", "t3.r6_1.total")):
        found = issues_of("X-TEXT-T3", report(fid, p1=GOOD_T3.replace("其他处理1件", "其他处理2件")))
        assert [(i.expected, i.actual) for i in found] == [(1, 2)] and cell in found[0].cells


@pytest.mark.parametrize("fid", FORMATS)
def test_approximate_figures_flagged_only_when_impossible(fid: str) -> None:
    for ok in (
        "本年度共收到政府信息公开申请近30件。",
        "共收到政府信息公开申请三十余件。",
        "共收到申请约三十件。",
    ):
        assert issues_of("X-TEXT-T3", report(fid, p1=ok)) == [], ok
    found = issues_of("X-TEXT-T3", report(fid, p1="本年度共收到政府信息公开申请二十余件。"))
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (30, 20)
    assert "二十余件" in found[0].message and "20 至 30" in found[0].message
    found = issues_of("X-TEXT-T3", report(fid, p1="全年共收到政府信息公开申请1,200余件。"))
    assert len(found) == 1 and found[0].actual == 1200


@pytest.mark.parametrize("fid", FORMATS)
def test_figures_in_every_text_part(fid: str) -> None:
    rep = report(fid, intro="本年共收到政府信息公开申请31件。", p5="全年办结30件。", p6="上年结转2件。")
    found = issues_of("X-TEXT-T3", rep)
    assert [(i.part, i.expected, i.actual) for i in found] == [("intro", 30, 31), ("p6", 3, 2)]


@pytest.mark.parametrize("fid", FORMATS)
def test_blank_table_against_a_quoted_figure(fid: str) -> None:
    rep = report(fid, p1="本年度共收到政府信息公开申请30件。")
    blank = rep.with_cells({k: v for k, v in rep.cells.items() if not k.startswith("t3.")})
    found = issues_of("X-TEXT-T3", blank)
    assert len(found) == 1 and found[0].expected is None and "为空（未填）" in found[0].message


@pytest.mark.parametrize("fid", FORMATS)
def test_no_applications_claim(fid: str) -> None:
    found = issues_of("X-TEXT-T3", report(fid, p1="本年度本机关未收到政府信息公开申请。"))
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (30, 0)
    zero = {f"t3.new.{c}": 0 for c in ("np", "ce", "ri", "spo", "lso", "oth")}
    zero |= {f"t3.carry_out.{c}": 0 for c in ("np", "ce", "ri", "spo", "lso", "oth")}
    rep = report(fid, p1="本年度本机关未收到政府信息公开申请。", changes=zero)
    assert issues_of("X-TEXT-T3", rep) == []


# ------------------------------------------------------------------------------------------- T4-TEXT


@pytest.mark.parametrize("fid", FORMATS)
def test_review_and_litigation_counts(fid: str) -> None:
    assert issues_of("T4-TEXT", report(fid, p1=GOOD_T4)) == []
    found = issues_of("T4-TEXT", report(fid, p1=GOOD_T4.replace("行政复议4件", "行政复议2件")))
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (4, 2)
    assert "结果维持" in found[0].message  # 2 is the 维持 count, quoted as the total
    found = issues_of("T4-TEXT", report(fid, p1=GOOD_T4.replace("行政诉讼3件", "行政诉讼2件")))
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (3, 2)
    assert found[0].cells == ("t4.count.ld_total", "t4.count.la_total")
    assert "未经复议直接起诉" in found[0].message
    found = issues_of("T4-TEXT", report(fid, p1=GOOD_T4.replace("纠正1件", "纠正2件")))
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t4.count.rv_correct",), 1, 2)]


@pytest.mark.parametrize("fid", FORMATS)
def test_all_upheld_claim(fid: str) -> None:
    """“均获维持” while cases are 尚未审结 (and one was 纠正)."""
    text = "本年度被申请行政复议4件、被提起行政诉讼3件，均获维持。"
    found = issues_of("T4-TEXT", report(fid, p1=text))
    by_cells = {i.cells[0][:11]: i for i in found}
    assert set(by_cells) == {"t4.count.rv", "t4.count.ld"}
    rv = by_cells["t4.count.rv"]
    assert "尚未审结 1 件" in rv.message and "结果纠正 1 件" in rv.message and "均获维持" in rv.message
    assert (rv.expected, rv.actual) == (2, 4)
    all_kept = {
        "t4.count.rv_keep": 4,
        "t4.count.rv_correct": 0,
        "t4.count.rv_pending": 0,
        "t4.count.ld_keep": 2,
        "t4.count.ld_pending": 0,
    }
    assert issues_of("T4-TEXT", report(fid, p1=text, changes=all_kept)) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_no_review_claim(fid: str) -> None:
    text = "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    found = issues_of("T4-TEXT", report(fid, p1=text))
    assert sorted((i.expected, i.actual) for i in found) == [(3, 0), (4, 0)]
    none = {k: 0 for k in ("t4.count.rv_keep", "t4.count.rv_correct", "t4.count.rv_pending")}
    none |= {"t4.count.ld_keep": 0, "t4.count.ld_pending": 0, "t4.count.la_keep": 0}
    assert issues_of("T4-TEXT", report(fid, p1=text, changes=none)) == []


# ---------------------------------------------------------------------------------------- X-TEXT-T2


def test_t2_figures_2021() -> None:
    good = "全年制发行政规范性文件5件，废止2件，现行有效40件；作出行政处罚决定120件；行政事业性收费125000元。"
    assert issues_of("X-TEXT-T2", report("gov-2021", p1=good)) == []
    found = issues_of("X-TEXT-T2", report("gov-2021", p1=good.replace("现行有效40件", "现行有效45件")))
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t2_1.normative.valid",), 40, 45)]
    assert "现行有效件数" in found[0].message
    found = issues_of("X-TEXT-T2", report("gov-2021", p1=good.replace("125000元", "13万元")))
    assert [(i.cells, i.expected) for i in found] == [(("t2_8.admin_fee.fee_amount",), 12.5)] or [
        (i.cells, float(i.expected)) for i in found
    ] == [(("t2_8.admin_fee.fee_amount",), 12.5)]
    assert "12.5 万元" in found[0].message


def test_t2_figures_2019() -> None:
    good = "本年新制作规范性文件5件，新公开5件；作出行政许可决定300件。"
    assert issues_of("X-TEXT-T2", report("gov-2019", p1=good)) == []
    found = issues_of("X-TEXT-T2", report("gov-2019", p1=good.replace("新公开5件", "新公开6件")))
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t2_1.normative.new_public",), 5, 6)]
    found = issues_of("X-TEXT-T2", report("gov-2019", p1=good.replace("决定300件", "决定301件")))
    assert [(i.cells, i.expected, i.actual) for i in found] == [(("t2_5.license.decisions",), 300, 301)]


# ----------------------------------------------------------------------------- X-FEE-TEXT, X-FEE-SUM


def test_fee_statement_expected_in_part_six_from_2021() -> None:
    found = issues_of("X-FEE-TEXT", report("gov-2021", p6="无。"))
    assert len(found) == 1 and found[0].severity == "info" and found[0].part == "p6"
    assert issues_of("X-FEE-TEXT", report("gov-2021", p6="本年度未收取信息处理费。")) == []
    assert issues_of("X-FEE-TEXT", report("gov-2019", p6="无。")) == []  # the 办法 applies from 2021


@pytest.mark.parametrize("fid", FORMATS)
def test_fee_reported_elsewhere_or_in_wan_yuan(fid: str) -> None:
    found = issues_of("X-FEE-TEXT", report(fid, p1="本年度收取信息处理费300元。", p6="无。"))
    assert any("六、其他需要报告的事项" in i.message and i.part == "p1" for i in found)
    found = issues_of("X-FEE-TEXT", report(fid, p6="本年度收取信息处理费0.03万元。"))
    assert len(found) == 1 and "0.03万元" in found[0].message and "元" in found[0].message
    assert issues_of("X-FEE-TEXT", report(fid, p6="本年度收取信息处理费300元。")) == []


def test_fee_is_not_the_administrative_fee() -> None:
    found = issues_of("X-FEE-TEXT", report("gov-2021", p6="本年度收取信息处理费125000元。"))
    assert len(found) == 1 and "行政事业性收费" in found[0].message and "12.5" in found[0].message
    found = issues_of("X-FEE-TEXT", report("gov-2019", p6="收取信息处理费300元，已计入行政事业性收费。"))
    assert len(found) == 1 and "分开表述" in found[0].message


@pytest.mark.parametrize("fid", FORMATS)
def test_fee_breakdown_adds_up(fid: str) -> None:
    ok = "本年度共收取信息处理费2950元，其中市场监管局1000元、自然资源局1950元。"
    assert issues_of("X-FEE-SUM", report(fid, p6=ok)) == []
    found = issues_of("X-FEE-SUM", report(fid, p6=ok.replace("1950元", "1500元")))
    assert len(found) == 1 and found[0].severity == "warning"
    assert (found[0].expected, found[0].actual) == (2950, 2500)
    assert "2950" in found[0].message and "2500" in found[0].message
