"""雷同比对 panel: the pairs of units whose same part (一、五、六) is alike, the clusters they form, and the selected
pair's passages side by side — shared sentences plain, changed ones with the differing characters marked."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ruian_desk.domain.peers import (
    PART_LABELS,
    PEER_WARN,
    CopyMap,
    PeerPair,
    char_marks,
    percent,
    side_by_side,
)

if TYPE_CHECKING:
    from ruian_desk.gui.units.page import UnitsPage

MARK = "background:#FFD7D7"
SHARED = "background:#FFF2CC"


def pair_html(pair: PeerPair, a_text: str, b_text: str) -> str:
    """Both texts aligned sentence by sentence in a two-column table: sentences both have are tinted as shared,
    changed ones show the differing characters marked, sentences only one has stand alone."""
    rows = [
        f"<tr><th width='50%'>{escape(pair.a)}</th><th width='50%'>{escape(pair.b)}</th></tr>",
    ]
    for seg in side_by_side(a_text, b_text):
        if seg.op == "equal":
            left = right = f"<span style='{SHARED}'>{escape(seg.a)}</span>"
            right = f"<span style='{SHARED}'>{escape(seg.b)}</span>"
        elif seg.op == "replace":
            la, rb = char_marks(seg.a, seg.b)
            left = "".join(f"<span style='{MARK}'>{escape(t)}</span>" if d else escape(t) for t, d in la)
            right = "".join(f"<span style='{MARK}'>{escape(t)}</span>" if d else escape(t) for t, d in rb)
        else:
            left, right = escape(seg.a), escape(seg.b)
        rows.append(f"<tr><td valign='top'>{left}</td><td valign='top'>{right}</td></tr>")
    head = (
        f"<p><b>{escape(PART_LABELS[pair.part])}</b>：相似度 {pair.percent}%（除去固定语句和单位名称后的三字片段）。"
        f"<span style='{SHARED}'>底色</span>为两者相同的句子，<span style='{MARK}'>红底</span>为不同的文字。</p>"
    )
    return (
        head + "<table border='1' cellspacing='0' cellpadding='4' width='100%'>" + "".join(rows) + "</table>"
    )


class CopyMapPanel(QWidget):
    def __init__(self, page: UnitsPage):
        super().__init__()
        self.page = page
        self.result = CopyMap()
        v = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        self.pairs = QTableWidget(0, 4)
        self.pairs.setHorizontalHeaderLabels(
            [self.tr("部分"), self.tr("单位甲"), self.tr("单位乙"), self.tr("相似度")]
        )
        self.pairs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pairs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pairs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pairs.verticalHeader().setVisible(False)
        self.pairs.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.pairs.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pairs.itemSelectionChanged.connect(self._show_pair)
        top.addWidget(self.pairs)
        self.clusters = QListWidget()
        top.addWidget(self.clusters)
        top.setSizes([700, 300])
        split.addWidget(top)
        self.detail = QTextBrowser()
        split.addWidget(self.detail)
        split.setSizes([260, 400])
        v.addWidget(split, 1)

    def refresh(self) -> None:
        from ruian_desk.domain.peers import cached_copy_map

        self.result = cached_copy_map(self.page.rollup_units())
        pairs = self.result.pairs
        self.pairs.setRowCount(len(pairs))
        for r, p in enumerate(pairs):
            for c, text in enumerate((PART_LABELS[p.part], p.a, p.b, f"{p.percent}%")):
                self.pairs.setItem(r, c, QTableWidgetItem(text))
        self.clusters.clear()
        for cl in self.result.clusters:
            self.clusters.addItem(
                f"{PART_LABELS[cl.part][:2]}（最高 {percent(cl.score)}%）：{'、'.join(cl.units)}"
            )
        n = len(self.page.rollup_units())
        self.summary.setText(
            self.tr(
                "比较 {n} 个参与汇总单位的一、五、六（除去编制依据、统计期限、联系方式等固定语句和单位名称，少于 80 字的部分不比）："
                "相似度达到 {t}% 的有 {p} 对，{c} 组。"
            ).format(n=n, t=percent(PEER_WARN), p=len(pairs), c=len(self.result.clusters))
        )
        if pairs:
            self.pairs.selectRow(0)
        else:
            self.detail.setHtml(f"<p>{self.tr('没有发现单位之间雷同的部分。')}</p>")

    def _show_pair(self) -> None:
        rows = self.pairs.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.result.pairs):
            return
        pair = self.result.pairs[rows[0].row()]
        a = self.result.texts.get((pair.a, pair.part), "")
        b = self.result.texts.get((pair.b, pair.part), "")
        self.detail.setHtml(pair_html(pair, a, b))
