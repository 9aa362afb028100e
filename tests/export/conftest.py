"""Fixtures for the exporters: the sample's view (gov-2019) and a 2021 workspace with distinct numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Signature, Unit, default_report
from ruian_desk.export.view import ExportOptions, ReportView, build_view
from ruian_desk.storage.assemble import resolve_report_id
from ruian_desk.storage.workspace import open_workspace

MAIN_2021 = "瑞安市测试局"
INJECTION_UNIT = "=cmd|' /C calc'!A0"


def distinct_cells(format_id: str, offset: int = 0) -> dict[str, object]:
    """Every input cell a different number (decimals for money), so a number in the wrong cell shows."""
    from decimal import Decimal

    fmt = get_format(format_id)
    cells: dict[str, object] = {}
    for i, cid in enumerate(fmt.input_cells):
        cell = fmt.cells[cid]
        if cell.type == "decimal":
            cells[cid] = Decimal(f"{100 + i + offset}.25")
        elif cell.type == "signed_int":
            cells[cid] = -(i + 1 + offset)
        else:
            cells[cid] = 100 + i + offset
    return cells


def make_2021_workspace(path: Path, with_units: bool = True) -> Path:
    """A gov-2021 workspace: main organ report with every input cell filled, plus one unit report whose
    name is a formula-injection attempt."""
    ws = open_workspace(path, create=True)
    try:
        main = default_report(Unit(MAIN_2021, "department"), 2021)
        main = replace(
            main,
            intro="本报告根据《中华人民共和国政府信息公开条例》编制。",
            parts={
                "p1": "2021年，本局认真贯彻条例。\n（一）主动公开 全年主动公开信息{{t3.new.total}}条。\n1.做好公开。按要求公开。",
                "p5": "存在问题：人员不足。",
                "p6": "无。",
            },
            cells=distinct_cells("gov-2021"),
            signature=Signature(MAIN_2021, dt.date(2022, 1, 20)),
        )
        with ws.db.atomic():
            ws.repo.save_report(main, source="test")
            unit = ws.repo.unit_by_name(MAIN_2021)
            assert unit is not None and unit.id is not None
            ws.repo.set_main_organ(unit.id)
            if with_units:
                sub = default_report(Unit(INJECTION_UNIT, "township"), 2021)
                sub = replace(sub, cells=distinct_cells("gov-2021", offset=1000))
                ws.repo.save_report(sub, source="test")
                u = ws.repo.unit_by_name(INJECTION_UNIT)
                assert u is not None and u.id is not None
                ws.repo.set_unit_year(u.id, 2021, included=True, status="已报")
    finally:
        ws.close()
    return path


@pytest.fixture(scope="session")
def ws2021_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_2021_workspace(tmp_path_factory.mktemp("ws2021") / "ws2021.sqlite")


@pytest.fixture
def ws2021_path(ws2021_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "ws2021.sqlite"
    shutil.copy(ws2021_template, target)
    return target


def view_of(
    path: Path, year: int, unit: str | None = None, options: ExportOptions | None = None
) -> ReportView:
    with open_workspace(path, readonly=True) as ws:
        rid = resolve_report_id(ws.repo, year, unit)
        return build_view(ws.repo, rid, workspace=str(path), options=options)


@pytest.fixture(scope="session")
def sample_view(sample_template: Path) -> ReportView:
    return view_of(sample_template, 2019)


@pytest.fixture(scope="session")
def view_2021(ws2021_template: Path) -> ReportView:
    return view_of(ws2021_template, 2021)


@pytest.fixture(params=["gov-2019", "gov-2021"])
def any_view(request: pytest.FixtureRequest, sample_view: ReportView, view_2021: ReportView) -> ReportView:
    return sample_view if request.param == "gov-2019" else view_2021
