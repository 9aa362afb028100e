"""Reading figures out of narrative text, and what a figure is taken to state about the tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ruian_desk.domain.textclaims import claims, statements
from ruian_desk.domain.textfigures import cn_number, figures, paragraph_label, sentence_at


def _figs(text: str) -> list[tuple[Decimal, str, str]]:
    return [(f.value, f.unit, f.approx) for f in figures(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("共收到申请3119件", [(Decimal(3119), "件", "")]),
        ("共收到申请3,119件", [(Decimal(3119), "件", "")]),
        ("收到申请１２３件", [(Decimal(123), "件", "")]),
        ("一千余件", [(Decimal(1000), "件", "余")]),
        ("两千三百件", [(Decimal(2300), "件", "")]),
        ("十余件", [(Decimal(10), "件", "余")]),
        ("近600个", [(Decimal(600), "个", "近")]),
        ("约3000件", [(Decimal(3000), "件", "约")]),
        ("3000件左右", [(Decimal(3000), "件", "左右")]),
        ("1000件以上", [(Decimal(1000), "件", "以上")]),
        ("10万余条", [(Decimal(100000), "条", "余")]),
        ("54.1亿元", [(Decimal("54.1"), "亿元", "")]),
        ("占比85.38%", [(Decimal("85.38"), "%", "")]),
        ("提高3.5个百分点", [(Decimal("3.5"), "个百分点", "")]),
        ("对象6731户次,完成5935户次", [(Decimal(6731), "户次", ""), (Decimal(5935), "户次", "")]),
        # not figures: years, dates, phone numbers, ordinals, words with numerals
        ("2019年1月1日起至2019年12月31日止", []),
        ("电话:0577-65812207,邮编:325200", []),
        ("第三件事、每一件申请、一是二是", []),
    ],
)
def test_figures(text: str, expected: list) -> None:
    assert _figs(text) == expected


def test_figure_places_and_precision() -> None:
    text = "即办事项2364项,占比76.75%"
    a, b = figures(text)
    assert text[a.start : a.end] == "2364项" and b.decimals == 2 and text[b.num_start : b.end] == "76.75%"


def test_approximations() -> None:
    (f,) = figures("一千余件")
    assert f.fits(1000) and f.fits(1999) and not f.fits(2000) and not f.fits(999)
    (f,) = figures("近600个")
    assert f.fits(600) and f.fits(550) and not f.fits(601) and not f.fits(499)
    (f,) = figures("1200余件")
    assert f.fits(1299) and not f.fits(1300)
    (f,) = figures("超过1000件")
    assert f.fits(10**6) and not f.fits(999)
    (f,) = figures("3119件")
    assert f.fits(3119) and not f.fits(3118)


def test_chinese_numerals() -> None:
    assert [cn_number(s) for s in ("一千", "两千三百", "十二", "二十", "三百零五", "二〇一九")] == [
        1000,
        2300,
        12,
        20,
        305,
        2019,
    ]
    assert cn_number("百千") is None and cn_number("") is None


def test_paragraph_labels_and_sentences() -> None:
    text = "总述。\n（一）主动公开\n正文一段。\n2.第二项。内容。\n(二)依申请 同行正文。"
    assert paragraph_label(text, 0) == "第1段"
    assert paragraph_label(text, text.index("正文一段")) == "（一）第1段"
    assert paragraph_label(text, text.index("内容")) == "（一）2."
    assert paragraph_label(text, text.index("同行正文")) == "（二）"
    assert text[slice(*sentence_at(text, text.index("内容")))] == "内容。"


@pytest.mark.parametrize(
    "text",
    [
        "全年受理12345政务服务热线工单3000件，办结3000件。",  # not 政府信息公开 applications
        "全年办结群众诉求2000件。",
        "全年办理行政复议案件120件，审结110件。",  # a 司法局 as review organ
        "收到申请较上年增加12件。",  # a difference
        "2018年共收到政府信息公开申请100件。",  # another year
        "对每一件申请都认真答复。",
        "本年度制发文件12件。",  # no 表二 object named
    ],
)
def test_not_claims(text: str) -> None:
    assert claims(text, "gov-2021", 2021) == ()


def test_statements_need_their_context() -> None:
    assert [s.kind for s in statements("本年度未发生因政府信息公开被申请行政复议的情况。")] == ["no_review"]
    assert statements("全年未发生行政复议纠错案件。") == ()  # not about 政府信息公开
    assert statements("尚未审结的行政复议案件依法办理。") == ()
    assert statements("对无法提供的申请依法答复。") == ()
    (s,) = statements("被申请行政复议2件、被提起行政诉讼1件，均获维持。")
    assert s.kind == "all_kept" and s.families == ("rv", "lit")
    (s,) = statements("本机关未收到政府信息公开申请。")
    assert s.kind == "no_applications"
