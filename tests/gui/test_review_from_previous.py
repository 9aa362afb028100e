"""Review scenario 2: 以上年报告为基础新建 from the sample's 2019 report (rolled up from its units) to 2020
(same format) and on to 2021 (format change): what is carried, the text drafts, and 2019 left untouched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.review_support import report_rows

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")

MAIN = "瑞安市人民政府"


def _accept_from_previous(year: int, seen: list[str]) -> None:
    """Inside the dialog's exec(): check what it proposes, set the year, press 新建."""
    from ruian_desk.gui.dialogs.new_report import NewReportDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, NewReportDialog):
        QTimer.singleShot(20, lambda: _accept_from_previous(year, seen))
        return
    ui = dialog.ui
    ui.yearSpin.setValue(year)
    seen.extend([ui.unitCombo.currentText(), ui.formatLabel.text(), ui.previousInfo.text()])
    seen.append(str(ui.fromPreviousCheck.isChecked() and ui.fromPreviousCheck.isEnabled()))
    ui.buttonBox.button(ui.buttonBox.StandardButton.Ok).click()


def test_from_previous_2019_to_2020_and_2021(sample_window, qtbot, sample_path) -> None:  # noqa: ANN001
    w = sample_window
    repo = w.ctx.repo
    rid19 = repo.find_report(MAIN, 2019)
    r19 = w.ctx.report()
    assert r19.id == rid19
    before = report_rows(sample_path, rid19)
    unit_ids = [repo.find_report(u.name, 2019) for u in repo.units() if u.name != MAIN]
    units_before = {u: report_rows(sample_path, u) for u in unit_ids}

    # A unit corrects its 结转下年度 after the county's cells were summed: the county's 2019 figure as
    # published (the roll-up) is what 2020 must carry, not a stale stored one.
    unit = "瑞安市公安局（示例单位）"
    urid = repo.find_report(unit, 2019)
    old = repo.load_report(urid).values.get("t3.carry_out.np")
    repo.set_cell(urid, "t3.carry_out.np", (old or 0) + 5)
    w.ctx.notify_changed(urid)
    units_before[urid] = report_rows(sample_path, urid)
    r19 = w.ctx.report()
    published = {c: r19.values.get(f"t3.carry_out.{c}") for c in ("np", "ce", "ri", "spo", "lso", "oth")}

    w._show_start()  # noqa: SLF001 - the 开始页 menu action
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _accept_from_previous(2020, seen))
    w.start_page.ui.fromPreviousButton.click()
    assert seen[0] == MAIN and "gov-2019" in seen[1] and "2019年“结转下年度”" in seen[2] and seen[3] == "True"
    r20 = w.ctx.report()
    assert (r20.unit, r20.year, r20.format_id) == (MAIN, 2020, "gov-2019")
    # 2020's county 表三 is again summed from its units (scope inherited): each unit carries its own 上年结转;
    # the county's own cells take none (a hidden own figure would only trip X-AGG against the units' sums).
    assert not [k for k in r20.cells if k.startswith("t3.carry_in.")]
    assert published["np"] == (old or 0) + 5 + sum(
        repo.load_report(u).values.number("t3.carry_out.np") for u in unit_ids if u != urid
    )
    assert r20.title == f"{MAIN}2020年政府信息公开工作年度报告"
    assert "2019年" not in r20.intro.split("。")[0] or "2020年" in r20.intro
    assert r20.part("p1") == r19.part("p1") and r20.part("p5") == r19.part("p5")
    assert all(m.value is None for m in r20.metrics) and len(r20.metrics) == len(r19.metrics)
    assert w.status_year.text() == "2020年度" and w.ui.yearCombo.currentText() == "2020年"

    # On to 2021: the 2021 format; 上年结转 from 2020's 结转下年度 as the clerk has now typed it.
    page = w.show_node("p3")
    assert page.model.report.year == 2020
    repo.set_setting(r20.id, "scope.t3", "own")  # the clerk types 2020's 表三 directly (改为本级直接填写)
    repo.set_cell(r20.id, "t3.carry_out.np", 3)
    w.ctx.notify_changed(r20.id)
    w._show_start()  # noqa: SLF001
    seen.clear()
    QTimer.singleShot(0, lambda: _accept_from_previous(2021, seen))
    w.start_page.ui.fromPreviousButton.click()
    assert "gov-2021" in seen[1] and seen[3] == "True"
    r21 = w.ctx.report()
    assert (r21.year, r21.format_id) == (2021, "gov-2021")
    assert r21.cells.get("t3.carry_in.np") == 3
    assert r21.part("p1") == r19.part("p1")
    page = w.show_node("p3")
    assert page.model.format_id == "gov-2021" and page.model.rowCount() == 28
    assert page.model.data(page.model.index_of("t3.carry_in.np")) == "3"

    # Nothing of 2019 was modified: the main report and every unit's, row by row.
    assert report_rows(sample_path, rid19) == before
    for u, rows in units_before.items():
        assert report_rows(sample_path, u) == rows
