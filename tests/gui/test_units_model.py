"""UnitsModel without any widget: Qt's model tester over the sample's statuses, and what each cell says."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ruian_desk.exchange.tracker import NOT_REPORTED


def _model(sample_ws, year: int = 2019):  # noqa: ANN001, ANN202
    from ruian_desk.gui.units.model import UnitsModel
    from ruian_desk.services.tracker import year_overview

    model = UnitsModel()
    model.set_rows(year_overview(sample_ws.repo, year, include_retired=True, persist=False).statuses)
    return model


def test_the_model_passes_qts_model_tester(qapp, qtmodeltester, sample_ws) -> None:  # noqa: ANN001
    model = _model(sample_ws)
    assert model.rowCount() == len(sample_ws.repo.units()) and model.columnCount() == len(model.COLUMNS)
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])  # a reset to nothing is consistent too
    qtmodeltester.check(model, force_py=True)


def test_cells_and_the_inclusion_checkbox(qapp, sample_ws) -> None:  # noqa: ANN001
    model = _model(sample_ws)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    main = names.index("瑞安市人民政府")
    assert model.index(main, model.STATUS_COL).data() == "主报告单位（汇总）"
    assert model.index(main, model.INCLUDED_COL).data() == "—"
    assert not model.flags(model.index(main, model.INCLUDED_COL)) & Qt.ItemFlag.ItemIsUserCheckable
    other = next(r for r in range(model.rowCount()) if r != main)
    index = model.index(other, model.INCLUDED_COL)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(index, Qt.ItemDataRole.UserRole) == model.rows[other].unit.id
    toggled: list[tuple[int, bool]] = []
    model.inclusion_toggled.connect(lambda uid, included: toggled.append((uid, included)))
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert toggled == [(model.rows[other].unit.id, False)]
    assert not model.setData(model.index(main, model.INCLUDED_COL), True, Qt.ItemDataRole.CheckStateRole)
    model.readonly = True
    assert not model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(index, True, Qt.ItemDataRole.CheckStateRole) and len(toggled) == 1


def test_a_year_nobody_reported_shows_every_unit_missing(qapp, sample_ws) -> None:  # noqa: ANN001
    from ruian_desk.gui.units.model import MISSING_BG

    model = _model(sample_ws, 2020)
    rows = [r for r in range(model.rowCount()) if not model.rows[r].is_main]
    assert rows and all(model.rows[r].status == NOT_REPORTED for r in rows)
    brush = model.data(model.index(rows[0], 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == MISSING_BG
    assert model.index(rows[0], 8).data() == ""  # no report: no error count
