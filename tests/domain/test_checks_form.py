"""Completeness and form: empty parts, template marks, dates, the period sentence, punctuation, the basis
notice, title and 落款, and 内容雷同 with last year."""

from __future__ import annotations

import datetime as dt

import pytest

from ruian_desk.domain.report import Signature
from ruian_desk.domain.rules import CheckContext
from ruian_desk.domain.similarity import similarity
from tests.domain.checkdata import FORMATS, YEAR, issues_of, report

# ---------------------------------------------------------------------------------- N-EMPTY-PART


@pytest.mark.parametrize("fid", FORMATS)
def test_empty_parts(fid: str) -> None:
    assert issues_of("N-EMPTY-PART", report(fid)) == []
    found = issues_of("N-EMPTY-PART", report(fid, p5="  \n"))
    assert [(i.part, i.severity) for i in found] == [("p5", "error")]
    assert "五、存在的主要问题及改进情况" in found[0].message


@pytest.mark.parametrize("fid", FORMATS)
def test_numbers_only_unit_return_is_a_hint(fid: str) -> None:
    found = issues_of("N-EMPTY-PART", report(fid, p1="", p5="", p6=""))
    assert [(i.severity) for i in found] == ["info"]
    # the county report itself, or any report that rolls units up, must be written
    found = issues_of("N-EMPTY-PART", report(fid, role="county_government", p1="", p5="", p6=""))
    assert [i.part for i in found] == ["p1", "p5", "p6"] and {i.severity for i in found} == {"error"}
    found = issues_of("N-EMPTY-PART", report(fid, p1="", p5="", p6=""), CheckContext(units=(report(fid),)))
    assert len(found) == 3


# --------------------------------------------------------------------------------- N-PLACEHOLDER


@pytest.mark.parametrize("fid", FORMATS)
@pytest.mark.parametrize(
    "text,mark",
    [
        ("（文字描述）", "（文字描述）"),
        ("(文字描述,收取信息处理费情况在此处报告。)", "(文字描述,收取信息处理费情况在此处报告。)"),
        ("本年度共收到申请**件。", "**"),
        ("共有XX件申请。", "XX"),
        ("制发文件____件。", "____"),
        ("共收到{{t3.nothing.total}}件。", "{{t3.nothing.total}}"),
    ],
)
def test_template_marks_left_in(fid: str, text: str, mark: str) -> None:
    found = issues_of("N-PLACEHOLDER", report(fid, p6=text))
    assert len(found) == 1 and found[0].severity == "error" and found[0].part == "p6"
    assert f"“{mark}”" in found[0].message


@pytest.mark.parametrize("fid", FORMATS)
def test_known_placeholders_and_email_are_not_marks(fid: str) -> None:
    text = "共收到申请{{t3.new.total}}件。邮箱：raxxgkk@163.com，网址www.example.gov.cn。"
    assert issues_of("N-PLACEHOLDER", report(fid, p6=text)) == []


# --------------------------------------------------------------------------------------- N-DATE


@pytest.mark.parametrize("fid", FORMATS)
def test_signature_date(fid: str) -> None:
    y = YEAR[fid]
    assert issues_of("N-DATE", report(fid)) == []
    found = issues_of("N-DATE", report(fid, signature=Signature("瑞安市某局", dt.date(y, 12, 30))))
    assert len(found) == 1 and found[0].severity == "error" and "早于统计期结束" in found[0].message
    found = issues_of("N-DATE", report(fid, signature=Signature("瑞安市某局", dt.date(y + 2, 1, 5))))
    assert len(found) == 1 and found[0].severity == "warning"
    # a 部门 publishes by 1月31日, the county government by 3月31日 (条例第四十九条)
    late = Signature("瑞安市某局", dt.date(y + 1, 2, 19))
    found = issues_of("N-DATE", report(fid, signature=late))
    assert len(found) == 1 and "1月31日" in found[0].message
    assert issues_of("N-DATE", report(fid, role="county_government", signature=late)) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_paragraph_opening_with_another_year(fid: str) -> None:
    y = YEAR[fid]
    ok = f"{y}年，本机关认真贯彻条例。\n（一）主动公开\n{y}年,本机关公开信息。"
    assert issues_of("N-DATE", report(fid, p1=ok)) == []
    found = issues_of("N-DATE", report(fid, p1=ok.replace(f"{y}年,", f"{y - 1}年,")))
    assert len(found) == 1 and (found[0].expected, found[0].actual) == (y, y - 1)
    assert "是否沿用了往年文字" in found[0].message and found[0].paragraph == 2
    # part 五 may speak of next year's plans; a year in the middle of a sentence is a reference, not a copy
    assert issues_of("N-DATE", report(fid, p5=f"{y + 1}年，本机关将加强培训。")) == []
    assert issues_of("N-DATE", report(fid, p1=f"在{y - 3}年已完成集约化建设的基础上继续推进。")) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_dated_events_and_impossible_dates(fid: str) -> None:
    y = YEAR[fid]
    assert issues_of("N-DATE", report(fid, p1=f"于{y}年5月组织业务培训。")) == []
    found = issues_of("N-DATE", report(fid, p1=f"于{y - 1}年5月组织业务培训。"))
    assert len(found) == 1 and "不在报告年度" in found[0].message
    # the introduction may date the publication in the next year; part 一 reports the year itself
    assert issues_of("N-DATE", report(fid, intro=f"本报告于{y + 1}年2月发布。")) == []
    assert len(issues_of("N-DATE", report(fid, p1=f"本报告于{y + 1}年2月发布。"))) == 1
    found = issues_of("N-DATE", report(fid, p6=f"于{y}年2月30日发布。"))
    assert len(found) == 1 and "不是有效日期" in found[0].message


# -------------------------------------------------------------------------------------- N-PERIOD


@pytest.mark.parametrize("fid", FORMATS)
def test_period_sentence(fid: str) -> None:
    y = YEAR[fid]
    good = f"本年报中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    assert issues_of("N-PERIOD", report(fid, intro=good)) == []
    assert issues_of("N-PERIOD", report(fid, intro=f"本报告统计期间为{y}年度。")) == []
    wrong = good.replace(f"至{y}年", f"至{y - 1}年")
    found = issues_of("N-PERIOD", report(fid, intro=wrong))
    assert len(found) == 1 and found[0].severity == "error" and found[0].part == "intro"
    assert (
        f"{y}年1月1日至{y - 1}年12月31日" in found[0].message
        and f"{y}年1月1日至{y}年12月31日" in found[0].message
    )
    # the 瑞安2015 slip: the template's blanks left in
    blank = "本年报中所列数据的统计期限自  年  1月  1日起至止。"
    found = issues_of("N-PERIOD", report(fid, intro=blank))
    assert len(found) == 1 and "不完整" in found[0].message
    found = issues_of("N-PERIOD", report(fid, intro=f"本报告统计期间为{y - 1}年度。"))
    assert len(found) == 1


# --------------------------------------------------------------------------------------- N-PUNCT


@pytest.mark.parametrize("fid", FORMATS)
def test_half_width_punctuation(fid: str) -> None:
    assert (
        issues_of(
            "N-PUNCT", report(fid, p1="本机关（办公室）依法公开，地址：某路1号；电话0577-1234，共1,234件。")
        )
        == []
    )
    text = "本机关依法公开,及时回应(关切)。\n地址:某路1号;邮编325200,网址(www.ruian.gov.cn)。"
    found = issues_of("N-PUNCT", report(fid, p1=text))
    assert len(found) == 1  # one finding per part, not one per mark
    issue = found[0]
    assert issue.severity == "warning" and issue.actual == 8 and issue.paragraph == 0
    assert "“,” 2 处" in issue.message and "“(” 2 处" in issue.message and "“:” 1 处" in issue.message
    assert (
        "“;” 1 处" in issue.message and "依法公开,及时回应" in issue.message and "地址:某路" in issue.message
    )


# --------------------------------------------------------------------------------------- N-BASIS


def test_basis_notice_by_number() -> None:
    ok21 = "根据国办公开办函〔2021〕30号要求编制本报告。"
    assert issues_of("N-BASIS", report("gov-2021", intro=ok21)) == []
    found = issues_of("N-BASIS", report("gov-2021", intro="根据国办公开办函〔2019〕60号要求编制本报告。"))
    assert len(found) == 1 and "〔2021〕30号" in found[0].message and "〔2019〕60号" in found[0].message
    assert issues_of("N-BASIS", report("gov-2019", intro="根据国办公开办函[2019]60号编制。")) == []
    found = issues_of("N-BASIS", report("gov-2019", intro=ok21))
    assert len(found) == 1 and found[0].expected == "国办公开办函〔2019〕60号"
    # other documents of the same year are not the basis notice
    assert issues_of("N-BASIS", report("gov-2021", p1="落实国办发〔2019〕14号文件。")) == []


def test_basis_notice_by_title() -> None:
    """安阳街道 2023: the 30号 number with the 60号 title."""
    text = "根据国办公开办函〔2021〕30号《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》编制。"
    found = issues_of("N-BASIS", report("gov-2021", year=2023, intro=text))
    assert len(found) == 1 and "关于政府信息公开工作年度报告有关事项的通知" in found[0].message
    ok = "按照《中华人民共和国政府信息公开工作年度报告格式（试行）》要求编制。"
    assert issues_of("N-BASIS", report("gov-2019", intro=ok)) == []
    assert len(issues_of("N-BASIS", report("gov-2021", intro=ok))) == 1


# --------------------------------------------------------------------------------- N-TITLE, N-SIGNATURE


@pytest.mark.parametrize("fid", FORMATS)
def test_title(fid: str) -> None:
    y = YEAR[fid]
    assert issues_of("N-TITLE", report(fid)) == []
    assert issues_of("N-TITLE", report(fid, title=f"瑞安市某局{y}年度政府信息公开工作年度报告")) == []
    found = issues_of("N-TITLE", report(fid, title=f"瑞安市某局{y - 1}年政府信息公开工作年度报告"))
    assert len(found) == 1 and f"{y - 1}年" in found[0].message and f"本报告是{y}年度" in found[0].message
    found = issues_of("N-TITLE", report(fid, title=f"瑞安市另一局{y}年政府信息公开工作年度报告"))
    assert len(found) == 1 and "瑞安市某局" in found[0].message
    found = issues_of("N-TITLE", report(fid, title=""))
    assert len(found) == 1 and "标题为空" in found[0].message


@pytest.mark.parametrize("fid", FORMATS)
def test_signature_organ(fid: str) -> None:
    y = YEAR[fid]
    assert issues_of("N-SIGNATURE", report(fid)) == []
    found = issues_of("N-SIGNATURE", report(fid, signature=Signature("瑞安市另一局", dt.date(y + 1, 1, 2))))
    assert len(found) == 1 and "瑞安市另一局" in found[0].message and "瑞安市某局" in found[0].message


# -------------------------------------------------------------------------------------- N-SIMILAR

LAST_YEAR = (
    "2020年，我局政府信息公开工作总体运行良好，但也存在一些问题：一是公开意识有待进一步增强，"
    "部分科室对政务公开工作重视不够；二是公开内容还不够全面，政策解读形式较为单一；三是依申请公开办理"
    "能力有待提高，答复规范性需要加强。下一步，我局将加强业务培训，完善工作制度，提升公开质量。"
)


@pytest.mark.parametrize("fid", FORMATS)
def test_text_copied_from_last_year(fid: str) -> None:
    y = YEAR[fid] + 1
    prev = report(fid, year=y - 1, p5=LAST_YEAR)
    copied = LAST_YEAR.replace("2020年", f"{y}年")  # only the year updated: still 雷同
    found = issues_of("N-SIMILAR", report(fid, year=y, p5=copied), CheckContext(previous=prev))
    assert len(found) == 1 and found[0].part == "p5" and found[0].actual == 100
    assert "相似度为 100%" in found[0].message and f"{y - 1}年" in found[0].message
    rewritten = (
        f"{y}年，我局围绕重点领域深化公开：新建政策文件库，上线解读专栏，办理依申请公开全部按期答复。"
        "存在的不足主要是基层公开标准化进度偏慢，专栏更新不及时。下一步将建立季度通报制度，"
        "推动公开事项清单动态调整，并组织基层站所开展专项培训。"
    )
    assert issues_of("N-SIMILAR", report(fid, year=y, p5=rewritten), CheckContext(previous=prev)) == []
    # a short stock phrase such as “无。” is the same every year by nature
    prev_short = report(fid, year=y - 1, p6="无。")
    assert issues_of("N-SIMILAR", report(fid, year=y, p6="无。"), CheckContext(previous=prev_short)) == []


def test_similarity_scores() -> None:
    assert similarity("甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚辛") == 1.0
    assert similarity("甲乙丙丁", "子丑寅卯") == 0.0
    assert similarity("2019年收到申请30件", "2020年收到申请45件") == 1.0  # digits read alike
    half = similarity("甲乙丙丁戊己", "甲乙丙丁子丑")
    assert 0.2 < half < 0.5
