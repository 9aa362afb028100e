"""Review scenario 3: the sample's county report, 表三 rolled up from the units: read-only with each unit's
share; a unit's cell edited through the unit picker shows in the county total, the checks and the 单位 page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_value
from tests.gui.review_support import key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")

MAIN = "瑞安市人民政府"
POLICE = "瑞安市公安局（示例单位）"


def _pick_unit(w, name: str) -> None:  # noqa: ANN001
    """Alt+U, then choose the unit in the combo (what activating an entry does)."""
    combo = w.ui.unitCombo
    combo.setFocus()
    i = combo.findData(name)
    assert i >= 0, name
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_county_table_is_rolled_up_and_follows_a_units_edit(sample_window, qtbot, sample_path) -> None:  # noqa: ANN001
    w = sample_window
    ctx = w.ctx
    main_rid = ctx.report_id
    page = w.show_node("p3", focus=True)
    model = page.model
    assert model.rolled
    idx = model.index_of("t3.new.np")
    county_before = int(model.data(idx))
    assert not model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    tip = model.data(idx, Qt.ItemDataRole.ToolTipRole)
    police_rid = ctx.repo.find_report(POLICE, 2019)
    police_before = ctx.repo.load_report(police_rid).values.get("t3.new.np")
    assert f"{POLICE}：{police_before}" in tip

    # Typing on a rolled cell: nothing stored, and the clerk is told why and where to go.
    assert page.select_cell("t3.new.np")
    type_text(qtbot, "5")
    assert page.view.message_visible() and "全市汇总" in page.view.last_message
    assert f"{POLICE}：{police_before}" in page.view.last_message  # each unit's share, without a mouse
    assert db_value(sample_path, main_rid, "t3.new.np") == str(county_before)
    key(qtbot, Qt.Key.Key_Delete)
    assert page.view.message_visible() and "单位" in page.view.last_message
    # 总计 cells say why they take no typing either.
    assert page.select_cell("t3.new.total")
    type_text(qtbot, "1")
    assert "自动计算" in page.view.last_message

    # Double-click: the drill-down of the cell on the 单位 page.
    rect = page.view.visualRect(idx)
    # A real double click starts with a press (QTest's double click alone does not).
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    units = w.ui.pageStack.currentWidget()
    assert units is w.pages["units"]
    assert units.rollup.drill_title.text() == f"{model.fmt.cells['t3.new.np'].label}：{county_before}"
    names = [units.rollup.drill.item(r, 0).text() for r in range(units.rollup.drill.rowCount())]
    assert POLICE in names and names[-1] == "合计"

    # The units page before the edit.
    police_id = ctx.repo.unit_by_name(POLICE).id
    assert units.status_of(police_id).status == "已报"

    # To the unit with the picker; type into its own (not rolled) table.
    w.show_node("p3", focus=True)
    _pick_unit(w, POLICE)
    assert ctx.report().unit == POLICE and w.status_unit.text() == f"单位：{POLICE}"
    assert w.current_node() == "p3"
    assert not model.rolled
    # The clerk goes on typing into the unit's table: the focus went back to it from the picker.
    assert QApplication.focusWidget() is page.view
    assert model.flags(model.index_of("t3.new.np")) & Qt.ItemFlag.ItemIsEditable
    assert page.select_cell("t3.new.np")
    type_text(qtbot, str(police_before + 10))
    key(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert db_value(sample_path, police_rid, "t3.new.np") == str(police_before + 10)
    # 一+二 ≠ 三+四 for the unit now: an error, on the unit's status bar.
    assert any(i.rule == "T3-BALANCE" for i in ctx.issues())
    assert w.status_counts.text().startswith("错误 ") and not w.status_counts.text().startswith("错误 0")

    # Back to the county: the total follows, and so do its checks and status bar.
    _pick_unit(w, MAIN)
    assert ctx.report_id == main_rid and model.rolled
    assert model.data(model.index_of("t3.new.np")) == str(county_before + 10)
    main_issues = ctx.issues()
    assert any(i.severity == "error" for i in main_issues)
    assert w.status_counts.text() == (
        f"错误 {sum(i.severity == 'error' for i in main_issues)}  "
        f"警告 {sum(i.severity == 'warning' for i in main_issues)}  "
        f"提示 {sum(i.severity == 'info' for i in main_issues)}"
    )
    # The 单位 page: the unit has errors now.
    units = w.show_node("units")
    qtbot.waitUntil(lambda: units.status_of(police_id).status == "有错", timeout=3000)
    assert "有错 1" in units.summary.text()

    # Undo on the county report does not silently change the unit (the stack was per report).
    assert not ctx.undo_stack.canUndo()
    assert QApplication.focusWidget() is not None


def test_chart_of_another_year_shows_the_county_as_rolled_up(sample_window, qtbot) -> None:  # noqa: ANN001
    """The 汇总图表 page on the county's 2019 report while 2020 is open: the same numbers as its table."""
    from ruian_desk.storage.assemble import effective_report

    w = sample_window
    repo = w.ctx.repo
    rid19 = w.ctx.report_id
    police = repo.find_report(POLICE, 2019)
    repo.set_cell(police, "t3.new.np", repo.load_report(police).values.number("t3.new.np") + 100)
    w.ctx.notify_changed(police)
    assert w.create_report(MAIN, "county_government", 2020, False, True) is not None
    panel = w.show_node("charts")
    panel.select_year(2019)
    panel.select_unit(MAIN)
    panel.select_chart("applicants")
    ax = next(a for a in panel.figure.get_axes() if a.get_label() == "applicants")
    published = effective_report(repo, rid19).values
    assert [p.get_width() for p in ax.patches] == [
        published.number(f"t3.new.{c}") for c in ("np", "ce", "ri", "spo", "lso", "oth")
    ]


def test_switching_a_table_to_own_figures_can_be_undone(sample_window, qtbot) -> None:  # noqa: ANN001
    """改为本级直接填写 replaces every number of 表三 by the county's own cells: a mis-click is undone with
    Ctrl+Z like any edit."""
    w = sample_window
    ctx = w.ctx
    page = w.show_node("p3", focus=True)
    rolled = page.model.data(page.model.index_of("t3.new.np"))
    police = ctx.repo.find_report(POLICE, 2019)
    ctx.repo.set_cell(police, "t3.new.np", ctx.repo.load_report(police).values.number("t3.new.np") + 7)
    ctx.notify_changed(police)
    summed = page.model.data(page.model.index_of("t3.new.np"))
    assert int(summed) == int(rolled) + 7
    page.scope_button.click()
    assert ctx.repo.get_setting(ctx.report_id, "scope.t3") == "own"
    assert page.model.data(page.model.index_of("t3.new.np")) == rolled  # the county's own (older) figure
    assert "表三改为本级直接填写" in w.action_undo.text()
    key(qtbot, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert ctx.repo.get_setting(ctx.report_id, "scope.t3") == "rollup"
    assert page.model.data(page.model.index_of("t3.new.np")) == summed
    assert w.ui.pageStack.currentWidget() is page


def test_drill_down_shows_every_unit_name_whole_at_1366(sample_window, qtbot) -> None:  # noqa: ANN001
    """汇总 drill-down at 1366 px: a long unit name wraps onto a second line instead of ending in "…"."""
    import math

    w = sample_window
    w.resize(1366, 768)
    page = w.show_node("units")
    page.show_drilldown("t3.new.np")
    qtbot.wait(20)
    drill = page.rollup.drill
    fm = drill.fontMetrics()
    width = drill.columnWidth(0)
    names = [drill.item(r, 0).text() for r in range(drill.rowCount() - 1)]
    assert any(fm.horizontalAdvance(n) > width for n in names)  # some name is longer than one line
    for r, name in enumerate(names):
        lines = math.ceil(fm.horizontalAdvance(name) / width)
        assert drill.rowHeight(r) >= lines * fm.lineSpacing(), (name, drill.rowHeight(r))
