"""#15 point 3 and 9: the 审核 list docked at 1366×768 shows at least eight findings beside the selected one's
detail; findings are named in Chinese (the rule code only in the tooltip)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter

from ruian_desk.domain.registry import RULES
from ruian_desk.domain.rule_titles import TITLES, finding_title

CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")  # T3-BALANCE, X-AGG, N-PUNCT …


def test_every_registered_rule_has_a_chinese_finding_title() -> None:
    missing = [spec.id for spec in RULES if spec.id not in TITLES]
    assert missing == []
    for rule_id in TITLES:
        title = finding_title(rule_id)
        assert title and not CODE.search(title) and re.search(r"[\u4e00-\u9fff]", title)
    assert finding_title("T3-ROWSUM") == "表三行合计不符"
    assert finding_title("NO-SUCH-RULE") == "审核问题"


def _many_findings(window) -> None:  # noqa: ANN001
    """Ten row-sum errors in 表三 (each row's 总计 stated by a file and wrong)."""
    ctx = window.ctx
    rid = ctx.report_id
    rows = ["new", "carry_in", "r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r3_6", "r3_7", "r4_1"]
    for row in rows:
        ctx.repo.set_cell(rid, f"t3.{row}.total", 9999, source="import-xlsx:x.xlsx")
    ctx.notify_changed(rid)


def test_docked_list_shows_eight_findings_and_the_selected_detail(window, qtbot) -> None:  # noqa: ANN001
    window.resize(1366, 768)
    QCoreApplication.processEvents()
    _many_findings(window)
    window.show_node("p3")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    QCoreApplication.processEvents()
    panel = window.check_panel
    assert panel is not None and window.checks_dock.isVisible()
    assert len(panel.model.rows) >= 8
    # List and detail side by side, the list at least eight rows high.
    splitter = panel.findChild(QSplitter, "issuesSplitter")
    assert splitter.orientation() == Qt.Orientation.Horizontal
    assert panel.view.visible_rows() >= 8
    assert window.checks_dock.height() < window.height() // 2 + 40  # the editor keeps the upper part

    # Keys move the selection; the detail follows it every time.
    panel.view.setFocus()
    panel.view.selectRow(0)
    for _ in range(5):
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
        QCoreApplication.processEvents()
        issue = panel.current_issue()
        assert issue is not None
        assert finding_title(issue.rule) in panel.detail.text()
        assert issue.message.replace("&", "&amp;").replace("<", "&lt;") in panel.detail.text()
    chosen = panel.current_issue()
    # A change to the report (every list is rebuilt): still the same finding selected and shown.
    window.ctx.notify_changed(window.ctx.report_id)
    QCoreApplication.processEvents()
    assert panel.current_issue() is not None
    assert panel.current_issue().fingerprint == chosen.fingerprint
    assert chosen.message.replace("&", "&amp;").replace("<", "&lt;") in panel.detail.text()


def test_no_rule_code_on_screen_only_in_the_tooltip(window, qtbot) -> None:  # noqa: ANN001
    _many_findings(window)
    panel = window.show_node("checks")
    model = panel.model
    assert model.rows
    for row in range(model.rowCount()):
        issue = model.rows[row]
        name = model.index(row, 1).data()
        assert name == finding_title(issue.rule)
        for col in range(model.columnCount()):
            text = str(model.index(row, col).data() or "")
            assert issue.rule not in text
        assert issue.rule in model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "规则" not in headers
    panel.view.selectRow(0)
    assert model.rows[0].rule not in panel.detail.text()
