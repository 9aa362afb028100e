"""The summary view (汇总图表): lazy matplotlib, selectors, redraw after edits, saving charts and the 图解 page."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ruian_desk.storage.workspace import Workspace, open_workspace
from tests.charts.conftest import MAIN, build_multi_year

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


# ------------------------------------------------------------------------------------------ imports


def test_panel_module_imports_the_canvas_only_when_constructed(sample_path: Path) -> None:
    r = _python(
        "import sys\n"
        "from ruian_desk.app import create_application\n"
        "app = create_application()\n"
        "import ruian_desk.gui.chart_panel as cp\n"
        "mpl = [m for m in sys.modules if m.startswith('matplotlib')]\n"
        "assert not mpl, mpl\n"
        "from ruian_desk.storage.workspace import open_workspace\n"
        "from ruian_desk.gui.context import AppContext\n"
        f"ws = open_workspace({str(sample_path)!r})\n"
        "ctx = AppContext(ws, ws.repo.find_report('瑞安市人民政府', 2019))\n"
        "assert 'matplotlib.backends.backend_qtagg' not in sys.modules\n"
        "panel = cp.ChartPanel(ctx)\n"
        # Constructing the page imports nothing of matplotlib: the window is not held for half a second.
        "assert not [m for m in sys.modules if m.startswith('matplotlib')]\n"
        "assert panel.canvas is None and panel.placeholder.text() == '正在准备图表…'\n"
        "panel.show()\n"
        "assert panel.settle()\n"
        "assert 'matplotlib.backends.backend_qtagg' in sys.modules\n"
        "assert type(panel.canvas).__name__ == 'FigureCanvasQTAgg' and panel.placeholder.isHidden()\n"
        "assert panel.figure.get_axes()\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        # One step per pass of the event loop, none of them long (the steps' own timings).
        "names = [n for n, _ in panel.warmup.timings]\n"
        "assert names[:2] == ['numpy_stdlib', 'numpy'] and names[-1] == 'charts' and len(names) > 20, names\n"
    )
    assert r.returncode == 0, r.stderr


def test_window_warms_the_charts_up_after_its_checks_show(sample_path: Path) -> None:
    r = _python(
        "import sys, time\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from ruian_desk.app import create_application\n"
        "from ruian_desk.gui import warmup\n"
        "from ruian_desk.gui.main_window import open_main_window\n"
        "warmup.IDLE_DELAY_MS = 300\n"  # 5 s in the app
        "app = create_application()\n"
        f"w = open_main_window(Path({str(sample_path)!r}))\n"
        "w.show()\n"
        "end = time.monotonic() + 60\n"
        "while w.checks_pending() and time.monotonic() < end:\n"
        "    app.processEvents()\n"
        "assert not w.checks_pending()\n"
        "assert 'matplotlib' not in sys.modules\n"  # not with the checks: some time later
        "while not w.warmup.done and time.monotonic() < end:\n"
        "    app.processEvents()\n"
        "    time.sleep(0.005)\n"
        "assert w.warmup.done and 'matplotlib.backends.backend_qtagg' in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "page = w.show_node('charts')\n"
        "assert page.canvas is not None\n"  # built at once: every module was there
    )
    assert r.returncode == 0, r.stderr


def test_app_start_and_main_window_do_not_import_matplotlib(sample_path: Path) -> None:
    r = _python(
        "import sys\n"
        "from pathlib import Path\n"
        "from ruian_desk.app import create_application\n"
        "from ruian_desk.gui.main_window import open_main_window\n"
        "app = create_application()\n"
        f"w = open_main_window(Path({str(sample_path)!r}))\n"
        "w.show()\n"
        "app.processEvents()\n"
        "mpl = [m for m in sys.modules if m.startswith('matplotlib')]\n"
        "assert not mpl, mpl\n"
    )
    assert r.returncode == 0, r.stderr


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture
def app_font(qapp) -> None:  # noqa: ANN001
    from ruian_desk.gui.fonts import install_app_font

    install_app_font(qapp)


@pytest.fixture
def sample_panel(qtbot, app_font, sample_ws: Workspace):  # noqa: ANN001, ANN201
    from ruian_desk.gui.chart_panel import ChartPanel
    from ruian_desk.gui.context import AppContext

    ctx = AppContext(sample_ws, sample_ws.repo.find_report("瑞安市人民政府", 2019))
    panel = ChartPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.settle()  # the charts' data is worked out off the GUI thread
    return panel


@pytest.fixture(scope="module")
def multi_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("multi-gui") / "multi.sqlite"
    build_multi_year(path).close()
    return path


@pytest.fixture
def multi_ws(multi_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    import shutil

    target = tmp_path / "multi.sqlite"
    shutil.copy(multi_template, target)
    ws = open_workspace(target)
    yield ws
    ws.close()


@pytest.fixture
def multi_panel(qtbot, app_font, multi_ws: Workspace):  # noqa: ANN001, ANN201
    from ruian_desk.gui.chart_panel import ChartPanel
    from ruian_desk.gui.context import AppContext

    ctx = AppContext(multi_ws, multi_ws.repo.find_report(MAIN, 2023))
    panel = ChartPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.settle()  # the charts' data is worked out off the GUI thread
    return panel


def _axes(panel, label: str):  # noqa: ANN001, ANN201
    found = [a for a in panel.figure.get_axes() if a.get_label() == label]
    assert len(found) == 1, [a.get_label() for a in panel.figure.get_axes()]
    return found[0]


def _widths(ax) -> list[float]:  # noqa: ANN001
    return [p.get_width() for p in ax.patches]


def _picker(panel) -> list[str]:  # noqa: ANN001
    return [panel.picker.item(i).text() for i in range(panel.picker.count())]


# ------------------------------------------------------------------------------------------ sample


def test_sample_panel_lists_and_draws_every_chart(sample_panel) -> None:  # noqa: ANN001
    panel = sample_panel
    assert _picker(panel) == [
        "服务比率",
        "申请人类型",
        "办理结果",
        "复议诉讼",
        "历年申请与复议诉讼",
        "历年服务比率",
        "单位排名",
    ]
    assert panel.current_year() == 2019 and panel.current_unit() == "瑞安市人民政府"
    assert panel.current_key() == "rates"
    assert panel.figure.get_suptitle() == "政务服务主要比率指标"
    assert round(_widths(_axes(panel, "rates"))[0], 2) == 99.74
    panel.select_chart("applicants")
    ax = _axes(panel, "applicants")
    assert _widths(ax) == [2373, 270, 0, 42, 124, 90]
    assert "示例数据" in ax.get_title(loc="left")
    panel.select_chart("outcomes")
    assert _widths(_axes(panel, "outcomes")) == [1266, 234, 205, 884, 245, 56]
    panel.select_chart("reviews")
    assert [p.get_height() for p in _axes(panel, "reviews").patches][:4] == [11, 4, 1, 2]
    panel.select_chart("units")
    assert _widths(_axes(panel, "units"))[0] == 1111
    panel.select_chart("trend_counts")
    assert "只有2019年度" in panel.status.text()
    assert any("只有2019年度" in t.get_text() for t in _axes(panel, "trend_counts").texts)


def test_grab_shows_the_chart(sample_panel, tmp_path: Path) -> None:  # noqa: ANN001
    sample_panel.select_chart("outcomes")
    image = sample_panel.grab().toImage()
    assert image.width() >= 1000
    # The canvas area holds the bars' blue, i.e. the figure really was painted into the widget.
    canvas = sample_panel.canvas.grab().toImage()
    blue = 0
    for x in range(0, canvas.width(), 7):
        for y in range(0, canvas.height(), 7):
            c = canvas.pixelColor(x, y)
            if (c.red(), c.green(), c.blue()) == (0x2F, 0x5D, 0x8A):
                blue += 1
    assert blue > 50


def test_edit_redraws_the_chart(qtbot, sample_panel) -> None:  # noqa: ANN001
    panel = sample_panel
    panel.select_chart("applicants")
    ctx = panel.ctx
    ctx.repo.set_setting(ctx.report_id, "scope.t3", "own")  # 表三 typed here, not summed from the units
    ctx.repo.set_cell(ctx.report_id, "t3.new.np", 2400)
    with qtbot.waitSignal(panel.redrawn, timeout=5000):
        ctx.notify_changed()
    ax = _axes(panel, "applicants")
    assert _widths(ax)[0] == 2400
    assert "新收申请共2926件" in ax.get_title(loc="left")
    # 2400 no longer balances the column: the chart says its data has errors, as the checks do.
    assert "数据有误" in ax.get_title(loc="left")
    assert "（数据有误）" in panel.picker.item(1).text()
    assert "数据有误" in panel.status.text()


def test_edits_while_hidden_redraw_when_shown(qtbot, sample_panel) -> None:  # noqa: ANN001
    panel = sample_panel
    panel.select_chart("applicants")
    panel.hide()
    ctx = panel.ctx
    ctx.repo.set_setting(ctx.report_id, "scope.t3", "own")  # 表三 typed here, not summed from the units
    ctx.repo.set_cell(ctx.report_id, "t3.new.ce", 300)
    ctx.notify_changed()
    qtbot.wait(400)
    assert _widths(_axes(panel, "applicants"))[1] == 270  # nothing drawn while hidden
    with qtbot.waitSignal(panel.redrawn, timeout=5000):
        panel.show()
    assert _widths(_axes(panel, "applicants"))[1] == 300


def test_unit_edit_updates_the_ranking(qtbot, sample_panel) -> None:  # noqa: ANN001
    panel = sample_panel
    panel.select_chart("units")
    ctx = panel.ctx
    unit_id = ctx.repo.find_report("瑞安经济开发区管理委员会（示例单位）", 2019)
    ctx.repo.set_cell(unit_id, "t3.new.np", 2000)
    with qtbot.waitSignal(panel.redrawn, timeout=5000):
        ctx.notify_changed(unit_id)
    labels = [t.get_text() for t in _axes(panel, "units").get_yticklabels()]
    assert labels[0] == "瑞安经济开发区管理委员会\n（示例单位）"


def test_save_chart_png_and_svg(qtbot, sample_panel, tmp_path: Path) -> None:  # noqa: ANN001
    panel = sample_panel
    panel.select_chart("outcomes")
    png = tmp_path / "办理结果.png"
    with qtbot.waitSignal(panel.chart_saved, timeout=20000) as blocker:
        panel.save_chart(png)
    assert blocker.args == [str(png)]
    image = Image.open(png)
    assert image.format == "PNG" and image.size[0] == 1500  # 7.5 in at 200 dpi
    svg = tmp_path / "办理结果.svg"
    with qtbot.waitSignal(panel.chart_saved, timeout=20000):
        panel.save_chart(svg, key="rates")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "<path" in text
    assert "已保存" in panel.status.text()
    assert panel.save_chart_button.isEnabled()


def test_save_tujie_page_png_and_pdf(qtbot, sample_panel, tmp_path: Path) -> None:  # noqa: ANN001
    import pypdf

    panel = sample_panel
    png = tmp_path / "图解.png"
    with qtbot.waitSignal(panel.chart_saved, timeout=30000):
        panel.save_page(png)
    assert Image.open(png).size[1] % 2338 == 0  # A4 pages, one under the other
    pdf = tmp_path / "图解.pdf"
    with qtbot.waitSignal(panel.chart_saved, timeout=30000):
        panel.save_page(pdf)
    text = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "瑞安市人民政府2019年政府信息公开工作年度报告 图解" in text
    assert "2373件（81.9%）" in text and "示例数据" in text


def test_save_refuses_other_types_and_reports_failures(qtbot, sample_panel, tmp_path: Path) -> None:  # noqa: ANN001
    panel = sample_panel
    with pytest.raises(ValueError, match="不支持的文件类型"):
        panel.save_chart(tmp_path / "x.jpg")
    with pytest.raises(ValueError):
        panel.save_page(tmp_path / "x.svg")
    missing = tmp_path / "no-such-folder" / "x.png"
    with qtbot.waitSignal(panel.save_failed, timeout=20000) as blocker:
        panel.save_chart(missing)
    assert "no-such-folder" in blocker.args[0]
    assert not missing.parent.exists()
    box = panel.message_box
    assert box is not None and box.isVisible() and "no-such-folder" in box.text()
    box.close()
    assert panel.save_chart_button.isEnabled()


# ------------------------------------------------------------------------------------------ several years


def test_year_and_unit_selectors(qtbot, multi_panel) -> None:  # noqa: ANN001
    panel = multi_panel
    years = [panel.year_box.itemData(i) for i in range(panel.year_box.count())]
    assert years == [2023, 2022, 2021, 2020, 2019]
    units = [panel.unit_box.itemData(i) for i in range(panel.unit_box.count())]
    assert units[0] == MAIN and len(units) == 6
    repo = panel.ctx.repo

    panel.select_chart("trend_counts")
    apps = _axes(panel, "trend_counts:政府信息公开申请（件）")
    assert [t.get_text() for t in apps.get_xticklabels()] == [f"{y}年" for y in range(2019, 2024)]

    panel.select_year(2021)
    panel.select_chart("outcomes")
    r2021 = repo.load_report(repo.find_report(MAIN, 2021))
    ax = _axes(panel, "outcomes")
    assert _widths(ax)[-1] == r2021.values.number("t3.g6_other.total")
    assert panel.figure.get_suptitle() == "本年度政府信息公开申请办理结果"
    assert "2021年" in ax.get_title(loc="left")

    panel.select_unit("测试市乙局")
    assert panel.current_unit() == "测试市乙局" and panel.current_year() == 2021
    panel.select_chart("applicants")
    unit = repo.load_report(repo.find_report("测试市乙局", 2021))
    assert _widths(_axes(panel, "applicants")) == [
        unit.values.number(f"t3.new.{c}") for c in ("np", "ce", "ri", "spo", "lso", "oth")
    ]
    panel.select_chart("units")
    assert not panel.chart().has_data  # a unit's own report has no sub-units
    panel.select_chart("trend_counts")
    assert panel.chart().has_data and panel.chart().years == (2019, 2020, 2021, 2022, 2023)

    panel.select_year(2019)  # the unit is kept when it reported that year
    assert panel.current_unit() == "测试市乙局"


def test_switching_the_report_moves_the_selectors(qtbot, multi_panel) -> None:  # noqa: ANN001
    panel = multi_panel
    repo = panel.ctx.repo
    target = repo.find_report("测试市甲局", 2020)
    with qtbot.waitSignal(panel.redrawn, timeout=5000):
        panel.ctx.switch_report(target)
    assert (panel.current_year(), panel.current_unit()) == (2020, "测试市甲局")
