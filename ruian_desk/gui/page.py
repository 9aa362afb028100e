"""What the main window asks of the pages it shows, as protocols (no hasattr): every page may say where the
keys go when it is shown; text, table, metric and field pages and the 单位 page each offer one more way
in, which the window's routing (`MainWindow.navigate`, `window_nav.goto_issue`) checks with isinstance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ruian_desk.domain.report import CellValue


@runtime_checkable
class Page(Protocol):
    def focus_target(self) -> QWidget:
        """The widget that takes the keyboard when the page is shown with Ctrl+1…9 or the picker."""
        ...


@runtime_checkable
class TextPage(Protocol):
    """A page of running text (引言, 一, 五, 六): a line, a phrase in it."""

    def goto_line(self, line: int) -> None: ...

    def select_text(self, needle: str, line: int | None = None) -> bool: ...


@runtime_checkable
class CellPage(Protocol):
    """A table (表二/三/四): one cell by id."""

    def select_cell(self, cell_id: str) -> bool: ...


@runtime_checkable
class MetricPage(Protocol):
    def select_metric(self, key: str) -> bool: ...


@runtime_checkable
class FieldPage(Protocol):
    """Single fields (标题, 引言, 落款单位, 成文日期) by their stored names."""

    def focus_field(self, name: str) -> bool: ...


@runtime_checkable
class DrilldownPage(Protocol):
    """The 单位 page: each unit's share of a rolled-up cell."""

    def refresh(self) -> None: ...

    def show_drilldown(self, cell_id: str) -> list[tuple[str, CellValue]]: ...
