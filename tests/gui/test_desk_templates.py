"""#15 point 6: 生成填报模板 makes a template for every unit of the roll-up by default — also with a unit
clicked in the list — and only for that unit when the clerk says so; the result list shows names in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.test_units_page import POLICE


@pytest.fixture
def page(sample_ws, qtbot):  # noqa: ANN001, ANN201
    from ruian_desk.gui.context import AppContext
    from ruian_desk.gui.units.page import UnitsPage

    ctx = AppContext(sample_ws, sample_ws.repo.find_report("瑞安市人民政府", 2019))
    p = UnitsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    return p


def _click_button(page, qtbot, out: Path, answer: bool) -> tuple[list[Path], list[str]]:  # noqa: ANN001
    from PySide6.QtCore import Qt

    asked: list[str] = []
    page.exchange.ask_directory = lambda _title: str(out)
    page.exchange.ask_all_units = lambda q: asked.append(q) or answer
    with qtbot.waitSignal(page.templates_finished, timeout=60000) as blocker:
        qtbot.mouseClick(page.exchange.template_button, Qt.MouseButton.LeftButton)
    return sorted(Path(p) for p in blocker.args[0]), asked


def test_every_unit_by_default_even_with_one_clicked(page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    police = page.ctx.repo.unit_by_name(POLICE)
    assert page.select_unit(police.id)  # the clerk last clicked 公安局
    files, asked = _click_button(page, qtbot, tmp_path / "all", True)
    assert len(files) == 7 and POLICE in asked[0]
    # The names in the result list are not cut off.
    results = page.exchange.results
    for i in range(results.topLevelItemCount()):
        item = results.topLevelItem(i)
        width = results.fontMetrics().horizontalAdvance(item.text(0))
        assert results.columnWidth(0) >= width


def test_only_the_selected_unit_when_asked(page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    police = page.ctx.repo.unit_by_name(POLICE)
    assert page.select_unit(police.id)
    files, asked = _click_button(page, qtbot, tmp_path / "one", False)
    assert len(files) == 1 and files[0].name.startswith(POLICE)
