"""Reports in the main window: the unit/year picker, 新建 (empty or from last year's report), 导入报告."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ruian_desk.paths import default_workspace_path

if TYPE_CHECKING:
    from ruian_desk.gui.main_window import MainWindow


def new_report(w: MainWindow, from_previous: bool = False) -> int | None:
    from ruian_desk.gui.dialogs.new_report import NewReportDialog

    if w.ws is None and not w.open_path(default_workspace_path(), create=True):
        return None
    assert w.ws is not None and w.ctx is not None
    if w.ws.readonly:
        w._warn(w.tr("只读"), w.tr("工作区以只读方式打开，不能新建报告。"))
        return None
    current = w.ctx.report()
    dialog = NewReportDialog(w.ws.repo, from_previous, current.unit if current else None, w)
    if dialog.exec() != NewReportDialog.DialogCode.Accepted:
        return None
    c = dialog.choice()
    return create_report(w, c.unit, c.role, c.year, c.main_organ, c.from_previous)


def create_report(
    w: MainWindow, unit: str, role: str, year: int, main_organ: bool, from_previous: bool
) -> int | None:
    """Create (or open, if it exists) the report of (unit, year) and show it."""
    from ruian_desk.services.reports import create_report as create

    assert w.ws is not None and w.ctx is not None
    try:
        created = create(
            w.ws.repo, unit, role, year, main_organ=main_organ, from_previous=from_previous
        )
    except Exception as exc:  # noqa: BLE001 - told to the clerk; nothing was written
        w._warn(w.tr("报告未创建"), str(exc))
        return None
    if created.existed:
        w.ctx.switch_report(created.report_id)
        return created.report_id
    w._refresh_start_page()
    w.ctx.notify_workspace_changed()
    w.ctx.switch_report(created.report_id)
    w.ui.statusbar.showMessage(w.tr("已新建 {0} {1}年报告").format(unit, year), 8000)
    return created.report_id


def fill_picker(w: MainWindow) -> None:
    combo, years = w.ui.unitCombo, w.ui.yearCombo
    combo.blockSignals(True)
    combo.clear()
    if w.ws is not None:
        repo = w.ws.repo
        main = repo.main_organ()
        seen: dict[int, str] = {}
        for row in repo.report_index():
            seen.setdefault(row_int(row["unit_id"]), str(row["unit"]))
        order = sorted(seen, key=lambda uid: (0 if main and uid == main.id else 1, uid))
        for uid in order:
            label = seen[uid] + (w.tr("（主报告）") if main and uid == main.id else "")
            combo.addItem(label, seen[uid])
    combo.blockSignals(False)
    sync_picker(w)
    years.setEnabled(combo.count() > 0)


def sync_picker(w: MainWindow) -> None:
    report = w.ctx.report() if w.ctx is not None and w.ctx.report_id is not None else None
    combo = w.ui.unitCombo
    combo.blockSignals(True)
    if report is not None:
        i = combo.findData(report.unit)
        if i >= 0:
            combo.setCurrentIndex(i)
    combo.blockSignals(False)
    fill_years(w, report.year if report is not None else None)


def fill_years(w: MainWindow, select: int | None) -> None:
    years = w.ui.yearCombo
    years.blockSignals(True)
    years.clear()
    unit = w.ui.unitCombo.currentData()
    if w.ws is not None and unit:
        for row in sorted(w.ws.repo.report_index(), key=lambda r: -row_int(r["year"])):
            if row["unit"] == unit:
                years.addItem(f"{row['year']}年", row_int(row["id"]))
                if select is not None and row_int(row["year"]) == select:
                    years.setCurrentIndex(years.count() - 1)
    years.blockSignals(False)


def on_unit_picked(w: MainWindow, _index: int) -> None:
    report = w.ctx.report() if w.ctx is not None and w.ctx.report_id is not None else None
    fill_years(w, report.year if report else None)
    if w.ui.yearCombo.count():
        if w.ui.yearCombo.currentIndex() < 0:
            w.ui.yearCombo.setCurrentIndex(0)
        on_year_picked(w, w.ui.yearCombo.currentIndex())


def on_year_picked(w: MainWindow, index: int) -> None:
    rid = w.ui.yearCombo.itemData(index)
    if rid is not None and w.ctx is not None:
        w.ctx.switch_report(int(rid))
        # Picked with Alt+U / Alt+Y and Enter: the keys go back to the editor shown, not to the picker
        # (whose type-ahead would swallow the next figure typed).
        w.show_node(w.current_node() or "title", focus=True)


def select_report(w: MainWindow, unit: str, year: int) -> bool:
    """Switch to (unit, year) as the picker would."""
    if w.ws is None or w.ctx is None:
        return False
    rid = w.ws.repo.find_report(unit, year)
    if rid is None:
        return False
    w.ctx.switch_report(rid)
    return True


def import_reports(w: MainWindow, paths: list[str] | None = None) -> None:
    """文件 → 导入已发布/报送的报告…: choose files (or take `paths`), read, review, store."""
    from ruian_desk.gui.report_import import ReportImport

    if w.ctx is None:
        w.inform(w.tr("导入报告"), w.tr("请先打开或新建一个工作区。"))
        return
    job = ReportImport(w.ctx, w)
    job.message.connect(lambda text: w.ui.statusbar.showMessage(text, 10000) if text else None)
    job.finished.connect(lambda _ids: w._refresh_start_page())
    job.finished.connect(job.deleteLater)
    w.report_import = job
    if paths:
        job.start(paths)
    else:
        job.ask_and_start()


def row_int(value: object) -> int:
    """An id or year from a report-index row (typed `object` there)."""
    return int(str(value))
