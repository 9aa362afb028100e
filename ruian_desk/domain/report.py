"""The report model: units, reports, cells (blank kept distinct from 0), derived totals, metrics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.numbers import MAX_DECIMALS as MAX_DECIMALS
from ruian_desk.domain.numbers import MAX_INTEGER_DIGITS as MAX_INTEGER_DIGITS
from ruian_desk.domain.numbers import CellInputError as CellInputError
from ruian_desk.domain.numbers import normalize_number_text as normalize_number_text
from ruian_desk.domain.numbers import to_decimal

Number = int | Decimal
CellValue = Number | None

ROLES: dict[str, str] = {
    "county_government": "县级人民政府",
    "office": "政府办公室",
    "department": "部门",
    "township": "乡镇（街道）",
    "function_zone": "功能区",
}

SAMPLE_MARK = "示例数据"


@dataclass(frozen=True)
class Unit:
    name: str
    role: str
    code: str = ""
    contact: str = ""
    is_sample: bool = False
    retired: bool = False
    id: int | None = None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


@dataclass(frozen=True)
class Metric:
    """A named figure quoted in the narrative; a rate has numerator/denominator where the text names both."""

    key: str
    label: str
    value: Decimal | None
    unit: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = ""
    note: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    def computed_rate(self, places: int = 2) -> Decimal | None:
        """numerator / denominator in %, half-up to `places` decimals; None when not computable."""
        if self.numerator is None or not self.denominator:
            return None
        return percent(self.numerator, self.denominator, places)


def percent(numerator: Number, denominator: Number, places: int = 2) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(q, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Signature:
    organ: str = ""
    date: dt.date | None = None

    @property
    def date_text(self) -> str:
        d = self.date
        return f"{d.year}年{d.month}月{d.day}日" if d else ""


@dataclass(frozen=True)
class Report:
    unit: str
    unit_role: str
    year: int
    format_id: str
    title: str = ""
    intro: str = ""
    parts: Mapping[str, str] = field(default_factory=dict)  # p1, p5, p6
    # Input cells as typed or imported; also "stated" values of derived cells that came from a source file
    # (a returned template, a JSON file). Stated totals are checked against the computed ones, never shown
    # instead of them. A key present with None means the source left it blank.
    cells: Mapping[str, CellValue] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    signature: Signature = field(default_factory=Signature)
    sample_tables: frozenset[str] = frozenset()  # tables whose numbers are 示例数据
    id: int | None = None

    @property
    def fmt(self) -> FormatDef:
        return get_format(self.format_id)

    @cached_property
    def values(self) -> CellValues:
        return CellValues(self.fmt, self.cells)

    def part(self, key: str) -> str:
        return self.parts.get(key, "")

    def metric(self, key: str) -> Metric | None:
        for m in self.metrics:
            if m.key == key:
                return m
        return None

    def with_cells(self, cells: Mapping[str, CellValue]) -> Report:
        return replace(self, cells=dict(cells))

    @property
    def is_sample(self) -> bool:
        return bool(self.sample_tables)


class CellValues:
    """All cell values of a report: inputs as stored, derived totals computed, group subtotals computed.

    `get()` gives the value a printed table shows (computed for derived cells); `effective()` gives the value
    the rules check (a stated total where the source gave one). A derived cell whose parts are all blank is
    blank itself.

    Computed values are worked out when first asked for (a roll-up builds the values of hundreds of unit
    reports and reads a few cells of each); `cells` is not changed afterwards (reports are immutable).
    """

    def __init__(self, fmt: FormatDef, cells: Mapping[str, CellValue]):
        self.fmt = fmt
        self._cells = cells
        self._parts = fmt.computed_parts
        self._computed: dict[str, CellValue] = {}

    def _sum(self, parts: tuple[str, ...]) -> CellValue:
        total: Number = 0
        any_value = False
        for p in parts:
            v = self._cells.get(p)
            if v is not None:
                total += v
                any_value = True
        return total if any_value else None

    def get(self, cell_id: str) -> CellValue:
        if cell_id in self._computed:
            return self._computed[cell_id]
        parts = self._parts.get(cell_id)
        if parts is not None:
            value = self._computed[cell_id] = self._sum(parts)
            return value
        if cell_id not in self.fmt.cells:
            raise KeyError(cell_id)
        return self._cells.get(cell_id)

    def number(self, cell_id: str) -> Number:
        """The value with blank read as 0 (sums, charts, printed tables)."""
        v = self.get(cell_id)
        return 0 if v is None else v

    def is_stated(self, cell_id: str) -> bool:
        return self.fmt.cells[cell_id].derived and cell_id in self._cells

    def stated(self, cell_id: str) -> CellValue:
        return self._cells.get(cell_id)

    def effective(self, cell_id: str) -> CellValue:
        if self.is_stated(cell_id):
            return self._cells[cell_id]
        return self.get(cell_id)

    def all(self) -> dict[str, CellValue]:
        return {cid: self.get(cid) for cid in self.fmt.cells}


# ----------------------------------------------------------------------------------- number parsing


def parse_cell_value(text: str | int | float | Decimal | None, cell_type: str) -> CellValue:
    """Parse what the user typed (or a file held) for a cell of the given type. Blank → None. What can be a
    figure at all is decided by `domain.numbers` (the one reader of every input path)."""
    if text is None:
        return None
    if (
        type(text) is str
        and 0 < len(text) <= 12
        and text.isascii()
        and text.isdigit()
        and cell_type != "decimal"
    ):
        # "0" … "999999999999" (what the workspace stores, and most typing) is in the range of every integer
        # type: the answer of the general path below, without NFKC and Decimal. A roll-up reads tens of
        # thousands of these. Signs, separators, full-width digits and decimals take the general path.
        return int(text)
    if isinstance(text, bool):
        raise CellInputError(_type_message(cell_type))
    d = to_decimal(text)
    if d is None:
        return None
    if cell_type == "decimal":
        if d < 0:
            raise CellInputError("应为非负数")
        # Any precision a report prints is stored as printed (24252.311082 万元): more than 4 decimals is a
        # finding of T2-FEE-PRECISION, never a refusal. Only an absurd length (a hostile file) is refused.
        return d.normalize() if d == d.to_integral_value() else d
    if d != d.to_integral_value():
        raise CellInputError(_type_message(cell_type))
    n = int(d)
    if cell_type != "signed_int" and n < 0:
        raise CellInputError(_type_message(cell_type))
    if abs(n) > 10**12:
        raise CellInputError("数值过大")
    return n


def _type_message(cell_type: str) -> str:
    return {"int": "应为非负整数", "signed_int": "应为整数（可为负数）", "decimal": "应为非负数"}.get(
        cell_type, "数值无效"
    )


def format_number(value: CellValue, blank: str = "") -> str:
    """Printed form: no thousands separator (as published reports), decimals as stored."""
    if value is None:
        return blank
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def parse_decimal(value: object, field: str | None = None) -> Decimal | None:
    """A metric's figure (value, numerator, denominator), read by the same rules as every cell."""
    if value == "":
        return None
    return to_decimal(value, field)


def default_report(unit: Unit, year: int, format_id: str | None = None) -> Report:
    """A new, empty report for a unit and year, with the format that the year prescribes."""
    from ruian_desk.domain.formats import format_for_year

    fmt = get_format(format_id) if format_id else format_for_year(year)
    return Report(
        unit=unit.name,
        unit_role=unit.role,
        year=year,
        format_id=fmt.id,
        title=fmt.title_for(unit.name, year),
        parts={"p1": "", "p5": "", "p6": ""},
        signature=Signature(organ=unit.name),
    )
