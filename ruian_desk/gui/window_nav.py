"""The navigation tree of the main window: the report's parts (part 一's sub-headings follow its text), the
pages of the app, and a mark on every node with open findings."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.issues import Issue
from ruian_desk.domain.narrative import paragraphs
from ruian_desk.domain.report import format_number
from ruian_desk.gui.page import TextPage
from ruian_desk.gui.pages import HOSTED_PAGES

if TYPE_CHECKING:
    from ruian_desk.gui.main_window import MainWindow

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_PAGES = {"p1", "p5", "p6"}
TABLE_PAGES = {"p2": "t2", "p3": "t3", "p4": "t4"}
FIELD_PAGES = {"title": "title", "intro": "title", "sig_organ": "signature", "sig_date": "signature"}
SHORTCUT_NODES = ("title", "p1", "p2", "p3", "p4", "p5", "p6", "signature", "metrics")


def build_nav(w: MainWindow) -> None:
    tree = w.ui.navTree
    tree.blockSignals(True)
    tree.clear()
    report = w.ctx.report() if w.ctx else None
    if report is not None:
        fmt = report.fmt

        def add(
            key: str, label: str, parent: QTreeWidgetItem | None = None, tip: str = ""
        ) -> QTreeWidgetItem:
            item = QTreeWidgetItem([label])
            item.setData(0, KEY_ROLE, key)
            item.setToolTip(0, f"{label}（{tip}）" if tip else label)
            if parent is None:
                tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            return item

        add("title", w.tr("标题与引言"))
        for part in fmt.parts:
            tip = fmt.tables[part.table].name if part.table else ""
            item = add(part.key, part.title, tip=tip)
            if part.key == "p1":
                add_p1_children(w, item, report.part("p1"))
                item.setExpanded(True)
        add("signature", w.tr("落款"))
        sep = add("", "")
        sep.setFlags(Qt.ItemFlag.NoItemFlags)
        for key in ("units", "metrics", "charts", "checks", "export", "backup"):
            label = (
                HOSTED_PAGES[key].title if key in HOSTED_PAGES else {"metrics": "指标", "checks": "审核"}[key]
            )
            add(key, label)
    tree.blockSignals(False)
    w._p1_text = report.part("p1") if report is not None else ""
    w._marks = None


def add_p1_children(w: MainWindow, item: QTreeWidgetItem, text: str) -> None:
    for p in paragraphs(text):
        if p.kind == "heading":
            child = QTreeWidgetItem([f"{p.number}{p.heading}"])
            child.setData(0, KEY_ROLE, f"p1@{p.index}")
            child.setToolTip(0, f"{p.number}{p.heading}")
            item.addChild(child)


def p1_item(w: MainWindow) -> QTreeWidgetItem | None:
    tree = w.ui.navTree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, KEY_ROLE) == "p1":
            return item
    return None


def refresh_nav_marks(w: MainWindow) -> None:
    """Sub-headings of part 一 follow its text; nodes with unresolved issues get a mark."""
    if w.ctx is None:
        return
    report = w.ctx.report()
    if report is None:
        return
    p1 = p1_item(w)
    if p1 is not None and report.part("p1") != w._p1_text:
        w._p1_text = report.part("p1")
        wanted = [
            (f"p1@{p.index}", f"{p.number}{p.heading}")
            for p in paragraphs(report.part("p1"))
            if p.kind == "heading"
        ]
        children = [c for c in (p1.child(i) for i in range(p1.childCount())) if c is not None]
        have = [(c.data(0, KEY_ROLE), c.text(0)) for c in children]
        if wanted != have:
            tree = w.ui.navTree
            tree.blockSignals(True)
            current = w.current_node()
            p1.takeChildren()
            add_p1_children(w, p1, report.part("p1"))
            if current and current.startswith("p1@"):
                w._select_item(current if current in dict(wanted) else "p1")
            tree.blockSignals(False)
    marks = issue_marks(report.fmt, w.ctx.issues())
    from ruian_desk.gui import style

    if marks == w._marks:
        return
    w._marks = marks
    for item in all_items(w):
        key = item.data(0, KEY_ROLE)
        sev = marks.get(key)
        item.setIcon(0, style.severity_icon(sev) if sev else style.blank_icon())


def all_items(w: MainWindow) -> list[QTreeWidgetItem]:
    out: list[QTreeWidgetItem] = []
    tree = w.ui.navTree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top is None:
            continue
        out.append(top)
        out.extend(c for c in (top.child(j) for j in range(top.childCount())) if c is not None)
    return out


def issue_marks(fmt: FormatDef, issues: list[Issue]) -> dict[str, str]:
    """Navigation key → the worst open severity of the issues that belong there."""
    rank = {"error": 0, "warning": 1, "info": 2}
    out: dict[str, str] = {}

    def put(key: str, severity: str) -> None:
        if key not in out or rank[severity] < rank[out[key]]:
            out[key] = severity

    for issue in issues:
        if issue.explained or issue.severity not in rank:
            continue
        key = _issue_node(fmt, issue)
        if key:
            put(key, issue.severity)
            put("checks", issue.severity)
    return out


def _issue_node(fmt: FormatDef, issue: Issue) -> str | None:
    for cid in issue.cells:
        table = cid.split(".")[0].split("_")[0]
        for key, t in TABLE_PAGES.items():
            if t == table:
                return key
    part = issue.part or ""
    if part in ("title", "intro"):
        return "title"
    if part in TEXT_PAGES:
        return part
    if part.startswith("sig"):
        return "signature"
    if part.startswith("metric"):
        return "metrics"
    return None


def goto_issue(w: MainWindow, issue: Issue) -> None:
    from ruian_desk.gui.editors.checks import issue_target

    if w.ctx is None:
        return
    report = w.ctx.report()
    if report is None:
        return
    if w.ui.pageStack.currentWidget() is w.check_panel:
        w._dock_checks()
    target = issue_target(report.fmt, issue)
    page = w.navigate(target)
    if not isinstance(page, TextPage) or target in ("title", "sig_organ", "sig_date"):
        return
    # A finding in the text: its line, then the phrase it quotes (the check engine's `paragraph` and
    # `anchor`), else the figure it complains about, so the clerk sees what the check means.
    line = getattr(issue, "paragraph", None)
    anchor = getattr(issue, "anchor", "") or ""
    if isinstance(line, int):
        page.goto_line(line)
    if anchor and page.select_text(anchor, line):
        return
    if isinstance(issue.actual, (int, Decimal)):
        page.select_text(format_number(issue.actual), line)


def next_issue(w: MainWindow) -> None:
    if w.ctx is None:
        return
    issues = [i for i in w.ctx.issues() if not i.explained]
    if not issues:
        w.ui.statusbar.showMessage(w.tr("没有待处理的问题"), 5000)
        return
    w._issue_cursor = (w._issue_cursor + 1) % len(issues)
    issue = issues[w._issue_cursor]
    goto_issue(w, issue)
    w.ui.statusbar.showMessage(f"[{issue.rule}] {issue.message}", 15000)
    if w.check_panel is not None:
        w.check_panel.select_issue(issue.fingerprint)
