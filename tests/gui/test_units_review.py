"""发布与考核 on the 单位 page, driven offscreen: published copies verified (own exports 一致, a changed page named
with its differences, a page that is not a report and a damaged PDF named, nothing changed), the tracker's
发布日期/链接/核验结果 columns and typed entries with bad input named, the copy map with the pair side by side,
the scores with 生成通报/整改通知 and the rubric editor refusing a broken rubric."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest

from ruian_desk.services.evaluation import default_rubric_text
from ruian_desk.services.notices import bulletin_name, rectification_name
from ruian_desk.storage.publications import rubric_text

MAIN = "瑞安市人民政府"
POLICE = "瑞安市公安局（示例单位）"
HOUSING = "瑞安市住房和城乡建设局（示例单位）"
MARKET, ANYANG, TANGXIA = (
    "瑞安市市场监督管理局（示例单位）",
    "安阳街道办事处（示例单位）",
    "塘下镇人民政府（示例单位）",
)
P5 = (
    "一是政府信息公开工作的力量仍然薄弱，兼职人员多，业务培训不够系统；二是主动公开的内容不够全面，部分栏目更新不及时，"
    "解读材料形式单一；三是依申请公开答复的规范化程度有待提高。下一步，我们将加强队伍建设，定期开展业务培训，"
    "完善栏目维护责任制，丰富政策解读形式，规范答复文书，切实提升政府信息公开工作质量。"
)


@pytest.fixture
def page(ctx, qtbot):  # noqa: ANN001, ANN201
    from ruian_desk.gui.units.page import UnitsPage

    p = UnitsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 800)
    p.show()
    qtbot.waitExposed(p)
    p.tabs.setCurrentWidget(p.review)
    return p


def _export(ctx, unit: str, kind: str, out: Path) -> Path:  # noqa: ANN001
    from ruian_desk.export.bundle import export_bundle
    from ruian_desk.export.view import ExportOptions, build_view

    view = build_view(ctx.repo, ctx.repo.find_report(unit, 2019), options=ExportOptions())
    (path,) = [Path(p) for p in export_bundle(view, [kind], out) if not str(p).endswith(".json")]
    return path


def test_verify_published_copies_from_the_page(page, ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    panel = page.review.verification
    page.review.tabs.setCurrentWidget(panel)
    good = _export(ctx, POLICE, "html", tmp_path / "a")
    changed = _export(ctx, HOUSING, "html", tmp_path / "b")
    text = changed.read_text(encoding="utf-8")
    changed.write_text(
        "<!-- saved from url=(0040)http://www.ruian.gov.cn/art/2020/1/20/9.html -->\n"
        + text.replace("<head>", '<head><meta name="PubDate" content="2020-01-20">', 1),
        encoding="utf-8",
    )
    stored = ctx.repo.load_report(ctx.repo.find_report(HOUSING, 2019)).values.number("t3.new.total")
    changed.write_text(
        changed.read_text(encoding="utf-8").replace(f">{stored}<", f">{stored + 1}<", 1), encoding="utf-8"
    )
    junk = tmp_path / "notice.html"
    junk.write_text("<html><body><p>关于召开会议的通知</p></body></html>", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    before = ctx.repo.load_report(ctx.repo.find_report(HOUSING, 2019))
    panel.ask_files = lambda: [str(good), str(changed), str(junk), str(broken)]
    with qtbot.waitSignal(panel.verified, timeout=60000):
        panel.files_button.click()
    lines = dict(panel.lines())
    assert lines[POLICE] == "一致"
    assert lines[HOUSING].startswith("有差异（") and "处数字" in lines[HOUSING]
    names = [v.file for v in panel.results if not v.status.startswith(("一致", "有差异", "未找到"))]
    assert "notice.html" in names and "broken.pdf" in names
    assert lines[TANGXIA] == "未找到发布稿"
    # nothing in the reports changed; the results are stored and the page's date/link adopted
    assert ctx.repo.load_report(ctx.repo.find_report(HOUSING, 2019)).cells == before.cells
    tracker = page.review.publication
    assert tracker.cell_text(HOUSING, "发布日期") == "2020-01-20"
    assert tracker.cell_text(HOUSING, "链接") == "http://www.ruian.gov.cn/art/2020/1/20/9.html"
    assert tracker.cell_text(HOUSING, "核验结果").startswith("有差异")
    assert tracker.cell_text(POLICE, "核验结果") == "一致"
    page.grab().save(str(tmp_path / "verify.png"))


def test_tracker_typed_entries_and_deadlines(page, ctx) -> None:  # noqa: ANN001
    panel = page.review.publication
    page.review.tabs.setCurrentWidget(panel)
    panel.today = dt.date(2020, 2, 10)
    panel.refresh()
    assert panel.select(POLICE)
    panel.date_edit.setText("2020-13-40")
    assert not panel.record_selected()
    assert "不存在" in panel.message.text() and panel.cell_text(POLICE, "发布日期") == ""
    panel.date_edit.setText("2020-02-05")
    panel.link_edit.setText("ftp://x")
    assert not panel.record_selected() and "http://" in panel.message.text()
    panel.link_edit.setText("https://www.ruian.gov.cn/p.html")
    assert panel.record_selected()
    assert panel.cell_text(POLICE, "发布情况") == "逾期发布（5天）"
    assert panel.cell_text(TANGXIA, "发布情况") == "逾期未发布（10天）"
    assert panel.cell_text(MAIN, "发布期限") == "2020-03-31"
    panel.role_box.setCurrentIndex(panel.role_box.findData("department"))
    panel.deadline_edit.setText("2月10日")
    assert panel.change_deadline()
    assert (
        panel.cell_text(POLICE, "发布期限") == "2020-02-10"
        and panel.cell_text(POLICE, "发布情况") == "按时发布"
    )
    panel.deadline_edit.setText("2-31")
    assert not panel.change_deadline() and "不是有效的月日" in panel.message.text()
    # W-DEADLINE reaches the unit's checks
    assert page.select_unit(ctx.repo.unit_by_name(TANGXIA).id)
    page.refresh()
    status = page.status_of(ctx.repo.unit_by_name(TANGXIA).id)
    assert any(i.rule == "W-DEADLINE" for i in status.issues)


def test_copy_map_pairs_and_side_by_side(page, ctx) -> None:  # noqa: ANN001
    for name, text in ((MARKET, P5), (ANYANG, P5.replace("薄弱", "不足"))):
        ctx.repo.set_field(ctx.repo.find_report(name, 2019), "p5", text)
        ctx.notify_changed(ctx.repo.find_report(name, 2019))
    page.refresh()
    panel = page.review.copy_map
    page.review.tabs.setCurrentWidget(panel)
    assert panel.pairs.rowCount() == 1
    row = [panel.pairs.item(0, c).text() for c in range(4)]
    assert row[0] == "五、存在的主要问题及改进情况" and {row[1], row[2]} == {MARKET, ANYANG}
    assert int(row[3].rstrip("%")) >= 80
    assert panel.clusters.count() == 1 and MARKET in panel.clusters.item(0).text()
    html = panel.detail.toHtml()
    assert "薄弱" in html and "不足" in html and "#ffd7d7" in html.lower()
    assert "有 1 对" in panel.summary.text()
    # the county report's checks carry the pair too
    assert any(i.rule == "N-SIMILAR-PEER" for i in page.main_issues)


def test_scores_documents_and_rubric_editor(page, ctx, tmp_path: Path) -> None:  # noqa: ANN001
    from ruian_desk.services import publication as pub

    pub.record_publication(ctx.repo, POLICE, 2019, "2020-02-05")
    pub.record_publication(ctx.repo, HOUSING, 2019, "2020-01-20")
    page.refresh()
    panel = page.review.scores
    panel.today = dt.date(2020, 3, 1)
    page.review.tabs.setCurrentWidget(panel)
    panel.recompute()
    table = [[panel.table.item(r, c).text() for c in range(4)] for r in range(panel.table.rowCount())]
    assert table[0][:3] == ["1", HOUSING, "85"]
    assert all(r[2] == "75" for r in table[1:]) and len(table) == 7
    panel.table.selectRow(0)
    assert panel.detail.item(0).text() == "正文缺项（一、五、六）3处，每处扣5分，扣15分"
    files = panel.write_documents(tmp_path / "out")
    assert files[0].name == bulletin_name(2019) and len(files) == 7
    d = docx.Document(str(files[0]))
    assert d.paragraphs[0].text == "关于2019年度政府信息公开工作年度报告考核情况的通报"
    assert [c.text for c in d.tables[0].rows[1].cells][:3] == ["1", HOUSING, "85"]
    assert (tmp_path / "out" / rectification_name(POLICE, 2019)).exists()
    assert "整改通知 6 份" in panel.summary.text()

    # the rubric editor: a broken rubric is named, nothing stored; a good one is stored and used
    from ruian_desk.gui.units.scores_panel import RubricDialog

    shown: list[RubricDialog] = []
    panel.open_rubric = lambda dialog: shown.append(dialog)
    panel.edit_rubric()
    dialog = shown[0]
    data = json.loads(default_rubric_text())
    data["items"][6]["per"] = "十"
    dialog.editor.setPlainText(json.dumps(data, ensure_ascii=False))
    assert not dialog.save()
    assert "第 7 项（deadline）：“per”（每处扣分）应为正数" in dialog.error.text()
    assert rubric_text(ctx.repo) is None
    data["items"][6]["per"] = 5
    data["rectify_below"] = 70
    dialog.editor.setPlainText(json.dumps(data, ensure_ascii=False))
    assert dialog.save()
    assert json.loads(rubric_text(ctx.repo) or "{}")["rectify_below"] == 70
    panel.recompute()
    assert [panel.table.item(r, 2).text() for r in range(panel.table.rowCount())][1:] == ["80"] * 6
    assert "低于 70 分须整改的 0 个" in panel.summary.text()
    page.grab().save(str(tmp_path / "scores.png"))


def test_files_dropped_on_the_panel_are_verified(page, ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    panel = page.review.verification
    page.review.tabs.setCurrentWidget(panel)
    pdf = _export(ctx, POLICE, "pdf", tmp_path / "a")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.verified, timeout=60000):
        panel.dropEvent(event)
    assert dict(panel.lines())[POLICE] == "一致"
    assert ctx.repo.last_imports(2019, "verify")[ctx.repo.unit_by_name(POLICE).id]["result"] == "一致"


def test_the_units_tracker_shows_publication_and_verification(page, ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    from ruian_desk.gui.units.model import ERROR_FG
    from ruian_desk.services import publication as pub

    pub.record_publication(ctx.repo, POLICE, 2019, "2020-01-20", "https://www.ruian.gov.cn/a.html")
    ctx.repo.record_import(
        ctx.repo.unit_by_name(HOUSING).id, 2019, "b.html", "00" * 32, "verify", "有差异（1处数字、0处文字）"
    )
    page.refresh()
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-3:] == ["发布日期", "链接", "核验结果"]

    def cell(name: str, col: int, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN202
        r = next(i for i, s in enumerate(model.rows) if s.unit.name == name)
        return model.data(model.index(r, col), role)

    c = model.PUBLISHED_COL
    assert (cell(POLICE, c), cell(POLICE, c + 1)) == ("2020-01-20", "https://www.ruian.gov.cn/a.html")
    assert (
        cell(HOUSING, c) == "逾期未发布"
        and cell(HOUSING, c, Qt.ItemDataRole.ForegroundRole).color() == ERROR_FG
    )
    assert cell(HOUSING, c + 2) == "有差异（1处数字、0处文字）"
    assert cell(HOUSING, c + 2, Qt.ItemDataRole.ForegroundRole).color() == ERROR_FG
