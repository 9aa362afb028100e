"""The national report formats, loaded from resources/formats/*.json into immutable definitions.

Everything else in the app is generic over these definitions: cell ids, labels, derived cells, rules and the
official grids all come from the data files, so a new national format is a new data file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ruian_desk.paths import resource

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
PART_KEYS = ("p1", "p2", "p3", "p4", "p5", "p6")
TEXT_PARTS = ("p1", "p5", "p6")
NUMBER_TYPES = ("int", "signed_int", "decimal")


class FormatError(ValueError):
    """A format id or year the app does not know."""


@dataclass(frozen=True)
class ColumnDef:
    id: str
    label: str
    type: str = "int"
    unit: str = "件"
    derived: bool = False
    group: str | None = None  # 表三: "法人或其他组织" for the five organisation columns
    top: str | None = None  # 表四: 行政复议 / 行政诉讼
    sub: str | None = None  # 表四: 未经复议直接起诉 / 复议后起诉
    colspan: int = 1


@dataclass(frozen=True)
class RowDef:
    id: str
    label: str
    parent: str | None = None
    kind: str = "data"  # data | leaf | group
    derived: bool = False


@dataclass(frozen=True)
class SectionDef:
    """One block of number cells: a 表二 band (t2_1 …), or the whole of 表三 / 表四."""

    id: str
    table: str
    caption: str | None
    label_header: str | None  # "信息内容" for 表二 bands
    columns: tuple[ColumnDef, ...]
    rows: tuple[RowDef, ...]

    def row(self, row_id: str) -> RowDef:
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def column(self, col_id: str) -> ColumnDef:
        for col in self.columns:
            if col.id == col_id:
                return col
        raise KeyError(col_id)

    def children(self, row_id: str) -> tuple[RowDef, ...]:
        return tuple(r for r in self.rows if r.parent == row_id)

    def number_rows(self) -> tuple[RowDef, ...]:
        """Rows that carry number cells (groups carry only a label)."""
        return tuple(r for r in self.rows if r.kind != "group")

    def leaves_under(self, row_id: str) -> tuple[RowDef, ...]:
        out: list[RowDef] = []
        for child in self.children(row_id):
            if child.kind == "group":
                out.extend(self.leaves_under(child.id))
            elif child.kind == "leaf":
                out.append(child)
        return tuple(out)


@dataclass(frozen=True)
class CellDef:
    id: str  # "<section>.<row>.<col>", e.g. t3.r3_4.np, t2_1.rules.made, t4.count.rv_keep
    table: str  # t2 | t3 | t4
    section: str
    row: str
    col: str
    type: str
    unit: str
    derived: bool
    label: str  # human path used in messages, e.g. "表三 （三）不予公开 4.保护第三方合法权益 / 自然人"
    parts: tuple[str, ...] = ()  # for derived cells: the input cells summed

    @property
    def is_money(self) -> bool:
        return self.type == "decimal"


@dataclass(frozen=True)
class RuleDef:
    id: str
    severity: str
    desc: str
    table: str | None = None
    lhs: tuple[str, ...] = ()
    rhs: tuple[str, ...] = ()
    for_each: tuple[tuple[str, tuple[str, ...]], ...] = ()
    expr: str = ""
    basis: str = ""

    @property
    def is_sum_rule(self) -> bool:
        return bool(self.lhs and self.rhs)

    def expansions(self) -> list[dict[str, str]]:
        """Every binding of the rule's {row}/{col} placeholders."""
        bindings: list[dict[str, str]] = [{}]
        for name, values in self.for_each:
            bindings = [{**b, name: v} for b in bindings for v in values]
        return bindings


@dataclass(frozen=True)
class PartDef:
    key: str  # p1 … p6
    no: str  # 一 … 六
    title: str
    kind: str  # text | table
    table: str | None = None


@dataclass(frozen=True)
class TableDef:
    id: str
    name: str  # 表二
    part_title: str
    sections: tuple[SectionDef, ...]
    corner_label: str | None = None
    column_header: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def section(self, section_id: str) -> SectionDef:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)


@dataclass(frozen=True)
class FormatDef:
    id: str
    notice: str
    notice_no: str
    first_year: int
    last_year: int | None
    title_pattern: str
    parts: tuple[PartDef, ...]
    tables: dict[str, TableDef] = field(compare=False, hash=False)
    cells: dict[str, CellDef] = field(compare=False, hash=False)  # every number cell, in print order
    groups: dict[str, tuple[str, ...]] = field(
        compare=False, hash=False
    )  # virtual subtotals t3.g3_withheld.np
    rules: tuple[RuleDef, ...] = ()
    cross_rules: tuple[RuleDef, ...] = ()

    # Formats are immutable: these are worked out once (every report's values and every check read them).
    @cached_property
    def input_cells(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.cells.values() if not c.derived)

    @cached_property
    def derived_cells(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.cells.values() if c.derived)

    @cached_property
    def computed_parts(self) -> dict[str, tuple[str, ...]]:
        """Every computed value — derived cell (总计) or group subtotal — → the input cells it sums."""
        out = {cid: self.cells[cid].parts for cid in self.derived_cells}
        out.update(self.groups)
        return out

    def cell(self, cell_id: str) -> CellDef:
        try:
            return self.cells[cell_id]
        except KeyError:
            raise KeyError(f"unknown cell id {cell_id!r} in {self.id}") from None

    def section(self, section_id: str) -> SectionDef:
        for table in self.tables.values():
            for s in table.sections:
                if s.id == section_id:
                    return s
        raise KeyError(section_id)

    def part(self, key: str) -> PartDef:
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(key)

    def rule(self, rule_id: str) -> RuleDef:
        for r in self.rules + self.cross_rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def title_for(self, unit: str, year: int) -> str:
        return self.title_pattern.format(unit=unit, year=year)


# --------------------------------------------------------------------------------------------- loading


def _column(d: dict[str, Any]) -> ColumnDef:
    return ColumnDef(
        id=d["id"],
        label=d["label"],
        type=d.get("type", "int"),
        unit=d.get("unit", "件"),
        derived=bool(d.get("derived", False)),
        group=d.get("group"),
        top=d.get("top"),
        sub=d.get("sub"),
        colspan=int(d.get("colspan", 1)),
    )


def _rule(d: dict[str, Any], table: str | None) -> RuleDef:
    for_each = tuple((k, tuple(v)) for k, v in (d.get("forEach") or {}).items())
    return RuleDef(
        id=d["id"],
        severity=d["severity"],
        desc=d.get("desc", ""),
        table=table,
        lhs=tuple(d.get("lhs", ())),
        rhs=tuple(d.get("rhs", ())),
        for_each=for_each,
        expr=d.get("expr", ""),
        basis=d.get("basis", ""),
    )


def _sections(table_id: str, t: dict[str, Any]) -> tuple[SectionDef, ...]:
    if "sections" in t:  # 表二: bands
        out = []
        for s in t["sections"]:
            cols = [c for c in s["columns"] if c.get("kind") != "label"]
            label_cols = [c for c in s["columns"] if c.get("kind") == "label"]
            out.append(
                SectionDef(
                    id=s["id"],
                    table=table_id,
                    caption=s.get("caption"),
                    label_header=label_cols[0]["label"] if label_cols else None,
                    columns=tuple(_column(c) for c in cols),
                    rows=tuple(RowDef(id=r["id"], label=r["label"]) for r in s["rows"]),
                )
            )
        return tuple(out)
    unit = t.get("unit", "件")
    columns = tuple(_column({**c, "unit": c.get("unit", unit)}) for c in t["columns"])
    rows = tuple(
        RowDef(
            id=r["id"],
            label=r.get("label") or "",
            parent=r.get("parent"),
            kind=r.get("kind", "data"),
            derived=bool(r.get("derived", False)),
        )
        for r in t["rows"]
    )
    return (
        SectionDef(id=table_id, table=table_id, caption=None, label_header=None, columns=columns, rows=rows),
    )


def _row_path(section: SectionDef, row: RowDef) -> str:
    names = []
    current: RowDef | None = row
    while current is not None:
        # The top group "三、本年度办理结果" is implied by the （一）…（七） labels; keep messages short.
        if current.label and not (current.kind == "group" and current.parent is None):
            names.append(current.label)
        current = section.row(current.parent) if current.parent else None
    return " ".join(reversed(names))


def _cell_label(table: TableDef, section: SectionDef, row: RowDef, col: ColumnDef) -> str:
    if section.caption:  # 表二
        return f"{table.name} {section.caption}·{row.label}·{col.label}"
    col_name = "·".join(x for x in (col.top, col.sub, col.group, col.label) if x)
    row_name = _row_path(section, row)
    return f"{table.name} {row_name} / {col_name}" if row_name else f"{table.name} {col_name}"


def _build_cells(tables: dict[str, TableDef]) -> tuple[dict[str, CellDef], dict[str, tuple[str, ...]]]:
    cells: dict[str, CellDef] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for table in tables.values():
        for section in table.sections:
            plain_cols = [c for c in section.columns if not c.derived]
            for row in section.number_rows():
                for col in section.columns:
                    cid = f"{section.id}.{row.id}.{col.id}"
                    derived = col.derived or row.derived
                    parts: tuple[str, ...] = ()
                    if col.derived:
                        # 总计 column: the plain columns of the same row (表四: of the same top/sub block)
                        same_block = [c for c in plain_cols if (c.top, c.sub) == (col.top, col.sub)]
                        if row.derived:
                            leaves = section.leaves_under(row.parent) if row.parent else ()
                            parts = tuple(
                                f"{section.id}.{leaf.id}.{c.id}" for leaf in leaves for c in same_block
                            )
                        else:
                            parts = tuple(f"{section.id}.{row.id}.{c.id}" for c in same_block)
                    elif row.derived:
                        leaves = section.leaves_under(row.parent) if row.parent else ()
                        parts = tuple(f"{section.id}.{leaf.id}.{col.id}" for leaf in leaves)
                    cells[cid] = CellDef(
                        id=cid,
                        table=table.id,
                        section=section.id,
                        row=row.id,
                        col=col.id,
                        type=col.type,
                        unit=col.unit,
                        derived=derived,
                        label=_cell_label(table, section, row, col),
                        parts=parts,
                    )
            # Virtual group subtotals (不予公开 = Σ r3_*): for text and charts only, never printed as rows.
            for row in section.rows:
                if row.kind != "group":
                    continue
                leaves = section.leaves_under(row.id)
                for col in section.columns:
                    if col.derived:
                        groups[f"{section.id}.{row.id}.{col.id}"] = tuple(
                            f"{section.id}.{leaf.id}.{c.id}" for leaf in leaves for c in plain_cols
                        )
                    else:
                        groups[f"{section.id}.{row.id}.{col.id}"] = tuple(
                            f"{section.id}.{leaf.id}.{col.id}" for leaf in leaves
                        )
    return cells, groups


def load_format_file(path: Path) -> FormatDef:
    data = json.loads(path.read_text(encoding="utf-8"))
    tables: dict[str, TableDef] = {}
    rules: list[RuleDef] = []
    for table_id, t in data["tables"].items():
        tables[table_id] = TableDef(
            id=table_id,
            name=TABLE_NAMES.get(table_id, table_id),
            part_title=t["part"],
            sections=_sections(table_id, t),
            corner_label=t.get("corner_label"),
            column_header=t.get("column_header") or {},
        )
        rules.extend(_rule(r, table_id) for r in t.get("rules", ()))
    cells, groups = _build_cells(tables)
    parts = tuple(
        PartDef(key=f"p{i + 1}", no=p["no"], title=p["title"], kind=p["kind"], table=p.get("table"))
        for i, p in enumerate(data["parts"])
    )
    first, last = data["years"]
    return FormatDef(
        id=data["id"],
        notice=data["notice"],
        notice_no=data["notice_no"],
        first_year=int(first),
        last_year=int(last) if last is not None else None,
        title_pattern=data["title_pattern"],
        parts=parts,
        tables=tables,
        cells=cells,
        groups=groups,
        rules=tuple(rules),
        cross_rules=tuple(_rule(r, None) for r in data.get("cross_part_rules", ())),
    )


_by_file: dict[Path, FormatDef] = {}  # each data file read once; one FormatDef object per format


def _load(path: Path) -> FormatDef:
    if path not in _by_file:
        _by_file[path] = load_format_file(path)
    return _by_file[path]


@cache
def _all_formats() -> dict[str, FormatDef]:
    out = {}
    for path in sorted(resource("formats").glob("*.json")):
        fmt = _load(path)
        out[fmt.id] = fmt
    return out


def format_ids() -> tuple[str, ...]:
    return tuple(_all_formats())


class Notice:
    """The notice a format implements (what the basis sentence of a report cites). A plain class: this
    module is imported at start-up, and each dataclass costs a good part of a millisecond to build."""

    __slots__ = ("format_id", "notice", "notice_no")

    def __init__(self, format_id: str, notice: str, notice_no: str):
        self.format_id = format_id
        self.notice = notice  # the notice's title, 《…》
        self.notice_no = notice_no  # 国办公开办函〔2021〕30号


@cache
def notices() -> dict[str, Notice]:
    """format id → its notice, for every format: read from the data files' headers, without building the
    formats not in use (the text checks compare a report's basis sentence with every format's notice)."""
    out = {}
    for path in sorted(resource("formats").glob("*.json")):
        if path in _by_file:
            fmt = _by_file[path]
            out[fmt.id] = Notice(fmt.id, fmt.notice, fmt.notice_no)
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            out[data["id"]] = Notice(data["id"], data["notice"], data["notice_no"])
    return out


_by_id: dict[str, FormatDef] = {}


def get_format(format_id: str) -> FormatDef:
    fmt = _by_id.get(format_id)
    if fmt is not None:
        return fmt
    # A format's data file is named after its id: opening a workspace builds only the format its reports
    # use (building one costs milliseconds of start-up); any other id is looked up among all the files.
    if isinstance(format_id, str) and format_id.isascii() and format_id.replace("-", "").isalnum():
        path = resource("formats", f"{format_id}.json")
        if path.is_file() and _load(path).id == format_id:
            fmt = _load(path)
    if fmt is None:
        fmt = _all_formats().get(format_id)
    if fmt is None:
        raise FormatError(f"未知的格式版本 {format_id!r}")
    _by_id[format_id] = fmt
    return fmt


def format_for_year(year: int) -> FormatDef:
    """2019–2020 → gov-2019 (60号文), 2021 onward → gov-2021 (30号文)."""
    for fmt in _all_formats().values():
        if fmt.first_year <= year and (fmt.last_year is None or year <= fmt.last_year):
            return fmt
    raise FormatError(f"{year}年没有适用的全国统一格式（统一格式自2019年度报告起施行）")
