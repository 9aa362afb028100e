"""One preferences file: the 导出 page's choices live beside the recent workspaces; the old separate file is
taken over once."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def test_the_export_pages_old_file_is_taken_over(app, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from ruian_desk.gui import settings

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("RUIAN_DESK_HOME", str(home))
    old = QSettings(str(home / "ruian-desk.ini"), QSettings.Format.IniFormat)
    old.setValue("export/folder", str(tmp_path / "导出"))
    old.setValue("export/formats", "docx,pdf")
    old.sync()
    current = settings.app_settings()
    assert current.value("export/folder") == str(tmp_path / "导出")
    assert current.value("export/formats") == "docx,pdf"
    current.setValue("export/formats", "xlsx")
    current.sync()
    assert settings.app_settings() is current  # one object per file
    # Taken over once: a later choice is not overwritten by the old file.
    settings._settings.clear()
    assert settings.app_settings().value("export/formats") == "xlsx"
    assert (home / "settings.ini").is_file()


def test_the_export_page_reads_and_writes_the_one_file(app, qtbot, ctx, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from ruian_desk.gui import settings
    from ruian_desk.gui.export_page import ExportPage

    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home2"))
    (tmp_path / "home2").mkdir()
    settings.app_settings().setValue("export/open_after", "true")
    page = ExportPage(ctx)
    qtbot.addWidget(page)
    assert page.open_after_box.isChecked()
    assert page._settings is settings.app_settings()
