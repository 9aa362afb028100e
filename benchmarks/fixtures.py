"""Benchmark workspaces, built through the repository like any import: the 瑞安 sample, the sample grown to N
units (each a copy of one of the sample's illustrative units, scaled by a whole factor so every sum and
balance still holds), and a many-year workspace."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ruian_desk.domain.formats import format_for_year
from ruian_desk.domain.report import CellValue, Report, Signature
from ruian_desk.exchange.sample import MAIN_ORGAN, build_sample
from ruian_desk.storage.workspace import open_workspace

ROLES = ("department", "township", "function_zone", "office")


def _scaled(cells: dict[str, CellValue], factor: int) -> dict[str, CellValue]:
    out: dict[str, CellValue] = {}
    for cid, v in cells.items():
        out[cid] = None if v is None else v * factor if isinstance(v, int) else Decimal(v) * factor
    return out


def sample_workspace(path: Path) -> Path:
    build_sample(path).close()
    return path


def grown_sample(path: Path, n_units: int) -> Path:
    """The sample with `n_units` units in the 2019 roll-up (the sample's 7 plus scaled copies of them)."""
    build_sample(path).close()
    with open_workspace(path, daily_backup=False) as ws:
        repo = ws.repo
        main = repo.main_organ()
        assert main is not None
        templates = [
            repo.load_report(rid)
            for rid in repo.report_ids_for_year(2019)
            if repo.load_report(rid).unit != main.name
        ]
        with ws.db.atomic():
            for i in range(len(templates), n_units):
                base = templates[i % len(templates)]
                factor = 1 + i // len(templates)
                report = replace(
                    base,
                    id=None,
                    unit=f"测试单位{i + 1:03d}（基准测试）",
                    title=f"测试单位{i + 1:03d}2019年政府信息公开工作年度报告",
                    cells=_scaled(dict(base.cells), factor),
                )
                repo.save_report(report, source="benchmark")
                unit = repo.unit_by_name(report.unit)
                assert unit is not None and unit.id is not None
                repo.set_unit_year(unit.id, 2019, included=True, status="已报")
    return path


def _random_cells(rng: random.Random, format_id: str) -> dict[str, CellValue]:
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    out: dict[str, CellValue] = {}
    for cid, cell in fmt.cells.items():
        if cell.derived:
            continue
        if cell.type == "decimal":
            out[cid] = Decimal(rng.randrange(0, 100_000)) / 100
        elif cell.type == "signed_int":
            out[cid] = rng.randrange(-20, 40)
        else:
            out[cid] = rng.randrange(0, 60)
    return out


def many_years(path: Path, years: int, n_units: int, first_year: int = 2019, seed: int = 7) -> Path:
    """`years` report years × (`n_units` units + the main organ), every input cell filled."""
    rng = random.Random(seed)
    with open_workspace(path, create=True) as ws:
        repo = ws.repo
        with ws.db.atomic():
            for y in range(first_year, first_year + years):
                fmt = format_for_year(y)
                main_id = repo.save_report(
                    Report(
                        unit=MAIN_ORGAN,
                        unit_role="county_government",
                        year=y,
                        format_id=fmt.id,
                        title=f"{MAIN_ORGAN}{y}年政府信息公开工作年度报告",
                        intro="按照《中华人民共和国政府信息公开条例》要求，编制本报告。",
                        parts={
                            "p1": "一段总体情况。" * 40,
                            "p5": "存在的问题。" * 20,
                            "p6": "本机关无其他报告事项。",
                        },
                        cells=_random_cells(rng, fmt.id),
                        signature=Signature(organ=MAIN_ORGAN),
                    ),
                    source="benchmark",
                )
                if repo.main_organ() is None:
                    unit = repo.unit_by_name(MAIN_ORGAN)
                    assert unit is not None and unit.id is not None
                    repo.set_main_organ(unit.id)
                repo.set_setting(main_id, "scope.t2", "own")
                repo.set_setting(main_id, "scope.t3", "rollup")
                repo.set_setting(main_id, "scope.t4", "rollup")
                for i in range(n_units):
                    repo.save_report(
                        Report(
                            unit=f"测试单位{i + 1:03d}（基准测试）",
                            unit_role=ROLES[i % len(ROLES)],
                            year=y,
                            format_id=fmt.id,
                            title=f"测试单位{i + 1:03d}{y}年政府信息公开工作年度报告",
                            cells=_random_cells(rng, fmt.id),
                        ),
                        source="benchmark",
                    )
    return path
