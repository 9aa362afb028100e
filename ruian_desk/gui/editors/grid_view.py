"""The grid of one table: the official layout of 表二/表三/表四 with Excel-like keys, paste, outlines and
frozen header rows / label columns (`frozen_panes`)."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from ruian_desk.domain.report import format_number
from ruian_desk.gui import style
from ruian_desk.gui.editors.fields import type_committed_text
from ruian_desk.gui.editors.frozen_panes import FrozenPanes
from ruian_desk.gui.editors.grid_focus import FocusRepaintsLittle
from ruian_desk.gui.editors.table_model import ROLLED_MESSAGE, GridTableModel

Index = QModelIndex | QPersistentModelIndex

READONLY_MESSAGE = "工作区为只读，不能修改"
DRILL_PREFIX = "drill:"  # navigation target: the 单位 page's drill-down of a cell
DERIVED_MESSAGE = "总计为自动计算，不能填写：请填写各分项"
# Shift (capitals, full-width punctuation) and the keypad still type; Ctrl/Alt/Meta make shortcuts.
_TYPING_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class CellDelegate(QStyledItemDelegate):
    """Number editor: full-width digits and "1,234" accepted; a refused value keeps the editor open."""

    def __init__(self, view: GridTableView):
        super().__init__(view)
        self.view = view
        self.open_editor: QLineEdit | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        editor.setProperty("grid_row", index.row())
        editor.setProperty("grid_col", index.column())
        self.open_editor = editor
        return editor

    def destroyEditor(self, editor: QWidget, index: Index) -> None:
        if editor is self.open_editor:
            self.open_editor = None
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: ANN001
        assert isinstance(editor, QLineEdit)
        text = editor.text()
        if text == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return  # unchanged: no write, no undo step
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Enter/Tab with a value the cell cannot take: keep the editor open and say why, store nothing.
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                model = self.view.grid_model()
                index = model.index(int(editor.property("grid_row")), int(editor.property("grid_col")))
                if editor.text() != str(index.data(Qt.ItemDataRole.EditRole) or ""):
                    reason = model.validate(index, editor.text())
                    if reason is not None:
                        self.view.show_cell_message(index, f"{reason}，未保存（Esc 放弃修改）")
                        return True
        return super().eventFilter(editor, event)


class GridTableView(FocusRepaintsLittle):
    """Keyboard-first grid: Enter moves down, Tab right, Delete blanks, Ctrl+V pastes an Excel/WPS block."""

    message_shown = Signal(str)

    def __init__(self, model: GridTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        # Hidden headers still impose their minimum section size; the official grid sets its own.
        self.horizontalHeader().setMinimumSectionSize(16)
        self.verticalHeader().setMinimumSectionSize(16)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setGridStyle(Qt.PenStyle.SolidLine)
        self.setStyleSheet(
            "QTableView { gridline-color: #8a94a6; selection-background-color: #cfe3ff;"
            " selection-color: #000; }"
        )
        self.last_message = ""
        self._message = QLabel(self.viewport())
        self._message.setObjectName("cellMessage")
        self._message.setWordWrap(True)
        self._message.setStyleSheet(
            "QLabel#cellMessage { background: #fdecea; color: #a50e0e; border: 1px solid #d32f2f;"
            " border-radius: 3px; padding: 4px 6px; }"
        )
        self._message.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._message.hide)
        self.frozen = FrozenPanes(self)
        self._widths: list[int] = []
        self._heights: list[int] = []
        model.modelReset.connect(self.apply_layout)
        model.input_refused.connect(lambda r, c, msg: self.show_cell_message(model.index(r, c), msg))
        self.apply_layout()

    def commit_open_editor(self) -> None:
        """A cell being typed in is stored before undo, a report switch or closing (like leaving the cell);
        a value the cell cannot take is dropped with its reason shown."""
        delegate = self.itemDelegate()
        editor = getattr(delegate, "open_editor", None)
        if editor is None or self.state() != QAbstractItemView.State.EditingState:
            return
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def grid_model(self) -> GridTableModel:
        model = self.model()
        assert isinstance(model, GridTableModel)
        return model

    # ----------------------------------------------------------------------------- layout

    def apply_layout(self) -> None:
        """Spans and sizes of the official grid (again after a format change)."""
        model = self.grid_model()
        self.clearSpans()
        for cell in model.spans():
            self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        self._apply_sizes()
        first = model.input_positions()
        if first:
            self.setCurrentIndex(model.index(*first[0]))

    def _column_widths(self) -> list[int]:
        model = self.grid_model()
        cw = self.fontMetrics().horizontalAdvance("中")
        n = model.grid.n_cols
        table = model.table_id
        if table == "t3":
            labels = [int(cw * 3.0), int(cw * 7.2), int(cw * 19)]
            return labels + [int(cw * 5.4)] * (n - 3)
        if table == "t4":
            return [int(cw * 4.9)] * n
        return [int(cw * 14)] + [int(cw * 10)] * (n - 1)

    def _apply_sizes(self) -> None:
        widths = self._column_widths()
        # The widget's width, not the viewport's: the viewport narrows and widens with the scroll bar.
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        available = self.width() - 2 * self.frameWidth() - scrollbar - 2
        extra = available - sum(widths)
        model = self.grid_model()
        number_cols = [c for c in range(model.grid.n_cols) if model.table_id != "t3" or c >= 3]
        if extra > 0 and number_cols:
            # A wide window: let the number columns breathe (up to half again), labels keep their width.
            grow = min(extra // len(number_cols), widths[number_cols[0]] // 2)
            for c in number_cols:
                widths[c] += grow
        for c, w in enumerate(widths):
            self.setColumnWidth(c, w)
        fm = self.fontMetrics()
        base = fm.height() + 12
        heights = [base] * model.grid.n_rows
        for cell in model.grid.cells:
            if not cell.text:
                continue
            width = sum(widths[cell.col : cell.col + cell.colspan]) - 10
            bold = cell.kind in ("header", "caption")
            text_w = fm.horizontalAdvance(cell.text) * (1.06 if bold else 1.0)
            lines = max(1, -(-int(text_w) // max(width, 1)))
            need = lines * fm.lineSpacing() + 12
            per_row = -(-need // cell.rowspan)
            for r in range(cell.row, cell.row + cell.rowspan):
                heights[r] = max(heights[r], per_row)
        for r, h in enumerate(heights):
            self.setRowHeight(r, h)
        self._widths, self._heights = widths, heights
        # Heading rows and label columns stay in view while the numbers scroll (表三 at 1366×860).
        self.frozen.apply(model.grid, widths, heights)
        # No empty white area under the grid: the view is as tall as the table (it scrolls when the window is
        # smaller).
        needs_hbar = sum(widths) > available
        self.setMaximumHeight(sum(heights) + 2 * self.frameWidth() + (scrollbar if needs_hbar else 0) + 2)

    def paintEvent(self, event) -> None:  # noqa: ANN001
        super().paintEvent(event)
        # Outlines of checked cells and of stated totals, over the cells (few; drawn here rather than by a
        # Python delegate for every cell).
        model = self.grid_model()
        outlines = model.outlines()
        if not outlines:
            return
        painter = QPainter(self.viewport())
        for row, col, severity, stated in outlines:
            rect = self.visualRect(model.index(row, col))
            if not rect.isValid() or not rect.intersects(event.rect()):
                continue
            rect = rect.adjusted(1, 1, -2, -2)
            if stated:
                painter.setPen(QPen(style.STATED, 2, Qt.PenStyle.DashLine))
                painter.drawRect(rect.adjusted(2, 2, -2, -2) if severity else rect)
            if severity:
                color = style.SEVERITY_COLORS.get(severity, style.MUTED)
                line = Qt.PenStyle.DotLine if severity == "explained" else Qt.PenStyle.SolidLine
                painter.setPen(QPen(color, 2, line))
                painter.drawRect(rect)
        painter.end()

    def full_size(self) -> tuple[int, int]:
        """Width and height the whole grid needs (snapshots show it without scrolling)."""
        w = sum(self._widths) + 2 * self.frameWidth() + 2
        h = sum(self._heights) + 2 * self.frameWidth() + 2
        return w, h

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._apply_sizes()
        self.frozen.place()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self.frozen.place()  # the scroll bars came or went: the panes follow the viewport

    # ----------------------------------------------------------------------------- messages

    def show_cell_message(self, index: Index, text: str) -> None:
        """The reason a value was refused, shown once, at the cell."""
        self.last_message = text
        rect = self.visualRect(self.grid_model().index(index.row(), index.column()))
        label = self._message
        label.setText(text)
        label.setMaximumWidth(max(260, min(480, self.viewport().width() - 20)))
        label.adjustSize()
        x = min(max(0, rect.left()), max(0, self.viewport().width() - label.width() - 4))
        y = rect.bottom() + 3
        if y + label.height() > self.viewport().height():
            y = max(0, rect.top() - label.height() - 3)
        label.move(x, y)
        label.show()
        label.raise_()
        self._message_timer.start(8000)
        # One message at the cell: no tooltip on top of it saying the same again.
        QToolTip.hideText()
        self.message_shown.emit(text)

    def hide_cell_message(self) -> None:
        self._message.hide()

    def message_visible(self) -> bool:
        return self._message.isVisible()

    # ----------------------------------------------------------------------------- keys

    def _move_to(self, row: int, col: int) -> None:
        index = self.grid_model().index(row, col)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def next_input(self, direction: str) -> tuple[int, int] | None:
        """The next typed cell below (Enter), after (Tab) or before (Shift+Tab) the current one."""
        model = self.grid_model()
        current = self.currentIndex()
        r, c = (current.row(), current.column()) if current.isValid() else (-1, -1)
        positions = model.input_positions()
        if direction == "down":
            here = model.grid.anchor_at(r, c) if r >= 0 else None
            span_end = here.row + here.rowspan if here else r + 1
            below = [(pr, pc) for pr, pc in positions if pc == c and pr >= span_end]
            if below:
                return below[0]
            # Bottom of a column: continue at the top of the next column (like finishing a column in Excel).
            later = [(pr, pc) for pr, pc in positions if pc > c]
            return min(later, key=lambda p: (p[1], p[0])) if later else None
        if direction == "next":
            after = [p for p in positions if p > (r, c)]
            return after[0] if after else (positions[0] if positions else None)
        before = [p for p in positions if p < (r, c)]
        return before[-1] if before else (positions[-1] if positions else None)

    def _go(self, direction: str) -> None:
        target = self.next_input(direction)
        if target is not None:
            self._move_to(*target)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        move = {
            QAbstractItemDelegate.EndEditHint.SubmitModelCache: "down",
            QAbstractItemDelegate.EndEditHint.EditNextItem: "next",
            QAbstractItemDelegate.EndEditHint.EditPreviousItem: "previous",
        }.get(hint)
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if move is not None:
            self._go(move)

    def refusal(self, index: Index) -> str | None:
        """Why the cell at `index` cannot be typed into (read-only workspace, a roll-up, a computed total), or
        None when it can."""
        model = self.grid_model()
        cell = model.anchor(index)
        if cell is None or cell.cell_id is None or model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return None
        if model.readonly:
            return READONLY_MESSAGE
        head = DERIVED_MESSAGE if cell.kind == "derived" else ROLLED_MESSAGE if model.rolled else None
        if head is not None and model.rolled:
            shares = model.share_lines(cell.cell_id, limit=8)
            return "\n".join([head + "。各单位：", *shares, "双击单元格可在“单位”页查看明细"])
        return head

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        self.hide_cell_message()
        if self.state() != QAbstractItemView.State.EditingState:
            typed = event.text()
            starts_edit = key == Qt.Key.Key_F2 or (
                typed.isprintable() and typed.strip() != "" and not event.modifiers() & ~_TYPING_MODIFIERS
            )
            if starts_edit:
                # A key on a cell that takes no typing would otherwise do nothing at all: say why.
                reason = self.refusal(self.currentIndex())
                if reason is not None:
                    self.show_cell_message(self.currentIndex(), reason)
                    return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_clipboard()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection_cells()
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._go("previous" if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else "down")
                return
            if key == Qt.Key.Key_Tab:
                self._go("next")
                return
            if key == Qt.Key.Key_Backtab:
                self._go("previous")
                return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Full-width digits committed by an input method: type-to-replace like a key press, or say why not.
        if self.state() != QAbstractItemView.State.EditingState and event.commitString():
            self.hide_cell_message()
            reason = None if event.preeditString() else self.refusal(self.currentIndex())
            if reason is not None:
                self.show_cell_message(self.currentIndex(), reason)
                event.accept()
                return
            if type_committed_text(self, event):
                return
        super().inputMethodEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: ANN001
        self.hide_cell_message()
        super().mousePressEvent(event)

    # ----------------------------------------------------------------------------- block edits

    def selected_anchor_indexes(self) -> list[Index]:
        model = self.grid_model()
        out: list[Index] = []
        for index in self.selectedIndexes() or [self.currentIndex()]:
            if model.anchor(index) is not None:
                out.append(index)
        return out

    def clear_selection_cells(self) -> None:
        model = self.grid_model()
        if model.readonly:
            self.show_cell_message(self.currentIndex(), READONLY_MESSAGE)
            return
        if not model.clear(self.selected_anchor_indexes()) and not model.rolled:
            reason = self.refusal(self.currentIndex())
            if reason is not None:
                self.show_cell_message(self.currentIndex(), reason)

    def copy_selection(self) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in range(rows[0], rows[-1] + 1):
            pieces = []
            for c in range(cols[0], cols[-1] + 1):
                text = self.grid_model().index(r, c).data() if (r, c) in chosen else ""
                pieces.append(str(text or ""))
            lines.append("\t".join(pieces))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste a block copied from Excel/WPS at the current cell: all of it in one transaction, or nothing."""
        model = self.grid_model()
        if model.readonly:
            self.show_cell_message(self.currentIndex(), READONLY_MESSAGE)
            return False
        current = self.currentIndex()
        if not current.isValid() or not text.strip():
            return False
        plan = model.plan_paste(current.row(), current.column(), text)
        if plan.errors:
            r, c, first = plan.errors[0]
            more = f"（另有 {len(plan.errors) - 1} 处）" if len(plan.errors) > 1 else ""
            self.show_cell_message(model.index(r, c), f"粘贴未执行：{first}{more}")
            return False
        if not plan.values:
            self.show_cell_message(current, "粘贴内容中没有可填写的数字单元格")
            return False
        if not model.apply_paste(plan):
            return False
        top = min(model.position_of(cid) for cid in plan.values)
        bottom = max(model.position_of(cid) for cid in plan.values)
        self.selectionModel().select(
            QItemSelection(model.index(*top), model.index(*bottom)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
        # Totals copied along with the numbers are not stored (they are computed); say when they disagree.
        report = model.report
        mismatched = []
        if report is not None:
            for cid, value in plan.skipped_derived:
                if value is not None and value != report.values.get(cid):
                    mismatched.append(
                        f"{model.fmt.cells[cid].label}：粘贴的 {format_number(value)}，"
                        f"计算得 {format_number(report.values.get(cid))}"
                    )
        if mismatched:
            first_cid = plan.skipped_derived[0][0]
            self.show_cell_message(
                model.index_of(first_cid),
                "已粘贴。注意：粘贴内容中的总计与计算结果不一致（总计按计算结果显示）："
                + "；".join(mismatched[:3]),
            )
        else:
            self.message_shown.emit(f"已粘贴 {len(plan.values)} 个单元格")
        return True
