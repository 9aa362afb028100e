"""#15 point 8: a bad paste says so once — one message at the cell (no tooltip on top), the value named once."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QToolTip


def test_a_bad_paste_gives_one_message_naming_the_value_once(window, qtbot) -> None:  # noqa: ANN001
    page = window.show_node("p3", focus=True)
    view = page.view
    assert page.select_cell("t3.new.np")
    before = window.ctx.report().values.get("t3.new.np")
    QGuiApplication.clipboard().setText("十二\t5\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QCoreApplication.processEvents()
    labels = [w for w in view.viewport().findChildren(QLabel, "cellMessage") if w.isVisible()]
    assert len(labels) == 1
    text = labels[0].text()
    assert text.startswith("粘贴未执行") and text.count("十二") == 1, text
    assert not QToolTip.isVisible()
    assert window.ctx.report().values.get("t3.new.np") == before  # nothing stored
