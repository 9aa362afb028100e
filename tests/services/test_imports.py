"""services.imports and services.templates on an empty workspace, without Qt."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ruian_desk.exchange.report_json import read_report_file
from ruian_desk.paths import resource
from ruian_desk.services import imports, templates, units
from ruian_desk.services.reports import create_report

COUNTY = "瑞安市人民政府"


def test_json_reports_all_or_nothing(empty_ws) -> None:  # noqa: ANN001
    report = read_report_file(resource("sample", "ruian-2019.json"))
    twice = [("a.json", report), ("b.json", replace(report, title="另一份"))]
    with pytest.raises(imports.ImportRefused, match="a.json 与 b.json 是同一单位同一年度的报告"):
        imports.store_json_reports(empty_ws, twice)
    assert empty_ws.repo.report_index() == []
    imports.store_json_reports(empty_ws, [("a.json", report)])
    rid = empty_ws.repo.find_report(report.unit, 2019)
    assert rid is not None and empty_ws.repo.main_organ().name == report.unit
    assert empty_ws.repo.load_report(rid).cells == report.cells


def test_templates_out_and_back_in(empty_ws, tmp_path) -> None:  # noqa: ANN001
    from ruian_desk.exchange.template_import import parse_files

    repo = empty_ws.repo
    create_report(repo, COUNTY, "county_government", 2020)
    police = units.add_unit(repo, "瑞安市公安局", "department", year=2020)
    jobs = templates.plan_templates(repo, 2020, tmp_path / "out")
    assert [j.unit.name for j in jobs] == ["瑞安市公安局"]
    written = templates.write_jobs(jobs, None)
    assert [p.name for p in written] == [jobs[0].target.name] and written[0].is_file()
    templates.record_issued(repo, jobs)
    assert repo.last_imports(2020, "template")[int(police.id or 0)]["file"] == jobs[0].target.name
    plan = imports.plan_template_import(empty_ws, [tmp_path / "out", tmp_path / "缺少.xlsx"])
    assert plan.files == written and len(plan.problems) == 1 and "缺少.xlsx" in plan.problems[0]
    # Sent back unfilled: refused with the reason, nothing stored, the refusal logged.
    (result,) = imports.store_templates(empty_ws, parse_files(plan.files, plan.known))
    assert not result.ok and "所有数字格都是空白" in result.problems[0]
    assert repo.find_report("瑞安市公安局", 2020) is None
    logged = repo.last_imports(2020, "xlsx")[int(police.id or 0)]
    assert str(logged["result"]).startswith("已拒绝")
