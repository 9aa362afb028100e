"""Review: Qt's own texts (message-box buttons, text-field context menus, the calendar) are Chinese."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def test_qt_standard_texts_are_chinese(app, qtbot) -> None:  # noqa: ANN001
    assert QApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    for widget in (QLineEdit(), QPlainTextEdit()):
        qtbot.addWidget(widget)
        texts = [a.text().split("\t")[0] for a in widget.createStandardContextMenu().actions() if a.text()]
        assert "粘贴(&P)" in texts and "复制(&C)" in texts, texts
    assert QLocale().monthName(2) == "二月"


def test_a_status_message_is_not_drawn_over_the_unit_and_year(sample_window, qtbot) -> None:  # noqa: ANN001
    w = sample_window
    assert w.create_report("瑞安市审计局", "department", 2021, False, False) is not None
    bar = w.ui.statusbar
    assert bar.currentMessage().startswith("已新建")
    qtbot.wait(50)  # the checks run, the counts change colour, the status bar lays itself out again
    assert bar.currentMessage().startswith("已新建")
    assert not w.status_unit.isVisible() and not w.status_year.isVisible()
    bar.clearMessage()
    assert w.status_unit.isVisible() and w.status_unit.text() == "单位：瑞安市审计局"
    assert w.status_year.isVisible() and w.status_format.isVisible()


def test_a_report_opened_from_the_start_page_leaves_the_focus_off_the_picker(sample_window, qtbot) -> None:  # noqa: ANN001
    """The unit/year boxes switch reports on a typed key (type-ahead): they must not get the focus by
    accident when a report opens."""
    w = sample_window
    w._show_start()  # noqa: SLF001 - the 开始页 action
    w.start_page.ui.newReportButton.setFocus()
    assert w.create_report("瑞安市审计局", "department", 2021, False, False) is not None
    assert QApplication.focusWidget() is w.ui.navTree
    w._show_start()  # noqa: SLF001
    w.start_page.ui.reportList.setFocus()
    w.open_report(w.ctx.repo.find_report("瑞安市人民政府", 2019))
    assert QApplication.focusWidget() is w.ui.navTree
    assert w.ctx.report().unit == "瑞安市人民政府"
