"""A printed figure is always storable (issue #13): a fee of 24252.311082 万元 imports whole from the report
JSON and from a returned template, is stored exactly, and T2-FEE-PRECISION flags it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ruian_desk.services.imports import import_files
from ruian_desk.services.templates import generate_templates
from ruian_desk.storage.assemble import check_report
from tests.conftest import run_cli
from tests.exchange.test_unit_template import fill

FEE = "24252.311082"


def test_json_import_stores_the_printed_fee_and_the_check_flags_it(tmp_path: Path) -> None:
    doc = {
        "schema": "ruian-desk/report@1",
        "unit": "某县人民政府",
        "unit_role": "county_government",
        "year": 2021,
        "format": "gov-2021",
        "title": "某县人民政府2021年政府信息公开工作年度报告",
        "parts": {"p1": "无。", "p5": "无。", "p6": "无。"},
        "tables": {"t2": {"t2_8": {"admin_fee": {"fee_amount": float(FEE)}}}},
    }
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ws = tmp_path / "w.sqlite"
    r = run_cli("import-json", "-w", str(ws), str(f))
    assert r.returncode == 0, r.stderr
    r = run_cli("check", "-w", str(ws), "--year", "2021", "--unit", "某县人民政府", "--json")
    out = json.loads(r.stdout)
    fee = [i for i in out["issues"] if i["rule"] == "T2-FEE-PRECISION"]
    assert len(fee) == 1 and fee[0]["severity"] == "info"
    assert FEE in fee[0]["message"] and "6 位小数" in fee[0]["message"]
    assert fee[0]["actual"] == float(FEE) and fee[0]["expected"] == 24252.3111


def test_returned_template_stores_the_printed_fee(empty_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from ruian_desk.domain.report import Unit, default_report

    repo = empty_ws.repo
    main = repo.add_unit(Unit(name="某县人民政府", role="county_government"))
    repo.set_main_organ(main.id)
    repo.save_report(default_report(main, 2022))
    repo.add_unit(Unit(name="某局", role="department"))
    (path,) = generate_templates(empty_ws, 2022, tmp_path)
    fill(path, {"t3.new.np": 5, "t3.r1_open.np": 5, "t2_8.admin_fee.fee_amount": float(FEE)}, fmt="gov-2021")
    results, _ = import_files(empty_ws, [path])
    assert results[0].ok, results[0].problems
    rid = repo.find_report("某局", 2022)
    assert repo.load_report(rid).cells["t2_8.admin_fee.fee_amount"] == Decimal(FEE)
    _, issues = check_report(repo, rid)
    assert [i.actual for i in issues if i.rule == "T2-FEE-PRECISION"] == [Decimal(FEE)]
