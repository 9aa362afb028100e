"""The roll-up's kept sums (issue 16): reused while no unit changes, updated by one unit's difference, and
always equal to the units summed afresh — blanks, zeros and the printed decimal places included."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import Report, format_number
from ruian_desk.domain.rollup import DEFAULT_SCOPES, UnitSums, rolled_up_report

FMT = "gov-2021"
TABLES = frozenset({"t3", "t4"})


def _cells(draw: st.DrawFn) -> dict:
    fmt = get_format(FMT)
    out: dict = {}
    for cid in fmt.input_cells:
        cdef = fmt.cells[cid]
        if cdef.table not in TABLES:
            continue
        if cdef.type == "decimal":
            value = draw(st.one_of(st.none(), st.decimals("0", "999", places=draw(st.integers(0, 4)))))
        else:
            value = draw(st.one_of(st.none(), st.just(0), st.integers(0, 3000)))
        if value is not None or draw(st.booleans()):
            out[cid] = value
    return out


def _unit(i: int, cells: dict) -> Report:
    return Report(id=i + 1, unit=f"单位{i}", unit_role="department", year=2021, format_id=FMT, cells=cells)


def _printed(sums: UnitSums) -> dict[str, str]:
    return {cid: format_number(v) for cid, v in sums.totals.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_updated_sums_equal_a_fresh_sum(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 12), label="units")
    units = [_unit(i, _cells(data.draw)) for i in range(n)]
    kept = UnitSums.of(FMT, TABLES, units)
    for _ in range(data.draw(st.integers(1, 3), label="rounds")):
        i = data.draw(st.integers(0, n - 1), label="edited")
        units = [*units]
        units[i] = replace(units[i], cells=_cells(data.draw))  # a newer version of the same report
        kept = kept.replaced(units)
        fresh = UnitSums.of(FMT, TABLES, units)
        assert _printed(kept) == _printed(fresh)
        assert dict(kept.counts) == dict(fresh.counts)
    main = Report(unit="县政府", unit_role="county_government", year=2021, format_id=FMT, cells={})
    assert rolled_up_report(main, units, DEFAULT_SCOPES, sums=kept).cells == (
        rolled_up_report(main, units, DEFAULT_SCOPES).cells
    )


def test_unchanged_units_keep_their_sums_and_other_units_are_summed_afresh() -> None:
    units = [_unit(i, {"t3.new.np": i, "t4.count.rv_keep": Decimal("1.50") if i else None}) for i in range(3)]
    kept = UnitSums.of(FMT, TABLES, units)
    assert kept.replaced(units) is kept
    assert kept.totals["t3.new.np"] == 3 and format_number(kept.totals["t4.count.rv_keep"]) == "3.00"
    others = [_unit(i + 10, {"t3.new.np": 5}) for i in range(3)]  # not the same reports: a fresh sum
    assert kept.replaced(others).totals == {"t3.new.np": 15}
    assert kept.replaced(units[:2]).totals["t3.new.np"] == 1


def test_effective_report_reuses_the_roll_up_until_something_changes(sample_ws) -> None:
    from ruian_desk.storage.assemble import effective_report

    repo = sample_ws.repo
    main_id = repo.find_report("瑞安市人民政府", 2019)
    unit_id = repo.find_report("瑞安市公安局（示例单位）", 2019)
    first = effective_report(repo, main_id)
    assert effective_report(repo, main_id) is first  # nothing changed: the same report, not summed again
    own = next(c.id for c in first.fmt.cells.values() if c.table == "t2" and not c.derived)
    repo.set_cell(main_id, own, 4321)  # the county's own 表二: the units' sums are kept
    edited = effective_report(repo, main_id)
    assert edited is not first and edited.cells[own] == 4321
    assert edited.rollup.sums is first.rollup.sums
    before = first.values.number("t3.new.np")
    repo.set_cell(unit_id, "t3.new.np", repo.load_report(unit_id).values.number("t3.new.np") + 7)
    after = effective_report(repo, main_id)
    assert after.values.number("t3.new.np") == before + 7
    fresh = rolled_up_report(repo.load_report(main_id), after.rollup.units, after.rollup.scopes)
    assert after.cells == fresh.cells
