"""Cell values: blank vs 0, typed input forms, derived totals, group subtotals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruian_desk.domain.report import CellInputError, Metric, Report, parse_cell_value, percent


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12", 12),
        ("１２３", 123),
        ("1,234", 1234),
        (" 7 ", 7),
        ("", None),
        ("  ", None),
        ("0", 0),
        ("１，２３４", 1234),
    ],
)
def test_parse_int(text: str, expected: int | None) -> None:
    assert parse_cell_value(text, "int") == expected


@pytest.mark.parametrize("text", ["-1", "1.5", "abc", "十二", "1,23", "1e3x", "NaN"])
def test_parse_int_refused(text: str) -> None:
    with pytest.raises(CellInputError):
        parse_cell_value(text, "int")


def test_parse_signed_and_decimal() -> None:
    assert parse_cell_value("-36", "signed_int") == -36
    assert parse_cell_value("+12", "signed_int") == 12
    assert parse_cell_value("96171.6", "decimal") == Decimal("96171.6")
    assert parse_cell_value("59237.2449", "decimal") == Decimal("59237.2449")
    assert parse_cell_value("1.23456", "decimal") == Decimal("1.23456")  # stored as printed (issue #13)
    with pytest.raises(CellInputError, match="不是数字"):
        parse_cell_value("十二", "decimal")


def test_parse_float_values_as_the_numbers_they_are() -> None:
    """A float (an API caller, a spreadsheet library) is read as its shortest exact form: 2.5 is 2.5, not
    "2.500000" refused for its decimals; 3.0000001 is not rounded to the integer 3; 0.1234567 万元 is
    stored as it is, not rounded to 0.123457 (issue #13: precision is a finding of T2-FEE-PRECISION, never a
    refusal)."""
    assert parse_cell_value(2.5, "decimal") == Decimal("2.5")
    assert parse_cell_value(59237.2449, "decimal") == Decimal("59237.2449")
    assert parse_cell_value(3.0, "int") == 3
    assert parse_cell_value(-4.0, "signed_int") == -4
    with pytest.raises(CellInputError):
        parse_cell_value(3.0000001, "int")
    with pytest.raises(CellInputError):
        parse_cell_value(2.9999999, "int")
    assert parse_cell_value(0.1234567, "decimal") == Decimal("0.1234567")
    assert parse_cell_value("24252.311082", "decimal") == Decimal("24252.311082")
    assert parse_cell_value(24252.311082, "decimal") == Decimal("24252.311082")
    with pytest.raises(CellInputError, match="小数位数过多"):
        parse_cell_value("1." + "1" * 21, "decimal")


def _report(cells: dict) -> Report:
    return Report(unit="某单位", unit_role="department", year=2021, format_id="gov-2021", cells=cells)


def test_derived_totals_and_blank() -> None:
    r = _report({"t3.new.np": 5, "t3.new.ce": 2, "t3.r1_open.np": 3, "t3.r4_1.np": 1, "t3.r4_2.ce": 2})
    v = r.values
    assert v.get("t3.new.total") == 7
    assert v.get("t3.r7_total.np") == 4
    assert v.get("t3.r7_total.total") == 6
    assert v.get("t3.g4_unable.np") == 1 and v.get("t3.g4_unable.total") == 3
    assert v.get("t3.carry_in.np") is None  # blank stays blank
    assert v.number("t3.carry_in.np") == 0
    assert v.get("t3.carry_in.total") is None  # all parts blank
    assert r.with_cells({**r.cells, "t3.carry_in.np": 0}).values.get("t3.carry_in.total") == 0


def test_stated_total_is_separate_from_computed() -> None:
    r = _report({"t3.new.np": 5, "t3.new.total": 9, "t3.carry_in.np": 1, "t3.carry_in.total": None})
    v = r.values
    assert v.get("t3.new.total") == 5 and v.effective("t3.new.total") == 9
    assert v.is_stated("t3.carry_in.total") and v.effective("t3.carry_in.total") is None


def test_metric_rate_half_up() -> None:
    m = Metric("instant_share", "即办事项占比", Decimal("76.75"), "%", Decimal(2364), Decimal(3080))
    assert m.computed_rate() == Decimal("76.75")
    assert percent(1, 8, 2) == Decimal("12.50")
    assert percent(1, 400, 2) == Decimal("0.25")
    assert percent(5, 8000, 2) == Decimal("0.06")  # 0.0625 → 0.06, half-up at the third decimal
    assert percent(35, 805, 2) == Decimal("4.35")  # 上海2019 printed 4.34 (truncated)


@given(st.text(alphabet="0123456789", min_size=1, max_size=14), st.sampled_from(["int", "signed_int"]))
def test_plain_digits_parse_as_the_general_path_does(text: str, cell_type: str) -> None:
    # " 123" is not plain, so it takes the general path (NFKC, Decimal, range checks): both must agree.
    try:
        expected: object = parse_cell_value(f" {text}", cell_type)
    except CellInputError as exc:
        expected = str(exc)
    try:
        got: object = parse_cell_value(text, cell_type)
    except CellInputError as exc:
        got = str(exc)
    assert got == expected and type(got) is type(expected)


def test_computed_values_are_the_sums_of_their_parts_in_both_formats() -> None:
    from ruian_desk.domain.formats import get_format

    for fmt_id in ("gov-2019", "gov-2021"):
        fmt = get_format(fmt_id)
        inputs = list(fmt.input_cells)
        cells = {cid: (i % 7 if i % 3 else None) for i, cid in enumerate(inputs)}
        values = Report(
            unit="某单位", unit_role="department", year=2021, format_id=fmt_id, cells=cells
        ).values
        computed = {**{c: fmt.cells[c].parts for c in fmt.derived_cells}, **fmt.groups}
        assert computed == fmt.computed_parts and len(computed) > 50
        for cid, parts in computed.items():
            present = [cells[p] for p in parts if cells.get(p) is not None]
            assert values.get(cid) == (sum(present) if present else None), cid
        assert values.all() == {c: (cells.get(c) if c in cells else values.get(c)) for c in fmt.cells}
        with pytest.raises(KeyError):
            values.get("t3.no_such.cell")


@pytest.mark.parametrize("text", ["1e999999", "9" * 50, "1e-30"])
def test_metric_numbers_have_sane_magnitude(text: str) -> None:
    from ruian_desk.domain.report import parse_decimal

    # issue #19: exponents in text are refused as such (no printed figure uses them)
    with pytest.raises(CellInputError, match="数值过大|科学计数法"):
        parse_decimal(text)
    assert parse_decimal("98.70") == Decimal("98.70") and parse_decimal("0") == 0
