"""单位/报送/汇总 page, offscreen with real widgets on a real workspace."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from ruian_desk.domain.report import Unit

POLICE = "瑞安市公安局（示例单位）"
MAIN = "瑞安市人民政府"


@pytest.fixture
def ctx(sample_ws, qtbot):  # noqa: ANN001, ANN201
    from ruian_desk.gui.context import AppContext

    return AppContext(sample_ws, sample_ws.repo.find_report(MAIN, 2019))


@pytest.fixture
def page(ctx, qtbot):  # noqa: ANN001, ANN201
    from ruian_desk.gui.units.page import UnitsPage

    p = UnitsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def _row(page, name: str) -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(page.model.rows) if r.unit.name == name)


def _cell(page, name: str, col: int, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN202
    return page.model.data(page.model.index(_row(page, name), col), role)


def test_tracker_lists_units_with_status_and_highlights_missing(page, ctx, tmp_path: Path) -> None:
    from ruian_desk.gui.units.model import MISSING_BG

    ctx.repo.add_unit(Unit(name="瑞安市教育局", role="department", contact="张三"))
    page.refresh()
    assert page.model.rowCount() == 9
    assert _cell(page, MAIN, 5) == "主报告单位（汇总）"
    assert _cell(page, POLICE, 5) == "已报" and _cell(page, POLICE, 8) == "0"
    assert _cell(page, "瑞安市教育局", 5) == "未报" and _cell(page, "瑞安市教育局", 3) == "张三"
    assert _cell(page, "瑞安市教育局", 0, Qt.ItemDataRole.BackgroundRole).color() == MISSING_BG
    assert _cell(page, POLICE, 0, Qt.ItemDataRole.BackgroundRole) is None
    assert "未报 1" in page.summary.text() and "参与汇总 8 个单位" in page.summary.text()
    image = page.grab()
    assert image.width() >= 1200 and not image.isNull()
    image.save(str(tmp_path / "units.png"))


def test_unit_with_errors_is_marked_and_its_issues_listed(page, ctx) -> None:
    from ruian_desk.gui.units.model import ERROR_FG

    rid = ctx.repo.find_report(POLICE, 2019)
    ctx.repo.set_cell(rid, "t3.new.np", 500)
    ctx.notify_changed(rid)
    page.refresh()
    assert _cell(page, POLICE, 5) == "有错"
    assert _cell(page, POLICE, 5, Qt.ItemDataRole.ForegroundRole).color() == ERROR_FG
    assert page.select_unit(ctx.repo.unit_by_name(POLICE).id)
    texts = [page.registry.issue_list.item(i).text() for i in range(page.registry.issue_list.count())]
    assert any(t.startswith("[错误] 表三 自然人列") for t in texts)
    assert not page.registry.confirm_button.isEnabled()
    page.tabs.setCurrentWidget(page.rollup)  # filled when shown
    notes = [page.rollup.rollup_notes.item(i).text() for i in range(page.rollup.rollup_notes.count())]
    assert any("未通过审核的单位数据" in n and POLICE in n for n in notes)


def test_inclusion_checkbox_changes_the_rollup(page, ctx, qtbot) -> None:
    police = ctx.repo.unit_by_name(POLICE)
    police_new = ctx.repo.load_report(ctx.repo.find_report(POLICE, 2019)).values.number("t3.new.np")
    total = ctx.report().values.number("t3.new.np")
    index = page.model.index(_row(page, POLICE), page.model.INCLUDED_COL)
    assert page.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(ctx.report_changed, timeout=2000):
        assert page.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert ctx.repo.unit_year(police.id, 2019)["included"] is False
    assert ctx.report().values.number("t3.new.np") == total - police_new  # the main report, rolled up
    assert _cell(page, POLICE, 5).startswith("不参与汇总")
    main_index = page.model.index(_row(page, MAIN), page.model.INCLUDED_COL)
    assert not page.model.flags(main_index) & Qt.ItemFlag.ItemIsUserCheckable


def test_scope_setting_and_drill_down(page, ctx) -> None:
    main_id = ctx.repo.find_report(MAIN, 2019)
    assert page.rollup.grid.rowCount() == 0  # the 汇总与明细 tab is filled when it is shown
    page.tabs.setCurrentWidget(page.rollup)
    assert (
        page.rollup.scope_boxes["t3"].currentData() == "rollup"
        and page.rollup.scope_boxes["t2"].currentData() == "own"
    )
    rows = page.show_drilldown("t3.new.np")
    assert len(rows) == 7 and page.rollup.drill.rowCount() == 8
    total = sum(v for _, v in rows)
    assert page.rollup.drill.item(7, 0).text() == "合计" and page.rollup.drill.item(7, 1).text() == str(total)
    assert str(total) in page.rollup.drill_title.text()
    police = next(i for i, (n, _) in enumerate(rows) if n == POLICE)
    assert page.rollup.drill.item(police, 2).text() == "已报"
    # The grid shows the rolled-up 表三; clicking a number opens its drill-down.
    page.rollup.grid_table.setCurrentIndex(1)
    hits = [
        (r, c)
        for r in range(page.rollup.grid.rowCount())
        for c in range(page.rollup.grid.columnCount())
        if page.rollup.grid.item(r, c) is not None
        and page.rollup.grid.item(r, c).data(Qt.ItemDataRole.UserRole) == "t3.new.np"
    ]
    ((r, c),) = hits
    assert page.rollup.grid.item(r, c).text() == str(total)
    assert (
        page.rollup.grid.rowSpan(0, 0) == 3 and page.rollup.grid.columnSpan(0, 0) == 3
    )  # the official corner merge
    page.rollup.scope_boxes["t3"].setCurrentIndex(page.rollup.scope_boxes["t3"].findData("own"))
    assert ctx.repo.get_setting(main_id, "scope.t3") == "own"
    assert "本级填写" in page.rollup.grid_note.text()
    page.show_drilldown("t3.new.np")
    assert "未计入" in page.rollup.drill_title.text()


def test_add_rename_retire_and_open_unit_report(page, ctx) -> None:
    unit = page.add_unit("瑞安市教育局", "department", code="001", contact="李四")
    assert ctx.repo.unit_year(unit.id, 2019)["included"] is True
    with pytest.raises(ValueError, match="已有名为"):
        page.add_unit("瑞安市教育局", "department")
    page.update_unit(unit.id, name="瑞安市教育局（新）")
    assert ctx.repo.unit_name_history(unit.id)[0][0] == "瑞安市教育局"
    assert ctx.repo.unit_by_name("瑞安市教育局").id == unit.id  # old name still finds it
    rid = page.open_unit_report(unit.id)
    assert ctx.report_id == rid and ctx.report().unit == "瑞安市教育局（新）" and ctx.report().year == 2019
    page.update_unit(unit.id, retired=True)
    assert all(r.unit.id != unit.id for r in page.model.rows)  # hidden unless 显示已撤销单位
    page.registry.show_retired.setChecked(True)
    assert _cell(page, "瑞安市教育局（新）", 5) == "已撤销"


def test_confirm_and_unconfirm(page, ctx) -> None:
    police = ctx.repo.unit_by_name(POLICE)
    page.select_unit(police.id)
    assert page.registry.confirm_button.isEnabled()
    page.registry.confirm_button.click()
    assert ctx.repo.unit_year(police.id, 2019)["status"] == "已确认"
    assert _cell(page, POLICE, 5) == "已确认" and page.registry.unconfirm_button.isEnabled()
    page.registry.unconfirm_button.click()
    assert ctx.repo.unit_year(police.id, 2019)["status"] == "已报"


def test_templates_import_with_progress_preview_and_results(page, ctx, qtbot, tmp_path: Path) -> None:
    from ruian_desk.exchange.unit_template import cell_ref

    out = tmp_path / "t"
    with qtbot.waitSignal(page.templates_finished, timeout=30000) as blocker:
        page.exchange.generate_templates_to(out)
    files = sorted(Path(p) for p in blocker.args[0])
    assert len(files) == 7 and all(f.exists() for f in files)
    police_file = next(f for f in files if f.name.startswith(POLICE))
    sheet, coord = cell_ref("gov-2019", "t4.count.rv_keep").split("!")
    wb = openpyxl.load_workbook(police_file)
    old = wb[sheet][coord].value
    wb[sheet][coord] = old + 2
    wb.save(police_file)
    broken = next(f for f in files if f is not police_file)
    broken.write_bytes(broken.read_bytes()[:2000])
    asked = []

    def confirm(plan) -> bool:  # noqa: ANN001
        asked.append(plan)
        return True

    page.exchange.confirm_replace = confirm
    with qtbot.waitSignal(page.import_finished, timeout=30000) as blocker:
        page.exchange.import_paths([out])
    results = blocker.args[0]
    assert sum(r.ok for r in results) == 6 and sum(not r.ok for r in results) == 1
    police_plan = next(p for p in asked if p.unit.name == POLICE)
    assert [(c.cell_id, c.old, c.new) for c in police_plan.changes] == [("t4.count.rv_keep", old, old + 2)]
    assert page.exchange.progress.value() == page.exchange.progress.maximum() == 7
    assert "导入 6 个，拒绝 1 个" in page.exchange.progress_label.text()
    top = [page.exchange.results.topLevelItem(i) for i in range(page.exchange.results.topLevelItemCount())]
    refused = next(i for i in top if i.text(2) == "已拒绝")
    assert refused.text(0) == broken.name and refused.isExpanded() and "损坏" in refused.child(0).text(3)
    changed = next(i for i in top if i.text(0) == police_file.name)
    assert (
        changed.text(2) == "已导入"
        and changed.childCount() == 1
        and f"{old} → {old + 2}" in changed.child(0).text(3)
    )
    rid = ctx.repo.find_report(POLICE, 2019)
    assert ctx.repo.load_report(rid).cells["t4.count.rv_keep"] == old + 2
    assert ctx.repo.cell_sources(rid)["t4.count.rv_keep"][0] == f"xlsx:{police_file.name}"
    assert _cell(page, POLICE, 7)  # 最近导入 shown
    page.grab().save(str(tmp_path / "import.png"))


def test_preview_dialog_lists_every_change(ctx, qtbot, tmp_path: Path) -> None:
    from ruian_desk.exchange.template_import import import_context, plan_import, read_template_file
    from ruian_desk.exchange.unit_template import cell_ref
    from ruian_desk.gui.dialogs.change_preview import ChangePreviewDialog
    from ruian_desk.services.templates import generate_templates

    (path,) = generate_templates(ctx.workspace, 2019, tmp_path, [POLICE])
    wb = openpyxl.load_workbook(path)
    for cid, value in (("t3.new.np", 1), ("t3.carry_in.np", 2)):
        sheet, coord = cell_ref("gov-2019", cid).split("!")
        wb[sheet][coord] = value
    wb.save(path)
    plan = plan_import(ctx.repo, read_template_file(path, import_context(ctx.repo)))
    dialog = ChangePreviewDialog(plan)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    refs = {dialog.table.item(i, 0).text() for i in range(2)}
    assert refs == {cell_ref("gov-2019", "t3.new.np"), cell_ref("gov-2019", "t3.carry_in.np")}
    assert dialog.table.item(0, 3).text() in ("1", "2")


def test_feedback_export_from_the_page(page, ctx, tmp_path: Path) -> None:
    rid = ctx.repo.find_report(POLICE, 2019)
    ctx.repo.set_cell(rid, "t3.new.np", 500)
    page.refresh()
    written = page.exchange.export_feedback_to(tmp_path / "fb", "xlsx")
    assert [p.name.split("-")[0] for p in written] == [POLICE]
    ws = openpyxl.load_workbook(written[0]).active
    assert any("表三!" in str(c.value) for row in ws.iter_rows() for c in row)


def test_readonly_workspace_disables_writes(sample_path: Path, qtbot) -> None:
    from ruian_desk.gui.context import AppContext
    from ruian_desk.gui.units.page import UnitsPage
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(sample_path, readonly=True)
    try:
        page = UnitsPage(AppContext(ws, ws.repo.find_report(MAIN, 2019)))
        qtbot.addWidget(page)
        page.show()
        page.select_unit(ws.repo.unit_by_name(POLICE).id)
        assert not page.registry.add_button.isEnabled() and not page.exchange.import_button.isEnabled()
        assert not page.registry.confirm_button.isEnabled() and page.registry.open_button.isEnabled()
        index = page.model.index(_row(page, POLICE), page.model.INCLUDED_COL)
        assert not page.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
        page.tabs.setCurrentWidget(page.rollup)
        assert not page.rollup.scope_boxes["t3"].isEnabled()
    finally:
        ws.close()


def test_retiring_a_unit_leaves_this_years_roll_up_in_one_transaction(page, ctx) -> None:
    from ruian_desk.storage.assemble import effective_report

    police = ctx.repo.unit_by_name(POLICE)
    main_id = ctx.repo.find_report(MAIN, 2019)
    police_value = ctx.repo.load_report(ctx.repo.find_report(POLICE, 2019)).values.number("t3.new.np")
    total = effective_report(ctx.repo, main_id).values.number("t3.new.np")
    page.set_retired(police.id, True)
    assert ctx.repo.unit(police.id).retired
    assert ctx.repo.unit_year(police.id, 2019)["included"] is False  # the year shown: out of the roll-up
    assert effective_report(ctx.repo, main_id).values.number("t3.new.np") == total - police_value
    page.set_retired(police.id, False)
    assert ctx.repo.unit_year(police.id, 2019)["included"] is True
    assert effective_report(ctx.repo, main_id).values.number("t3.new.np") == total
