"""发布与考核 tab of the 单位 page: 发布核验, 发布情况, 雷同比对 and 考核评分, one sub-tab each. The tracker and the
copy map follow the page's refresh (both cheap: stored rows, cached pieces); the scores are computed when asked
or when their sub-tab is opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ruian_desk.gui.units.copy_map_panel import CopyMapPanel
from ruian_desk.gui.units.publication_panel import PublicationPanel
from ruian_desk.gui.units.scores_panel import ScoresPanel
from ruian_desk.gui.units.verification import VerificationPanel

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage


class ReviewTab(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.verification = VerificationPanel(page)
        self.publication = PublicationPanel(page)
        self.copy_map = CopyMapPanel(page)
        self.scores = ScoresPanel(page)
        self.tabs.addTab(self.verification, self.tr("发布核验"))
        self.tabs.addTab(self.publication, self.tr("发布情况"))
        self.tabs.addTab(self.copy_map, self.tr("雷同比对"))
        self.tabs.addTab(self.scores, self.tr("考核评分"))
        v.addWidget(self.tabs)
        self.verification.verified.connect(lambda _r: self.publication.refresh())
        self.tabs.currentChanged.connect(self._on_tab)
        self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Follow the page's refresh while shown; while hidden only remember to (the 单位 page's own tab is the
        one shown most, and its refresh must stay cheap)."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        self.publication.refresh()
        self.copy_map.refresh()
        if self.tabs.currentWidget() is self.scores and self.scores.evaluation is not None:
            self.scores.recompute()

    def _on_tab(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.scores and self.scores.evaluation is None:
            self.scores.recompute()
