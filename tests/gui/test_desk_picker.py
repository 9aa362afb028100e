"""#15 point 8: the unit picker does not switch report on every arrow key."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt


def test_arrow_keys_open_the_list_and_only_enter_switches(window, qtbot) -> None:  # noqa: ANN001
    combo = window.ui.unitCombo
    assert combo.count() > 3
    start = window.ctx.report_id
    switched: list[int] = []
    window.ctx.report_switched.connect(switched.append)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    QCoreApplication.processEvents()
    assert switched == [] and window.ctx.report_id == start  # no report per key press
    popup = combo.view()
    assert popup.isVisible()  # the list opened instead
    for _ in range(2):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert switched == []
    target = popup.currentIndex().row()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    QCoreApplication.processEvents()
    assert len(switched) == 1  # one switch, to the unit chosen
    assert combo.currentIndex() == target
    assert window.ctx.report().unit == combo.itemData(target) or window.ctx.report().unit in combo.itemText(
        target
    )
