"""import-report: the app's own DOCX, HTML and PDF exports read back to the same cells and parts, the command's
contract (dry run, --json, --yes, exit codes), provenance, and the variants real documents print."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Report
from ruian_desk.exchange.documents.importer import plan_document, read_file
from ruian_desk.exchange.documents.labels import parse_figure
from ruian_desk.exchange.documents.model import Document, Grid, Para
from ruian_desk.exchange.documents.understand import understand
from ruian_desk.export.bundle import export_bundle
from ruian_desk.export.view import ExportOptions, build_view
from ruian_desk.services.imports import store_documents
from ruian_desk.storage.assemble import resolve_report_id
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import run_cli
from tests.export.conftest import MAIN_2021, make_2021_workspace


def _flat(text: str) -> str:
    return "".join(text.split())


def _export(ws_path: Path, year: int, out: Path, names: list[str]) -> tuple[Report, dict[str, Path]]:
    with open_workspace(ws_path, readonly=True) as ws:
        rid = resolve_report_id(ws.repo, year, None)
        report = ws.repo.load_report(rid)
        view = build_view(ws.repo, rid, workspace=str(ws_path), options=ExportOptions())
    written = export_bundle(view, names, out)
    by_suffix = {p.suffix.lstrip("."): p for p in map(Path, written) if p.name != "manifest.json"}
    return report, by_suffix


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from ruian_desk.services.sample import build_sample

    folder = tmp_path_factory.mktemp("sample-exports")
    ws_path = folder / "s.sqlite"
    build_sample(ws_path).close()
    report, files = _export(ws_path, 2019, folder / "out", ["docx", "pdf", "html", "json"])
    return report, files


@pytest.fixture(scope="module")
def exports_2021(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("exports-2021")
    ws_path = make_2021_workspace(folder / "w.sqlite", with_units=False)
    report, files = _export(ws_path, 2021, folder / "out", ["docx", "pdf", "html", "json"])
    return report, files


def _published_text(report: Report) -> dict[str, str]:
    """The parts as the exports print them (placeholders filled in)."""
    from ruian_desk.domain.narrative import render_placeholders

    texts = {k: report.part(k) for k in ("p1", "p5", "p6")}
    return {"intro": render_placeholders(report.intro, report)} | {
        k: render_placeholders(v, report) for k, v in texts.items()
    }


def _assert_same(report: Report, got, published: dict[str, str]) -> None:  # noqa: ANN001 - ReadReport
    fmt = report.fmt
    assert (got.unit, got.year, got.format_id) == (report.unit, report.year, report.format_id)
    wrong = {
        cid: (report.values.get(cid), got.cells.get(cid))
        for cid in fmt.cells
        if report.values.get(cid) != got.cells.get(cid)
    }
    assert wrong == {}
    for cid, value in got.cells.items():  # the exact type too: 136452.37 stays a Decimal, 17 an int
        assert type(value) is type(report.values.get(cid)), cid
    assert got.confidence == {"t2": 1.0, "t3": 1.0, "t4": 1.0}
    for key in ("p1", "p5", "p6"):
        assert _flat(got.parts[key]) == _flat(published[key]), key
    assert _flat(got.intro) == _flat(published["intro"])
    assert got.signature_date == report.signature.date
    assert got.signature_organ == report.signature.organ


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_sample_exports_read_back_to_the_same_cells_and_parts(sample_exports, kind: str) -> None:  # noqa: ANN001
    report, files = sample_exports
    got = read_file(files[kind])
    assert got.ok, got.refused
    _assert_same(report, got, _published_text(report))
    assert got.title == "瑞安市人民政府2019年政府信息公开工作年度报告"


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_2021_exports_read_back_to_the_same_cells_and_parts(exports_2021, kind: str) -> None:  # noqa: ANN001
    report, files = exports_2021
    got = read_file(files[kind])
    assert got.ok, got.refused
    assert got.unit == MAIN_2021
    _assert_same(report, got, _published_text(report))
    # Where each figure was read: the PDF's page, the table's row.
    sample_cell = "t3.r3_4.np"
    where = got.sources[sample_cell]
    if kind == "pdf":
        assert re.search(r"第\d+页表格第\d+行", where)
    else:
        assert "表格" in where and "行" in where


def test_cli_dry_run_json_then_yes_stores_with_provenance(sample_exports, tmp_path: Path) -> None:  # noqa: ANN001
    report, files = sample_exports
    ws = tmp_path / "w.sqlite"
    r = run_cli("import-report", "-w", str(ws), str(files["pdf"]), "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    (entry,) = out["files"]
    assert set(entry) == {"path", "unit", "year", "format", "parts", "tables", "sources", "confidence", "problems"}
    assert set(entry["parts"]) == {"title", "intro", "p1", "p5", "p6", "signature"}
    assert entry["tables"]["t3"]["new"]["np"] == report.values.get("t3.new.np")
    assert entry["tables"]["t2"]["t2_9"]["central_proc"]["proc_amount"] == float(
        report.values.get("t2_9.central_proc.proc_amount")
    )
    assert not ws.exists()  # a dry run writes nothing, not even a new workspace

    r = run_cli("import-report", "-w", str(ws), str(files["pdf"]))
    assert r.returncode == 0 and "加 --yes" in r.stdout and not ws.exists()

    r = run_cli("import-report", "-w", str(ws), str(files["pdf"]), "--yes")
    assert r.returncode == 0, r.stderr
    with open_workspace(ws, readonly=True) as w:
        rid = w.repo.find_report("瑞安市人民政府", 2019)
        assert rid is not None
        stored = w.repo.load_report(rid)
        assert stored.cells["t3.new.np"] == report.values.get("t3.new.np")
        assert _flat(stored.part("p5")) == _flat(report.part("p5"))
        row = w.db.execute(
            "SELECT source FROM cells WHERE report_id = ? AND cell_id = 't3.new.np'", [rid]
        ).fetchone()
        assert row[0].startswith("report:" + files["pdf"].name) and "页" in row[0]
        imports = w.repo.imports()
        assert imports[-1]["kind"] == "report" and imports[-1]["file"] == files["pdf"].name
        assert w.repo.main_organ() is not None  # the county report of last year sets up the workspace


def test_refused_files_change_nothing_and_exit_1(tmp_path: Path, sample_exports) -> None:  # noqa: ANN001
    _, files = sample_exports
    ws = tmp_path / "w.sqlite"
    doc = tmp_path / "旧版.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    fake_pdf = tmp_path / "坏的.pdf"
    fake_pdf.write_bytes(b"%PDF-1.4\n garbage")
    r = run_cli("import-report", "-w", str(ws), str(doc), str(fake_pdf), str(files["docx"]), "--yes")
    assert r.returncode == 1
    assert "另存为" in r.stdout and "坏的.pdf" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    with open_workspace(ws, readonly=True) as w:
        assert w.repo.find_report("瑞安市人民政府", 2019) is not None  # the good file is still imported
        refused = [i for i in w.repo.imports() if str(i["result"]).startswith("已拒绝")]
        assert {i["file"] for i in refused} == {"旧版.doc", "坏的.pdf"}


def test_reimport_names_the_changes_and_keeps_tables_the_document_lacks(tmp_path: Path, sample_exports) -> None:  # noqa: ANN001
    report, files = sample_exports
    ws = open_workspace(tmp_path / "w.sqlite", create=True)
    try:
        store_documents(ws, [plan_document(ws.repo, read_file(files["docx"]))])
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        ws.repo.set_cell(rid, "t3.new.np", 1)
        ws.repo.set_cell(rid, "t4.count.rv_keep", 99)
        # A copy without 表四: that table is kept as stored, not blanked.
        rr = read_file(files["docx"])
        rr.found_tables.discard("t4")
        plan = plan_document(ws.repo, rr)
        assert plan.tables == ("t2", "t3")
        cell_changes = [(c.target, c.old, c.new) for c in plan.changes if c.target.startswith("t")]
        assert cell_changes == [("t3.new.np", "1", str(report.values.get("t3.new.np")))]
        store_documents(ws, [plan])
        after = ws.repo.load_report(rid)
        assert after.cells["t4.count.rv_keep"] == 99
        assert after.cells["t3.new.np"] == report.values.get("t3.new.np")
    finally:
        ws.close()


# --------------------------------------------------------------------------- variants real documents print


def test_blank_marks_are_blank_never_zero_and_numbers_put_back_together() -> None:
    assert parse_figure("/", "int") == (None, None)
    assert parse_figure("—", "int") == (None, None)
    assert parse_figure("不适用", "int") == (None, None)
    assert parse_figure(" ", "int") == (None, None)
    assert parse_figure("０", "int") == (0, None)
    assert parse_figure("１２", "int") == (12, None)
    assert parse_figure("1,234", "int") == (1234, None)
    assert parse_figure("3 119", "int") == (3119, None)
    assert parse_figure("3\n119", "int") == (3119, None)
    assert parse_figure("24252.311082", "decimal") == (Decimal("24252.311082"), None)
    assert parse_figure("-36", "signed_int") == (-36, None)
    value, problem = parse_figure("12a", "int")
    assert value is None and "不是数字" in problem
    value, problem = parse_figure("-3", "int")
    assert value is None and "负数" in problem


def _doc(*blocks) -> Document:  # noqa: ANN002
    return Document("test.docx", "docx", list(blocks))


def _t3_grid_2021(rows: list[tuple[str, list[str]]], extra_subtotal: bool = False) -> Grid:
    head3 = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    if extra_subtotal:
        head3 = head3[:6] + ["小计"] + head3[6:]
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    grid = [
        (corner, corner, corner, *["申请人情况"] * len(head3)),
        (corner, corner, corner, "自然人", *["法人或其他组织"] * (len(head3) - 2), "总计"),
        (corner, corner, corner, *head3),
    ]
    group = ""
    for label, values in rows:
        if label.startswith(("（三）", "(三)", "（四）", "（五）", "（六）")) and "|" in label:
            group, label = label.split("|")
        grid.append(("三、本年度办理结果" if group else label, group or label, label, *values))
    return Grid(tuple(tuple(r) for r in grid), tuple(f"第1个表格第{i + 1}行" for i in range(len(grid))))


def test_label_variants_single_other_row_and_subtotal_column() -> None:
    vals8 = ["1", "2", "0", "0", "0", "0", "2", "3"]  # 小计 before 总计
    rows = [
        ("一、本年新收政府信息公开申请数量", vals8),
        ("二、上年结转政府信息公开申请数量", ["/", "—", "", "0", "0", "0", "0", "0"]),
        ("(一)予以公开", vals8),
        ("(三)不予公开|1、属于国家秘密", vals8),
        ("（六）其他处理", vals8),
        ("(七)总计", vals8),
        ("四、结转下一年度继续办理", vals8),
    ]
    doc = _doc(
        Para("瑞安市塘下镇人民政府2021年政府信息公开工作年度报告", "第1段"),
        Para("三、收到和处理政府信息公开申请情况", "第2段"),
        _t3_grid_2021(rows, extra_subtotal=True),
    )
    rr = understand(doc)
    assert (rr.unit, rr.year, rr.format_id) == ("瑞安市塘下镇人民政府", 2021, "gov-2021")
    assert rr.cells["t3.new.ce"] == 2 and rr.cells["t3.new.total"] == 3  # the 小计 column is skipped
    assert rr.cells["t3.carry_in.np"] is None and rr.cells["t3.carry_in.ce"] is None  # "/" and "—"
    assert rr.cells["t3.carry_in.ri"] is None  # an empty cell
    assert rr.cells["t3.r3_1.np"] == 1
    assert rr.cells["t3.r6_3.np"] == 1  # 2019's single （六） row, into 3.其他 …
    assert any("（六）其他处理" in p for p in rr.problems)  # … and named
    assert rr.cells["t3.r7_total.total"] == 3 and rr.cells["t3.carry_out.np"] == 1
    assert any("缺少" in p for p in rr.problems)  # the rows this table did not print
    assert 0 < rr.confidence["t3"] < 1 and rr.confidence["t2"] == 0.0
    assert any("未找到表二" in p for p in rr.problems)


def test_a_2021_report_printed_with_2019_labels_is_named() -> None:
    t2 = Grid(
        (
            ("第二十条第（一）项",) * 4,
            ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
            ("规章", "0", "0", "0"),
            ("规范性文件", "3", "3", "40"),
        ),
        tuple(f"r{i}" for i in range(4)),
    )
    rr = understand(_doc(Para("瑞安市教育局2021年政府信息公开工作年度报告", "1"), t2))
    assert rr.format_id == "gov-2019"
    assert rr.cells["t2_1.normative.total_public"] == 40
    assert any("2019年版格式" in p for p in rr.problems)


def test_text_copy_traditional_with_pinyin_and_spam_flattened_tables(tmp_path: Path) -> None:
    fmt = get_format("gov-2021")
    t3_rows = list(fmt.tables["t3"].sections[0].number_rows())
    lines = [
        "瑞安市安陽街道辦事處2021年(nián)政府信息公開工作年度報告",
        "本報告中所列數據的統計期限自2021年1月1日起至2021年12月31日止。",
        "一、總體情況",
        "2021年，本街道主動公開政府信息1,234條。更多精彩請訪問 http://www.spam-example.cn",
        "二、主動公開政府信息情況",
        "第二十條第（一）項",
        "信息內容 本年制發件數 本年廢止件數 現行有效件數",
        "規章 0 0 0",
        "行政規範性文件 2 1 15",
        "第二十條第（五）項",
        "行政許可 ／",
        "第二十條第（六）項",
        "行政處罰 12",
        "行政強制 0",
        "第二十條第（八）項",
        "行政事業性收費 0.35",
        "三、收到和處理政府信息公開申請情況",
        "自然人 商業企業 科研機構 社會公益組織 法律服務機構 其他 總計",
    ]
    for i, row in enumerate(t3_rows):
        lines.append(f"{row.label} {i} 0 0 0 0 0 {i}")
    lines += [
        "四、政府信息公開行政復議、行政訴訟情況",
        "行政復議 行政訴訟 結果維持 結果糾正 其他結果 尚未審結 總計",
        " ".join(str(n) for n in (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        "五、存在的主要問題及改進情況",
        "人員不足，培訓不夠。",
        "六、其他需要報告的事項",
        "本年度未收取信息處理費。",
        "瑞安市安陽街道辦事處",
        "2022年1月20日",
    ]
    path = tmp_path / "转载.txt"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    rr = read_file(path)
    assert rr.ok, rr.refused
    assert (rr.unit, rr.year, rr.format_id) == ("瑞安市安阳街道办事处", 2021, "gov-2021")
    assert rr.title == "瑞安市安阳街道办事处2021年政府信息公开工作年度报告"
    assert "1,234条" in rr.parts["p1"] and "主动公开" in rr.parts["p1"]
    assert rr.cells["t2_1.normative.valid"] == 15
    assert rr.cells["t2_5.license.decisions"] is None
    assert rr.cells["t2_6.penalty.decisions"] == 12
    assert rr.cells["t2_8.admin_fee.fee_amount"] == Decimal("0.35")
    for i, row in enumerate(t3_rows):
        assert rr.cells[f"t3.{row.id}.np"] == i, row.label
    assert rr.cells["t4.count.rv_keep"] == 1 and rr.cells["t4.count.rv_total"] == 1
    assert rr.confidence == {"t2": 1.0, "t3": 1.0, "t4": 1.0}
    assert rr.parts["p6"] == "本年度未收取信息处理费。"
    assert rr.signature_organ == "瑞安市安阳街道办事处"
    joined = " ".join(rr.problems)
    assert "繁体" in joined and "拼音" in joined and "spam-example" in joined


def test_portal_page_gbk_with_chrome(tmp_path: Path, sample_exports) -> None:  # noqa: ANN001
    """The sample's own HTML wrapped in a portal's navigation, scripts and footer, saved as GBK."""
    report, files = sample_exports
    html = files["html"].read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1)
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>瑞安市人民政府2019年政府信息公开工作年度报告_瑞安市人民政府门户网站</title>"
        "<script>var nav='首页 总体情况 主动公开 行政复议 其他需要报告';</script></head><body>"
        '<div class="top"><ul><li><a>首页</a></li><li><a>政务公开</a></li><li><a>总体情况</a></li>'
        "<li><a>主动公开</a></li><li><a>收到和处理</a></li><li><a>行政复议</a></li></ul></div>"
        '<div class="crumb">首页 &gt; 信息公开 &gt; 政府信息公开年报</div>'
        '<div class="main"><div class="side"><p>相关链接</p><p>瑞安市2018年政府信息公开工作年度报告</p></div>'
        '<div class="article"><p>发布时间：2020-02-20 来源：市府办 浏览次数：1024</p>'
        + body
        + "</div></div><div class='foot'>版权所有：瑞安市人民政府 浙ICP备05000000号 网站标识码3303810001</div>"
        "</body></html>"
    )
    path = tmp_path / "portal.htm"
    path.write_bytes(page.encode("gbk"))
    rr = read_file(path)
    assert rr.ok, rr.refused
    _assert_same(report, rr, _published_text(report))
    assert "浏览次数" not in rr.intro and "版权所有" not in rr.parts["p6"]
