"""Pages other parts of the app provide (单位, 汇总图表, 导出, 备份与恢复), imported when first shown."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ruian_desk.gui import style

if TYPE_CHECKING:
    from ruian_desk.gui.context import AppContext


class HostedPage:
    """A page another part of the app provides: its navigation key and title, and where its class lives.
    (A plain class: a dataclass costs a good part of a millisecond to build, on the start-up path.)"""

    __slots__ = ("about", "cls", "key", "module", "title")

    def __init__(self, key: str, title: str, module: str, cls: str, about: str):
        self.key = key
        self.title = title
        self.module = module
        self.cls = cls
        self.about = about


HOSTED_PAGES: dict[str, HostedPage] = {
    p.key: p
    for p in (
        HostedPage("units", "单位", "ruian_desk.gui.units.page", "UnitsPage", "填报单位、报送状态与全市汇总"),
        HostedPage(
            "charts", "汇总图表", "ruian_desk.gui.chart_panel", "ChartPanel", "服务比率、申请与办理结果等图表"
        ),
        HostedPage(
            "export", "导出", "ruian_desk.gui.export_page", "ExportPage", "导出 Word、PDF、Excel、HTML"
        ),
        HostedPage(
            "backup", "备份与恢复", "ruian_desk.gui.backup_page", "BackupPage", "自动备份的列表与恢复"
        ),
    )
}


def page_available(key: str) -> bool:
    spec = HOSTED_PAGES[key]
    return importlib.util.find_spec(spec.module) is not None


def create_hosted_page(key: str, ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    """The page itself, or a page that says clearly why it is not there (never a crash of the window)."""
    import traceback

    spec = HOSTED_PAGES[key]
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.module:
            return PlaceholderPage(spec.title, f"该功能尚未安装（{spec.about}）。", parent)
        return PlaceholderPage(
            spec.title, f"该功能加载失败：缺少组件 {exc.name}", parent, detail=traceback.format_exc()
        )
    try:
        page = getattr(module, spec.cls)(ctx, parent)
    except Exception as exc:  # noqa: BLE001 - one broken page must not take the window down
        return PlaceholderPage(spec.title, f"该功能加载失败：{exc}", parent, detail=traceback.format_exc())
    assert isinstance(page, QWidget)
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
