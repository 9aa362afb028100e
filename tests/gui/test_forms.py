"""The compiled Designer forms in ruian_desk/gui/forms are what ui/*.ui compiles to today."""

from __future__ import annotations

from ruian_desk.gui import build_forms


def test_every_ui_file_has_a_fresh_compiled_form() -> None:
    ui_files = build_forms.ui_files()
    assert {p.name for p in ui_files} >= {"main_window.ui", "start_page.ui", "new_report_dialog.ui"}
    assert build_forms.stale_forms() == []


def test_a_changed_ui_file_is_reported_stale(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    source = build_forms.UI_DIR / "new_report_dialog.ui"
    changed = tmp_path / "ui"
    changed.mkdir()
    (changed / source.name).write_text(
        source.read_text(encoding="utf-8").replace("新建年度报告", "新建年度报告（改）"), encoding="utf-8"
    )
    monkeypatch.setattr(build_forms, "UI_DIR", changed)
    assert build_forms.stale_forms() == ["ui_new_report_dialog.py"]
