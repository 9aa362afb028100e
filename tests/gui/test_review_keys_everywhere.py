"""Review: every page of the main window takes the clerk's everyday keys without an exception escaping a
slot (a traceback leaves the window half-updated), on the county report, a unit's report and a new 2021 one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.review_support import ime_commit

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")

CTRL = Qt.KeyboardModifier.ControlModifier
KEYS = [
    (Qt.Key.Key_5, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_V, CTRL),
    (Qt.Key.Key_C, CTRL),
    (Qt.Key.Key_Z, CTRL),
    (Qt.Key.Key_Y, CTRL),
    (Qt.Key.Key_F8, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier),
]


def _walk(w, qtbot) -> None:  # noqa: ANN001
    for node, _label in w.node_keys():
        page = w.show_node(node, focus=True)
        if page is None:
            continue
        QApplication.clipboard().setText("1\t２\n3,000\tx\n")
        for k, mod in KEYS:
            target = QApplication.focusWidget() or page
            qtbot.keyClick(target, k, mod)
        target = QApplication.focusWidget() or page
        ime_commit(target, "１２")
        qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Escape)
        qtbot.wait(5)


def test_everyday_keys_on_every_page(sample_window, qtbot) -> None:  # noqa: ANN001
    w = sample_window
    _walk(w, qtbot)
    assert w.select_report("瑞安市公安局（示例单位）", 2019)
    _walk(w, qtbot)
    assert w.create_report("瑞安市审计局", "department", 2021, False, False) is not None
    _walk(w, qtbot)
    w.show_checks()
    _walk(w, qtbot)
