"""The check dock's X-AGG action (issue #13): 采用各单位汇总数（清除本级填写数）, and no explanation box for hints."""

from __future__ import annotations


def test_adopt_unit_sums_from_the_check_dock(sample_window, qtbot) -> None:  # noqa: ANN001
    window = sample_window
    ctx = window.ctx
    unit_id = ctx.repo.find_report("瑞安市公安局（示例单位）", 2019)
    unit = ctx.repo.load_report(unit_id)
    ctx.repo.set_cell(unit_id, "t3.new.np", unit.values.number("t3.new.np") + 1)
    ctx.repo.set_cell(unit_id, "t3.carry_out.np", unit.values.number("t3.carry_out.np") + 1)
    ctx.notify_changed(unit_id)
    assert [i.severity for i in ctx.issues() if i.rule == "X-AGG"] == ["warning"]
    assert not [i for i in ctx.issues() if i.severity == "error"]
    panel = window.show_node("checks")
    row = next(i for i, issue in enumerate(panel.model.rows) if issue.rule == "X-AGG")
    panel.view.selectRow(row)
    panel._show(row)
    assert not panel.adopt_button.isHidden()
    assert panel.adopt_unit_sums()
    assert [i for i in ctx.issues() if i.rule == "X-AGG"] == []
