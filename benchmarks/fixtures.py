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
from ruian_desk.exchange.sample import MAIN_ORGAN
from ruian_desk.services.sample import build_sample
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


def _main_report(rng: random.Random, year: int) -> Report:
    fmt = format_for_year(year)
    return Report(
        unit=MAIN_ORGAN,
        unit_role="county_government",
        year=year,
        format_id=fmt.id,
        title=f"{MAIN_ORGAN}{year}年政府信息公开工作年度报告",
        intro="按照《中华人民共和国政府信息公开条例》要求，编制本报告。",
        parts={"p1": "一段总体情况。" * 40, "p5": "存在的问题。" * 20, "p6": "本机关无其他报告事项。"},
        cells=_random_cells(rng, fmt.id),
        signature=Signature(organ=MAIN_ORGAN),
    )


def many_years(path: Path, years: int, n_units: int, first_year: int = 2019, seed: int = 7) -> Path:
    """`years` report years × (`n_units` units + the main organ), every input cell filled; the main organ's
    表三 and 表四 roll up over the units in every year (so past years are roll-ups too, as in a real county).

    Built fast: the main organ's reports go through `save_report`; the units' rows are written in bulk
    through the workspace's own connection, with the columns `save_report` fills (no change-log rows — a
    generated workspace has no history), so 20 years × 500 units takes seconds, not minutes."""
    from ruian_desk.domain.report import format_number

    rng = random.Random(seed)
    stamp = "2026-01-01T00:00:00.000"
    with open_workspace(path, create=True, daily_backup=False) as ws:
        repo, conn = ws.repo, ws.db.conn
        with ws.db.atomic():
            unit_ids: list[int] = []
            for i in range(n_units):
                cur = conn.execute(
                    "INSERT INTO units (name, role, created_at) VALUES (?, ?, ?)",
                    [f"测试单位{i + 1:03d}（基准测试）", ROLES[i % len(ROLES)], stamp],
                )
                unit_ids.append(int(cur.lastrowid or 0))
            for y in range(first_year, first_year + years):
                fmt = format_for_year(y)
                main_id = repo.save_report(_main_report(rng, y), source="benchmark")
                if repo.main_organ() is None:
                    unit = repo.unit_by_name(MAIN_ORGAN)
                    assert unit is not None and unit.id is not None
                    repo.set_main_organ(unit.id)
                repo.set_setting(main_id, "scope.t2", "own")
                repo.set_setting(main_id, "scope.t3", "rollup")
                repo.set_setting(main_id, "scope.t4", "rollup")
                cells: list[tuple[int, str, str, str]] = []
                for i, uid in enumerate(unit_ids):
                    cur = conn.execute(
                        "INSERT INTO reports (unit_id, year, format, title, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [uid, y, fmt.id, f"测试单位{i + 1:03d}{y}年政府信息公开工作年度报告", stamp, stamp],
                    )
                    rid = int(cur.lastrowid or 0)
                    cells.extend(
                        (rid, cid, format_number(v), stamp)
                        for cid, v in _random_cells(rng, fmt.id).items()
                        if v is not None
                    )
                conn.executemany(
                    "INSERT INTO cells (report_id, cell_id, value, source, updated_at) "
                    "VALUES (?, ?, ?, 'benchmark', ?)",
                    cells,
                )
                conn.executemany(
                    "INSERT INTO unit_years (unit_id, year, included, status) VALUES (?, ?, 1, '已报')",
                    [(uid, y) for uid in unit_ids],
                )
    return path
