"""文件 → 导入已发布/报送的报告…: read in a worker, reviewed in the dialog (figures beside where they were read,
per-table choice), stored; the window shows the new report at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ruian_desk.export.bundle import export_bundle
from ruian_desk.export.view import ExportOptions, build_view
from ruian_desk.storage.assemble import resolve_report_id
from ruian_desk.storage.workspace import open_workspace
from tests.export.conftest import MAIN_2021, make_2021_workspace


@pytest.fixture(scope="module")
def pdf_2021(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("import-gui")
    ws_path = make_2021_workspace(folder / "w.sqlite", with_units=False)
    with open_workspace(ws_path, readonly=True) as ws:
        rid = resolve_report_id(ws.repo, 2021, None)
        view = build_view(ws.repo, rid, workspace=str(ws_path), options=ExportOptions())
    (written,) = export_bundle(view, ["pdf"], folder / "out")[:1]
    return Path(written)


def _review(window, qtbot, paths):  # noqa: ANN001, ANN202
    window.import_reports([str(p) for p in paths])
    job = window.report_import
    job.wait()
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=20000)
    return job, job.dialog


def test_review_shows_every_figure_with_its_page_and_stores_the_tables_chosen(
    window, qtbot, pdf_2021: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    bad = tmp_path / "旧版.wps"
    bad.write_bytes(b"not a report")
    job, dialog = _review(window, qtbot, [pdf_2021, bad])
    assert dialog.files.count() == 2
    assert "无法导入" in dialog.files.item(1).text()
    assert MAIN_2021 in dialog.head.text() and "2021年" in dialog.head.text() and "表三 100%" in dialog.head.text()
    table = dialog.figures
    assert table.rowCount() > 100
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    row = next(r for label, r in rows.items() if "予以公开" in label and "自然人" in label)
    assert table.item(row, 0).text() == "表三"
    assert "页表格第" in table.item(row, 5).text()  # where it was read: the PDF's page and table row
    dialog.files.setCurrentRow(1)
    assert "另存为" in dialog.problems.item(0).text()
    assert not dialog.skip_box.isEnabled()
    dialog.files.setCurrentRow(0)
    dialog.table_boxes["t4"].setChecked(False)  # 逐表导入: 表二、表三 and the text, not 表四
    stored: list[list[int]] = []
    job.finished.connect(stored.append)
    dialog.chosen_button.click()
    qtbot.waitUntil(lambda: bool(stored), timeout=10000)
    (ids,) = stored
    assert len(ids) == 1
    report = window.ctx.repo.load_report(ids[0])
    assert report.unit == MAIN_2021 and report.year == 2021
    assert report.cells["t3.r1_open.np"] is not None
    assert not any(cid.startswith("t4.") and v is not None for cid, v in report.cells.items())
    assert "2021年，本局认真贯彻条例" in report.part("p1")
    assert "已导入 1 个文件" in window.ui.statusbar.currentMessage()
    refused = [i for i in window.ctx.repo.imports() if i["file"] == "旧版.wps"]
    assert refused and str(refused[0]["result"]).startswith("已拒绝")


def test_cancel_stores_nothing(window, qtbot, pdf_2021: Path) -> None:  # noqa: ANN001
    before = len(window.ctx.repo.report_index())
    job, dialog = _review(window, qtbot, [pdf_2021])
    done: list[list[int]] = []
    job.finished.connect(done.append)
    dialog.reject()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [[]]
    assert len(window.ctx.repo.report_index()) == before
