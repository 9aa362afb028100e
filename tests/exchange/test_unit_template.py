"""Excel templates out and in: layout read back, the clerk's round trip, every refusal, re-import, feedback."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.layout import table_grid
from ruian_desk.exchange.report_json import report_to_dict
from ruian_desk.exchange.template_import import import_context, read_template_file
from ruian_desk.exchange.unit_template import (
    MAX_FILE_BYTES,
    TEMPLATE_VERSION,
    cell_ref,
    compact_ranges,
    sheet_layout,
    template_file_name,
)
from ruian_desk.services.imports import import_files
from ruian_desk.services.templates import generate_templates
from tests.conftest import run_cli

YEAR = 2019
FMT = "gov-2019"
POLICE = "瑞安市公安局（示例单位）"


def _pos(cell_id: str, fmt: str = FMT) -> tuple[str, str]:
    """(sheet, A1 coordinate) of a cell in the template."""
    sheet, coord = cell_ref(fmt, cell_id).split("!")
    return sheet, coord


def fill(path: Path, values: dict, meta: dict | None = None, fmt: str = FMT) -> Path:
    """What a unit clerk does: open the file, type into cells, save."""
    wb = openpyxl.load_workbook(path)
    for cell_id, value in values.items():
        sheet, coord = _pos(cell_id, fmt)
        wb[sheet][coord] = value
    for key, value in (meta or {}).items():
        ws = wb["meta"]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == key:
                row[1].value = value
    wb.save(path)
    return path


def _template(sample_ws, tmp_path: Path, unit: str = POLICE) -> Path:
    (path,) = generate_templates(sample_ws, YEAR, tmp_path / "out", [unit])
    return path


def _unit_json(repo, name: str) -> dict:
    return report_to_dict(repo.load_report(repo.find_report(name, YEAR)))


# ----------------------------------------------------------------------------------------- layout


@pytest.mark.parametrize("fmt_id", ["gov-2019", "gov-2021"])
def test_template_sheets_follow_the_official_grid(empty_ws, tmp_path: Path, fmt_id: str) -> None:
    from ruian_desk.domain.report import Unit

    year = 2019 if fmt_id == "gov-2019" else 2022
    unit = empty_ws.repo.add_unit(Unit(name="瑞安市某局", role="department"))
    (path,) = generate_templates(empty_ws, year, tmp_path, units=[unit])
    assert path.name == template_file_name("瑞安市某局", year)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填报说明", "表二", "表三", "表四", "meta"]
    assert wb["meta"].sheet_state == "hidden" and wb.security.lockStructure
    meta = {r[0]: r[1] for r in wb["meta"].iter_rows(values_only=True)}
    assert meta["unit_id"] == unit.id and meta["unit_name"] == "瑞安市某局" and meta["year"] == year
    assert meta["format"] == fmt_id and str(meta["template_version"]) == TEMPLATE_VERSION
    fmt = get_format(fmt_id)
    for table in ("t2", "t3", "t4"):
        layout = sheet_layout(fmt_id, table)
        ws = wb[layout.sheet]
        assert ws["A1"].value == f"瑞安市某局{year}年政府信息公开工作年度报告填报表"
        assert ws.protection.sheet and not ws.protection.password
        grid = table_grid(fmt_id, table)
        top = 5  # the grid starts on row 5, column A
        merges = {str(m) for m in ws.merged_cells.ranges}
        for gc in grid.merges():
            a = f"{openpyxl.utils.get_column_letter(gc.col + 1)}{gc.row + top}"
            b = f"{openpyxl.utils.get_column_letter(gc.col + gc.colspan)}{gc.row + top + gc.rowspan - 1}"
            assert f"{a}:{b}" in merges, (table, gc)
        for gc in grid.cells:
            cell = ws.cell(gc.row + top, gc.col + 1)
            if gc.cell_id is None:
                assert cell.value == gc.text and cell.protection.locked
            elif fmt.cells[gc.cell_id].derived:
                assert cell.protection.locked and str(cell.value).startswith("=SUM(")
            else:
                assert not cell.protection.locked and cell.value is None
        rules = {(dv.type, dv.operator): dv for dv in ws.data_validations.dataValidation}
        types = {fmt.cells[c].type for c in layout.positions if not fmt.cells[c].derived}
        if "int" in types:
            assert rules[("whole", "greaterThanOrEqual")].formula1 == "0"
        if "decimal" in types:
            custom = rules[("custom", None)].formula1
            assert "ROUND(" in custom and ",4)" in custom
        for cid in layout.positions:  # every input cell is covered by a rule of its type
            if fmt.cells[cid].derived:
                continue
            coord = cell_ref(fmt_id, cid).split("!")[1]
            assert any(coord in dv.sqref for dv in ws.data_validations.dataValidation), cid
    # Totals and the 勾稽关系 are visible formulas (never evaluated by the app).
    t3 = wb["表三"]
    _, total = _pos("t3.new.total", fmt_id)
    (
        _,
        np_,
    ) = _pos("t3.new.np", fmt_id)
    _, oth = _pos("t3.new.oth", fmt_id)
    assert t3[total].value == f"=SUM({np_}:{oth})"
    checks = [c.value for row in t3.iter_rows() for c in row if isinstance(c.value, str) and "✓" in c.value]
    assert len(checks) == 8  # one ✓/✗ per column (7) + the sheet summary
    _, r7 = _pos("t3.r7_total.np", fmt_id)
    assert any(f"SUM({np_}:" in c and r7 in c for c in checks)
    with zipfile.ZipFile(path) as z:
        assert not any("vba" in n.lower() for n in z.namelist())


def test_signed_change_column_of_2019_accepts_negatives(empty_ws, tmp_path: Path) -> None:
    from ruian_desk.domain.report import Unit

    unit = empty_ws.repo.add_unit(Unit(name="某镇", role="township"))
    (path,) = generate_templates(empty_ws, 2019, tmp_path, units=[unit])
    ws = openpyxl.load_workbook(path)["表二"]
    _, change = _pos("t2_5.license.change")
    signed = [dv for dv in ws.data_validations.dataValidation if dv.operator == "between"]
    assert signed and change in str(signed[0].sqref) and signed[0].formula1.startswith("-")


def test_compact_ranges() -> None:
    cells = [(r, c) for r in range(9, 28) for c in (4, 5)] + [(3, 4)]
    assert compact_ranges(cells) == ["D3", "D9:E27"]


# ----------------------------------------------------------------------------- acceptance: the loop


def test_clerk_round_trip_good_files_land_bad_ones_refused(sample_path: Path, tmp_path: Path) -> None:
    from ruian_desk.storage.workspace import open_workspace

    out = tmp_path / "templates"
    r = run_cli("template", "-w", str(sample_path), "--year", "2019", "--out", str(out))
    assert r.returncode == 0, r.stderr
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 7  # every included unit except the main organ
    by_unit = {f.name.split("-")[0]: f for f in files}

    ws = open_workspace(sample_path)
    names = [u.name for u in ws.repo.units() if u.role != "county_government"]
    before = {n: _unit_json(ws.repo, n) for n in names}
    ws.close()
    good_a, good_b, text_unit, neg_unit, year_unit, cut_unit, unchanged = names

    # 1, 2: correct figures (T3-BALANCE holds for 自然人).
    fill(
        by_unit[good_a],
        {
            "t3.new.np": 40,
            "t3.carry_in.np": 2,
            "t3.r1_open.np": 30,
            "t3.r2_partial.np": 10,
            "t3.carry_out.np": 2,
            "t4.count.rv_keep": 3,
        },
    )
    fill(by_unit[good_b], {"t3.new.np": "１２", "t2_9.central_proc.proc_amount": 12.3456})
    fill(by_unit[text_unit], {"t3.r1_open.np": "十二"})  # text in a number cell
    fill(by_unit[neg_unit], {"t4.count.rv_correct": -3})  # negative
    fill(by_unit[year_unit], {}, meta={"year": 2018})  # wrong year in the meta sheet
    data = by_unit[cut_unit].read_bytes()
    by_unit[cut_unit].write_bytes(data[: len(data) // 2])  # truncated (e-mail attachment cut off)

    r = run_cli("import-xlsx", "-w", str(sample_path), str(out))
    assert r.returncode == 2
    err_lines = [line for line in r.stderr.splitlines() if line.startswith("已拒绝：")]
    assert len(err_lines) == 4  # one single line per refused file
    text_line = next(line for line in err_lines if by_unit[text_unit].name in line)
    assert f'表三!{_pos("t3.r1_open.np")[1]} 自然人/（一）予以公开: "十二" 不是数字' in text_line
    neg_line = next(line for line in err_lines if by_unit[neg_unit].name in line)
    assert (
        f"表四!{_pos('t4.count.rv_correct')[1]}" in neg_line and "-3" in neg_line and "非负整数" in neg_line
    )
    year_line = next(line for line in err_lines if by_unit[year_unit].name in line)
    assert "meta!B5" in year_line and "2018" in year_line
    cut_line = next(line for line in err_lines if by_unit[cut_unit].name in line)
    assert "损坏" in cut_line
    assert "其余有效文件已导入" in r.stderr
    assert r.stdout.count("已导入：") == 3

    ws = open_workspace(sample_path)
    repo = ws.repo
    for refused in (text_unit, neg_unit, year_unit, cut_unit):
        assert _unit_json(repo, refused) == before[refused], refused  # nothing of a refused file stored
    a = repo.load_report(repo.find_report(good_a, YEAR))
    assert (a.cells["t3.new.np"], a.cells["t3.r1_open.np"], a.cells["t4.count.rv_keep"]) == (40, 30, 3)
    b = repo.load_report(repo.find_report(good_b, YEAR))
    assert b.cells["t3.new.np"] == 12 and b.cells["t2_9.central_proc.proc_amount"] == Decimal("12.3456")
    assert _unit_json(repo, unchanged)["tables"] == before[unchanged]["tables"]
    sources = repo.cell_sources(a.id)
    assert sources["t3.new.np"][0] == f"xlsx:{by_unit[good_a].name}"
    log = repo.imports(year=YEAR)
    assert {row["file"] for row in log if str(row["result"]).startswith("已导入")} >= {by_unit[good_a].name}
    assert any(row["file"] == by_unit[text_unit].name and "十二" in row["result"] for row in log)
    # The county roll-up now includes the new figures.
    from ruian_desk.storage.assemble import effective_report

    main = effective_report(repo, repo.find_report("瑞安市人民政府", YEAR))
    assert main.values.number("t4.count.rv_keep") == sum(
        repo.load_report(repo.find_report(n, YEAR)).values.number("t4.count.rv_keep") for n in names
    )
    ws.close()


def test_reimport_shows_changes_then_replaces(sample_ws, tmp_path: Path) -> None:
    path = _template(sample_ws, tmp_path)
    repo = sample_ws.repo
    rid = repo.find_report(POLICE, YEAR)
    old = repo.load_report(rid).cells["t3.new.np"]
    fill(
        path,
        {"t3.new.np": old + 1, "t3.r6_other.np": repo.load_report(rid).values.number("t3.r6_other.np") + 1},
    )
    seen = []

    def decline(plan) -> bool:
        seen.append(plan)
        return False

    results, _ = import_files(sample_ws, [path], confirm=decline)
    (plan,) = seen
    assert plan.is_reimport and {c.cell_id for c in plan.changes} == {"t3.new.np", "t3.r6_other.np"}
    change = next(c for c in plan.changes if c.cell_id == "t3.new.np")
    assert (change.old, change.new, change.ref) == (old, old + 1, cell_ref(FMT, "t3.new.np"))
    assert results[0].skipped and repo.load_report(rid).cells["t3.new.np"] == old  # declined: unchanged
    results, _ = import_files(sample_ws, [path], confirm=lambda plan: True)
    assert results[0].ok and not results[0].skipped
    assert repo.load_report(rid).cells["t3.new.np"] == old + 1
    assert repo.unit_year(repo.unit_by_name(POLICE).id, YEAR)["status"] == "已报"
    # The CLI prints the diff and replaces.
    fill(
        path,
        {"t3.new.np": old + 2, "t3.r6_other.np": repo.load_report(rid).values.number("t3.r6_other.np") + 1},
    )
    sample_ws.close()  # the CLI is a second writer: the workspace lock would refuse it otherwise
    r = run_cli("import-xlsx", "-w", str(sample_ws.path), str(path))
    assert r.returncode == 0, r.stderr
    assert (
        f"{cell_ref(FMT, 't3.new.np')} 自然人/一、本年新收政府信息公开申请数量: {old + 1} → {old + 2}"
        in r.stdout
    )


def test_blank_cells_are_zero_and_template_totals_are_not_stored(empty_ws, tmp_path: Path) -> None:
    from ruian_desk.domain.report import Unit, default_report

    repo = empty_ws.repo
    main = repo.add_unit(Unit(name="某县人民政府", role="county_government"))
    repo.set_main_organ(main.id)
    repo.save_report(default_report(main, 2022))
    unit = repo.add_unit(Unit(name="某局", role="department"))
    (path,) = generate_templates(empty_ws, 2022, tmp_path)
    fill(path, {"t3.new.np": 5, "t3.r1_open.np": 5, "t2_8.admin_fee.fee_amount": 0.1}, fmt="gov-2021")
    results, _ = import_files(empty_ws, [path])
    assert results[0].ok, results[0].problems
    report = repo.load_report(repo.find_report("某局", 2022))
    fmt = get_format("gov-2021")
    assert set(report.cells) == set(fmt.input_cells)  # every input cell stored, no derived cell
    assert report.cells["t3.new.ri"] == 0 and report.cells["t2_8.admin_fee.fee_amount"] == Decimal("0.1")
    assert "按 0 计" in results[0].summary
    assert repo.unit_year(unit.id, 2022)["status"] == "已报"


def test_a_figure_in_the_covered_part_of_a_merged_number_cell_is_refused(empty_ws, tmp_path: Path) -> None:
    """The filler lifted the (password-less) protection and pasted an unmerged row over 表二（五）行政许可:
    the figure sits in the third column, the merge's first column is blank. Reading that blank as 0 and
    ignoring the figure would store a wrong number; the file is refused, naming the cell."""
    from ruian_desk.domain.report import Unit, default_report

    repo = empty_ws.repo
    main = repo.add_unit(Unit(name="某县人民政府", role="county_government"))
    repo.set_main_organ(main.id)
    repo.save_report(default_report(main, 2022))
    repo.add_unit(Unit(name="某局", role="department"))
    (path,) = generate_templates(empty_ws, 2022, tmp_path)
    fill(path, {"t3.new.np": 5, "t3.r1_open.np": 5}, fmt="gov-2021")
    sheet, coord = _pos("t2_5.license.decisions", "gov-2021")
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    anchor = ws[coord]
    (merged,) = [m for m in ws.merged_cells.ranges if coord in m]
    ws.unmerge_cells(str(merged))
    ws.cell(anchor.row, anchor.column + 2, 58)
    wb.save(path)
    results, _ = import_files(empty_ws, [path])
    assert not results[0].ok
    covered = f"{openpyxl.utils.get_column_letter(anchor.column + 2)}{anchor.row}"
    assert any(f"{sheet}!{covered}" in p and "58" in p for p in results[0].problems), results[0].problems
    assert repo.find_report("某局", 2022) is None


def test_total_typed_over_formula_is_kept_as_stated_and_checked(sample_ws, tmp_path: Path) -> None:
    path = _template(sample_ws, tmp_path)
    fill(path, {"t3.new.total": 5})  # the filler unprotected the sheet and typed over the 总计 formula
    results, _ = import_files(sample_ws, [path])
    assert results[0].ok
    repo = sample_ws.repo
    report = repo.load_report(repo.find_report(POLICE, YEAR))
    assert report.values.is_stated("t3.new.total") and report.values.stated("t3.new.total") == 5
    assert repo.unit_year(repo.unit_by_name(POLICE).id, YEAR)["status"] == "有错"


# --------------------------------------------------------------------------------------- refusals


def _refused(sample_ws, path: Path) -> list[str]:
    parsed = read_template_file(path, import_context(sample_ws.repo))
    assert not parsed.ok
    return parsed.problems


def test_formula_in_a_number_cell_is_refused_own_totals_are_not(sample_ws, tmp_path: Path) -> None:
    path = _template(sample_ws, tmp_path)
    assert read_template_file(path, import_context(sample_ws.repo)).ok  # own total formulas accepted
    fill(path, {"t3.new.np": "=1+1", "t3.carry_in.np": "=[1]Sheet1!A1"})
    problems = _refused(sample_ws, path)
    assert any(p.startswith(f"表三!{_pos('t3.new.np')[1]} ") and "含公式" in p for p in problems)
    assert any(_pos("t3.carry_in.np")[1] in p for p in problems)
    fill(path, {"t3.new.np": 1, "t3.carry_in.np": 1, "t3.new.total": "=SUM(D8:H8)"})  # a different total
    assert any("含公式" in p and _pos("t3.new.total")[1] in p for p in _refused(sample_ws, path))


def test_edited_label_and_title_are_refused(sample_ws, tmp_path: Path) -> None:
    path = _template(sample_ws, tmp_path)
    wb = openpyxl.load_workbook(path)
    layout = sheet_layout(FMT, "t3")
    r, c, text = next(x for x in layout.labels if x[2] == "（一）予以公开")
    wb["表三"].cell(r, c).value = "（一）公开"
    wb["表四"]["A1"] = "某某单位2019年填报表"
    wb.save(path)
    problems = _refused(sample_ws, path)
    coord = f"{openpyxl.utils.get_column_letter(c)}{r}"
    assert any(p.startswith(f"表三!{coord} 标签被修改") and "（一）予以公开" in p for p in problems)
    assert any(p.startswith("表四!A1 标题被修改") for p in problems)


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"template_version": "99"}, "模板版本“99”本程序不认识"),
        ({"format": "gov-2021"}, "格式版本 gov-2021 与工作区 2019 年度使用的 gov-2019 不符"),
        ({"format": "gov-1999"}, "格式版本“gov-1999”本程序不认识"),
        ({"unit_id": 9999}, "单位编号 9999"),
        ({"unit_name": "别的单位"}, "单位名称“别的单位”与编号"),
        ({"schema": "something-else"}, "不是本程序生成的填报模板"),
    ],
)
def test_meta_problems_are_refused(sample_ws, tmp_path: Path, meta: dict, expected: str) -> None:
    path = fill(_template(sample_ws, tmp_path), {}, meta=meta)
    assert any(expected in p for p in _refused(sample_ws, path))


def test_missing_meta_sheet_and_plain_workbooks_are_refused(sample_ws, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert any("缺少 meta 工作表" in p for p in _refused(sample_ws, plain))
    path = _template(sample_ws, tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["meta"]
    wb.save(path)
    assert any("缺少 meta 工作表" in p for p in _refused(sample_ws, path))


def test_renamed_unit_still_matches_and_unknown_or_retired_units_are_refused(
    sample_ws, tmp_path: Path
) -> None:
    from ruian_desk.domain.report import Unit

    path = _template(sample_ws, tmp_path)
    repo = sample_ws.repo
    unit = repo.unit_by_name(POLICE)
    repo.update_unit(Unit(**{**unit.__dict__, "name": "瑞安市公安局（新名，示例单位）"}))
    parsed = read_template_file(path, import_context(repo))
    assert parsed.ok and parsed.unit.name == "瑞安市公安局（新名，示例单位）"
    repo.update_unit(Unit(**{**repo.unit(unit.id).__dict__, "retired": True}))
    assert any("已撤销" in p for p in _refused(sample_ws, path))


def test_damaged_protected_oversized_and_bomb_files_are_refused(sample_ws, tmp_path: Path) -> None:
    good = _template(sample_ws, tmp_path)
    ole = tmp_path / "password.xlsx"  # Excel's "encrypt with password" writes an OLE2 container
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    assert any("打开密码" in p for p in _refused(sample_ws, ole))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    assert any("损坏" in p for p in _refused(sample_ws, junk))
    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    assert any("文件过大" in p for p in _refused(sample_ws, big))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/padding.bin", b"\0" * (70 * 1024 * 1024))
    assert bomb.stat().st_size < MAX_FILE_BYTES
    assert any("压缩炸弹" in p or "解压后过大" in p for p in _refused(sample_ws, bomb))
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(linked, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    assert any("外部链接" in p for p in _refused(sample_ws, linked))
    macro = tmp_path / "macro.xlsm"
    shutil.copy(good, macro)
    assert any("含宏" in p for p in _refused(sample_ws, macro))


def test_two_files_for_one_unit_are_both_refused(sample_ws, tmp_path: Path) -> None:
    path = _template(sample_ws, tmp_path)
    copy = tmp_path / "copy.xlsx"
    shutil.copy(path, copy)
    results, _ = import_files(sample_ws, [path, copy])
    assert [r.ok for r in results] == [False, False]
    assert all("多个" in r.problems[-1] for r in results)


def test_workspace_backup_hook_is_called_before_writing(sample_ws, tmp_path: Path) -> None:
    calls = []
    sample_ws.backup_before = lambda reason: calls.append(reason)  # what the reliability helper adds
    path = _template(sample_ws, tmp_path)
    import_files(sample_ws, [tmp_path / "missing.xlsx"])
    assert calls == []
    import_files(sample_ws, [path])
    assert calls == ["import"]


# ---------------------------------------------------------------------------- feedback and statuses


def test_feedback_lists_failed_checks_with_template_cells(sample_path: Path, tmp_path: Path) -> None:
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(sample_path)
    path = _template(ws, tmp_path)
    rid = ws.repo.find_report(POLICE, YEAR)
    new = ws.repo.load_report(rid).cells["t3.new.np"]
    fill(path, {"t3.new.np": new + 5})  # breaks T3-BALANCE for 自然人 and 总计
    import_files(ws, [path])
    assert ws.repo.unit_year(ws.repo.unit_by_name(POLICE).id, YEAR)["status"] == "有错"
    ws.close()
    fb = tmp_path / "fb"
    r = run_cli("template", "-w", str(sample_path), "--year", "2019", "--out", str(fb), "--feedback")
    assert r.returncode == 0, r.stderr
    (xlsx,) = list(fb.glob("*.xlsx"))
    assert xlsx.name.startswith("瑞安市公安局（示例单位）-2019年") and "审核意见" in xlsx.name
    ws_ = openpyxl.load_workbook(xlsx)["审核意见"]
    rows = [[c.value for c in row] for row in ws_.iter_rows(min_row=5) if row[0].value]
    balance = [r for r in rows if r[1] == "错误" and "第一项" not in str(r[3]) and "T3" not in str(r[3])]
    assert balance, rows
    col_np = _pos("t3.new.np")[1][0]
    assert any(str(r[2]).startswith(f"表三!{col_np}") and "自然人" in str(r[3]) for r in rows)
    assert "经审核" in ws_["A2"].value
    r = run_cli(
        "template",
        "-w",
        str(sample_path),
        "--year",
        "2019",
        "--out",
        str(fb),
        "--feedback",
        "docx",
        "--unit",
        POLICE,
    )
    assert r.returncode == 0, r.stderr
    import docx

    doc = docx.Document(next(fb.glob("*.docx")))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert f"表三!{col_np}" in text and "审核意见" in doc.paragraphs[0].text


def test_status_follows_imports_checks_and_confirmation(sample_ws, tmp_path: Path) -> None:
    from ruian_desk.domain.report import Unit
    from ruian_desk.exchange.tracker import ConfirmError, confirm_unit, unit_statuses

    repo = sample_ws.repo
    new = repo.add_unit(Unit(name="瑞安市教育局", role="department"))
    rows = {s.unit.name: s for s in unit_statuses(repo, YEAR)}
    assert rows["瑞安市教育局"].status == "未报" and rows["瑞安市教育局"].missing
    assert rows[POLICE].status == "已报" and rows[POLICE].errors == 0
    assert rows["瑞安市人民政府"].is_main and not rows["瑞安市人民政府"].missing
    confirm_unit(repo, rows[POLICE].unit.id, YEAR)
    assert {s.unit.name: s for s in unit_statuses(repo, YEAR)}[POLICE].status == "已确认"
    with pytest.raises(ConfirmError, match="尚未报送"):
        confirm_unit(repo, new.id, YEAR)
    # An edit after the confirmation lifts it.
    rid = repo.find_report(POLICE, YEAR)
    repo.set_cell(rid, "t4.count.rv_keep", 1 + repo.load_report(rid).values.number("t4.count.rv_keep"))
    row = {s.unit.name: s for s in unit_statuses(repo, YEAR)}[POLICE]
    assert row.status == "已报" and repo.unit_year(row.unit.id, YEAR)["status"] == "已报"
    repo.set_cell(rid, "t3.new.np", 10_000)
    row = {s.unit.name: s for s in unit_statuses(repo, YEAR)}[POLICE]
    assert row.status == "有错" and row.errors >= 1
    with pytest.raises(ConfirmError, match="错误"):
        confirm_unit(repo, row.unit.id, YEAR)


# ------------------------------------------------------------------------------ LibreOffice (optional)


def test_template_opens_in_libreoffice(sample_ws, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the headless round trip cannot run here")
    program = Path(soffice).resolve().parent
    if not any(program.glob("libsclo.*")) and not any(program.glob("sclo.dll")):
        pytest.skip("LibreOffice is installed without Calc (libsclo): it cannot open spreadsheets")
    path = _template(sample_ws, tmp_path)
    profile = tmp_path / "lo-profile"  # each job its own profile (PITFALLS §6)
    # The bundled SC font for LibreOffice too, so the result does not depend on the machine's CJK fonts
    # (none on a clean CI machine: the PDF's text would be fallback glyphs).
    from ruian_desk.paths import resource

    fonts = resource("fonts")
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    r = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
    )
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "pdf" / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "予以公开" in text and POLICE[:6] in text and "三安全一稳定" in text
