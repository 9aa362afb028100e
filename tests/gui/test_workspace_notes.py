"""Issue #19, hole 1 (last point): a daily backup that fails is shown in the window's status bar, not only
noted in `Workspace.notes`; a damaged file leads to its newest good backup in a dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from ruian_desk.storage import backup as backup_mod
from ruian_desk.storage.errors import WorkspaceError
from tests.gui.conftest import _shown_window


def test_a_failed_daily_backup_is_shown_in_the_status_bar(
    app,
    qtbot,
    sample_path: Path,
    dialogs,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    def no_room(*_args: object, **_kw: object) -> None:
        raise backup_mod.BackupError("备份写入失败（磁盘已满）：测试", kind="backup")

    monkeypatch.setattr(backup_mod, "ensure_daily_of_file", no_room)
    w = _shown_window(qtbot, sample_path, dialogs)
    try:
        qtbot.waitUntil(
            lambda: (b := w.findChild(QPushButton, "workspaceNotes")) is not None and b.isVisible(),
            timeout=10000,
        )
        button = w.findChild(QPushButton, "workspaceNotes")
        assert "自动备份没有成功" in button.text()
        assert "磁盘已满" in button.toolTip()
        button.click()
        assert any("磁盘已满" in text for _title, text in dialogs.told)
    finally:
        w.close_workspace()


def test_a_good_open_shows_no_warning(app, qtbot, sample_path: Path, dialogs) -> None:  # noqa: ANN001
    w = _shown_window(qtbot, sample_path, dialogs)
    try:
        w.ws.wait_for_backups()
        qtbot.wait(700)  # the status button is updated on the next poll
        button = w.findChild(QPushButton, "workspaceNotes")
        assert button is None or not button.isVisible()
    finally:
        w.close_workspace()


def test_a_damaged_file_is_refused_with_the_good_backup_offered(
    app,
    qtbot,
    sample_path: Path,
    dialogs,  # noqa: ANN001
) -> None:
    from ruian_desk.gui.backup_page import recover_open_error
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(sample_path, daily_backup=False) as ws:
        good = ws.backup_now().path
        ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(sample_path.read_bytes())
    at = data.rfind("瑞安市人民政府".encode())
    data[at] = 0xFF  # a flipped bit in a text: passes quick_check
    sample_path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path)
    asked: list[str] = []
    ws = recover_open_error(None, sample_path, caught.value, ask=lambda t, text, c: asked.append(text) or 0)
    assert ws is not None and not ws.readonly
    assert str(good) in asked[0] and "已检查完好" in asked[0] and "原样另存" in asked[0]
    ws.close()
