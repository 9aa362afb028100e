"""Exports read only the years they draw (issue 16): a DOCX of one year never loads the other years; the
charts format and exports with charts get every year, as the trend charts need."""

from __future__ import annotations

import pytest

from ruian_desk.export.view import ExportOptions, build_view
from tests.charts.conftest import MAIN


def _loaded_years(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from ruian_desk.export import view as view_module

    seen: list[int] = []
    real = view_module.effective_report

    def spy(repo, report_id):  # noqa: ANN001, ANN202
        report = real(repo, report_id)
        seen.append(report.year)
        return report

    monkeypatch.setattr(view_module, "effective_report", spy)
    return seen


@pytest.mark.parametrize("formats", [["docx"], ["docx", "pdf", "xlsx", "html", "json"]])
def test_documents_without_charts_read_one_year(multi_year_ws, monkeypatch, formats) -> None:  # noqa: ANN001
    seen = _loaded_years(monkeypatch)
    rid = multi_year_ws.repo.find_report(MAIN, 2023)
    view = build_view(multi_year_ws.repo, rid, formats=formats)
    assert view.history == ()
    assert seen == [2023]
    assert view.report.year == 2023 and view.units  # the year itself is whole: rolled up, with its units


@pytest.mark.parametrize(
    ("formats", "options"),
    [(["charts"], ExportOptions()), (["docx"], ExportOptions(charts=True)), (None, ExportOptions())],
)
def test_exports_that_draw_charts_get_every_year(multi_year_ws, formats, options) -> None:  # noqa: ANN001
    rid = multi_year_ws.repo.find_report(MAIN, 2023)
    view = build_view(multi_year_ws.repo, rid, formats=formats, options=options)
    assert sorted(r.year for r in view.history) == [2019, 2020, 2021, 2022]


def test_the_export_command_writes_a_docx_without_reading_other_years(
    multi_year_ws, tmp_path, monkeypatch
) -> None:  # noqa: ANN001
    from docx import Document

    from ruian_desk import cli

    seen = _loaded_years(monkeypatch)
    path = multi_year_ws.path
    multi_year_ws.close()
    code = cli.main(
        [
            "export",
            "-w",
            str(path),
            "--year",
            "2023",
            "--format",
            "docx",
            "--out",
            str(tmp_path),
            "--allow-errors",
        ]
    )
    assert code == 0 and seen == [2023]
    (docx,) = tmp_path.glob("*.docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "2023年" in text
