"""备份与恢复 page: lists the backups, makes one, restores one after confirmation and reopens the workspace;
and what the main window offers when a workspace cannot be opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ruian_desk.gui.backup_page import BackupPage, recover_open_error
from ruian_desk.gui.context import AppContext
from ruian_desk.storage.backup import list_backups
from ruian_desk.storage.lock import LockError
from ruian_desk.storage.workspace import WorkspaceError, open_workspace
from tests.storage.conftest import Holder, dump, sha256


@pytest.fixture
def ctx(sample_path: Path, qtbot):  # noqa: ANN001, ANN201
    ws = open_workspace(sample_path)
    rid = ws.repo.find_report("瑞安市人民政府", 2019)
    context = AppContext(ws, rid)
    yield context
    context.workspace.close()


def _column(page: BackupPage, col: int) -> list[str]:
    return [page.table.item(r, col).text() for r in range(page.table.rowCount())]


def test_lists_backups_and_backs_up_on_demand(ctx: AppContext, qtbot) -> None:  # noqa: ANN001
    page = BackupPage(ctx)
    qtbot.addWidget(page)
    assert _column(page, 1) == ["每日自动备份"]  # opening made today's backup
    assert not page.restore_button.isEnabled()
    info = page.backup_now()
    assert info is not None and info.reason == "manual"
    assert _column(page, 1) == ["手动备份", "每日自动备份"]
    assert _column(page, 3)[0] == info.path.name and _column(page, 2)[0].endswith("KB")
    assert "已备份并校验" in page.status.text()
    page.select_row(0)
    assert page.restore_button.isEnabled()
    from PySide6.QtWidgets import QApplication

    from ruian_desk.gui.fonts import install_app_font

    install_app_font(QApplication.instance())  # type: ignore[arg-type]
    page.setFont(QApplication.font())
    page.resize(900, 420)
    page.grab().save("/tmp/backup_page.png")  # looked at by hand


def test_restore_selected_after_confirmation(ctx: AppContext, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    page = BackupPage(ctx)
    qtbot.addWidget(page)
    saved = page.backup_now()
    assert saved is not None
    before = dump(ctx.workspace.path)
    rid = ctx.report_id
    assert rid is not None
    ctx.repo.set_field(rid, "p6", "恢复前的修改")
    ctx.notify_changed()
    old_ws = ctx.workspace

    monkeypatch.setattr(page, "_confirm", lambda *_: False)
    page.select_row(0)
    assert page.restore_selected() is False
    assert ctx.workspace is old_ws and ctx.report().part("p6") == "恢复前的修改"  # type: ignore[union-attr]

    questions: list[str] = []
    monkeypatch.setattr(page, "_confirm", lambda title, text: questions.append(text) or True)
    page.select_row(0)
    with qtbot.waitSignals([ctx.workspace_changed, ctx.report_switched], timeout=5000):
        assert page.restore_selected() is True
    assert "先自动备份" in questions[0] and saved.created.strftime("%Y-%m-%d %H:%M:%S") in questions[0]
    assert ctx.workspace is not old_ws and old_ws.closed and not ctx.workspace.closed
    assert ctx.report_id == rid and ctx.report().part("p6") == "本机关无其他报告事项。"  # type: ignore[union-attr]
    assert dump(ctx.workspace.path) == before
    assert _column(page, 1)[0] == "恢复前自动备份"
    assert "已从备份恢复" in page.status.text()
    # edits go on in the reopened workspace
    ctx.repo.set_field(rid, "p6", "恢复后的修改")
    ctx.notify_changed()
    assert ctx.report().part("p6") == "恢复后的修改"  # type: ignore[union-attr]


def test_read_only_workspace_cannot_restore(sample_path: Path, qtbot) -> None:  # noqa: ANN001
    open_workspace(sample_path).close()
    ws = open_workspace(sample_path, readonly=True)
    ctx = AppContext(ws)
    page = BackupPage(ctx)
    qtbot.addWidget(page)
    page.select_row(0)
    assert page.selected_backup() is not None
    assert not page.restore_button.isEnabled() and page.restore_selected() is False
    assert page.check_integrity() == [] and "通过" in page.status.text()
    ws.close()


def test_open_error_offers_read_only_beside_another_instance(sample_path: Path, qtbot) -> None:  # noqa: ANN001
    holder = Holder(sample_path)
    try:
        with pytest.raises(LockError) as caught:
            open_workspace(sample_path)
        asked: list[tuple[str, list[str]]] = []

        def ask(title: str, text: str, choices: list[str]) -> int:
            asked.append((text, choices))
            return 0

        ws = recover_open_error(None, sample_path, caught.value, ask=ask)
        assert ws is not None and ws.readonly
        assert f"进程 {holder.pid}" in asked[0][0] and asked[0][1][0] == "以只读方式打开"
        assert ws.repo.main_organ() is not None
        ws.close()
        assert recover_open_error(None, sample_path, caught.value, ask=lambda *_: 1) is None
    finally:
        holder.quit()


def test_open_error_offers_the_newest_backup_of_a_damaged_file(sample_path: Path, qtbot) -> None:  # noqa: ANN001
    with open_workspace(sample_path) as ws:
        good = ws.backup_now()
    expected = dump(good.path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])
    damaged = sha256(sample_path)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(sample_path)
    assert recover_open_error(None, sample_path, caught.value, ask=lambda *_: 1) is None
    assert sha256(sample_path) == damaged  # cancelled: untouched
    texts: list[str] = []
    ws = recover_open_error(None, sample_path, caught.value, ask=lambda t, text, c: texts.append(text) or 0)
    assert ws is not None and not ws.readonly
    assert "最新的自动备份" in texts[0] and "原样另存" in texts[0]
    ws.close()
    assert dump(sample_path) == expected
    kept = [b for b in list_backups(sample_path) if b.reason == "damaged"]
    assert len(kept) == 1 and sha256(kept[0].path) == damaged
    conn = sqlite3.connect(sample_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
