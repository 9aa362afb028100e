"""The format data: every label character for character, the ids, and the official grid shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ruian_desk.domain.formats import format_for_year, get_format
from ruian_desk.domain.layout import table_grid
from tests.conftest import SHARED

T3_ROWS_2021 = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carry_in", "二、上年结转政府信息公开申请数量"),
    ("g_results", "三、本年度办理结果"),
    ("r1_open", "（一）予以公开"),
    ("r2_partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("g3_withheld", "（三）不予公开"),
    ("r3_1", "1.属于国家秘密"),
    ("r3_2", "2.其他法律行政法规禁止公开"),
    ("r3_3", "3.危及“三安全一稳定”"),
    ("r3_4", "4.保护第三方合法权益"),
    ("r3_5", "5.属于三类内部事务信息"),
    ("r3_6", "6.属于四类过程性信息"),
    ("r3_7", "7.属于行政执法案卷"),
    ("r3_8", "8.属于行政查询事项"),
    ("g4_unable", "（四）无法提供"),
    ("r4_1", "1.本机关不掌握相关政府信息"),
    ("r4_2", "2.没有现成信息需要另行制作"),
    ("r4_3", "3.补正后申请内容仍不明确"),
    ("g5_not_processed", "（五）不予处理"),
    ("r5_1", "1.信访举报投诉类申请"),
    ("r5_2", "2.重复申请"),
    ("r5_3", "3.要求提供公开出版物"),
    ("r5_4", "4.无正当理由大量反复申请"),
    ("r5_5", "5.要求行政机关确认或重新出具已获取信息"),
    ("g6_other", "（六）其他处理"),
    ("r6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("r6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("r6_3", "3.其他"),
    ("r7_total", "（七）总计"),
    ("carry_out", "四、结转下年度继续办理"),
]
T3_COLS = [
    ("np", "自然人"),
    ("ce", "商业企业"),
    ("ri", "科研机构"),
    ("spo", "社会公益组织"),
    ("lso", "法律服务机构"),
    ("oth", "其他"),
    ("total", "总计"),
]
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_COLS = [
    "rv_keep", "rv_correct", "rv_other", "rv_pending", "rv_total",
    "ld_keep", "ld_correct", "ld_other", "ld_pending", "ld_total",
    "la_keep", "la_correct", "la_other", "la_pending", "la_total",
]  # fmt: skip
T2_2021 = [
    (
        "t2_1",
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "行政规范性文件"],
    ),
    ("t2_5", "第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
    ("t2_6", "第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
    ("t2_8", "第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
]
T2_2019 = [
    (
        "t2_1",
        "第二十条第（一）项",
        ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "规范性文件"],
    ),
    (
        "t2_5",
        "第二十条第（五）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "其他对外管理服务事项"],
    ),
    ("t2_6", "第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
    ("t2_8", "第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
    ("t2_9", "第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"]),
]
PARTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def test_year_to_format() -> None:
    assert format_for_year(2019).id == "gov-2019"
    assert format_for_year(2020).id == "gov-2019"
    assert format_for_year(2021).id == "gov-2021"
    assert format_for_year(2026).id == "gov-2021"
    with pytest.raises(ValueError):
        format_for_year(2018)


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_parts_and_common_labels(fid: str) -> None:
    fmt = get_format(fid)
    assert [p.title for p in fmt.parts] == PARTS
    t3 = fmt.tables["t3"]
    assert t3.corner_label == CORNER
    assert [(c.id, c.label) for c in t3.sections[0].columns] == T3_COLS
    assert [c.id for c in fmt.tables["t4"].sections[0].columns] == T4_COLS
    labels = [c.label for c in fmt.tables["t4"].sections[0].columns]
    assert labels == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def test_t3_rows_2021_exact() -> None:
    rows = get_format("gov-2021").tables["t3"].sections[0].rows
    assert [(r.id, r.label) for r in rows] == T3_ROWS_2021


def test_t3_rows_2019_single_other_row() -> None:
    rows = get_format("gov-2019").tables["t3"].sections[0].rows
    expected = [r for r in T3_ROWS_2021 if not r[0].startswith(("g6", "r6_"))]
    expected.insert(expected.index(("r7_total", "（七）总计")), ("r6_other", "（六）其他处理"))
    assert [(r.id, r.label) for r in rows] == expected


@pytest.mark.parametrize("fid,bands", [("gov-2021", T2_2021), ("gov-2019", T2_2019)])
def test_t2_bands(fid: str, bands: list) -> None:
    sections = get_format(fid).tables["t2"].sections
    got = [(s.id, s.caption, [c.label for c in s.columns], [r.label for r in s.rows]) for s in sections]
    assert got == bands
    assert all(s.label_header == "信息内容" for s in sections)


def test_cell_ids_and_derived() -> None:
    fmt = get_format("gov-2021")
    assert fmt.cell(
        "t3.r3_4.np"
    ).label == "表三 （三）不予公开 4.保护第三方合法权益 / 法人或其他组织·自然人".replace(
        "法人或其他组织·", ""
    )
    assert fmt.cell("t3.new.total").derived and fmt.cell("t3.r7_total.np").derived
    assert not fmt.cell("t3.new.np").derived
    assert fmt.cell("t4.count.rv_total").parts == (
        "t4.count.rv_keep",
        "t4.count.rv_correct",
        "t4.count.rv_other",
        "t4.count.rv_pending",
    )
    assert len(fmt.cell("t3.r7_total.total").parts) == 21 * 6
    assert fmt.cell("t2_8.admin_fee.fee_amount").type == "decimal"
    assert set(fmt.groups) >= {"t3.g3_withheld.np", "t3.g6_other.total"}
    # 2021: 25 data rows × 7 + 15 + 表二 (6 + 1 + 2 + 1)
    assert len(fmt.cells) == 25 * 7 + 15 + 10


def test_grid_t3_2021_shape_and_merges() -> None:
    g = table_grid("gov-2021", "t3")
    assert (g.n_rows, g.n_cols, g.header_rows) == (28, 10, 3)
    corner = g.anchor_at(0, 0)
    assert corner is not None and (corner.rowspan, corner.colspan, corner.text) == (3, 3, CORNER)
    top = g.anchor_at(0, 3)
    assert top is not None and (top.colspan, top.text) == (7, "申请人情况")
    np_, org, total = g.anchor_at(1, 3), g.anchor_at(1, 4), g.anchor_at(1, 9)
    assert np_ and (np_.text, np_.rowspan) == ("自然人", 2)
    assert org and (org.text, org.colspan) == ("法人或其他组织", 5)
    assert total and (total.text, total.rowspan) == ("总计", 2)
    assert [g.anchor_at(2, k).text for k in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]  # type: ignore[union-attr]
    results = g.anchor_at(5, 0)
    assert results and (results.text, results.rowspan) == ("三、本年度办理结果", 22)
    withheld = g.anchor_at(7, 1)
    assert withheld and (withheld.text, withheld.rowspan) == ("（三）不予公开", 8)
    new = g.anchor_at(3, 0)
    assert new and (new.colspan, new.text) == (3, "一、本年新收政府信息公开申请数量")
    other = [c for c in g.cells if c.text == "（六）其他处理"][0]
    assert (other.rowspan, other.colspan, other.col) == (3, 1, 1)
    assert g.position_of("t3.carry_out.total") == (27, 9)
    # every grid position is covered exactly once
    covered = [
        (r, k)
        for c in g.cells
        for r in range(c.row, c.row + c.rowspan)
        for k in range(c.col, c.col + c.colspan)
    ]
    assert len(covered) == len(set(covered)) == 28 * 10


def test_grid_t3_2019_shape() -> None:
    g = table_grid("gov-2019", "t3")
    assert (g.n_rows, g.n_cols) == (26, 10)
    assert g.anchor_at(5, 0).rowspan == 20  # type: ignore[union-attr]
    other = [c for c in g.cells if c.text == "（六）其他处理"][0]
    assert (other.colspan, other.col) == (2, 1)


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_grid_t4(fid: str) -> None:
    g = table_grid(fid, "t4")
    assert (g.n_rows, g.n_cols) == (4, 15)
    assert len(g.number_cells()) == 15
    assert g.anchor_at(0, 0).text == "行政复议" and g.anchor_at(0, 0).colspan == 5  # type: ignore[union-attr]
    assert g.anchor_at(0, 5).text == "行政诉讼" and g.anchor_at(0, 5).colspan == 10  # type: ignore[union-attr]
    assert g.anchor_at(1, 5).text == "未经复议直接起诉"  # type: ignore[union-attr]
    assert g.anchor_at(1, 10).text == "复议后起诉"  # type: ignore[union-attr]
    assert g.anchor_at(1, 4).text == "总计" and g.anchor_at(1, 4).rowspan == 2  # type: ignore[union-attr]


def test_grid_t2_2021() -> None:
    g = table_grid("gov-2021", "t2")
    assert (g.n_rows, g.n_cols) == (14, 4)
    assert g.anchor_at(0, 0).text == "第二十条第（一）项" and g.anchor_at(0, 0).colspan == 4  # type: ignore[union-attr]
    lic = g.anchor_at(6, 1)
    assert lic is not None and lic.cell_id == "t2_5.license.decisions" and lic.colspan == 3


# A copy of ../shared/format/tables.json, so that a clean clone (without ../shared) compares too; where
# ../shared is beside the repo, the copy must be the same file.
TABLES_COPY = Path(__file__).resolve().parents[1] / "data" / "format-tables.json"


@pytest.mark.skipif(not (SHARED / "format" / "tables.json").exists(), reason="../shared not beside the repo")
def test_copy_of_shared_tables_json_is_current() -> None:
    assert TABLES_COPY.read_bytes() == (SHARED / "format" / "tables.json").read_bytes(), (
        "tests/data/format-tables.json differs from ../shared/format/tables.json: copy it again"
    )


@pytest.mark.parametrize("fid", ["gov-2019", "gov-2021"])
def test_resources_match_shared_tables_json(fid: str) -> None:
    from ruian_desk.paths import resource

    shared = json.loads(TABLES_COPY.read_text(encoding="utf-8"))["versions"][fid]
    ours = json.loads(resource("formats", f"{fid}.json").read_text(encoding="utf-8"))
    assert ours["tables"] == shared["tables"]
    assert ours["parts"] == shared["parts"]


def test_one_format_is_built_alone_and_the_same_object_is_shared() -> None:
    import subprocess
    import sys

    # A fresh interpreter: opening a 2019 workspace must not build the 2021 format (start-up time).
    code = (
        "from ruian_desk.domain import formats as f\n"
        "a = f.get_format('gov-2019')\n"
        "print(sorted(p.stem for p in f._by_file))\n"
        "assert f.format_for_year(2019) is a and f.get_format('gov-2019') is a\n"
        "print(sorted(p.stem for p in f._by_file))\n"
        "for bad in ('gov-2020', '../formats/gov-2019', ''):\n"
        "    try:\n"
        "        f.get_format(bad)\n"
        "    except f.FormatError as exc:\n"
        "        print('refused', repr(bad), exc)\n"
    )
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    lines = r.stdout.splitlines()
    assert lines[0] == "['gov-2019']"
    assert lines[1] == "['gov-2019', 'gov-2021']"
    assert len([line for line in lines if line.startswith("refused")]) == 3
    assert "未知的格式版本 'gov-2020'" in r.stdout
