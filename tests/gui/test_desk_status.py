"""#15 point 8: long status messages are elided before the counts and cleared on switching unit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def test_long_message_is_elided_and_goes_when_the_unit_changes(window, qtbot) -> None:  # noqa: ANN001
    window.resize(1366, 768)
    QCoreApplication.processEvents()
    bar = window.ui.statusbar
    long = "已导入：" + "、".join(f"瑞安市第{i}个示例单位政府信息公开工作年度报告.docx" for i in range(12))
    bar.showMessage(long, 30000)
    QCoreApplication.processEvents()
    shown = bar.currentMessage()
    assert shown != long and shown.endswith("…")
    assert bar.fontMetrics().horizontalAdvance(shown) <= window.status_counts.geometry().left()
    assert bar.toolTip() == long  # the whole text on hover
    combo = window.ui.unitCombo
    combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())
    window._on_unit_picked(combo.currentIndex())
    QCoreApplication.processEvents()
    assert bar.currentMessage() == ""
