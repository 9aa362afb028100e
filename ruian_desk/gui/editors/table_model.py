"""`GridTableModel`: one Qt model for 表二/表三/表四 of either format, generated from `layout.table_grid`.

Every position of the official printed grid is a model cell; merged areas are reported by `spans()` for
`QTableView.setSpan`. Number cells show `report.values.get()` (derived totals computed), inputs are editable,
derived cells are read-only. Writes go through `commands.store_cells` (one transaction, undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.layout import Grid, GridCell, table_grid
from ruian_desk.domain.numbers import with_value
from ruian_desk.domain.report import CellInputError, CellValue, Report, format_number, parse_cell_value
from ruian_desk.domain.rules import SEVERITY_LABELS, Issue
from ruian_desk.gui import style
from ruian_desk.gui.commands import ABSENT, CellState, store_cells

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext

Index = QModelIndex | QPersistentModelIndex

CELL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3  # "error" | "warning" | "explained" | "info" | None
STATED_ROLE = Qt.ItemDataRole.UserRole + 4  # derived cell carrying a total stated by a source file
SAMPLE_ROLE = Qt.ItemDataRole.UserRole + 5

TYPE_HINTS = {
    "int": "非负整数",
    "signed_int": "整数（可为负数，表示减少）",
    "decimal": "非负数（万元保留2至4位小数为宜，多于4位照存并在审核中提示）",
}

StoreFn = Callable[[Mapping[str, CellState], str], bool]
ROLLED_MESSAGE = "本表为全市汇总（各单位数据之和），不能在此修改：请用左上角“单位”切换到该单位的报告修改"


def rolled_tables(report: Report | None) -> frozenset[str]:
    """Tables whose numbers are the sum of the units (the roll-up's `RolledUpReport.rollup.rolled_tables`)."""
    info = getattr(report, "rollup", None)
    return frozenset(getattr(info, "rolled_tables", None) or ())


def rollup_units(report: Report | None) -> tuple[Report, ...]:
    info = getattr(report, "rollup", None)
    return tuple(getattr(info, "units", None) or ())


@dataclass
class PastePlan:
    """What a pasted block would store: values per cell, or the reasons it is refused."""

    values: dict[str, CellValue] = field(default_factory=dict)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # grid row, col, message
    skipped_derived: list[tuple[str, CellValue]] = field(default_factory=list)  # pasted totals not stored
    ignored: int = 0  # non-blank pieces that fell outside the table (the paste is refused)


class GridTableModel(QAbstractTableModel):
    """The official grid of one table of the current report."""

    input_refused = Signal(int, int, str)  # grid row, col, Chinese reason
    grid_rebuilt = Signal()  # another format: spans and sizes must be applied again

    def __init__(self, ctx: AppContext | None, table_id: str, format_id: str = "gov-2021", parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.table_id = table_id
        self.format_id = format_id
        self.grid: Grid = table_grid(format_id, table_id)
        self._anchors = _anchor_map(self.grid)
        self._positions = _position_map(self.grid)
        self.report: Report | None = None
        self.readonly = False
        self._issues: dict[str, list[Issue]] | None = None
        self._sources: dict[str, tuple[str, str, bool]] | None = None
        # cell id → (shown text, outline severity, stated total): what the view draws, to repaint only changes
        self._shown: dict[str, tuple[str, str | None, bool]] = {}
        self.rolled = False  # this table of this report is the units' sum: shown, not typed
        self.store: StoreFn = self._store_through_context
        if ctx is not None:
            ctx.report_changed.connect(self._on_report_changed)
            ctx.report_switched.connect(self._on_report_switched)
            self.refresh()

    # ------------------------------------------------------------------------------ state

    @property
    def fmt(self) -> FormatDef:
        return get_format(self.format_id)

    def _on_report_changed(self, _report_id: int) -> None:
        # Any report: an edit of a unit or of last year's report changes this report's check outlines too.
        self.refresh()

    def _on_report_switched(self, _report_id: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Take the current report from the context (values, issues and sources are read lazily)."""
        report = self.ctx.report() if self.ctx is not None else None
        self.set_report(report, readonly=bool(self.ctx and self.ctx.readonly))

    def set_report(self, report: Report | None, readonly: bool = False) -> None:
        """Show a report. Same format and report: only the cells whose value, outline or stated mark changed
        are announced (one keystroke repaints a handful of cells, not the grid)."""
        same_report = report is not None and self.report is not None and report.id == self.report.id
        self._issues = None
        self._sources = None
        format_id = report.format_id if report is not None else self.format_id
        if format_id != self.format_id or (report is None) != (self.report is None):
            self.beginResetModel()
            self.readonly = readonly
            self.format_id = format_id
            self.grid = table_grid(format_id, self.table_id)
            self._anchors = _anchor_map(self.grid)
            self._positions = _position_map(self.grid)
            self.report = report
            self.rolled = self.table_id in rolled_tables(report)
            self._shown = self._shown_state()
            self.endResetModel()
            self.grid_rebuilt.emit()
            return
        self.report = report
        rolled = self.table_id in rolled_tables(report)
        new_shown = self._shown_state()
        if same_report and readonly == self.readonly and rolled == self.rolled:
            changed = [cid for cid, state in new_shown.items() if self._shown.get(cid) != state]
        else:
            changed = list(new_shown)
        self.readonly = readonly
        self.rolled = rolled
        self._shown = new_shown
        if len(changed) > 40:
            self.dataChanged.emit(self.index(0, 0), self.index(self.grid.n_rows - 1, self.grid.n_cols - 1))
            return
        for cid in changed:
            row, col = self._positions[cid]
            index = self.index(row, col)
            self.dataChanged.emit(index, index)

    def _shown_state(self) -> dict[str, tuple[str, str | None, bool]]:
        if self.report is None:
            return {}
        values = self.report.values
        out = {}
        for cell in self.grid.cells:
            cid = cell.cell_id
            if cid is not None:
                out[cid] = (format_number(values.get(cid)), self._severity(cid), values.is_stated(cid))
        return out

    def outlines(self) -> list[tuple[int, int, str | None, bool]]:
        """(row, col, severity, stated) of the cells drawn with an outline."""
        out = []
        for cid, (_text, severity, stated) in self._shown.items():
            if severity or stated:
                row, col = self._positions[cid]
                out.append((row, col, severity, stated))
        return out

    def issues_by_cell(self) -> dict[str, list[Issue]]:
        if self._issues is None:
            self._issues = self.ctx.issues_by_cell() if self.ctx is not None and self.report else {}
        return self._issues

    def sources(self) -> dict[str, tuple[str, str, bool]]:
        if self._sources is None:
            rid = self.report.id if self.report is not None else None
            self._sources = self.ctx.repo.cell_sources(rid) if self.ctx is not None and rid else {}
        return self._sources

    def is_sample_table(self) -> bool:
        return self.report is not None and self.table_id in self.report.sample_tables

    # ------------------------------------------------------------------------------ geometry

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self.grid.n_rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid.n_cols

    def spans(self) -> list[GridCell]:
        return self.grid.merges()

    def anchor(self, index: Index) -> GridCell | None:
        """The grid cell whose (merged) area starts at this index; None for covered positions."""
        if not index.isValid():
            return None
        return self._anchors.get((index.row(), index.column()))

    def index_of(self, cell_id: str) -> QModelIndex:
        position = self._positions.get(cell_id)
        return QModelIndex() if position is None else self.index(*position)

    def position_of(self, cell_id: str) -> tuple[int, int]:
        return self._positions[cell_id]

    def input_positions(self) -> list[tuple[int, int]]:
        """Anchors of typed cells, in reading order (Tab order)."""
        return sorted((c.row, c.col) for c in self.grid.cells if c.kind == "input")

    # ------------------------------------------------------------------------------ data

    def flags(self, index: Index) -> Qt.ItemFlag:
        cell = self.anchor(index)
        if cell is None or cell.cell_id is None:
            # Labels and headers take no focus: arrow keys and Tab go from number to number.
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if cell.kind == "input" and not self.readonly and not self.rolled and self.report is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        cell = self.anchor(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if cell.cell_id is not None and cell.cell_id in self._shown:
                return self._shown[cell.cell_id][0]
            return self._display(cell)
        if role == Qt.ItemDataRole.EditRole:
            if cell.cell_id is None:
                return cell.text
            return self._stored_text(cell.cell_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if cell.cell_id is not None:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if cell.kind == "label":
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self._background(cell))
        if role == Qt.ItemDataRole.ForegroundRole:
            if cell.kind == "derived":
                return QBrush(style.DERIVED_FG)
            return QBrush(style.LABEL_FG)
        if role == Qt.ItemDataRole.FontRole:
            if cell.kind in ("header", "caption", "corner") or cell.kind == "derived":
                font = QFont()
                font.setBold(cell.kind != "corner")
                return font
            return None
        if role == CELL_ID_ROLE:
            return cell.cell_id
        if role == KIND_ROLE:
            return cell.kind
        if role == SEVERITY_ROLE:
            return self._severity(cell.cell_id) if cell.cell_id else None
        if role == STATED_ROLE:
            return bool(
                cell.cell_id and self.report is not None and self.report.values.is_stated(cell.cell_id)
            )
        if role == SAMPLE_ROLE:
            return bool(cell.cell_id and self._is_sample(cell.cell_id))
        return None

    def _display(self, cell: GridCell) -> str:
        if cell.cell_id is None:
            return cell.text
        if self.report is None:
            return ""
        return format_number(self.report.values.get(cell.cell_id))

    def _stored_text(self, cell_id: str) -> str:
        if self.report is None:
            return ""
        return format_number(self.report.cells.get(cell_id))

    def _background(self, cell: GridCell):  # noqa: ANN202 - QColor
        if cell.kind == "caption":
            return style.CAPTION_BG
        if cell.kind in ("header", "corner"):
            return style.HEADER_BG
        if cell.kind == "label":
            return style.HEADER_BG.lighter(104)
        if cell.kind == "derived":
            return style.DERIVED_BG
        if cell.cell_id and self._is_sample(cell.cell_id):
            return style.SAMPLE_BG
        if self.rolled:
            return style.DERIVED_BG  # a sum of the units: read-only like a total
        return style.INPUT_BG

    def _is_sample(self, cell_id: str) -> bool:
        if self.rolled:
            return self.is_sample_table()  # the sum of units whose numbers are 示例数据
        source = self.sources().get(cell_id)
        return bool(source and source[2])

    def _severity(self, cell_id: str) -> str | None:
        issues = self.issues_by_cell().get(cell_id)
        if not issues:
            return None
        sevs = {("explained" if i.explained else i.severity) for i in issues}
        for s in ("error", "warning", "explained", "info"):
            if s in sevs:
                return s
        return None

    def _tooltip(self, cell: GridCell) -> str:
        if cell.cell_id is None:
            return cell.text if cell.kind == "corner" else ""
        cdef = self.fmt.cells[cell.cell_id]
        lines = [cdef.label]
        unit = "万元" if cdef.type == "decimal" else cdef.unit
        if cell.kind == "derived":
            lines.append(f"自动计算（{len(cdef.parts)}项之和），只读")
        elif self.rolled:
            lines.append("全市汇总（各单位之和），只读")
        else:
            lines.append(f"{TYPE_HINTS.get(cdef.type, '数字')}，单位：{unit}；空白不等于0")
        report = self.report
        if self.rolled:
            return "\n".join(lines + self.share_lines(cell.cell_id) + self._issue_lines(cell.cell_id))
        if report is not None and report.values.is_stated(cell.cell_id):
            stated = report.values.stated(cell.cell_id)
            lines.append(
                f"来源文件填写的总计为 {format_number(stated, '空白')}，与计算值 "
                f"{format_number(report.values.get(cell.cell_id), '空白')} 不一致；按 Delete 清除来源总计"
            )
        source = self.sources().get(cell.cell_id)
        if source is not None:
            origin = "手工填写" if source[0] == "typed" else source[0]
            lines.append(f"来源：{origin}（{source[1][:16].replace('T', ' ')}）")
            if source[2]:
                lines.append("示例数据：不是真实数据")
        return "\n".join(lines + self._issue_lines(cell.cell_id))

    def share_lines(self, cell_id: str, limit: int = 12) -> list[str]:
        """Each unit's contribution to a cell of a rolled-up table (largest first, blank and 0 left out)."""
        parts = [(u.unit, u.values.get(cell_id)) for u in rollup_units(self.report)]
        shown = sorted(((name, v) for name, v in parts if v), key=lambda p: -p[1])  # type: ignore[operator]
        lines = [f"　{name}：{format_number(value)}" for name, value in shown[:limit]]
        if len(shown) > limit:
            lines.append(f"　……另有 {len(shown) - limit} 个单位")
        if parts and not shown:
            lines.append(f"　{len(parts)} 个单位均为空白或0")
        return lines

    def _issue_lines(self, cell_id: str) -> list[str]:
        out = []
        for issue in self.issues_by_cell().get(cell_id, ()):
            mark = "（已说明）" if issue.explained else ""
            out.append(
                f"[{SEVERITY_LABELS.get(issue.severity, issue.severity)}] {issue.rule}：{issue.message}{mark}"
            )
        return out

    # ------------------------------------------------------------------------------ edits

    def validate(self, index: Index, text: str) -> str | None:
        """The Chinese reason `text` is refused for this cell, or None when it is acceptable."""
        cell = self.anchor(index)
        if cell is None or cell.cell_id is None:
            return "这里不是填数的单元格"
        if cell.kind != "input":
            return "总计为自动计算，不能填写"
        if self.rolled:
            return ROLLED_MESSAGE
        try:
            parse_cell_value(text, self.fmt.cells[cell.cell_id].type)
        except CellInputError as exc:
            return str(exc)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.report is None or self.readonly or self.rolled:
            return False
        cell = self.anchor(index)
        if cell is None or cell.kind != "input" or cell.cell_id is None:
            return False
        cdef = self.fmt.cells[cell.cell_id]
        try:
            parsed = parse_cell_value(value if isinstance(value, str) else format_number(value), cdef.type)  # type: ignore[arg-type]
        except CellInputError as exc:
            self.input_refused.emit(cell.row, cell.col, f"{_short_label(cdef.label)}：{exc}，未保存")
            return False
        return self.store({cell.cell_id: parsed}, f"填写 {_short_label(cdef.label)}")

    def clear(self, indexes: list[Index]) -> bool:
        """Delete: inputs become blank (not 0); a stated total goes back to the computed one."""
        if self.report is None or self.readonly:
            return False
        if self.rolled:
            first = next((self.anchor(i) for i in indexes if self.anchor(i) is not None), None)
            if first is not None:
                self.input_refused.emit(first.row, first.col, ROLLED_MESSAGE)
            return False
        after: dict[str, CellState] = {}
        for index in indexes:
            cell = self.anchor(index)
            if cell is None or cell.cell_id is None:
                continue
            if cell.kind == "input":
                after[cell.cell_id] = None
            elif self.report.values.is_stated(cell.cell_id):
                after[cell.cell_id] = ABSENT
        if not after:
            return False
        return self.store(
            after,
            "清空单元格"
            if len(after) > 1
            else f"清空 {_short_label(self.fmt.cells[next(iter(after))].label)}",
        )

    def plan_paste(self, row: int, col: int, text: str) -> PastePlan:
        """Map a tab-separated block (Excel/WPS) onto the grid from (row, col); parse every value."""
        plan = PastePlan()
        if self.rolled:
            plan.errors.append((row, col, ROLLED_MESSAGE))
            return plan
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # Excel ends the block with a line break
        fmt = self.fmt
        for i, line in enumerate(lines):
            for j, piece in enumerate(line.split("\t")):
                r, c = row + i, col + j
                piece = piece.strip().strip('"')
                if r >= self.grid.n_rows or c >= self.grid.n_cols:
                    if piece:
                        plan.ignored += 1
                    continue
                cell = self.grid.anchor_at(r, c)
                if cell is None:
                    continue
                if (cell.row, cell.col) != (r, c):
                    # A merged area: Excel sends blanks for its covered columns. A figure here comes from a
                    # sheet laid out otherwise; dropping it would store the rest of the block without it.
                    if piece and piece != cell.text:
                        plan.errors.append(
                            (r, c, f"“{piece}”落在合并单元格内，与本表的栏目没有对齐，请按本表的栏目粘贴")
                        )
                    continue
                if cell.cell_id is None:
                    if piece and piece != cell.text:
                        plan.errors.append(
                            (r, c, f"“{piece}”落在标签“{cell.text[:12]}”上，请从数字单元格开始粘贴")
                        )
                    continue
                cdef = fmt.cells[cell.cell_id]
                try:
                    value = parse_cell_value(piece, cdef.type)
                except CellInputError as exc:
                    plan.errors.append((r, c, f"{_short_label(cdef.label)}：{with_value(piece, exc)}"))
                    continue
                if cell.kind == "derived":
                    plan.skipped_derived.append((cell.cell_id, value))
                else:
                    plan.values[cell.cell_id] = value
        if plan.ignored:
            # Numbers past the edge mean the block was started at the wrong cell: storing the rest would put
            # every figure in a neighbour's place.
            plan.errors.insert(
                0,
                (row, col, f"粘贴区域超出表格边缘（{plan.ignored} 个数字落在表格之外），请检查起始单元格"),
            )
        return plan

    def apply_paste(self, plan: PastePlan) -> bool:
        if plan.errors or not plan.values or self.report is None or self.readonly:
            return False
        return self.store(dict(plan.values), f"粘贴 {len(plan.values)} 个单元格")

    def _store_through_context(self, after: Mapping[str, CellState], text: str) -> bool:
        if self.ctx is None or self.report is None or self.report.id is None:
            return False
        return store_cells(self.ctx, self.report.id, after, text)


def _anchor_map(grid: Grid) -> dict[tuple[int, int], GridCell]:
    return {(c.row, c.col): c for c in grid.cells}


def _position_map(grid: Grid) -> dict[str, tuple[int, int]]:
    return {c.cell_id: (c.row, c.col) for c in grid.cells if c.cell_id is not None}


def _short_label(label: str) -> str:
    """ "表三 （三）不予公开 4.保护第三方合法权益 / 自然人" stays whole; only very long labels are cut."""
    return label if len(label) <= 60 else label[:58] + "…"
