"""Review scenario 8: the 导出 page of the main window on the sample: every format to a folder, a folder that
cannot be written, the print preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.usefixtures("fail_on_slot_exceptions")

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"


@pytest.fixture
def export_page(sample_window, monkeypatch):  # noqa: ANN001, ANN201
    from ruian_desk.gui import export_page as module

    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(module.QMessageBox, "warning", lambda _p, title, text: warned.append((title, text)))
    monkeypatch.setattr(module.QDesktopServices, "openUrl", lambda _url: True)
    page = sample_window.show_node("export")
    page.warned = warned
    return page


def test_every_format_to_a_folder(export_page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    page = export_page
    for box in page.format_boxes.values():
        box.setChecked(True)
    out = tmp_path / "导出"
    page.folder_edit.setText(str(out))
    with qtbot.waitSignal(page.export_finished, timeout=60000) as done:
        page.export_button.click()
    files = {Path(f).name for f in done.args[0]}
    for ext in ("docx", "pdf", "xlsx", "html", "json"):
        assert f"{STEM}.{ext}" in files
    assert "manifest.json" in files
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sample_data"] is True and manifest["report"]["title"] == STEM
    assert {f["file"] for f in manifest["files"]} == files - {"manifest.json"}
    assert page.status_label.text().startswith("已导出") and page.progress.value() == 100
    assert page.file_list.count() == len(done.args[0])
    assert not page.warned


def test_a_folder_that_cannot_be_written_is_told_in_chinese(export_page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    page = export_page
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")  # a file where the folder should be (root ignores chmod)
    page.folder_edit.setText(str(blocker / "年报"))
    with qtbot.waitSignal(page.export_failed, timeout=30000) as failed:
        page.export_button.click()
    message = failed.args[0]
    assert str(blocker) in message and "无法" in message
    assert page.warned and page.warned[-1][1] == message and page.warned[-1][0] == "导出失败"
    assert "Error" not in message and "Errno" not in message  # the reason in Chinese, not Python's
    assert page.export_button.isEnabled()  # ready for another try
    assert blocker.read_text(encoding="utf-8") == "x"


def test_print_preview_opens_and_paints(export_page, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    page = export_page
    shown: list[int] = []

    def close_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintPreviewDialog):
            QTimer.singleShot(50, close_preview)
            return
        shown.append(page.last_print_pages)
        dialog.reject()

    QTimer.singleShot(0, close_preview)
    page.preview_button.click()
    assert shown and shown[0] >= 5  # the sample's report is several A4 pages


def test_the_summary_counts_open_findings_like_the_status_bar(sample_window, export_page) -> None:  # noqa: ANN001
    ctx = sample_window.ctx
    issue = next(i for i in ctx.issues() if i.severity == "warning")
    ctx.repo.explain_issue(ctx.report_id, issue, "已核实。")
    ctx.notify_changed()
    open_warnings = sum(1 for i in ctx.issues() if i.severity == "warning" and not i.explained)
    assert f"警告 {open_warnings}，提示 0（已说明 1）" in export_page.report_label.text()
    assert f"警告 {open_warnings}" in sample_window.status_counts.text()
