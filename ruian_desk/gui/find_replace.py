"""查找/替换 (Ctrl+F / Ctrl+H) across the report's text (标题, 引言, 一, 五, 六), and 一键改为全角标点 with a
preview of every change. Replacing all and the punctuation fix are one undo step each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.text_edits import (
    TEXT_FIELDS,
    TextChange,
    apply_changes,
    field_texts,
    find_all,
    punct_changes,
    replace_changes,
)
from ruian_desk.gui.commands import store_field

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext
    from ruian_desk.gui.main_window import MainWindow


def store_texts(ctx: AppContext, new: dict[str, str], text: str) -> bool:
    """Store changed fields as one undo step (`text` names it in the undo history)."""
    report = ctx.report()
    if report is None or report.id is None or not new:
        return False
    ctx.undo_stack.beginMacro(text)
    try:
        ok = all(store_field(ctx, report.id, field, value) for field, value in new.items())
    finally:
        ctx.undo_stack.endMacro()
    return ok


def current_texts(ctx: AppContext) -> dict[str, str]:
    ctx.flush_edits()  # typed text not yet stored is part of what is searched and changed
    report = ctx.report()
    return field_texts(report) if report is not None else {}


class FindReplaceDialog(QDialog):
    """Non-modal: the clerk keeps typing in the text while it is open."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(self.tr("查找和替换"))
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("findText")
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setObjectName("replaceText")
        find_label = QLabel(self.tr("查找内容(&N)："), self)
        find_label.setBuddy(self.find_edit)
        replace_label = QLabel(self.tr("替换为(&I)："), self)
        replace_label.setBuddy(self.replace_edit)
        self.next_button = QPushButton(self.tr("查找下一个(&F)"), self)
        self.next_button.setDefault(True)
        self.replace_button = QPushButton(self.tr("替换(&R)"), self)
        self.all_button = QPushButton(self.tr("全部替换(&A)"), self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("findResult")
        grid = QGridLayout()
        grid.addWidget(find_label, 0, 0)
        grid.addWidget(self.find_edit, 0, 1)
        grid.addWidget(replace_label, 1, 0)
        grid.addWidget(self.replace_edit, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("范围：标题、引言、一、五、六的正文"), self))
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        self.next_button.clicked.connect(self.find_next)
        self.replace_button.clicked.connect(self.replace_one)
        self.all_button.clicked.connect(self.replace_all)
        QShortcut(QKeySequence("F3"), self, self.find_next)
        self._last: tuple[str, int] | None = None  # (field, position) of the match shown last

    def show_for(self, replace: bool) -> None:
        self.replace_edit.setEnabled(True)
        self.setWindowTitle(self.tr("替换") if replace else self.tr("查找"))
        self.show()
        self.raise_()
        self.activateWindow()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _widget(self, field: str) -> QWidget | None:
        w = self.window_
        w.navigate(field)
        if field == "title":
            return w.findChild(QLineEdit, "field_title")
        return w.findChild(QPlainTextEdit, f"text_{field}")

    def _select(self, change: TextChange) -> None:
        widget = self._widget(change.field)
        if isinstance(widget, QLineEdit):
            widget.setSelection(change.pos, len(change.old))
        elif isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            cursor.setPosition(change.pos)
            cursor.setPosition(change.pos + len(change.old), QTextCursor.MoveMode.KeepAnchor)
            widget.setTextCursor(cursor)
            widget.centerCursor()

    def find_next(self) -> TextChange | None:
        needle = self.find_edit.text()
        ctx = self.window_.ctx
        if ctx is None or not needle:
            return None
        hits = find_all(current_texts(ctx), needle)
        if not hits:
            self.result_label.setText(self.tr("未找到“{0}”").format(needle))
            self._last = None
            return None
        order = list(TEXT_FIELDS)
        last = self._last
        after = [
            h for h in hits if last is None or (order.index(h.field), h.pos) > (order.index(last[0]), last[1])
        ]
        hit = after[0] if after else hits[0]  # past the last one: from the top again
        self._last = (hit.field, hit.pos)
        self._select(hit)
        number = hits.index(hit) + 1
        self.result_label.setText(
            self.tr("第 {0} 处，共 {1} 处（{2}）").format(number, len(hits), TEXT_FIELDS[hit.field])
        )
        return hit

    def replace_one(self) -> bool:
        """Replace the match shown (then show the next one)."""
        ctx = self.window_.ctx
        needle, repl = self.find_edit.text(), self.replace_edit.text()
        if ctx is None or not needle or self._last is None:
            self.find_next()
            return False
        field, pos = self._last
        texts = current_texts(ctx)
        text = texts.get(field, "")
        if text[pos : pos + len(needle)] != needle:
            self.find_next()
            return False
        change = TextChange(field, pos, needle, repl, needle, repl)
        ok = store_texts(ctx, apply_changes(texts, [change]), self.tr("替换“{0}”").format(needle))
        self._last = (field, pos + len(repl) - 1) if repl else (field, pos - 1)
        self.find_next()
        return ok

    def replace_all(self) -> int:
        ctx = self.window_.ctx
        needle, repl = self.find_edit.text(), self.replace_edit.text()
        if ctx is None or not needle:
            return 0
        texts = current_texts(ctx)
        changes = replace_changes(texts, needle, repl)
        if not changes:
            self.result_label.setText(self.tr("未找到“{0}”").format(needle))
            return 0
        new = apply_changes(texts, changes)
        if not store_texts(ctx, new, self.tr("全部替换“{0}”为“{1}”").format(needle, repl)):
            return 0
        self._last = None
        self.result_label.setText(self.tr("已替换 {0} 处（可撤销：Ctrl+Z）").format(len(changes)))
        return len(changes)


class PunctFixDialog(QDialog):
    """一键改为全角标点: every half-width mark with its context before and after; one undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("一键改为全角标点"))
        self.texts = current_texts(ctx)
        self.changes = punct_changes(self.texts)
        self.list = QTreeWidget(self)
        self.list.setObjectName("punctChanges")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderLabels([self.tr("位置"), self.tr("原文"), self.tr("改为")])
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.list.addTopLevelItems(
            [QTreeWidgetItem([TEXT_FIELDS[c.field], c.before, c.after]) for c in self.changes]
        )
        self.summary = QLabel(
            self.tr("共 {0} 处半角标点将改为全角（，：；（））。").format(len(self.changes))
            if self.changes
            else self.tr("正文中没有需要修改的半角标点。"),
            self,
        )
        box = QDialogButtonBox(self)
        self.apply_button = box.addButton(self.tr("全部改为全角"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setEnabled(bool(self.changes) and not ctx.readonly)
        box.accepted.connect(self.apply)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(box)
        screen = (parent or self).screen().availableGeometry()
        self.resize(min(820, screen.width() - 40), min(560, screen.height() - 80))
        self.list.setAttribute(Qt.WidgetAttribute.WA_MacShowFocusRect, False)

    def apply(self) -> bool:
        if current_texts(self.ctx) != self.texts:
            self.summary.setText(self.tr("正文已被修改，请重新打开本窗口查看修改内容。"))
            return False
        ok = store_texts(self.ctx, apply_changes(self.texts, self.changes), self.tr("改为全角标点"))
        if ok:
            self.accept()
        return ok
