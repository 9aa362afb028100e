"""verify-published: a unit's own export verified against itself is 一致; the same page with one cell changed,
one zero blanked, one row shifted by a column and one sentence edited gives exactly those differences; another
year's file is named as such; the result is stored with the file's SHA-256 and nothing else changes."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from ruian_desk.exchange.documents.importer import read_file
from ruian_desk.exchange.documents.verify import SAME, compare, verify_documents
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import run_cli
from tests.exchange.test_import_report import _export

UNIT = "瑞安市人民政府"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from ruian_desk.services.sample import build_sample

    folder = tmp_path_factory.mktemp("verify")
    ws_path = folder / "s.sqlite"
    build_sample(ws_path).close()
    report, files = _export(ws_path, 2019, folder / "out", ["docx", "pdf", "html"])
    return ws_path, report, files


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_own_export_is_the_same(published, kind: str) -> None:  # noqa: ANN001
    _, report, files = published
    v = compare(report, read_file(files[kind]), UNIT)
    assert (v.status, v.cells, v.sentences) == (SAME, [], [])


def _damaged_page(html: str) -> str:
    root = lxml.html.document_fromstring(html)

    def row(label: str):  # noqa: ANN202
        return next(tr for tr in root.iter("tr") if label in tr.text_content())

    def number_cells(tr):  # noqa: ANN001, ANN202
        return [td for td in tr if td.text_content().strip().lstrip("-").isdigit()]

    number_cells(row("一、本年新收"))[0].text = "2374"  # one cell changed (was 2373)
    tds = number_cells(row("二、上年结转"))  # one row shifted by a column (a merge lost on the portal)
    texts = [td.text_content() for td in tds]
    for td, text in zip(tds, ["", *texts[:-1]], strict=True):
        for child in list(td):
            td.remove(child)
        td.text = text
    number_cells(row("规章"))[0].text = ""  # a zero printed as a blank
    for p in root.iter("p"):
        if p.text and "本机关无其他报告事项。" in p.text:
            p.text = p.text.replace("本机关无其他报告事项。", "本机关无其他需要报告的事项。")
    return lxml.html.tostring(root, encoding="unicode")


def test_the_injected_differences_and_nothing_else(published, tmp_path: Path) -> None:  # noqa: ANN001
    _, report, files = published
    page = tmp_path / "portal.html"
    page.write_text(_damaged_page(files["html"].read_text(encoding="utf-8")), encoding="utf-8")
    v = compare(report, read_file(page), UNIT)
    cells = {c.cell: (c.published, c.stored) for c in v.cells}
    shifted = {k: val for k, val in cells.items() if k.startswith("t3.carry_in.")}
    assert cells.pop("t3.new.np") == (2374, 2373)
    assert cells.pop("t2_1.rules.new_made") == (None, 0)
    assert len(shifted) == 7 and cells.keys() == shifted.keys()
    assert [(s.part, s.published, s.stored) for s in v.sentences] == [
        ("六、其他需要报告的事项", "本机关无其他需要报告的事项。", "本机关无其他报告事项。")
    ]
    assert v.status == "有差异（9处数字、1处文字）"
    joined = " ".join(v.problems)
    assert "错了一列" in joined and "0 印成了空白" in joined


def test_cli_json_other_year_not_found_and_stored_result(published, tmp_path: Path) -> None:  # noqa: ANN001
    ws_path, _, files = published
    ws = tmp_path / "w.sqlite"
    ws.write_bytes(ws_path.read_bytes())
    other_year = tmp_path / "other.html"
    other_year.write_text(files["html"].read_text(encoding="utf-8").replace("2019年", "2018年"), encoding="utf-8")
    r = run_cli("verify-published", "-w", str(ws), "--year", "2019", str(files["pdf"]), "--json", "--out", str(tmp_path / "out"))
    assert r.returncode == 1  # the illustrative units have no published copy
    units = {u["unit"]: u for u in json.loads(r.stdout)["units"]}
    assert units[UNIT]["status"] == SAME and units[UNIT]["cells"] == []
    assert {u["status"] for name, u in units.items() if name != UNIT} == {"未找到发布稿"}
    assert (tmp_path / "out" / "2019年发布稿核验表.xlsx").exists() and (tmp_path / "out" / "2019年发布稿核验表.docx").exists()
    r = run_cli("verify-published", "-w", str(ws), "--year", "2019", "--unit", UNIT, str(other_year), "--json")
    (entry,) = json.loads(r.stdout)["units"]
    assert entry["status"] == "发布稿年度不符（2018年）" and r.returncode == 1
    with open_workspace(ws, readonly=True) as w:
        results = [i for i in w.repo.imports() if i["kind"] == "verify"]
        assert [i["result"] for i in results] == [SAME, "发布稿年度不符（2018年）"]
        assert all(len(str(i["sha256"])) == 64 for i in results)
        rid = w.repo.find_report(UNIT, 2019)
        after = w.repo.load_report(rid).cells
    with open_workspace(ws_path, readonly=True) as original:
        assert after == original.repo.load_report(rid).cells  # a verification changes no figure


def test_unknown_unit_and_unreadable_file_are_named(published, tmp_path: Path) -> None:  # noqa: ANN001
    ws_path, _, files = published
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    stranger = tmp_path / "stranger.html"
    stranger.write_text(files["html"].read_text(encoding="utf-8").replace("瑞安市人民政府", "平阳县人民政府"), encoding="utf-8")
    with open_workspace(ws_path, readonly=True) as w:
        results = verify_documents(w.repo, 2019, [read_file(bad), read_file(stranger)], None)
    by_file = {v.file: v for v in results if v.file}
    assert by_file["坏.pdf"].status == "无法读取"
    assert by_file["stranger.html"].status == "单位不在工作区"
