"""考核 on the sample: the default rubric validates, a broken one is refused with the item named; scores and ranking
(numbers asserted) with each deduction's reason; the 通报 and the 整改通知 written in the report's 公文 style and
opened back; the clerk's own rubric stored in the workspace; `evaluate` on the command line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from ruian_desk.domain.rubric import RubricError, parse_rubric
from ruian_desk.services import publication as pub
from ruian_desk.services.evaluation import default_rubric_text, evaluate, load_rubric, save_rubric
from ruian_desk.services.notices import bulletin_name, rectification_name, write_evaluation_documents
from tests.conftest import run_cli

P5 = (
    "一是政府信息公开工作的力量仍然薄弱，兼职人员多，业务培训不够系统；二是主动公开的内容不够全面，部分栏目更新不及时，"
    "解读材料形式单一；三是依申请公开答复的规范化程度有待提高。下一步，我们将加强队伍建设，定期开展业务培训，"
    "完善栏目维护责任制，丰富政策解读形式，规范答复文书，切实提升政府信息公开工作质量。"
)
MARKET, ANYANG, TANGXIA = (
    "瑞安市市场监督管理局（示例单位）",
    "安阳街道办事处（示例单位）",
    "塘下镇人民政府（示例单位）",
)
POLICE, HOUSING = "瑞安市公安局（示例单位）", "瑞安市住房和城乡建设局（示例单位）"


def _prepare(repo) -> None:  # noqa: ANN001
    """Two units copy one 五、; one unit's 表三 no longer balances; one published late, one on time."""
    for name in (MARKET, ANYANG):
        repo.set_field(repo.find_report(name, 2019), "p5", P5)
    rid = repo.find_report(TANGXIA, 2019)
    repo.set_cell(rid, "t3.new.np", 310)  # was 303
    pub.record_publication(repo, POLICE, 2019, "2020-02-05")
    pub.record_publication(repo, HOUSING, 2019, "2020-01-20")


def test_scores_and_ranking_on_the_sample(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    _prepare(repo)
    ev = evaluate(repo, 2019, today=dt.date(2020, 3, 1))
    table = [(u.score.rank, u.unit, u.score.score) for u in ev.units]
    assert table[0] == (1, HOUSING, Decimal(85))
    assert {(r, s) for r, _, s in table[1:6]} == {(2, Decimal(75))}
    assert table[6] == (7, TANGXIA, Decimal(65))
    by = {u.unit: u for u in ev.units}
    assert [d.item for d in by[MARKET].score.deductions] == ["missing-part", "peer-copy", "deadline"]
    assert by[MARKET].score.deductions[1].reason == "与其他单位雷同1处，每处扣5分，扣5分"
    assert "安阳街道办事处（示例单位）" in by[MARKET].score.deductions[1].details[0]
    assert [d.item for d in by[TANGXIA].score.deductions] == ["errors", "missing-part", "deadline"]
    assert by[TANGXIA].score.deductions[0].count == 2 and "T3-" in by[TANGXIA].score.deductions[0].details[0]
    assert by[POLICE].score.deductions[-1].reason == "逾期发布或未发布1处，每处扣10分，扣10分"
    assert "逾期发布（期限2020-01-31，2020-02-05发布，逾期5天）" in by[POLICE].score.deductions[-1].details
    assert [u.unit for u in ev.below()] == [u for _, u, _ in table[1:]]
    assert ev.copies.to_json()["pairs"] == [{"part": "p5", "units": [ANYANG, MARKET], "score": 100}]


def test_bulletin_and_rectification_documents(sample_ws, tmp_path: Path) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    _prepare(repo)
    ev = evaluate(repo, 2019, today=dt.date(2020, 3, 1))
    files = write_evaluation_documents(ev, tmp_path, "瑞安市人民政府办公室", dt.date(2020, 4, 10))
    assert files[0].name == bulletin_name(2019) and len(files) == 1 + 6
    d = docx.Document(str(files[0]))
    paras = [(p.style.style_id, p.text) for p in d.paragraphs]
    assert paras[0] == ("Title", "关于2019年度政府信息公开工作年度报告考核情况的通报")
    assert ("Heading1", "一、考核结果") in paras and ("Heading1", "二、存在的主要问题") in paras
    assert paras[-2:] == [("Signature", "瑞安市人民政府办公室"), ("Signature", "2020年4月10日")]
    ranking = d.tables[0]
    rows = [[c.text for c in r.cells] for r in ranking.rows]
    assert rows[0] == ["名次", "单位", "得分", "主要扣分情况"]
    assert rows[1][:3] == ["1", HOUSING, "85"] and rows[-1][:3] == ["7", TANGXIA, "65"]
    assert "数据错误扣10分" in rows[-1][3]
    assert ranking.style.style_id == "ReportTable"
    body = "\n".join(t for _, t in paras)
    assert f"（一）{MARKET}（75分）" in body or f"{MARKET}（75分）" in body
    assert (
        "与其他单位雷同1处，每处扣5分，扣5分。具体为：五、存在的主要问题及改进情况与“安阳街道办事处（示例单位）”相似度 100%"
        in body
    )
    fonts = d.styles["Title"].element.xpath(".//w:rFonts/@w:eastAsia")
    assert fonts == ["方正小标宋简体"]
    notice = docx.Document(str(tmp_path / rectification_name(TANGXIA, 2019)))
    texts = [p.text for p in notice.paragraphs]
    assert texts[0] == f"关于{TANGXIA}2019年政府信息公开工作年度报告的整改通知"
    assert "得分为65分（满分100分，第7名），低于85分" in texts[2]
    deductions = [[c.text for c in r.cells] for r in notice.tables[0].rows]
    assert deductions[1][:3] == ["数据错误", "2", "10"]
    findings = [[c.text for c in r.cells] for r in notice.tables[1].rows]
    assert findings[0] == ["序号", "类别", "位置", "问题说明", "应为", "现为"]
    assert any(row[1] == "错误" and "表三" in row[2] for row in findings[1:])  # same as the 审核意见
    assert not (tmp_path / rectification_name(HOUSING, 2019)).exists()  # 85 is not below 85


def test_default_rubric_is_valid_and_round_trips() -> None:
    rubric = parse_rubric(default_rubric_text(), "default.json")
    assert rubric.total == 100 and rubric.rectify_below == 85
    assert [i.id for i in rubric.items][:2] == ["errors", "warnings"]
    assert parse_rubric(json.dumps(rubric.to_json(), ensure_ascii=False), "again") == rubric


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][2].pop("points"), "第 3 项（text-tables）：“points”（最多扣分）应为正数"),
        (lambda d: d["items"][0]["tie"].update(kind="magic"), "第 1 项（errors）：计分依据“magic”不认识"),
        (
            lambda d: d["items"][2]["tie"].update(rules=["X-NOPE"]),
            "第 3 项（text-tables）：规则 X-NOPE 不存在",
        ),
        (
            lambda d: d["items"][5]["tie"].update(min=60),
            "第 6 项（peer-copy）：“min”（相似度下限）应为 0 到 1 之间的数",
        ),
        (lambda d: d["items"][1].update(id="errors"), "第 2 项（errors）：编号“errors”重复"),
        (lambda d: d.update(total="一百"), "“total”（满分）应为正数"),
    ],
)
def test_a_broken_rubric_is_refused_with_the_item_named(change, message: str) -> None:  # noqa: ANN001
    data = json.loads(default_rubric_text())
    change(data)
    with pytest.raises(RubricError) as err:
        parse_rubric(
            json.dumps(data, ensure_ascii=False),
            "mine.json",
            ["X-TEXT-T3", "X-TEXT-T2", "T4-TEXT", "X-METRIC-TEXT"],
        )
    assert message in str(err.value) and "mine.json" in str(err.value)


def test_not_json_is_named_with_line_and_column() -> None:
    with pytest.raises(RubricError, match="不是有效的 JSON（第 2 行"):
        parse_rubric('{"name": "x",\n "total": }', "bad.json")


def test_the_clerks_rubric_is_stored_and_a_broken_one_changes_nothing(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    data = json.loads(default_rubric_text())
    data["name"] = "本县细则"
    data["rectify_below"] = 60
    save_rubric(repo, json.dumps(data, ensure_ascii=False))
    assert load_rubric(repo).name == "本县细则"
    with pytest.raises(RubricError):
        save_rubric(repo, '{"name": "坏的"}')
    assert load_rubric(repo).name == "本县细则"
    assert evaluate(repo, 2019).below() == []
    save_rubric(repo, None)
    assert load_rubric(repo).name.endswith("（默认）")


def test_cli_evaluate(sample_path: Path, tmp_path: Path) -> None:
    r = run_cli(
        "evaluate", "-w", str(sample_path), "--year", "2019", "--json", "--out", str(tmp_path / "out")
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"] == 100 and len(data["units"]) == 7
    assert {u["score"] for u in data["units"]} == {85} and {u["rank"] for u in data["units"]} == {1}
    assert data["notes"] == ["2019年尚未登记任何发布情况，“发布期限”一项未评"]
    assert data["files"] == [str(tmp_path / "out" / bulletin_name(2019))]
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"name": "x", "total": 100, "items": [{"id": "a", "name": "甲", "points": -1, "tie": {"kind": "deadline"}}]}',
        encoding="utf-8",
    )
    r = run_cli("evaluate", "-w", str(sample_path), "--year", "2019", "--rubric", str(bad))
    assert (
        r.returncode == 2
        and "第 1 项（a）：“points”（最多扣分）应为正数" in r.stderr
        and "Traceback" not in r.stderr
    )
    r = run_cli("evaluate", "-w", str(sample_path), "--year", "2031")
    assert r.returncode == 2 and "没有2031年的报告" in r.stderr


def test_a_published_copy_that_differs_costs_points_per_difference(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    police = repo.unit_by_name(POLICE)
    repo.record_import(police.id, 2019, "gongan.html", "ab" * 32, "verify", "有差异（2处数字、1处文字）")
    other = repo.unit_by_name(HOUSING)
    repo.record_import(other.id, 2019, "zhujian-2018.pdf", "cd" * 32, "verify", "发布稿年度不符（2018年）")
    by = {u.unit: u for u in evaluate(repo, 2019).units}
    (d,) = [x for x in by[POLICE].score.deductions if x.item == "published-diff"]
    assert (d.count, d.points) == (3, Decimal(6))
    assert d.details == ("发布稿与审定稿有差异（2处数字、1处文字）（gongan.html）",)
    (d,) = [x for x in by[HOUSING].score.deductions if x.item == "published-diff"]
    assert (d.count, d.points) == (1, Decimal(2)) and "发布稿年度不符（2018年）" in d.details[0]
    assert by[POLICE].score.score == Decimal(79)


def test_the_shipped_schema_is_the_one_the_checker_applies() -> None:
    from ruian_desk.domain.rubric import SCHEMA
    from ruian_desk.paths import resource

    shipped = json.loads(resource("rubrics", "rubric.schema.json").read_text(encoding="utf-8"))
    assert shipped == SCHEMA
    assert set(shipped["properties"]["items"]["items"]["properties"]["tie"]["properties"]["kind"]["enum"]) == {
        "severity", "rule", "similarity", "deadline", "published", "missing"
    }  # fmt: skip
