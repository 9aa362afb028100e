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
