"""#15 point 1 in the window: 文件 → 打开示例 never destroys work done in the sample."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor

from tests.gui.conftest import db_field
from tests.gui.review_support import ime_commit


def _window(qtbot, dialogs):  # noqa: ANN001, ANN202
    from ruian_desk.gui.main_window import MainWindow

    w = MainWindow()
    w.remember = False
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_open_sample_keeps_the_day_of_work_and_opens_a_fresh_copy(
    app, qtbot, dialogs, monkeypatch, tmp_path
) -> None:  # noqa: ANN001
    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    w = _window(qtbot, dialogs)
    w.ui.actionOpenSample.trigger()
    QCoreApplication.processEvents()
    first = Path(w.ws.path)
    assert first.name == "示例-瑞安市人民政府2019年报.sqlite"
    rid = w.ctx.report_id

    # An untouched sample: 打开示例 again simply gives a fresh one in the same file.
    w.ui.actionOpenSample.trigger()
    QCoreApplication.processEvents()
    assert Path(w.ws.path) == first

    # A morning's text typed in part 五 (not yet stored by the idle timer) …
    page = w.show_node("p5", focus=True)
    cursor = page.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    page.editor.setTextCursor(cursor)
    ime_commit(page.editor, "下一步将加强培训。")
    typed = page.editor.toPlainText()
    # … then 文件 → 打开示例: the edited sample stays as it is, the fresh copy has a new name.
    w.ui.actionOpenSample.trigger()
    QCoreApplication.processEvents()
    second = Path(w.ws.path)
    assert second == first.with_name("示例-瑞安市人民政府2019年报（2）.sqlite")
    assert db_field(first, rid, "p5") == typed  # nothing lost
    assert "下一步将加强培训。" not in (w.ctx.report().part("p5") or "")  # a fresh sample is open
    assert "保留未动" in w.ui.statusbar.currentMessage()
    w.close_workspace()
