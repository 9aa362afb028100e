"""The main window routes by the pages' protocols (gui/page.py), not by attribute names."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_every_node_page_offers_what_the_window_asks(window) -> None:  # noqa: ANN001
    from ruian_desk.gui.page import CellPage, DrilldownPage, FieldPage, MetricPage, Page, TextPage

    expected = {
        "title": (Page, FieldPage, TextPage),
        "p1": (Page, TextPage),
        "p2": (Page, CellPage),
        "p3": (Page, CellPage),
        "signature": (FieldPage,),
        "metrics": (Page, MetricPage),
        "units": (DrilldownPage,),
    }
    for key, protocols in expected.items():
        page = window.show_node(key)
        assert page is not None, key
        for protocol in protocols:
            assert isinstance(page, protocol), (key, protocol.__name__)
    assert not isinstance(window.page("p2"), TextPage)


def test_fields_and_cells_get_the_keyboard(window, qtbot) -> None:  # noqa: ANN001
    window.activateWindow()
    page = window.navigate("sig_date")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.date_edit, timeout=3000)
    page = window.navigate("intro")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.intro.editor, timeout=3000)
    page = window.show_node("p3", focus=True)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.view, timeout=3000)
    page = window.navigate("t3.new.np")
    assert page.current_cell_id() == "t3.new.np"
    units = window.navigate("drill:t3.new.np")
    assert units.tabs.currentWidget() is units.rollup and units.rollup.drill.rowCount() > 1
