"""Narrative editors: 标题与引言, 一、总体情况 (with sub-headings), 五, 六 and the 落款.

Plain text, one paragraph per line, as `domain.narrative` reads it. `{{…}}` placeholders name a metric or
a table cell and are shown with their current values in the preview; the character count is of the text
as it will be published (placeholders replaced).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.narrative import (
    PLACEHOLDER,
    char_count,
    paragraphs,
    placeholder_choices,
    placeholder_value,
    render_placeholders,
)
from ruian_desk.domain.report import Report
from ruian_desk.gui import style
from ruian_desk.gui.commands import store_error_text, store_field
from ruian_desk.gui.editors.fields import FieldBinding, move_cursor_to_line
from ruian_desk.gui.editors.tokens import key_on_token, snap_cursor
from ruian_desk.gui.style import escape

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QSpinBox

    from ruian_desk.gui.context import AppContext

DEFAULT_LIMITS = {"p1": 1000}
# What each part is for, from the formats' notices and local practice (shown above the editor).
PART_HINTS = {
    "intro": "编制依据、统计期限（自本年1月1日起至12月31日止）、全文组成、电子版下载网址、联系方式。",
    "p1": "主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等情况；小标题写作“（一）……”。",
    "p5": "先写存在的主要问题（一是……二是……），再写改进情况和下一步措施。",
    "p6": "收取信息处理费的情况在此处报告（国办函〔2020〕109号）；无其他事项可写“本机关无其他需要报告的事项。”",
}  # 一、总体情况: local rules often cap it at 1000 字 (setting limit.p1)
LIMIT_SETTING = "limit.{field}"


def limit_of(ctx: AppContext, report: Report | None, field: str) -> int | None:
    """The character limit of a part (report setting `limit.p1`; 0 = none)."""
    if report is None or report.id is None or field not in DEFAULT_LIMITS:
        return None
    value = ctx.repo.get_setting(report.id, LIMIT_SETTING.format(field=field))
    try:
        limit = int(value) if value is not None else DEFAULT_LIMITS[field]
    except ValueError:
        limit = DEFAULT_LIMITS[field]
    return limit or None


class NarrativeHighlighter(QSyntaxHighlighter):
    """Sub-headings bold, item numbers bold, placeholders tinted (unknown ones underlined red)."""

    def __init__(self, editor: QPlainTextEdit, known: set[str]):
        super().__init__(editor.document())
        self.known = known
        self._heading = QRegularExpression(r"^[（(][一二三四五六七八九十]+[）)][^ 　]*")
        self._item = QRegularExpression(r"^\d{1,2}[.、．][^。]{0,40}。?")
        self._placeholder = QRegularExpression(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
        self.heading_format = QTextCharFormat()
        self.heading_format.setFontWeight(QFont.Weight.Bold)
        self.heading_format.setForeground(QColor("#174ea6"))
        self.item_format = QTextCharFormat()
        self.item_format.setFontWeight(QFont.Weight.DemiBold)
        self.ph_format = QTextCharFormat()
        self.ph_format.setBackground(QColor("#ede7f6"))
        self.ph_format.setForeground(QColor("#4a148c"))
        self.bad_format = QTextCharFormat(self.ph_format)
        self.bad_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.bad_format.setUnderlineColor(QColor("#d32f2f"))

    def highlightBlock(self, text: str) -> None:
        m = self._heading.match(text)
        if m.hasMatch():
            self.setFormat(0, m.capturedLength(), self.heading_format)
        else:
            m = self._item.match(text)
            if m.hasMatch():
                self.setFormat(0, m.capturedLength(), self.item_format)
        it = self._placeholder.globalMatch(text)
        while it.hasNext():
            m = it.next()
            fmt = self.ph_format if m.captured(1) in self.known else self.bad_format
            self.setFormat(m.capturedStart(), m.capturedLength(), fmt)


class NarrativeTextEdit(QPlainTextEdit):
    """Plain paragraphs; typing "{{" opens the placeholder list; a placeholder is one token (`tokens`)."""

    placeholder_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._snapping = False
        self.flush_pending: Callable[[], object] | None = None  # stores typed text as its own undo step
        self.cursorPositionChanged.connect(self._snap)

    def _snap(self) -> None:
        if self._snapping:
            return
        self._snapping = True
        try:
            snap_cursor(self)
        finally:
            self._snapping = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if key_on_token(self, event):
            return
        super().keyPressEvent(event)
        if event.text() == "{" and not self.isReadOnly():
            cursor = self.textCursor()
            pos = cursor.position()
            if pos >= 2 and self.toPlainText()[pos - 2 : pos] == "{{":
                self.placeholder_requested.emit()


class NarrativeEditor(QWidget):
    """One text field (intro, p1, p5, p6): editor, placeholder list, character count, live preview."""

    def __init__(
        self, ctx: AppContext, field: str, title: str, parent: QWidget | None = None, compact: bool = False
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.field = field
        self.editor = NarrativeTextEdit(self)
        self.editor.setObjectName(f"text_{field}")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(
            self.tr("每段一行；小标题写作“（一）……”，条目写作“1.……”。输入 {{ 可插入表格或指标数值。")
        )
        self.binding = FieldBinding(ctx, field, self.editor, self)
        self.editor.flush_pending = self.binding.flush
        self.highlighter = NarrativeHighlighter(self.editor, set())

        self.title = style.page_title(title, self)
        self.insert_button = QPushButton(self.tr("插入占位符…"), self)
        self.insert_button.setToolTip(self.tr("插入表格单元格或指标的当前数值（Ctrl+K）"))
        self.insert_button.clicked.connect(self.insert_placeholder)
        QShortcut(QKeySequence("Ctrl+K"), self.editor, self.insert_placeholder)
        self.editor.placeholder_requested.connect(self._on_braces)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("charCount")
        self.limit_spin: QSpinBox | None = None
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        if field in DEFAULT_LIMITS:
            from PySide6.QtWidgets import QSpinBox

            top.addWidget(QLabel(self.tr("字数上限"), self))
            spin = QSpinBox(self)
            spin.setRange(0, 100000)
            spin.setSingleStep(100)
            spin.setSuffix(self.tr(" 字"))
            spin.setSpecialValueText(self.tr("不限"))
            spin.setToolTip(
                self.tr("本地要求的字数上限（如“总体情况原则上不超过1000字”）；0 为不限。按报告保存。")
            )
            spin.editingFinished.connect(self._store_limit)
            self.limit_spin = spin
            top.addWidget(spin)
        top.addWidget(self.count_label)
        top.addWidget(self.insert_button)

        self.preview = QTextBrowser(self)
        self.preview.setObjectName(f"preview_{field}")
        self.preview.setOpenLinks(False)
        self.preview_label = QLabel(self.tr("预览（占位符已替换为当前数值）"), self)
        self.preview_label.setStyleSheet("color: #5f6368;")
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_label)
        right_layout.addWidget(self.preview, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.editor_label = QLabel(self.tr("正文（自动保存）"), self)
        self.editor_label.setStyleSheet("color: #5f6368;")
        left_layout.addWidget(self.editor_label)
        left_layout.addWidget(self.editor, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.hint = QLabel(PART_HINTS.get(field, ""), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")
        self.hint.setVisible(field in PART_HINTS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0 if compact else 16, 12 if not compact else 0, 0 if compact else 16, 10)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.splitter, 1)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.editor.textChanged.connect(self._preview_timer.start)
        ctx.closing.connect(self._preview_timer.stop)
        ctx.report_changed.connect(self._on_report_changed)
        ctx.report_switched.connect(self._on_report_switched)
        self.refresh()

    def _on_report_changed(self, report_id: int) -> None:
        if report_id == self.ctx.report_id:
            self._preview_timer.start()  # values quoted by placeholders may have changed

    def _on_report_switched(self, _report_id: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        report = self.ctx.report()
        self.highlighter.known = {k for k, _ in placeholder_choices(report)} if report else set()
        self.highlighter.rehighlight()
        if self.limit_spin is not None:
            limit = limit_of(self.ctx, report, self.field)
            self.limit_spin.blockSignals(True)
            self.limit_spin.setValue(limit or 0)
            self.limit_spin.blockSignals(False)
            self.limit_spin.setEnabled(report is not None and not self.ctx.readonly)
        self.insert_button.setEnabled(report is not None and not self.ctx.readonly)
        self.refresh_preview()

    def rendered_text(self) -> str:
        report = self.ctx.report()
        text = self.editor.toPlainText()
        return render_placeholders(text, report) if report is not None else text

    def refresh_preview(self) -> None:
        report = self.ctx.report()
        text = self.editor.toPlainText()
        count = char_count(self.rendered_text())
        limit = limit_of(self.ctx, report, self.field)
        if limit and count > limit:
            self.count_label.setText(self.tr("字数 {0}，超出上限 {1} 字").format(count, count - limit))
            self.count_label.setStyleSheet("color: #d32f2f; font-weight: bold;")
        else:
            suffix = f" / {limit}" if limit else ""
            self.count_label.setText(self.tr("字数 {0}{1}").format(count, suffix))
            self.count_label.setStyleSheet("color: #3c4043;")
        self.preview.setHtml(preview_html(text, report))

    def _store_limit(self) -> None:
        report = self.ctx.report()
        if report is None or report.id is None or self.limit_spin is None:
            return
        value = str(self.limit_spin.value())
        key = LIMIT_SETTING.format(field=self.field)
        if self.ctx.repo.get_setting(report.id, key) == value:
            return
        try:
            self.ctx.repo.set_setting(report.id, key, value)
        except Exception as exc:  # noqa: BLE001
            self.ctx.store_failed.emit(f"未保存：{store_error_text(exc)}")
            return
        self.ctx.notify_changed(report.id)

    def _on_braces(self) -> None:
        cursor = self.editor.textCursor()
        key = self._pick()
        cursor.movePosition(cursor.MoveOperation.PreviousCharacter, cursor.MoveMode.KeepAnchor, 2)
        if cursor.selectedText() != "{{":
            return  # the text changed meanwhile: leave it as it is
        # Chosen: the "{{" becomes the placeholder; cancelled: the "{{" typed to open the list goes again.
        cursor.insertText(f"{{{{{key}}}}}" if key is not None else "")
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()
        if key is not None:
            self.binding.flush()  # the inserted placeholder is one undo step

    def insert_placeholder(self) -> None:
        key = self._pick()
        if key is not None:
            self.binding.flush()
            self.editor.insertPlainText(f"{{{{{key}}}}}")
            self.binding.flush()  # the inserted placeholder is one undo step
            self.editor.setFocus()

    def _pick(self) -> str | None:
        report = self.ctx.report()
        if report is None or self.ctx.readonly:
            return None
        from ruian_desk.gui.editors.placeholder_picker import PlaceholderPicker as PlaceholderPicker

        picker = PlaceholderPicker(report, self)
        screen = self.screen().availableGeometry()
        picker.fit_to(screen.width(), screen.height())
        if not picker.exec():
            return None
        return picker.chosen_key()

    def focus_target(self) -> QWidget:
        return self.editor

    def goto_line(self, line: int) -> None:
        move_cursor_to_line(self.editor, line)

    def select_text(self, needle: str, line: int | None = None) -> bool:
        """Select `needle` (a phrase or figure a check complains about): its first occurrence from `line` on,
        else from the start."""
        from PySide6.QtGui import QTextCursor

        doc = self.editor.document()
        found = QTextCursor()
        if line is not None:
            block = doc.findBlockByNumber(max(0, line))
            if block.isValid():
                found = doc.find(needle, block.position())
        if found.isNull():
            found = doc.find(needle)
        if found.isNull():
            return False
        self.editor.setTextCursor(found)
        self.editor.centerCursor()
        self.editor.setFocus()
        return True


def preview_html(text: str, report: Report | None) -> str:
    """The text as it will read: headings bold, items' lead sentence bold, placeholders as values."""

    def render(s: str) -> str:
        out = []
        pos = 0
        for m in PLACEHOLDER.finditer(s):
            out.append(escape(s[pos : m.start()]))
            value = placeholder_value(report, m.group(1)) if report is not None else None
            if value is None:
                out.append(f'<span style="color:#d32f2f;">【未知占位符 {escape(m.group(1))}】</span>')
            elif value == "":
                out.append('<span style="color:#d32f2f;">【空】</span>')
            else:
                out.append(f'<span style="background:#ede7f6;">{escape(value)}</span>')
            pos = m.end()
        out.append(escape(s[pos:]))
        return "".join(out)

    parts = ['<div style="font-size:11pt;">']
    for p in paragraphs(text):
        if p.kind == "heading":
            # "（一）主动公开 正文" takes a space before its text; "（一）主动公开。正文" runs on.
            space = "" if p.heading.endswith("。") else "　"
            body = f"{space}{render(p.body)}" if p.body else ""
            parts.append(f"<p style='margin:10px 0 6px 0;'><b>{render(p.number + p.heading)}</b>{body}</p>")
        elif p.kind == "item" and p.heading:
            parts.append(
                f"<p style='margin:0 0 6px 0;'>　　<b>{render(p.number + p.heading)}</b>{render(p.body)}</p>"
            )
        else:
            parts.append(f"<p style='margin:0 0 6px 0;'>　　{render(p.number + p.body)}</p>")
    parts.append("</div>")
    return "".join(parts)


class TitleIntroPage(QWidget):
    """标题与引言: the title (one line) and the introductory paragraph."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        heading = style.page_title(self.tr("标题与引言"), self)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("field_title")
        self.title_binding = FieldBinding(ctx, "title", self.title_edit, self)
        self.default_button = QPushButton(self.tr("按单位和年度生成"), self)
        self.default_button.setToolTip(self.tr("标题改为“单位全称+年度+政府信息公开工作年度报告”"))
        self.default_button.clicked.connect(self.use_default_title)
        title_label = QLabel(self.tr("标题(&T)"), self)
        title_label.setBuddy(self.title_edit)
        row = QHBoxLayout()
        row.addWidget(title_label)
        row.addWidget(self.title_edit, 1)
        row.addWidget(self.default_button)
        self.intro = NarrativeEditor(ctx, "intro", self.tr("引言"), self, compact=True)
        self.intro.title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.addWidget(heading)
        layout.addLayout(row)
        layout.addWidget(self.intro, 1)

    def focus_target(self) -> QWidget:
        return self.title_edit

    def focus_field(self, name: str) -> bool:
        widget = {"title": self.title_edit, "intro": self.intro.editor}.get(name)
        if widget is not None:
            widget.setFocus()
        return widget is not None

    def goto_line(self, line: int) -> None:
        self.intro.goto_line(line)

    def select_text(self, needle: str, line: int | None = None) -> bool:
        return self.intro.select_text(needle, line)

    def use_default_title(self) -> None:
        report = self.ctx.report()
        if report is None or report.id is None:
            return
        self.title_binding.flush()
        store_field(self.ctx, report.id, "title", report.fmt.title_for(report.unit, report.year))
