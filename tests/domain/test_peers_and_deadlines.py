"""N-SIMILAR-PEER (two units sharing a copied 五、 are flagged; two sharing only the stock sentences are not; the
units' own names do not make texts alike) with the copy map's pairs, clusters and side-by-side view, and
W-DEADLINE (late, on time, missing after the deadline, not yet due, untracked years, the workspace's dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from ruian_desk.domain.deadlines import (
    DeadlineError,
    deadline_for,
    parse_date,
    parse_mmdd,
    timeliness,
)
from ruian_desk.domain.peers import char_marks, copy_map, side_by_side, similar_pairs
from ruian_desk.domain.rules import CheckContext
from tests.domain.checkdata import issues_of, report

P5_COPIED = (
    "一是政府信息公开工作的力量仍然薄弱，兼职人员多，业务培训不够系统；二是主动公开的内容不够全面，部分栏目更新不及时，"
    "解读材料形式单一；三是依申请公开答复的规范化程度有待提高。下一步，我们将加强队伍建设，定期开展业务培训，"
    "完善栏目维护责任制，丰富政策解读形式，规范答复文书，切实提升政府信息公开工作质量。"
)
P5_OWN = (
    "本年度我局在户籍业务办理信息的公开中发现，群众对办证进度查询的需求集中在工作日晚间，现有的电话查询渠道无法满足，"
    "窗口等候时间也偏长。明年将上线进度短信提醒，并把交通违法处理的常见问答整理成图解，在各派出所大厅张贴，"
    "同时对新入职民警开展两次公开答复文书写作练习。"
)
STOCK = (
    "本报告根据《中华人民共和国政府信息公开条例》第五十条规定编制。全文包括总体情况等六部分。统计期限为2021年1月1日至12月31日。"
    "本报告电子版可在门户网站下载。如对本报告有任何疑问，请联系本单位办公室，联系电话：0577-65812345。"
)


def _unit(name: str, p5: str, p1: str = "", p6: str = "无。") -> object:
    return report(unit=name, p1=p1 or STOCK, p5=p5, p6=p6)


def _county(units: list) -> tuple:  # noqa: ANN001
    main = report(unit="瑞安市人民政府", role="county_government")
    return main, CheckContext(units=tuple(units))


def test_a_copied_part_five_is_flagged_on_the_county_report() -> None:
    a = _unit("瑞安市民政局", P5_COPIED)
    b = _unit("瑞安市司法局", P5_COPIED.replace("我们", "我局").replace("三是", "三是部分"))
    c = _unit("瑞安市公安局", P5_OWN)
    main, ctx = _county([a, b, c])
    found = issues_of("N-SIMILAR-PEER", main, ctx)
    assert [(i.part, i.severity) for i in found] == [("p5", "warning")]
    assert "瑞安市民政局" in found[0].message and "瑞安市司法局" in found[0].message
    assert isinstance(found[0].actual, int) and found[0].actual >= 80


def test_units_sharing_only_stock_sentences_are_not_flagged() -> None:
    a = _unit(
        "瑞安市民政局",
        P5_COPIED,
        p1=STOCK + "本局全年主动公开信息三百余条，重点公开低保救助标准和养老服务补贴发放情况。",
    )
    b = _unit(
        "瑞安市公安局",
        P5_OWN,
        p1=STOCK.replace("0577-65812345", "0577-65819999") + "全年办理户籍类信息查询二千余件。",
    )
    main, ctx = _county([a, b])
    assert issues_of("N-SIMILAR-PEER", main, ctx) == []


def test_the_units_own_names_do_not_make_texts_alike() -> None:
    # The same short sentence about each unit itself, the rest different: the names are removed first.
    text_a = "瑞安市民政局" * 30 + P5_OWN
    text_b = "瑞安市司法局" * 30 + P5_COPIED
    result = copy_map({"瑞安市民政局": {"p5": text_a}, "瑞安市司法局": {"p5": text_b}})
    assert result.pairs == []


def test_copy_map_pairs_clusters_and_side_by_side() -> None:
    texts = {
        "甲局": {"p5": P5_COPIED},
        "乙局": {"p5": P5_COPIED.replace("薄弱", "不足")},
        "丙局": {"p5": P5_COPIED.replace("单一", "较少")},
        "丁局": {"p5": P5_OWN},
    }
    result = copy_map(texts)
    assert {(p.a, p.b) for p in result.pairs} == {("乙局", "甲局"), ("丙局", "甲局"), ("丙局", "乙局")}
    assert [(c.part, c.units) for c in result.clusters] == [("p5", ("丙局", "乙局", "甲局"))]
    assert result.best("丁局") == 0.0
    segments = side_by_side(texts["甲局"]["p5"], texts["乙局"]["p5"])
    changed = [s for s in segments if s.op != "equal"]
    assert len(changed) == 1 and "薄弱" in changed[0].a and "不足" in changed[0].b
    left, right = char_marks(changed[0].a, changed[0].b)
    assert [t for t, diff in left if diff] == ["薄弱"] and [t for t, diff in right if diff] == ["不足"]
    data = result.to_json()
    assert [c["units"] for c in data["clusters"]] == [["丙局", "乙局", "甲局"]]
    assert all(60 <= p["score"] <= 100 for p in data["pairs"])


def test_prefix_filtered_pairs_equal_all_pairs() -> None:
    import itertools
    import random

    rng = random.Random(7)
    alphabet = [chr(0x4E00 + i) for i in range(60)]
    sets = {}
    base = frozenset(rng.sample(alphabet, 40))
    for n in range(40):
        s = set(base) if n % 3 == 0 else set(rng.sample(alphabet, 40))
        for _ in range(n % 7):
            s.discard(next(iter(s)))
            s.add(rng.choice(alphabet))
        sets[f"u{n:02d}"] = frozenset(s)
    expected = set()
    for a, b in itertools.combinations(sorted(sets), 2):
        j = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
        if j >= 0.6:
            expected.add((a, b))
    got = {(a, b) for a, b, _ in similar_pairs(sets, 0.6)}
    assert got == expected and expected


# ------------------------------------------------------------------------------------------- W-DEADLINE


def _settings(**kw: str) -> CheckContext:
    return CheckContext(
        settings={"publication.tracked": "1", **{k.replace("_", "."): v for k, v in kw.items()}}
    )


def test_published_late_is_a_warning_with_the_days() -> None:
    rep = report(year=2021)
    found = issues_of(
        "W-DEADLINE", rep, _settings(publication_date="2022-02-03", publication_deadline="2022-01-31")
    )
    assert len(found) == 1 and found[0].severity == "warning"
    assert (
        "2022年2月3日发布" in found[0].message
        and "3 天" in found[0].message
        and "第四十九条" in found[0].message
    )


def test_published_on_time_or_not_yet_due_is_fine() -> None:
    rep = report(year=2021)
    assert issues_of("W-DEADLINE", rep, _settings(publication_date="2022-01-31")) == []
    assert issues_of("W-DEADLINE", rep, _settings(check_today="2022-01-30")) == []


def test_missing_after_the_deadline_is_a_warning() -> None:
    rep = report(year=2021)
    found = issues_of("W-DEADLINE", rep, _settings(check_today="2022-02-10"))
    assert len(found) == 1 and "尚未登记发布日期" in found[0].message and "10 天" in found[0].message


def test_the_county_report_has_until_march_31() -> None:
    county = report(year=2021, unit="瑞安市人民政府", role="county_government")
    assert issues_of("W-DEADLINE", county, _settings(publication_date="2022-03-20")) == []
    assert len(issues_of("W-DEADLINE", county, _settings(publication_date="2022-04-01"))) == 1


def test_an_untracked_year_gives_nothing() -> None:
    rep = report(year=2021)
    assert issues_of("W-DEADLINE", rep, CheckContext(settings={"check.today": "2030-01-01"})) == []


def test_deadline_helpers() -> None:
    assert deadline_for("township", 2021) == dt.date(2022, 1, 31)
    assert deadline_for("county_government", 2021) == dt.date(2022, 3, 31)
    assert deadline_for("department", 2021, {"department": "02-15"}) == dt.date(2022, 2, 15)
    assert parse_mmdd("1月31日") == (1, 31)
    assert parse_date("2022年1月5日") == dt.date(2022, 1, 5)
    assert timeliness(None, dt.date(2022, 1, 31), dt.date(2022, 1, 31)) == ("未到期限", 0)
    for bad in ("13-01", "xx"):
        with pytest.raises(DeadlineError, match=bad):
            parse_mmdd(bad)
    with pytest.raises(DeadlineError, match="2022-02-30"):
        parse_date("2022-02-30")
