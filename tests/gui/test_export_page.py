"""The 导出 page with real widgets offscreen: export in a worker, the errors question, batch, print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from ruian_desk.gui.context import AppContext  # noqa: E402
from ruian_desk.storage.assemble import resolve_report_id  # noqa: E402
from ruian_desk.storage.workspace import open_workspace  # noqa: E402

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"


@pytest.fixture
def ws2021_path(tmp_path: Path) -> Path:
    """A gov-2021 workspace whose distinct test numbers break the sums (so the checks find errors)."""
    from tests.export.conftest import make_2021_workspace

    return make_2021_workspace(tmp_path / "ws2021.sqlite")


@pytest.fixture
def page_for(qtbot, monkeypatch):  # noqa: ANN001, ANN201
    from ruian_desk.gui import export_page

    opened: list[object] = []
    monkeypatch.setattr(export_page.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    workspaces = []

    def make(path: Path, year: int):  # noqa: ANN202
        ws = open_workspace(path)
        workspaces.append(ws)
        ctx = AppContext(ws, resolve_report_id(ws.repo, year))
        page = export_page.ExportPage(ctx)
        qtbot.addWidget(page)
        page.opened_urls = opened
        return page

    yield make
    for ws in workspaces:
        ws.close()


def _choose(page, names: list[str], folder: Path) -> None:  # noqa: ANN001
    for name, box in page.format_boxes.items():
        box.setChecked(name in names)
    page.folder_edit.setText(str(folder))


def test_formats_offered_and_report_shown(page_for, sample_path: Path) -> None:  # noqa: ANN001
    page = page_for(sample_path, 2019)
    assert {"docx", "pdf", "xlsx", "html", "json"} <= set(page.format_boxes)
    assert "瑞安市人民政府 2019年" in page.report_label.text() and "示例数据" in page.report_label.text()
    assert page.export_button.isEnabled()


def test_export_in_worker_with_progress(qtbot, page_for, sample_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    page = page_for(sample_path, 2019)
    out = tmp_path / "out"
    _choose(page, ["docx", "pdf", "html"], out)
    page.open_after_box.setChecked(True)
    assert page.signature_box.isChecked() and not page.charts_box.isChecked()  # the first time's defaults
    page.signature_box.setChecked(False)
    progress: list[int] = []
    with qtbot.waitSignal(page.export_finished, timeout=60000) as blocker:
        page.export_button.click()
        progress.append(page.progress.value())
        assert not page.export_button.isEnabled()  # busy while the worker runs
    files = blocker.args[0]
    assert sorted(Path(f).name for f in files) == sorted(
        [f"{STEM}.docx", f"{STEM}.pdf", f"{STEM}.html", "manifest.json"]
    )
    assert all(Path(f).is_file() for f in files)
    assert page.progress.value() == 100 and page.file_list.count() == 4
    assert "已导出 4 个文件" in page.status_label.text()
    assert page.export_button.isEnabled()
    assert page.opened_urls == [QUrl.fromLocalFile(str(out))]
    # the folder and formats are remembered for next time
    again = page_for(sample_path, 2019)
    assert again.folder_edit.text() == str(out)
    assert [n for n, b in again.format_boxes.items() if b.isChecked()] == ["docx", "pdf", "html"]
    # and so are the options (落款 off, 图解 off, 导出后打开文件夹 on)
    assert not again.signature_box.isChecked() and not again.charts_box.isChecked()
    assert again.open_after_box.isChecked()
    # Alt+letters reach the buttons without 13 Tabs: every button and option has its own mnemonic.
    from PySide6.QtWidgets import QAbstractButton

    letters = [b.text().split("(&")[1][0] for b in again.findChildren(QAbstractButton) if "(&" in b.text()]
    assert len(letters) >= 9 and len(set(letters)) == len(letters)
    assert not set(letters) & set("FEBKHUY")  # the menu bar's and the window's own Alt keys


def test_worker_never_uses_the_gui_database(qtbot, page_for, sample_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """The view is built on the GUI thread; closing the GUI's connection right after the start does not
    disturb the export running in the worker."""
    page = page_for(sample_path, 2019)
    _choose(page, ["docx", "xlsx", "json"], tmp_path)
    page.jobs.pool.setMaxThreadCount(1)
    with qtbot.waitSignal(page.export_finished, timeout=60000):
        assert page.export_current()
        page.ctx.workspace.close()
    assert (tmp_path / f"{STEM}.xlsx").is_file()


def test_remaining_errors_are_asked_about(
    qtbot, page_for, ws2021_path: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    page = page_for(ws2021_path, 2021)
    errors = sum(1 for i in page.ctx.issues() if i.severity == "error")
    assert errors > 0
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def fake_exec(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return answer[0]

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    _choose(page, ["html"], tmp_path / "o")
    assert page.export_current() is False
    assert asked == [f"审核仍有{errors}个错误，仍要导出吗？"]
    assert not (tmp_path / "o").exists() and page.status_label.text() == "已取消导出。"
    answer[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.export_finished, timeout=60000):
        assert page.export_current() is True
    assert len(asked) == 2
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["error"] == errors


def test_failure_is_shown(qtbot, page_for, sample_path: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from ruian_desk.export import bundle

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bundle.tempfile, "mkdtemp", refuse)
    page = page_for(sample_path, 2019)
    _choose(page, ["html"], tmp_path)
    with qtbot.waitSignal(page.export_failed, timeout=30000) as blocker:
        page.export_current()
    assert "没有写入权限" in blocker.args[0] and "没有写入权限" in page.status_label.text()
    assert page.export_button.isEnabled() and page.progress.value() == 0


def test_batch_export_of_every_unit(qtbot, page_for, sample_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    page = page_for(sample_path, 2019)
    out = tmp_path / "batch"
    _choose(page, ["docx", "xlsx"], out)
    with qtbot.waitSignal(page.export_finished, timeout=120000) as blocker:
        assert page.export_batch()
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 7 and all(name.endswith("（示例单位）") for name in folders)
    assert "瑞安市人民政府" not in folders  # the main organ's report is the normal export
    for folder in folders:
        files = sorted(p.name for p in (out / folder).iterdir())
        assert files == sorted(
            [
                f"{folder}2019年政府信息公开工作年度报告.docx",
                f"{folder}2019年政府信息公开工作年度报告.xlsx",
                "manifest.json",
            ]
        )
        manifest = json.loads((out / folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["report"]["unit"] == folder
    assert len(blocker.args[0]) == 21


def test_print_uses_the_pdf_document(qtbot, page_for, sample_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from ruian_desk.export.pdf import write_pdf

    page = page_for(sample_path, 2019)
    view = page.current_view()
    printer = page.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = page.render_to_printer(view, printer)
    write_pdf(view, tmp_path / "export.pdf")
    exported = PdfReader(str(tmp_path / "export.pdf"))
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert pages == len(exported.pages) == len(printed.pages)
    # same text (line breaks may differ by a glyph: the printer lays out at its own resolution)
    import re

    def text(reader: PdfReader) -> str:
        flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
        return re.sub(r"—\d+—", "", flat)  # page numbers fall where the pages break

    assert text(printed) == text(exported)


def test_print_preview_dialog_paints_pages(qtbot, page_for, sample_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    shown: list[QPrintPreviewDialog] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        shown.append(dialog)
        dialog.show()
        QApplication.processEvents()
        qtbot.waitUntil(lambda: page.last_print_pages > 0, timeout=30000)
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    page = page_for(sample_path, 2019)
    page.print_preview()
    assert shown and shown[0].windowTitle() == "打印预览"
    assert page.last_print_pages >= 8


def test_nothing_chosen(page_for, sample_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    page = page_for(sample_path, 2019)
    _choose(page, [], tmp_path)
    assert page.export_current() is False and "至少选择一种" in page.status_label.text()
    _choose(page, ["html"], tmp_path)
    page.folder_edit.setText("")
    assert page.export_current() is False and "导出文件夹" in page.status_label.text()
