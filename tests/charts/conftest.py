"""Chart fixtures: a synthetic multi-year workspace (2019–2023, both national formats) with units."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.formats import format_for_year
from ruian_desk.domain.report import Metric, Report
from ruian_desk.domain.rules import run_checks
from ruian_desk.storage.workspace import Workspace, open_workspace

MAIN = "测试市人民政府"
YEARS = (2019, 2020, 2021, 2022, 2023)
# (name, role, weight): the units' shares of the applications differ, so the ranking has an order.
UNITS = (
    ("测试市甲局", "department", 7),
    ("测试市乙局", "department", 5),
    ("测试市丙镇人民政府", "township", 3),
    ("测试市丁街道办事处", "township", 2),
    ("测试市戊开发区管理委员会", "function_zone", 1),
)


def unit_cells(year: int, weight: int, carry_in: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """表三/表四 input cells of one unit and year that pass every arithmetic check; returns the cells and
    the carry-out per column (next year's carry-in)."""
    fmt = format_for_year(year)
    section = fmt.tables["t3"].sections[0]
    cols = [c.id for c in section.columns if not c.derived]
    leaves = [r.id for r in section.leaves_under("g_results")]
    k = year - 2018
    cells: dict[str, int] = {}
    carry_out: dict[str, int] = {}
    for i, col in enumerate(cols):
        new = weight * (10 + 3 * k) * (6 - i) // 2 if col != "ri" else weight * (k % 2)
        cin = carry_in.get(col, 0)
        out = (new + cin) // 10
        done = new + cin - out
        cells[f"t3.new.{col}"] = new
        cells[f"t3.carry_in.{col}"] = cin
        cells[f"t3.carry_out.{col}"] = out
        # Spread `done` over the leaf rows: a fixed share to each, the remainder to 予以公开.
        rest = done
        for j, leaf in enumerate(leaves[1:], start=1):
            part = done * ((j % 4) + 1) // 60
            cells[f"t3.{leaf}.{col}"] = part
            rest -= part
        cells[f"t3.{leaves[0]}.{col}"] = rest
        carry_out[col] = out
    t4 = fmt.tables["t4"].sections[0]
    for n, c in enumerate(x for x in t4.columns if not x.derived):
        cells[f"t4.count.{c.id}"] = (weight + n + k) % 4
    return cells, carry_out


def rate_metrics(year: int) -> tuple[Metric, ...]:
    k = year - 2019
    out = [
        Metric("online_rate", "网上办理开通率", Decimal("90.5") + k * 2, "%"),
        Metric(
            "instant_share",
            "即办事项占比",
            (Decimal(2000 + 100 * k) * 100 / Decimal(3000)).quantize(Decimal("0.01")),
            "%",
            numerator=Decimal(2000 + 100 * k),
            denominator=Decimal(3000),
        ),
        Metric("gov_service_items", "政务服务事项总数", Decimal(3000), "项"),
    ]
    if year != 2021:  # one year without this metric: the trend must show a gap, not a zero
        out.append(Metric("zero_visit_rate", "零次跑实现率", Decimal("95") + k, "%"))
    return tuple(out)


def build_multi_year(path: Path) -> Workspace:
    ws = open_workspace(path, create=True)
    repo = ws.repo
    carry: dict[str, dict[str, int]] = {name: {} for name, _, _ in UNITS}
    with ws.db.atomic():
        for year in YEARS:
            fmt = format_for_year(year)
            sums: dict[str, int] = {}
            for name, role, weight in UNITS:
                cells, carry[name] = unit_cells(year, weight, carry[name])
                for cid, v in cells.items():
                    sums[cid] = sums.get(cid, 0) + v
                repo.save_report(Report(unit=name, unit_role=role, year=year, format_id=fmt.id, cells=cells))
                unit = repo.unit_by_name(name)
                assert unit is not None and unit.id is not None
                repo.set_unit_year(unit.id, year, included=True, status="已确认")
            repo.save_report(
                Report(
                    unit=MAIN,
                    unit_role="county_government",
                    year=year,
                    format_id=fmt.id,
                    title=fmt.title_for(MAIN, year),
                    parts={"p1": f"{year}年，本市依法做好政府信息公开工作。", "p5": "无。", "p6": "无。"},
                    cells=sums,
                    metrics=rate_metrics(year),
                )
            )
        main = repo.unit_by_name(MAIN)
        assert main is not None and main.id is not None
        repo.set_main_organ(main.id)
    return ws


@pytest.fixture(scope="session")
def multi_year_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("multi") / "multi.sqlite"
    ws = build_multi_year(path)
    # The fixture itself must be clean, or the charts' "数据有误" notes would be expected everywhere.
    for rid in [r["id"] for r in ws.repo.report_index()]:
        errors = [i for i in run_checks(ws.repo.load_report(int(rid))) if i.severity == "error"]
        assert not errors, errors
    ws.close()
    return path


@pytest.fixture
def multi_year_ws(multi_year_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    import sqlite3

    target = tmp_path / "multi.sqlite"
    src = sqlite3.connect(multi_year_template)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    ws = open_workspace(target)
    yield ws
    ws.close()


@pytest.fixture
def sample_view(sample_ws: Workspace):  # noqa: ANN201 - ReportView
    from ruian_desk.export.view import build_view

    rid = sample_ws.repo.find_report("瑞安市人民政府", 2019)
    assert rid is not None
    return build_view(sample_ws.repo, rid, str(sample_ws.path))


@pytest.fixture
def multi_view(multi_year_ws: Workspace):  # noqa: ANN201 - ReportView of 测试市人民政府 2023
    from ruian_desk.export.view import build_view

    rid = multi_year_ws.repo.find_report(MAIN, 2023)
    assert rid is not None
    return build_view(multi_year_ws.repo, rid, str(multi_year_ws.path))
