"""Rendering to bytes and the `charts` export format: real PNG/SVG/PDF files reopened and read."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from ruian_desk.charts.data import report_charts
from ruian_desk.charts.figures import preferred_size
from ruian_desk.charts.render import (
    render_chart,
    render_page,
    render_report_charts,
    render_tujie_page,
)
from ruian_desk.export.bundle import ExportError, export_bundle, formats
from ruian_desk.export.common import view_inputs

from ..conftest import run_cli

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"


def test_render_report_charts_of_the_sample(sample_view) -> None:  # noqa: ANN001
    images = render_report_charts(view_inputs(sample_view), dpi=100)
    # The trends need two years; the sample has one, so they are left out of the exports.
    assert [i.name for i in images] == ["服务比率", "申请人类型", "办理结果", "复议诉讼", "单位排名"]
    charts = {c.key: c for c in report_charts(view_inputs(sample_view))}
    for img in images:
        assert img.title == charts[img.key].title
        png = Image.open(io.BytesIO(img.png))
        assert png.format == "PNG"
        w, h = preferred_size(charts[img.key])
        assert png.size == (round(w * 100), round(h * 100))
        # Not a blank picture: the bars' blue is there.
        colors = {c for _, c in png.convert("RGB").getcolors(1_000_000) or []}
        assert (0x2F, 0x5D, 0x8A) in colors


def test_render_report_charts_of_several_years(multi_view) -> None:  # noqa: ANN001
    names = [i.name for i in render_report_charts(view_inputs(multi_view), dpi=50)]
    assert names == [
        "服务比率",
        "申请人类型",
        "办理结果",
        "复议诉讼",
        "历年申请与复议诉讼",
        "历年服务比率",
        "单位排名",
    ]


def test_same_data_same_bytes(sample_view) -> None:  # noqa: ANN001
    chart = report_charts(view_inputs(sample_view))[1]
    assert render_chart(chart, "png", 60) == render_chart(chart, "png", 60)
    assert render_chart(chart, "svg") == render_chart(chart, "svg")


def test_svg_chart(sample_view) -> None:  # noqa: ANN001
    chart = report_charts(view_inputs(sample_view))[2]
    svg = render_chart(chart, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<path" in svg  # glyphs as outlines: the file shows Chinese on a machine without the font


def test_tujie_page_png_is_a4(sample_view) -> None:  # noqa: ANN001
    png = Image.open(io.BytesIO(render_tujie_page(view_inputs(sample_view), "png")))
    # A4 pages at 200 dpi, one under the other: at 9 pt and more the charts take three pages
    assert png.size[0] == 1654 and png.size[1] % 2338 == 0 and png.size[1] // 2338 == 3


def test_tujie_page_pdf_text_and_fonts(sample_view, tmp_path: Path) -> None:  # noqa: ANN001
    import pypdf

    data = render_tujie_page(view_inputs(sample_view), "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "按此计算" not in text and "数据有误" not in text  # the checker's doubts stay in the app
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars]
    assert sizes and min(sizes) >= 8.95  # legible when printed
    for needle in (
        "瑞安市人民政府2019年政府信息公开工作年度报告 图解",
        "政务服务主要比率指标",
        "76.75%（2364/3080）",
        "2373件（81.9%）",
        "1266件（43.8%）",
        "行政复议（共18件）",
        "1111件（38.3%）",
        "示例数据",
    ):
        assert needle in text, needle
    fonts = set()
    for page in reader.pages:
        for obj in page["/Resources"]["/Font"].values():
            fonts.add(str(obj.get_object()["/BaseFont"]))
    assert fonts and all("NotoSansCJKsc" in f for f in fonts), fonts


def test_unknown_formats_are_refused(sample_view) -> None:  # noqa: ANN001
    chart = report_charts(view_inputs(sample_view))[0]
    with pytest.raises(ValueError):
        render_chart(chart, "jpg")
    from ruian_desk.charts.data import tujie_page

    with pytest.raises(ValueError):
        render_page(tujie_page(view_inputs(sample_view)), "svg")


# ------------------------------------------------------------------------------------------ export


def test_charts_format_is_registered() -> None:
    fmt = formats()["charts"]
    assert (fmt.extension, fmt.label) == ("png", "图表（PNG）")


def test_export_bundle_writes_page_and_charts(sample_view, tmp_path: Path) -> None:  # noqa: ANN001
    tmp_path = tmp_path / "out"
    written = export_bundle(sample_view, ["charts"], tmp_path)
    names = [p.name for p in written]
    assert names == [
        f"{STEM}.png",
        f"{STEM}-图表-服务比率.png",
        f"{STEM}-图表-申请人类型.png",
        f"{STEM}-图表-办理结果.png",
        f"{STEM}-图表-复议诉讼.png",
        f"{STEM}-图表-单位排名.png",
        "manifest.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temp files left
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [f["file"] for f in manifest["files"]] == names[:-1]
    assert Image.open(tmp_path / f"{STEM}.png").size[1] % 2338 == 0
    assert Image.open(tmp_path / f"{STEM}-图表-办理结果.png").format == "PNG"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_export_to_read_only_folder_fails_cleanly(sample_view, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ExportError):
            export_bundle(sample_view, ["charts"], out)
        assert list(out.iterdir()) == []
    finally:
        out.chmod(stat.S_IRWXU)


def test_a_failed_chart_write_leaves_no_partial_set(sample_view, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from ruian_desk.export import bundle, charts_export

    calls = {"n": 0}
    real = bundle.atomic_write

    def flaky(target: Path, write) -> None:  # noqa: ANN001
        calls["n"] += 1
        if calls["n"] == 4:
            raise ExportError(f"无法写入 {target}：磁盘已满")
        real(target, write)

    monkeypatch.setattr(charts_export, "atomic_write", flaky)
    tmp_path = tmp_path / "out"
    with pytest.raises(ExportError, match="磁盘已满"):
        bundle.export_files(sample_view, ["charts"], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_export_charts(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_cli("export", "-w", str(sample_path), "--year", "2019", "--format", "charts", "--out", str(out))
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert f"{STEM}.png" in files and f"{STEM}-图表-服务比率.png" in files and "manifest.json" in files
    assert len(files) == 7
