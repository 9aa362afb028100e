"""#15 point 9: Qt's own dialogs speak Chinese (qtbase_zh_CN loaded at start): the file dialog Qt draws on
Linux, the buttons of message boxes, the print preview."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QMessageBox

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _texts(widget) -> list[str]:  # noqa: ANN001
    out = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget) and w.text()]
    out += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisibleTo(widget) and w.text()]
    return out


def test_the_file_dialog_qt_draws_is_in_chinese(app, qtbot) -> None:  # noqa: ANN001
    dialog = QFileDialog(None, "打开工作区")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setNameFilter("工作区 (*.sqlite)")
    qtbot.addWidget(dialog)
    dialog.show()
    QCoreApplication.processEvents()
    texts = _texts(dialog)
    joined = " ".join(texts)
    assert "查找范围" in joined and "文件类型" in joined
    assert "Look in" not in joined and "Files of type" not in joined
    english = [t for t in texts if LATIN_WORD.search(t.replace("sqlite", ""))]
    assert english == []
    dialog.close()


def test_message_box_buttons_are_chinese(app, qtbot) -> None:  # noqa: ANN001
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "确认",
        "继续？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    qtbot.addWidget(box)
    box.show()
    QCoreApplication.processEvents()
    labels = {b.text().replace("&", "") for b in box.buttons()}
    assert not any(LATIN_WORD.search(t) for t in labels), labels
    box.close()


def test_the_app_own_texts_pass_through_untouched(app) -> None:  # noqa: ANN001
    # The fallback for Qt's missing texts must not blank every other text (a "" translation would).
    assert QCoreApplication.translate("MainWindow", "单位：{0}") == "单位：{0}"
    assert QCoreApplication.translate("QFileDialog", "Back") == "后退"
