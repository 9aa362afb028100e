"""The table editors driven like a clerk drives them: keys, paste, Delete, undo; read back from SQLite."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import db_value


def _table_page(window, key: str):  # noqa: ANN001, ANN202
    page = window.show_node(key, focus=True)
    assert page is not None
    return page


def _type_into(qtbot, page, cell_id: str, text: str, key=Qt.Key.Key_Return) -> None:  # noqa: ANN001
    """Select a cell and type into it as a user does (type-to-replace), then Enter/Tab."""
    assert page.select_cell(cell_id)
    type_keys(qtbot, page.view, text)
    qtbot.keyClick(QApplication.focusWidget(), key)
    # Enter commits through a queued call in Qt's delegate: let it run.
    qtbot.wait(20)


def test_typing_digits_updates_totals_checks_and_database(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    page = _table_page(window, "p3")
    model = page.model
    total = model.index_of("t3.new.total")
    assert model.data(total) == "2899"
    assert window.status_counts.text().startswith("错误 0")

    _type_into(qtbot, page, "t3.new.np", "2400")

    # Stored at once, visible to another connection (another process) without any "save".
    assert db_value(sample_path, rid, "t3.new.np") == "2400"
    assert window.status_saved.text().startswith("已保存")
    # The computed 总计 column follows; the balance rule now fails (一 + 二 ≠ 三（七） + 四).
    assert model.data(total) == "2926"
    assert model.data(model.index_of("t3.new.np")) == "2400"
    errors = [i for i in ctx.issues() if i.severity == "error"]
    assert {i.rule for i in errors} == {"T3-BALANCE"}
    assert window.status_counts.text().startswith(f"错误 {len(errors)}")
    assert model.data(model.index_of("t3.new.np"), model_role("SEVERITY_ROLE")) == "error"
    tip = model.data(model.index_of("t3.new.np"), Qt.ItemDataRole.ToolTipRole)
    assert "T3-BALANCE" in tip and "自然人" in tip
    # Enter moved down to the next typed cell of the column (上年结转 / 自然人).
    assert page.current_cell_id() == "t3.carry_in.np"

    # Put it back: totals and check count return.
    _type_into(qtbot, page, "t3.new.np", "2373")
    assert model.data(total) == "2899"
    assert not [i for i in ctx.issues() if i.severity == "error"]
    assert window.status_counts.text().startswith("错误 0")


def type_keys(qtbot, view, text: str) -> None:  # noqa: ANN001
    """Each key to whatever has the focus, as a keyboard does: the first opens the cell editor.

    QTest cannot click keys outside Latin-1 (it aborts, PITFALLS.md); full-width digits, as a Chinese input
    method in full-width mode types them, are sent as key events carrying their text."""
    for ch in text:
        target = QApplication.focusWidget() or view
        if ord(ch) < 0x100:
            qtbot.keyClick(target, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def model_role(name: str) -> int:
    from ruian_desk.gui.editors import table_model

    return int(getattr(table_model, name))


def test_tab_moves_right_skipping_the_computed_total(window, qtbot) -> None:  # noqa: ANN001
    page = _table_page(window, "p3")
    _type_into(qtbot, page, "t3.new.oth", "90", key=Qt.Key.Key_Tab)
    # 总计 is computed: Tab goes on to the next row's first typed cell.
    assert page.current_cell_id() == "t3.carry_in.np"
    qtbot.keyClick(page.view, Qt.Key.Key_Backtab)
    assert page.current_cell_id() == "t3.new.oth"


def test_paste_block_from_excel_is_one_transaction(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    page = _table_page(window, "p3")
    page.select_cell("t3.r1_open.np")
    steps = ctx.undo_stack.count()
    # 3 rows × 4 columns as Excel/WPS put them on the clipboard: a full-width digit, a thousands separator.
    block = "1,234\t5\t6\t7\n８\t9\t10\t11\n12\t13\t14\t15\n"
    QApplication.clipboard().setText(block)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    expected = {
        "t3.r1_open.np": "1234", "t3.r1_open.ce": "5", "t3.r1_open.ri": "6", "t3.r1_open.spo": "7",
        "t3.r2_partial.np": "8", "t3.r2_partial.ce": "9", "t3.r2_partial.ri": "10", "t3.r2_partial.spo": "11",
        "t3.r3_1.np": "12", "t3.r3_1.ce": "13", "t3.r3_1.ri": "14", "t3.r3_1.spo": "15",
    }  # fmt: skip
    for cid, value in expected.items():
        assert db_value(sample_path, rid, cid) == value, cid
    assert page.model.data(page.model.index_of("t3.r1_open.total")) == str(1234 + 5 + 6 + 7 + 56 + 32)
    # One paste = one undo step; undoing it restores all twelve cells at once.
    assert ctx.undo_stack.count() == steps + 1
    window.undo()
    assert db_value(sample_path, rid, "t3.r1_open.np") == "1042"
    assert db_value(sample_path, rid, "t3.r3_1.spo") == "0"
    assert page.model.data(page.model.index_of("t3.r1_open.total")) == "1266"
    window.redo()
    assert db_value(sample_path, rid, "t3.r2_partial.np") == "8"


def test_bad_paste_stores_nothing_and_names_the_cell(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = _table_page(window, "p3")
    page.select_cell("t3.r1_open.np")
    assert page.view.paste_text("100\t200\n300\t十二\n") is False
    assert db_value(sample_path, rid, "t3.r1_open.np") == "1042"  # the good values were not stored either
    assert page.view.message_visible()
    assert "十二" in page.view.last_message and "不是数字" in page.view.last_message
    assert "部分公开" in page.view.last_message  # names the row of the bad value


@pytest.mark.parametrize(
    ("typed", "reason"), [("abc", "不是数字"), ("-5", "应为非负整数"), ("1.5", "应为非负整数")]
)
def test_bad_values_are_refused_with_a_message(window, qtbot, sample_path, typed: str, reason: str) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = _table_page(window, "p3")
    steps = window.ctx.undo_stack.count()
    assert page.select_cell("t3.new.ce")
    type_keys(qtbot, page.view, typed)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert page.view.message_visible()
    assert reason in page.view.last_message
    assert page.view.state() == page.view.State.EditingState  # the editor stays open to correct the value
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert db_value(sample_path, rid, "t3.new.ce") == "270"
    assert window.ctx.undo_stack.count() == steps


def test_signed_cells_take_negative_numbers(window, qtbot, sample_path) -> None:  # noqa: ANN001
    """表二 2019 本年增/减 is the one place where a minus sign is right."""
    rid = window.ctx.report_id
    page = _table_page(window, "p2")
    _type_into(qtbot, page, "t2_5.license.change", "-４０")
    assert db_value(sample_path, rid, "t2_5.license.change") == "-40"


def test_delete_clears_to_blank_not_zero(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = _table_page(window, "p4")
    page.select_cell("t4.count.rv_keep")
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert db_value(sample_path, rid, "t4.count.rv_keep") == ()  # no row: blank
    model = page.model
    assert model.data(model.index_of("t4.count.rv_keep")) == ""
    assert model.data(model.index_of("t4.count.rv_total")) == "7"  # 4 + 1 + 2, blank counts as nothing
    window.undo()
    assert db_value(sample_path, rid, "t4.count.rv_keep") == "11"
    assert model.data(model.index_of("t4.count.rv_total")) == "18"


def test_undo_redo_with_the_keyboard(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = _table_page(window, "p3")
    _type_into(qtbot, page, "t3.carry_in.ce", "12")
    assert db_value(sample_path, rid, "t3.carry_in.ce") == "12"
    window.activateWindow()
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db_value(sample_path, rid, "t3.carry_in.ce") == "9"
    assert page.model.data(page.model.index_of("t3.carry_in.total")) == "101"
    qtbot.keyClick(page.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert db_value(sample_path, rid, "t3.carry_in.ce") == "12"
    assert page.model.data(page.model.index_of("t3.carry_in.total")) == "104"


def test_stated_total_from_a_file_is_outlined_and_clearable(window, qtbot, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    # A returned template stated 20 as the total.
    ctx.repo.set_cell(rid, "t4.count.rv_total", 20, source="import-xlsx:单位.xlsx")
    ctx.notify_changed(rid)
    page = _table_page(window, "p4")
    model = page.model
    index = model.index_of("t4.count.rv_total")
    assert model.data(index) == "18"  # the printed value is the computed one
    assert model.data(index, model_role("STATED_ROLE")) is True
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "来源文件填写的总计为 20" in tip and "Delete" in tip
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert {i.rule for i in ctx.issues() if i.severity == "error"} == {"T4-RV"}
    page.select_cell("t4.count.rv_total")
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert db_value(sample_path, rid, "t4.count.rv_total") == ()
    assert model.data(index, model_role("STATED_ROLE")) is False
    assert not [i for i in ctx.issues() if i.severity == "error"]


def test_official_merges_are_applied_to_the_view(window) -> None:  # noqa: ANN001
    from ruian_desk.domain.layout import table_grid

    for key, table in (("p2", "t2"), ("p3", "t3"), ("p4", "t4")):
        page = window.show_node(key)
        grid = table_grid(page.model.format_id, table)
        assert page.model.rowCount() == grid.n_rows and page.model.columnCount() == grid.n_cols
        for cell in grid.merges():
            assert page.view.rowSpan(cell.row, cell.col) == cell.rowspan, cell
            assert page.view.columnSpan(cell.row, cell.col) == cell.colspan, cell
            if cell.cell_id is None:  # an official label or header: the exact text
                assert page.model.data(page.model.index(cell.row, cell.col)) == cell.text
    t3 = window.show_node("p3")
    # The 2019 sample: 表三 corner note over 3×3, 三、本年度办理结果 down 20 result rows (（六）其他处理 is one row).
    assert t3.model.data(t3.model.index(0, 0)).startswith("（本列数据的勾稽关系为")
    assert (t3.view.rowSpan(0, 0), t3.view.columnSpan(0, 0)) == (3, 3)
    assert t3.model.data(t3.model.index(5, 0)) == "三、本年度办理结果"
    assert t3.view.rowSpan(5, 0) == 20


def test_sample_tables_carry_a_banner_and_new_reports_do_not(window) -> None:  # noqa: ANN001
    page = window.show_node("p3")
    assert page.sample_banner.isVisible() and "示例数据" in page.sample_banner.text()
    assert window.create_report("瑞安市人民政府", "county_government", 2021, False, False) is not None
    page = window.show_node("p3")
    assert page.model.format_id == "gov-2021"
    assert not page.sample_banner.isVisible()
    assert page.model.rowCount() == 28  # the 2021 表三: 3 header rows + 25 rows


@pytest.mark.parametrize("format_id", ["gov-2019", "gov-2021"])
@pytest.mark.parametrize("table_id", ["t2", "t3", "t4"])
def test_table_models_pass_qtmodeltester(qtmodeltester, ctx, format_id: str, table_id: str) -> None:  # noqa: ANN001
    from ruian_desk.exchange.report_json import read_report_file
    from ruian_desk.gui.editors.table_model import GridTableModel
    from ruian_desk.paths import resource

    model = GridTableModel(None, table_id, format_id)
    report = read_report_file(resource("sample", "ruian-2019.json"))
    if format_id == report.format_id:
        model.set_report(report)
    qtmodeltester.check(model)
    bound = GridTableModel(ctx, table_id)
    qtmodeltester.check(bound)


def test_one_edit_repaints_only_the_cells_that_changed(window, qtbot) -> None:  # noqa: ANN001
    """A keystroke must not redraw (and re-read) the whole grid: only the cell, its totals and the cells
    whose check outline changed are announced."""
    page = window.show_node("p3")
    model = page.model
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    assert model.setData(model.index_of("t3.r1_open.ce"), "117")
    cells = {model.anchor(model.index(r, c)).cell_id for r, c, r2, c2 in changed if (r, c) == (r2, c2)}
    # The cell, its row total, its column's （七）总计 and the grand total; plus the cells the new
    # T3-BALANCE error outlines (商业企业 column: 新收, 上年结转, （七）总计, 结转).
    assert {"t3.r1_open.ce", "t3.r1_open.total", "t3.r7_total.ce", "t3.r7_total.total"} <= cells
    assert all(cid.endswith((".ce", ".total")) for cid in cells), cells
    assert len(changed) < 15


def test_a_cell_still_being_typed_is_stored_when_leaving(window, qtbot, sample_path) -> None:  # noqa: ANN001
    rid = window.ctx.report_id
    page = _table_page(window, "p3")
    assert page.select_cell("t3.carry_out.oth")
    type_keys(qtbot, page.view, "3")
    assert page.view.state() == page.view.State.EditingState
    window.show_node("p1")  # no Enter: leaving the page stores the cell like leaving it in Excel
    assert db_value(sample_path, rid, "t3.carry_out.oth") == "3"
    window.undo()
    assert db_value(sample_path, rid, "t3.carry_out.oth") == "1"


@pytest.fixture
def rollup_rule():  # noqa: ANN201
    """A check that reads the units rolled up into the report, as the roll-up rules of the engine do."""
    from ruian_desk.domain.rules import _EXTRA_RULES, Issue

    def fn(report, context):  # noqa: ANN001, ANN202
        if not context.units:
            return []
        total = sum(u.values.number("t3.new.np") for u in context.units)
        if total == report.values.number("t3.new.np"):
            return []
        return [
            Issue(
                "TEST-AGG", "error", "单位之和不等", ("t3.new.np",), total, report.values.number("t3.new.np")
            )
        ]

    _EXTRA_RULES["TEST-AGG"] = fn
    yield
    del _EXTRA_RULES["TEST-AGG"]


def test_an_edit_of_a_unit_refreshes_the_main_reports_checks(rollup_rule, window, qtbot) -> None:  # noqa: ANN001
    ctx = window.ctx
    page = _table_page(window, "p3")
    assert window.status_counts.text().startswith("错误 0")
    unit_rid = ctx.repo.find_report("瑞安市公安局（示例单位）", 2019)
    before = ctx.repo.load_report(unit_rid).values.number("t3.new.np")
    ctx.repo.set_cell(unit_rid, "t3.new.np", before + 1)
    ctx.notify_changed(unit_rid)  # what the units page does after editing a unit
    assert [i.rule for i in ctx.issues() if i.severity == "error"] == ["TEST-AGG"]
    assert window.status_counts.text().startswith("错误 1")
    assert page.model.data(page.model.index_of("t3.new.np"), model_role("SEVERITY_ROLE")) == "error"


def test_rolled_up_tables_are_read_only_with_each_units_share(window, qtbot, monkeypatch) -> None:  # noqa: ANN001
    """The main organ's tables in roll-up scope show the units' sums (the roll-up's RolledUpReport):
    nothing can be typed, pasted or cleared there, and the tooltip lists what each unit contributes."""
    from dataclasses import dataclass, field

    from ruian_desk.domain.report import Report

    @dataclass(frozen=True)
    class Info:
        rolled_tables: frozenset[str]
        units: tuple[Report, ...] = ()

    @dataclass(frozen=True)
    class Rolled(Report):
        rollup: Info | None = field(default=None, compare=False)

    ctx = window.ctx
    repo = ctx.repo
    units = tuple(repo.load_report(r) for r in repo.report_ids_for_year(2019) if r != ctx.report_id)
    real = type(ctx).report

    def rolled_report(self):  # noqa: ANN001, ANN202
        report = real(self)
        if report is None:
            return None
        base = {k: getattr(report, k) for k in Report.__dataclass_fields__}
        return Rolled(**base, rollup=Info(frozenset({"t3"}), units))

    monkeypatch.setattr(type(ctx), "report", rolled_report)
    ctx.notify_changed()
    page = _table_page(window, "p3")
    model = page.model
    index = model.index_of("t3.new.np")
    assert model.rolled
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "全市汇总" in tip and "瑞安市公安局（示例单位）：" in tip
    assert page.scope_row.isVisibleTo(page) and "只读" in page.scope_banner.text()
    assert not model.setData(index, "5")
    page.select_cell("t3.new.np")
    assert page.view.paste_text("1\t2\n") is False
    assert "单位" in page.view.last_message
    # 表四 is not rolled in this report: typed as usual.
    assert (
        _table_page(window, "p4").model.flags(window.pages["p4"].model.index_of("t4.count.rv_keep"))
        & Qt.ItemFlag.ItemIsEditable
    )


def test_scope_button_switches_between_own_and_rollup(window) -> None:  # noqa: ANN001
    ctx = window.ctx
    page = _table_page(window, "p3")
    assert page.scope() == "own" and page.scope_button.text() == "改为汇总各单位"
    assert page.toggle_scope()
    assert ctx.repo.get_setting(ctx.report_id, "scope.t3") == "rollup"
    assert page.scope_button.text() == "改为本级直接填写"
    unit_page_scope = window.select_report("瑞安市公安局（示例单位）", 2019)
    assert unit_page_scope and page.scope() is None and not page.scope_row.isVisibleTo(page)


def test_a_figure_pasted_into_the_covered_part_of_a_merged_cell_is_refused(window, sample_path) -> None:  # noqa: ANN001
    """表二（八）行政事业性收费 has 上一年项目数量 and 本年增/减, the latter merged over two columns. A block copied
    from an unmerged sheet puts a third figure into the covered column: it must not vanish silently while
    the other two are stored."""
    rid = window.ctx.report_id
    before = {
        cid: db_value(sample_path, rid, cid) for cid in ("t2_8.admin_fee.prev_items", "t2_8.admin_fee.change")
    }
    page = _table_page(window, "p2")
    page.select_cell("t2_8.admin_fee.prev_items")
    assert page.view.paste_text("12\t-1\t5\n") is False
    assert {cid: db_value(sample_path, rid, cid) for cid in before} == before
    assert "5" in page.view.last_message and "合并" in page.view.last_message
    # The same row as a merged sheet sends it (blank in the covered column) is taken.
    assert page.view.paste_text("12\t-1\t\n") is True
    assert db_value(sample_path, rid, "t2_8.admin_fee.change") == "-1"
