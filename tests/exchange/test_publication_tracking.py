"""Publication tracking: record/list per unit and year, deadlines editable per workspace, W-DEADLINE in the
checks once a year is tracked, dates and links read from a verified page, and bad input named with nothing
changed (unknown unit, unreadable date, a date before the year's end, a link that is no web address)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ruian_desk.exchange.documents.published import page_publication
from ruian_desk.services import publication as pub
from ruian_desk.storage.assemble import check_report
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import run_cli

POLICE = "瑞安市公安局（示例单位）"
HOUSING = "瑞安市住房和城乡建设局（示例单位）"


def _w_deadline(repo, unit: str) -> list:  # noqa: ANN001
    _, issues = check_report(repo, repo.find_report(unit, 2019))
    return [i for i in issues if i.rule == "W-DEADLINE"]


def test_record_and_list_with_status_and_deadline(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    assert _w_deadline(repo, POLICE) == []  # nothing tracked yet: no warning for old years
    row = pub.record_publication(repo, POLICE, 2019, "2020年2月5日", "http://www.ruian.gov.cn/art/1.html")
    assert (row.date, row.deadline, row.status, row.days_late) == (
        dt.date(2020, 2, 5),
        dt.date(2020, 1, 31),
        "逾期发布",
        5,
    )
    pub.record_publication(repo, HOUSING, 2019, "2020-01-20")
    rows = {r.unit.name: r for r in pub.tracking(repo, 2019, today=dt.date(2020, 2, 10))}
    assert rows[HOUSING].status == "按时发布"
    assert rows["瑞安市人民政府"].status == "未到期限" and rows["瑞安市人民政府"].deadline == dt.date(
        2020, 3, 31
    )
    assert rows["塘下镇人民政府（示例单位）"].status == "逾期未发布"
    late = _w_deadline(repo, POLICE)
    assert len(late) == 1 and "晚于发布期限2020年1月31日 5 天" in late[0].message
    assert _w_deadline(repo, HOUSING) == []
    assert "尚未登记发布日期" in _w_deadline(repo, "塘下镇人民政府（示例单位）")[0].message
    # The change log keeps the old value when a record is replaced.
    pub.record_publication(repo, POLICE, 2019, "2020-01-30")
    assert _w_deadline(repo, POLICE) == []
    logged = [(c.old, c.new) for c in repo.changes() if c.target.startswith("publication:")]
    assert ("2020-02-05 http://www.ruian.gov.cn/art/1.html", "2020-01-30") in logged


def test_the_workspace_changes_a_deadline(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    pub.record_publication(repo, POLICE, 2019, "2020-02-05")
    assert pub.set_deadline(repo, "部门", "2月10日") == "department"
    assert pub.deadlines(repo)["department"] == "02-10"
    assert pub.track_row(repo, repo.unit_by_name(POLICE), 2019).status == "按时发布"
    assert _w_deadline(repo, POLICE) == []
    with pytest.raises(pub.PublicationError, match="单位类别“科室”不认识"):
        pub.set_deadline(repo, "科室", "01-31")
    with pytest.raises(pub.PublicationError, match="2-30"):
        pub.set_deadline(repo, "部门", "2-30")
    pub.set_deadline(repo, "部门", None)
    assert pub.deadlines(repo)["department"] == "01-31"


@pytest.mark.parametrize(
    ("unit", "date", "link", "message"),
    [
        ("不存在的局", "2020-01-20", "", "工作区中没有单位“不存在的局”"),
        (POLICE, "2020-13-01", "", "日期“2020-13-01”不存在"),
        (POLICE, "明天", "", "日期“明天”无法识别"),
        (POLICE, "2019-12-30", "", "早于2019年统计期限结束"),
        (POLICE, "2020-01-20", "www.ruian.gov.cn", "应以 http:// 或 https:// 开头"),
    ],
)
def test_bad_input_is_named_and_nothing_changes(
    sample_ws, unit: str, date: str, link: str, message: str
) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    before = len(repo.changes())
    with pytest.raises(pub.PublicationError, match=message):
        pub.record_publication(repo, unit, 2019, date, link)
    assert len(repo.changes()) == before
    assert all(r.date is None for r in pub.tracking(repo, 2019))


def test_cli_publication_records_and_lists_json(sample_path: Path) -> None:
    ws = str(sample_path)
    r = run_cli("publication", "-w", ws, "--year", "2019", "--unit", POLICE, "--date", "2020-01-22",
                "--link", "https://www.ruian.gov.cn/x.html", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    (entry,) = json.loads(r.stdout)["units"]
    assert entry == {
        "unit": POLICE, "year": 2019, "deadline": "2020-01-31", "date": "2020-01-22",
        "link": "https://www.ruian.gov.cn/x.html", "source": "typed", "status": "按时发布", "days_late": 0,
        "verification": "",
    }  # fmt: skip
    r = run_cli("publication", "-w", ws, "--year", "2019", "--today", "2020-02-03")
    assert r.returncode == 1  # units past their deadline without publication
    assert f"{POLICE}：按时发布" in r.stdout and "塘下镇人民政府（示例单位）：逾期未发布" in r.stdout
    r = run_cli("publication", "-w", ws, "--year", "2019", "--unit", "无此单位", "--date", "2020-01-22")
    assert r.returncode == 2 and "工作区中没有单位“无此单位”" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("publication", "-w", ws, "--year", "2019", "--unit", POLICE, "--clear")
    assert r.returncode == 1 and "已清除" in r.stderr and "逾期未发布" in r.stdout
    with open_workspace(sample_path, readonly=True) as w:
        assert all(row.date is None for row in pub.tracking(w.repo, 2019))


def test_a_saved_page_states_its_date_and_address(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<!-- saved from url=(0040)http://www.ruian.gov.cn/art/2020/1/20/1.html -->\n"
        '<html><head><meta charset="gbk"><meta name="PubDate" content="2020-01-20 09:30"></head>'
        "<body><p>发布日期：2020-01-21</p></body></html>",
        encoding="gbk",
    )
    got = page_publication(page)
    assert (got.date, got.link) == (dt.date(2020, 1, 20), "http://www.ruian.gov.cn/art/2020/1/20/1.html")
    other = tmp_path / "q.htm"
    other.write_text("<html><body><div>发布时间：2020年01月22日</div></body></html>", encoding="utf-8")
    assert page_publication(other).date == dt.date(2020, 1, 22) and page_publication(other).link == ""
    assert not page_publication(tmp_path / "x.pdf").found


def test_adopt_from_pages(sample_ws) -> None:  # noqa: ANN001
    repo = sample_ws.repo
    lines = pub.adopt_from_pages(
        repo,
        2019,
        [(POLICE, "a.html", dt.date(2020, 1, 25), "http://a/1.html"), (HOUSING, "b.pdf", None, "")],
    )
    assert lines == [
        f"{POLICE}：已登记发布日期 2020-01-25，链接 http://a/1.html",
        f"{HOUSING}：发布稿“b.pdf”中没有发布日期，未登记",
    ]
    row = pub.track_row(repo, repo.unit_by_name(POLICE), 2019)
    assert (row.date, row.source) == (dt.date(2020, 1, 25), "verify:a.html")
