"""备份与恢复: the workspace's backups (time, reason, size), 立即备份, restoring one after confirmation, and
what to offer when a workspace cannot be opened (read-only beside another instance, the newest backup of a
damaged file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.gui.context import AppContext
from ruian_desk.storage.backup import BackupError, BackupInfo
from ruian_desk.storage.restore import restore_backup, restore_file
from ruian_desk.storage.workspace import Workspace, WorkspaceError, open_workspace

PATH_ROLE = Qt.ItemDataRole.UserRole


class BackupPage(QWidget):
    """Lists the current workspace's backups, newest first; makes one on demand; restores the selected one."""

    restored = Signal(str)  # path of the backup the workspace was restored from

    COLUMNS = ("时间", "原因", "大小", "文件")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._backups: list[BackupInfo] = []

        title = QLabel(self.tr("备份与恢复"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())

        self.backup_button = QPushButton(self.tr("立即备份"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button = QPushButton(self.tr("完整性检查"))
        self.check_button.setToolTip(self.tr("逐页检查工作区文件（integrity_check），不做任何修改"))
        self.check_button.clicked.connect(self.check_integrity)
        self.folder_button = QPushButton(self.tr("打开备份文件夹"))
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.check_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        ctx.workspace_changed.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------------------------ listing

    @property
    def backups(self) -> list[BackupInfo]:
        return list(self._backups)

    def refresh(self) -> None:
        ws = self.ctx.workspace
        self._backups = ws.backups()
        self.intro.setText(
            self.tr(
                "工作区：{path}\n程序在每天第一次打开、每次导入和升级之前自动备份，并保留最近 7 天每天一份、"
                "最近 4 周每周一份、30 天内每次导入前的备份；手动备份不会被自动删除。"
                "备份保存在工作区旁的 backups 文件夹（不可写时保存在用户数据文件夹）。"
            ).format(path=ws.path)
        )
        self.table.setRowCount(len(self._backups))
        for row, b in enumerate(self._backups):
            cells = (
                b.created.strftime("%Y-%m-%d %H:%M:%S"),
                b.reason_label,
                b.size_text,
                b.path.name,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, str(b.path))
                item.setToolTip(str(b.path))
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        if not self._backups:
            self.status.setText(self.tr("还没有备份。"))
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._backups[row] if 0 <= row < len(self._backups) else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        readonly = self.ctx.workspace.readonly
        self.restore_button.setEnabled(not readonly and self.selected_backup() is not None)
        self.restore_button.setToolTip(
            self.tr("工作区以只读方式打开，不能恢复")
            if readonly
            else self.tr("用所选备份替换当前内容（先自动备份当前内容）")
        )

    # ------------------------------------------------------------------------------ actions

    def backup_now(self) -> BackupInfo | None:
        self._flush()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            info = self.ctx.workspace.backup_now()
        except WorkspaceError as exc:
            self.status.setText(self.tr("备份失败：{0}").format(exc))
            self._warn(self.tr("备份失败"), str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()
        self.status.setText(
            self.tr("已备份并校验：{name}（{size}）").format(name=info.path.name, size=info.size_text)
        )
        return info

    def restore_selected(self) -> bool:
        backup = self.selected_backup()
        if backup is None or self.ctx.workspace.readonly:
            return False
        question = self.tr(
            "用 {time} 的备份（{reason}，{size}）替换当前工作区的全部内容？\n\n"
            "替换前，当前内容会先自动备份（“恢复前自动备份”），需要时可以再恢复回来。"
        ).format(
            time=backup.created.strftime("%Y-%m-%d %H:%M:%S"),
            reason=backup.reason_label,
            size=backup.size_text,
        )
        if not self._confirm(self.tr("恢复备份"), question):
            return False
        self._flush()
        self.ctx.report()  # keep the current report's year at hand for the reopened workspace
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new_ws = restore_backup(self.ctx.workspace, backup.path)
        except WorkspaceError as exc:
            reopened = getattr(exc, "reopened", None)
            if isinstance(reopened, Workspace):
                self.ctx.reopen_workspace(reopened)
            self.status.setText(self.tr("恢复失败：{0}").format(exc))
            self._warn(self.tr("恢复失败"), self.tr("{0}\n\n工作区没有改变。").format(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.ctx.reopen_workspace(new_ws)
        self.refresh()
        self.status.setText(
            self.tr("已从备份恢复：{name}。恢复前的内容已另行备份。").format(name=backup.path.name)
        )
        self.restored.emit(str(backup.path))
        return True

    def check_integrity(self) -> list[str]:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            problems = self.ctx.workspace.integrity_problems(full=True)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if problems:
            text = self.tr("完整性检查发现 {n} 处问题：{first}。请立即恢复最近的备份。").format(
                n=len(problems), first=problems[0]
            )
            self._warn(self.tr("完整性检查"), text)
        else:
            text = self.tr("完整性检查通过：工作区文件完好。")
        self.status.setText(text)
        return problems

    def open_folder(self) -> None:
        folder = self._backups[0].path.parent if self._backups else self.ctx.workspace.path.parent / "backups"
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------------------------ dialogs

    def _flush(self) -> None:
        # Editors holding typed-but-not-stored text store it now (the GUI's AppContext offers this).
        flush = getattr(self.ctx, "flush_edits", None)
        if callable(flush):
            flush()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)


# ------------------------------------------------------------------- when a workspace cannot be opened


def _tr(text: str) -> str:
    return QCoreApplication.translate("OpenWorkspace", text)


def recover_open_error(
    parent: QWidget | None, path: Path, error: WorkspaceError, ask: object = None
) -> Workspace | None:
    """What the main window offers when `open_workspace(path)` failed: read-only beside another instance
    (`LockError`), or restoring the newest backup of a damaged file (the damaged file is kept as it is).
    Returns the opened workspace, or None when the user cancels or nothing can be offered.

    `ask(title, text, choices) -> chosen index or -1` replaces the message boxes in tests."""
    path = Path(path)
    choose = ask if callable(ask) else _ask
    if error.can_open_readonly:
        picked = choose(_tr("工作区正在使用"), str(error), [_tr("以只读方式打开"), _tr("取消")])
        if picked != 0:
            return None
        return open_workspace(path, readonly=True)
    if error.kind in ("damaged", "not_workspace") and error.backups and path.exists():
        newest = error.backups[0]
        picked = choose(
            _tr("工作区无法打开"),
            str(error) + "\n\n" + _tr("要用最新的备份替换它吗？原文件会原样另存一份，不会丢失。"),
            [_tr("恢复最新备份"), _tr("取消")],
        )
        if picked != 0:
            return None
        try:
            restore_file(path, newest)
            return open_workspace(path)
        except WorkspaceError as exc:
            choose(_tr("恢复失败"), str(exc), [_tr("确定")])
            return None
    choose(_tr("工作区无法打开"), str(error), [_tr("确定")])
    return None


def _ask(title: str, text: str, choices: list[str]) -> int:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    buttons = [
        box.addButton(c, QMessageBox.ButtonRole.AcceptRole if i == 0 else QMessageBox.ButtonRole.RejectRole)
        for i, c in enumerate(choices)
    ]
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else -1  # type: ignore[arg-type]


__all__ = ["BackupError", "BackupPage", "recover_open_error"]
