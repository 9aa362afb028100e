"""Review: an edit the disk refuses (disk full, file locked) is told in Chinese and leaves nothing half-done."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import db_field, db_value
from tests.gui.review_support import key, type_text

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")


def _disk_full(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
    raise sqlite3.OperationalError("database or disk is full")


def test_a_refused_write_is_told_in_chinese(window, qtbot, sample_path, monkeypatch) -> None:  # noqa: ANN001
    ctx = window.ctx
    rid = ctx.report_id
    repo = ctx.repo
    page = window.show_node("p3", focus=True)
    monkeypatch.setattr(type(repo), "set_cell", _disk_full)
    page.select_cell("t3.new.np")
    type_text(qtbot, "7")
    key(qtbot, Qt.Key.Key_Return)
    shown = window.status_saved.toolTip()
    assert "磁盘已满" in shown and "未保存" in shown
    assert "database" not in shown and "disk is full" not in shown
    assert db_value(sample_path, rid, "t3.new.np") == "2373"
    assert page.model.data(page.model.index_of("t3.new.np")) == "2373"  # the grid shows what is stored
    assert not ctx.undo_stack.canUndo()

    monkeypatch.setattr(type(repo), "set_field", lambda *_a, **_k: _raise_locked())
    text = window.show_node("p6", focus=True)
    text.editor.setPlainText("改了")
    assert not text.binding.flush()
    shown = window.status_saved.toolTip()
    assert "文件正被另一个程序占用" in shown and "locked" not in shown
    assert db_field(sample_path, rid, "p6") == "本机关无其他报告事项。"
    assert text.binding.pending  # the typed text is kept in the editor, to be stored once the disk allows


def _raise_locked() -> None:
    raise sqlite3.OperationalError("database is locked")
