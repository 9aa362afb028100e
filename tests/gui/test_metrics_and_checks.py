"""The metrics register and the check panel, with real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from ruian_desk.domain.report import Report
from ruian_desk.domain.rules import _EXTRA_RULES, CheckContext, Issue


def test_metrics_add_edit_remove_undo(window, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.metrics import CATALOGUE, COL_DEN, COL_NUM, COL_RATE, COL_VALUE

    ctx = window.ctx
    page = window.show_node("metrics")
    model = page.model
    n = model.rowCount()
    assert n == 30
    # 网上可办事项 from the catalogue, then 网上办理开通率 computes from it and 政务服务事项总数.
    online_items = next(e for e in CATALOGUE if e.key == "online_items")
    assert page.add_from_catalogue(online_items)
    row = model.row_of("online_items")
    assert model.setData(model.index(row, COL_VALUE), "３,０７２")  # full-width digits and a separator
    assert ctx.report().metric("online_items").value == Decimal("3072")
    rate_row = model.row_of("online_rate")
    assert model.setData(model.index(rate_row, COL_NUM), "3072")
    assert model.setData(model.index(rate_row, COL_DEN), "3080")
    assert model.data(model.index(rate_row, COL_RATE)) == "99.74%"  # 3072/3080 = 99.7402… half-up
    assert model.data(model.index(rate_row, COL_VALUE), Qt.ItemDataRole.BackgroundRole) is None  # agrees
    assert model.setData(model.index(rate_row, COL_VALUE), "99.8")
    assert model.data(model.index(rate_row, COL_VALUE), Qt.ItemDataRole.BackgroundRole) is not None
    assert "99.7%" in model.data(model.index(rate_row, COL_RATE), Qt.ItemDataRole.ToolTipRole)
    # Bad input is refused with the reason; nothing stored.
    messages: list[str] = []
    model.input_refused.connect(lambda _r, _c, text: messages.append(text))
    assert not model.setData(model.index(rate_row, COL_NUM), "三千")
    assert "不是数字" in messages[-1] and "网上办理开通率" in messages[-1]
    assert messages[-1].count("三千") == 1  # the value named once
    assert ctx.report().metric("online_rate").numerator == Decimal("3072")
    # Remove, then undo the removal and the value change.
    page.view.setCurrentIndex(model.index(model.row_of("online_items"), 0))
    assert page.remove_selected()
    assert ctx.report().metric("online_items") is None
    window.undo()
    assert ctx.report().metric("online_items").value == Decimal("3072")
    window.undo()  # the 99.8 typed over the stated rate
    assert ctx.report().metric("online_rate").value == Decimal("99.74")
    assert model.rowCount() == n + 1


def test_catalogue_rate_takes_its_base_from_present_metrics(window) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.metrics import CATALOGUE, metric_from_catalogue

    report = window.ctx.report()
    share = next(e for e in CATALOGUE if e.key == "zero_visit_rate")
    m = metric_from_catalogue(share, report)
    assert m.denominator == Decimal("3080") and m.numerator is None  # no 零次跑事项 metric yet
    instant = next(e for e in CATALOGUE if e.key == "instant_share")
    m = metric_from_catalogue(instant, report)
    assert (m.numerator, m.denominator, m.value) == (Decimal("2364"), Decimal("3080"), Decimal("76.75"))


def test_metrics_model_passes_qtmodeltester(qtmodeltester, ctx) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.metrics import MetricsModel

    qtmodeltester.check(MetricsModel(ctx))
    qtmodeltester.check(MetricsModel(None))


def test_issues_model_passes_qtmodeltester(qtmodeltester, ctx) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.checks import IssuesModel

    ctx.repo.set_cell(ctx.report_id, "t3.new.np", 1)
    ctx.notify_changed()
    model = IssuesModel(ctx)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_click_in_check_panel_selects_the_named_cell(window, qtbot) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    ctx.repo.set_cell(
        rid, "t4.count.ld_other", 5
    )  # 未经复议直接起诉: 总计 no longer matches … via a stated total
    ctx.repo.set_cell(rid, "t4.count.ld_total", 14, source="import-xlsx:x.xlsx")
    ctx.notify_changed(rid)
    panel = window.show_node("checks")
    assert panel is window.check_panel
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "T4-LD")
    issue = panel.model.rows[row]
    rect = panel.view.visualRect(panel.model.index(row, 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # The editor of 表四 shows with the named cell selected; the list stays visible in a dock below it.
    table = window.ui.pageStack.currentWidget()
    assert table is window.pages["p4"]
    assert table.current_cell_id() == issue.cells[0] == "t4.count.ld_total"
    assert window.checks_dock.widget() is panel and window.checks_dock.isVisible()
    # A second click, now from the dock, moves to the cell of another issue.
    window.show_node("p1")
    qtbot.mouseClick(
        panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.view.visualRect(panel.model.index(row, 0)).center(),
    )
    assert window.ui.pageStack.currentWidget() is table


def test_click_on_a_text_issue_opens_the_paragraph(text_warning_rule, window, qtbot) -> None:  # noqa: ANN001
    panel = window.show_node("checks")
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "TEST-P5")
    rect = panel.view.visualRect(panel.model.index(row, 1))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.ui.pageStack.currentWidget()
    assert page is window.pages["p5"]
    assert page.editor.textCursor().selectedText() == "2019"  # the figure the check quotes


@pytest.fixture
def text_warning_rule() -> Iterator[None]:
    """A warning about part 五 quoting a number (the real text rules come from the check engine)."""

    def fn(report: Report, _context: CheckContext) -> list[Issue]:
        return [Issue("TEST-P5", "warning", "五、年份写法待核对", (), None, 2019, part="p5")]

    _EXTRA_RULES["TEST-P5"] = fn
    yield
    del _EXTRA_RULES["TEST-P5"]


def test_explanation_makes_a_warning_pass(text_warning_rule, window, qtbot) -> None:  # noqa: ANN001
    ctx = window.ctx
    panel = window.show_node("checks")
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "TEST-P5")
    panel.view.selectRow(row)
    assert panel.explanation.isEnabled()
    panel.explanation.setPlainText("年份为报告年度，无误。")
    assert panel.save_explanation()
    issue = next(i for i in ctx.issues() if i.rule == "TEST-P5")
    assert issue.explained and issue.explanation == "年份为报告年度，无误。"
    assert ctx.repo.explanations(ctx.report_id)[issue.fingerprint] == "年份为报告年度，无误。"
    assert "已说明" in panel.model.data(panel.model.index(panel.model.row_of(issue.fingerprint), 4))
    # Filter: hide explained ones.
    panel.explained_box.setChecked(False)
    assert all(i.rule != "TEST-P5" for i in panel.model.rows)


def test_errors_cannot_be_explained_and_filters_work(window) -> None:  # noqa: ANN001
    ctx = window.ctx
    ctx.repo.set_cell(ctx.report_id, "t3.new.np", 1)
    ctx.notify_changed()
    panel = window.show_node("checks")
    panel.view.selectRow(0)
    assert panel.current_issue().severity == "error"
    assert not panel.explanation.isEnabled() and not panel.save_button.isEnabled()
    panel.filters["error"].setChecked(False)
    assert all(i.severity != "error" for i in panel.model.rows)
    panel.filters["error"].setChecked(True)
    assert any(i.severity == "error" for i in panel.model.rows)
    assert panel.summary.text().startswith("错误 ")


def test_next_issue_key_walks_the_issues(window) -> None:  # noqa: ANN001
    ctx = window.ctx
    ctx.repo.set_cell(ctx.report_id, "t4.count.rv_total", 3, source="import-json:a.json")
    ctx.notify_changed()
    window.next_issue()
    page = window.ui.pageStack.currentWidget()
    assert page is window.pages["p4"]
    assert page.current_cell_id() == "t4.count.rv_total"


def test_click_on_a_finding_with_its_line_and_phrase_selects_that_phrase(window, qtbot) -> None:  # noqa: ANN001
    """The check engine names the line and the quoted phrase of a text finding (Issue.paragraph/anchor)."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class TextIssue(Issue):
        anchor: str = ""
        paragraph: int | None = None

    text = window.ctx.report().part("p1")
    line = next(i for i, t in enumerate(text.split("\n")) if "全市通办事项2167项" in t)

    def fn(report: Report, _context: CheckContext) -> list[Issue]:
        return [
            TextIssue("TEST-ANCHOR", "warning", "占比待核", part="p1", anchor="占比85.38%", paragraph=line)
        ]

    _EXTRA_RULES["TEST-ANCHOR"] = fn
    try:
        window.ctx.notify_changed()
        issue = next(i for i in window.ctx.issues() if i.rule == "TEST-ANCHOR")
        window.goto_issue(issue)
        page = window.ui.pageStack.currentWidget()
        assert page is window.pages["p1"]
        cursor = page.editor.textCursor()
        assert cursor.selectedText() == "占比85.38%"
        assert cursor.block().blockNumber() == line
    finally:
        del _EXTRA_RULES["TEST-ANCHOR"]
