"""Pages other parts of the app provide (单位, 汇总图表, 导出, 备份与恢复), imported when first shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ruian_desk.gui import style

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext


# A page's class: built with the app context and the parent widget.
PageClass = Callable[["AppContext", QWidget | None], QWidget]


class HostedPage:
    """A page another part of the app provides: its navigation key and title, and the function that imports
    its class (a plain import, when the page is first shown). Every page ships with the app: a page that
    cannot be imported is an error, never a page quietly left out.
    (A plain class: a dataclass costs a good part of a millisecond to build, on the start-up path.)"""

    __slots__ = ("about", "key", "load", "title")

    def __init__(self, key: str, title: str, load: Callable[[], PageClass], about: str):
        self.key = key
        self.title = title
        self.load = load
        self.about = about


def _units_page() -> PageClass:
    from ruian_desk.gui.units.page import UnitsPage

    return UnitsPage


def _chart_panel() -> PageClass:
    from ruian_desk.gui.chart_panel import ChartPanel

    return ChartPanel


def _export_page() -> PageClass:
    from ruian_desk.gui.export_page import ExportPage

    return ExportPage


def _backup_page() -> PageClass:
    from ruian_desk.gui.backup_page import BackupPage

    return BackupPage


HOSTED_PAGES: dict[str, HostedPage] = {
    p.key: p
    for p in (
        HostedPage("units", "单位", _units_page, "填报单位、报送状态与全市汇总"),
        HostedPage("charts", "汇总图表", _chart_panel, "服务比率、申请与办理结果等图表"),
        HostedPage("export", "导出", _export_page, "导出 Word、PDF、Excel、HTML"),
        HostedPage("backup", "备份与恢复", _backup_page, "自动备份的列表与恢复"),
    )
}


def create_hosted_page(key: str, ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    """The page itself; a page whose construction fails says why (never a crash of the window). An import
    error is not caught: a build missing a page's module must fail loudly."""
    import traceback

    spec = HOSTED_PAGES[key]
    cls = spec.load()
    try:
        page = cls(ctx, parent)
    except Exception as exc:  # noqa: BLE001 - one broken page must not take the window down
        return PlaceholderPage(spec.title, f"该功能加载失败：{exc}", parent, detail=traceback.format_exc())
    return page


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None, detail: str = ""):
        super().__init__(parent)
        heading = style.page_title(title, self)
        self.message = QLabel(text, self)
        self.message.setObjectName("placeholderMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 12pt; color: #5f6368; padding: 24px 0;")
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        if detail:
            d = QLabel(detail, self)
            d.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            d.setStyleSheet("color: #80868b; font-family: monospace; font-size: 8pt;")
            layout.addWidget(d)
        layout.addStretch(1)
