"""#15 point 2: heading rows and label columns stay in view while the numbers scroll (表三 at 1366×860,
rows （四）–（六）; 表四 scrolled sideways)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt

from ruian_desk.domain.layout import table_grid
from ruian_desk.gui.editors.frozen_panes import frozen_extent


def _drain() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def _cell_index(model, text: str):  # noqa: ANN001, ANN202
    cell = next(c for c in model.grid.cells if c.text == text)
    return model.index(cell.row, cell.col)


def _on_screen(pane, index) -> bool:  # noqa: ANN001
    """The cell is painted inside the pane's visible viewport."""
    rect = pane.visualRect(index)
    return pane.isVisible() and rect.isValid() and pane.viewport().rect().intersects(rect)


def test_what_is_frozen_in_each_table() -> None:
    for fid in ("gov-2019", "gov-2021"):
        assert frozen_extent(table_grid(fid, "t3")) == (3, 3)  # 申请人情况 … headings; the row labels
        assert frozen_extent(table_grid(fid, "t4")) == (3, 0)  # 行政复议/行政诉讼 headings
        # 表二: every section has its own heading rows, right above its numbers: nothing frozen.
        assert frozen_extent(table_grid(fid, "t2")) == (0, 0)


def test_t3_headings_stay_visible_while_typing_down_to_rows_four_to_six(window, qtbot) -> None:  # noqa: ANN001
    window.resize(1366, 860)
    _drain()
    page = window.show_node("p3", focus=True)
    view, model = page.view, page.model
    _drain()
    assert view.verticalScrollBar().maximum() > 0  # the table is taller than the window
    assert page.select_cell("t3.r4_1.np")  # （四）无法提供 1.
    # Enter moves down typed cells, through （五） to （六）其他处理.
    target = model.index_of("t3.r6_other.np")
    for _ in range(12):
        if view.currentIndex() == target:
            break
        qtbot.keyClick(view, Qt.Key.Key_Return)
        _drain()
    assert view.currentIndex() == target
    assert view.verticalScrollBar().value() > 0  # scrolled down …
    top = view.frozen.top
    for heading in ("自然人", "商业企业", "科研机构", "总计"):
        assert _on_screen(top, _cell_index(model, heading)), heading  # … and the headings still show
    # The current cell is not hidden under the headings; its row label shows in the label pane.
    cell_rect = view.visualRect(target)
    assert cell_rect.top() >= 0 and view.viewport().rect().contains(cell_rect.center())
    label = view.frozen.left
    assert _on_screen(label, _cell_index(model, "（六）其他处理"))
    assert view.viewport().mapTo(view, QPoint(0, 0)).y() >= top.geometry().bottom()
    # A number typed there lands in the cell the headings name.
    qtbot.keyClicks(view, "7")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    _drain()
    assert window.ctx.report().values.get("t3.r6_other.np") == 7


def test_t4_headings_scroll_sideways_with_the_numbers(window, qtbot) -> None:  # noqa: ANN001
    window.resize(1000, 700)
    _drain()
    page = window.show_node("p4", focus=True)
    view, model = page.view, page.model
    _drain()
    assert view.horizontalScrollBar().maximum() > 0
    assert page.select_cell("t4.count.rv_keep")
    for _ in range(11):  # Tab (totals skipped) to the last typed cell of 复议后起诉
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        _drain()
    assert page.current_cell_id() == "t4.count.la_pending"
    assert view.horizontalScrollBar().value() > 0
    top = view.frozen.top
    assert top.horizontalScrollBar().value() == view.horizontalScrollBar().value()
    # The heading over the current column is on screen, straight above it.
    heading = top.visualRect(model.index(2, model.index_of("t4.count.la_pending").column()))
    cell = view.visualRect(model.index_of("t4.count.la_pending"))
    assert top.viewport().rect().intersects(heading)
    assert abs(heading.left() - cell.left()) <= 1
