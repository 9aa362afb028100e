"""Roll-up (汇总): the main organ's tables as the sum of its units' reports, per table, and the X-AGG checks.

Pure functions over `Report`s: no I/O, no Qt. The storage layer gathers the unit reports and the scope
settings (`assemble.effective_report`); everything downstream (checks, charts, exports, GUI) then sees the
rolled-up numbers for the tables in roll-up scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cache

from ruian_desk.domain.checks.sums import sum_rule
from ruian_desk.domain.formats import FormatDef, get_format
from ruian_desk.domain.issues import CheckContext, Issue
from ruian_desk.domain.report import CellValue, Report, format_number

SCOPE_OWN = "own"
SCOPE_ROLLUP = "rollup"
SCOPES = (SCOPE_OWN, SCOPE_ROLLUP)
ROLLUP_TABLES = ("t2", "t3", "t4")
# 表三/表四 are region-wide totals in the county reports seen; 表二（一）is usually the government's own
# documents (市本级), so it defaults to `own` (format notes §3).
DEFAULT_SCOPES: Mapping[str, str] = {"t2": SCOPE_OWN, "t3": SCOPE_ROLLUP, "t4": SCOPE_ROLLUP}
SCOPE_LABELS: Mapping[str, str] = {SCOPE_OWN: "本级填写", SCOPE_ROLLUP: "汇总各单位"}
# Stock counts (documents in force / published in total) double-count when two units report the same
# jointly issued document; summing them needs a de-duplication warning. Column ids, not format ids.
STOCK_COLUMNS = frozenset({"valid", "total_public"})
# Who is summed into the main organ: the units of its own roll-up. Another 县级人民政府 imported into the
# workspace (a neighbour's published report, kept for comparison) is a separate organ, never a part.
ROLLUP_ROLES = frozenset({"department", "township", "function_zone", "office"})


def is_rollup_member(role: str) -> bool:
    """Whether a unit of this role is summed into the main organ's roll-up."""
    return role in ROLLUP_ROLES


def scope_key(table: str) -> str:
    """The report setting that holds a table's scope (`scope.t3`)."""
    return f"scope.{table}"


def scopes_from_settings(settings: Mapping[str, str | None]) -> dict[str, str]:
    """Scopes per table from report settings (`scope.t2` …); unknown or missing values take the default."""
    out = dict(DEFAULT_SCOPES)
    for table in ROLLUP_TABLES:
        value = settings.get(scope_key(table))
        if value in SCOPES:
            out[table] = str(value)
    return out


@dataclass(frozen=True)
class RollupInfo:
    """How a rolled-up report was made: what the checks and the drill-down need besides the sums."""

    scopes: Mapping[str, str]
    rolled_tables: frozenset[str]  # tables whose cells are the units' sums in this report
    own_cells: Mapping[str, CellValue]  # the main report's stored cells (hand-entered or imported)
    units: tuple[Report, ...] = ()  # the unit reports summed (same format and year as the main report)
    skipped: tuple[str, ...] = ()  # included units not summed because their report has another format
    missing: tuple[str, ...] = ()  # included units that have no report for the year yet
    sums: UnitSums | None = field(default=None, repr=False, compare=False)  # reused by the next roll-up

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(u.unit for u in self.units)


@dataclass(frozen=True)
class RolledUpReport(Report):
    """A main organ's report whose tables in roll-up scope hold the units' sums. It is a `Report`, so every
    consumer works unchanged; `rollup` keeps the hand-entered values and the units for X-AGG and drill-down."""

    rollup: RollupInfo | None = field(default=None, repr=False, compare=False)


def _add(total: CellValue, value: CellValue) -> CellValue:
    if value is None:
        return total
    if total is None:
        return value
    return total + value


@dataclass(frozen=True)
class UnitSums:
    """The sums of the input cells of some tables over some unit reports (blank where every unit left the
    cell blank). A cache of a roll-up: an edit of the main report reuses it whole, an edit of one unit's
    report updates it with that unit's difference (`replaced`) instead of summing every unit again."""

    format_id: str
    tables: frozenset[str]
    units: tuple[Report, ...]
    totals: Mapping[str, CellValue]
    counts: Mapping[str, int]  # cell id → how many units have a value (0: blank again)

    @staticmethod
    def of(format_id: str, tables: frozenset[str], units: Sequence[Report]) -> UnitSums:
        wanted = _input_cells(format_id, tables)
        totals: dict[str, CellValue] = {}
        counts: dict[str, int] = {}
        for unit in units:
            for cid, value in unit.cells.items():
                if value is not None and cid in wanted:
                    if cid in totals:
                        totals[cid] = totals[cid] + value  # type: ignore[operator]
                        counts[cid] += 1
                    else:
                        totals[cid] = value
                        counts[cid] = 1
        return UnitSums(format_id, tables, tuple(units), totals, counts)

    def replaced(self, units: Sequence[Report]) -> UnitSums:
        """The sums over `units`: the same unit reports in the same order with a few of them replaced by
        newer versions (else summed afresh). Whole numbers are updated by the difference; a cell holding a
        decimal (万元) is summed again over every unit, so its printed places are those of a fresh sum."""
        units = tuple(units)
        if len(units) != len(self.units):
            return UnitSums.of(self.format_id, self.tables, units)
        changed = [(old, new) for old, new in zip(self.units, units, strict=True) if old is not new]
        if any(old.id != new.id for old, new in changed) or len(changed) > max(4, len(units) // 8):
            return UnitSums.of(self.format_id, self.tables, units)
        if not changed:
            return self
        wanted = _input_cells(self.format_id, self.tables)
        totals, counts = dict(self.totals), dict(self.counts)
        again: set[str] = set()
        for old, new in changed:
            for cells, sign in ((old.cells, -1), (new.cells, 1)):
                for cid, value in cells.items():
                    if value is None or cid not in wanted:
                        continue
                    if isinstance(value, Decimal) or isinstance(totals.get(cid), Decimal):
                        again.add(cid)
                        continue
                    counts[cid] = counts.get(cid, 0) + sign
                    totals[cid] = (totals.get(cid) or 0) + sign * value  # type: ignore[operator]
                    if counts[cid] == 0:
                        del counts[cid], totals[cid]
        for cid in again:
            values = [u.cells.get(cid) for u in units]
            present = [v for v in values if v is not None]
            counts.pop(cid, None)
            totals.pop(cid, None)
            if present:
                total: CellValue = present[0]
                for v in present[1:]:
                    total = total + v  # type: ignore[operator]
                totals[cid], counts[cid] = total, len(present)
        return UnitSums(self.format_id, self.tables, units, totals, counts)


def rolled_up_report(
    main: Report,
    units: Sequence[Report],
    scopes: Mapping[str, str] | None = None,
    missing: Sequence[str] = (),
    sums: UnitSums | None = None,
) -> RolledUpReport:
    """The main report with every input cell of each table in roll-up scope replaced by the units' sum.
    `sums` of the same units and tables (a cache kept by the caller) are reused instead of summed again.

    Blank stays distinct from 0: a cell that every unit left blank is blank. Derived cells (总计) are not
    stored: they are computed from the sums. A unit whose report has another format is not summed (X-AGG
    reports it). With no unit report at all, a table keeps the main report's own values (X-AGG-EMPTY says so).
    """
    scopes = dict(DEFAULT_SCOPES if scopes is None else {**DEFAULT_SCOPES, **scopes})
    fmt = main.fmt
    summed = tuple(u for u in units if u.format_id == main.format_id and u.year == main.year)
    skipped = tuple(u.unit for u in units if u.format_id != main.format_id or u.year != main.year)
    rolled = frozenset(
        t for t in ROLLUP_TABLES if scopes.get(t) == SCOPE_ROLLUP and t in fmt.tables and summed
    )
    cells: dict[str, CellValue] = {
        cid: v for cid, v in main.cells.items() if cid not in fmt.cells or fmt.cells[cid].table not in rolled
    }
    if rolled:
        if sums is None or sums.format_id != fmt.id or sums.tables != rolled or sums.units != summed:
            sums = UnitSums.of(fmt.id, rolled, summed)
        totals = sums.totals
        for cid in fmt.input_cells:  # print order, as a stored report has it
            if cid in totals:
                cells[cid] = totals[cid]
    sample = {t for t in main.sample_tables if t not in rolled}
    sample |= {t for t in rolled if any(t in u.sample_tables for u in summed)}
    info = RollupInfo(
        scopes=scopes,
        rolled_tables=rolled,
        own_cells=dict(main.cells),
        units=summed,
        skipped=skipped,
        missing=tuple(missing),
        sums=sums if rolled else None,
    )
    base = {f.name: getattr(main, f.name) for f in fields(Report)}
    base.update(cells=cells, sample_tables=frozenset(sample))
    return RolledUpReport(**base, rollup=info)


def contributions(cell_id: str, units: Sequence[Report]) -> list[tuple[str, CellValue]]:
    """Drill-down: each unit's value of a cell (input, derived total or group subtotal), in the given order.
    A unit whose format lacks the cell contributes None."""
    out: list[tuple[str, CellValue]] = []
    for unit in units:
        try:
            value = unit.values.get(cell_id)
        except KeyError:
            value = None
        out.append((unit.unit, value))
    return out


def unit_table_issues(unit: Report, tables: Sequence[str] | frozenset[str]) -> list[Issue]:
    """The table rules (arithmetic and number types) a unit report fails in the given tables: a unit failing
    them makes any sum it is part of unverified (format notes §3: validate units first)."""
    # The number-type rules (and the expression evaluator they read) are imported with the first check: a
    # roll-up is built before the window's first paint, its checks after it (see `gui.context`).
    from ruian_desk.domain.checks.cell_rules import nonneg

    fmt = unit.fmt
    issues: list[Issue] = []
    for rdef in fmt.rules:
        if rdef.is_sum_rule and rdef.table in tables:
            issues.extend(sum_rule(unit, rdef))
    for issue in nonneg(unit, CheckContext()):
        if issue.cells and issue.cells[0] in fmt.cells and fmt.cells[issue.cells[0]].table in tables:
            issues.append(issue)
    return [i for i in issues if i.severity == "error"]


@cache
def _sum_checks(
    format_id: str, tables: frozenset[str]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]:
    """Every expansion (lhs, rhs, by_construction) of the format's sum rules in `tables`, computed once per
    format. `by_construction`: both sides add up the same input cells, so only a stated total can break it."""
    fmt = get_format(format_id)

    def inputs(cells: tuple[str, ...]) -> Counter[str]:
        found: Counter[str] = Counter()
        for c in cells:
            found.update(fmt.cells[c].parts if fmt.cells[c].derived else (c,))
        return found

    out = []
    for rdef in fmt.rules:
        if not rdef.is_sum_rule or rdef.table not in tables:
            continue
        for binding in rdef.expansions():
            lhs, rhs = rdef.lhs, rdef.rhs
            for k, v in binding.items():
                lhs = tuple(t.replace("{" + k + "}", v) for t in lhs)
                rhs = tuple(t.replace("{" + k + "}", v) for t in rhs)
            if all(c in fmt.cells for c in lhs + rhs):
                out.append((lhs, rhs, inputs(lhs) == inputs(rhs)))
    return tuple(out)


@cache
def _input_cells(format_id: str, tables: frozenset[str]) -> frozenset[str]:
    fmt = get_format(format_id)
    return frozenset(c for c in fmt.input_cells if fmt.cells[c].table in tables)


def table_error_count(unit: Report, tables: Sequence[str] | frozenset[str]) -> int:
    """How many table-rule errors (sum rules, number types) a unit has in `tables`: the same findings as
    `unit_table_issues`, counted without building messages (the roll-up checks run it for every unit)."""
    wanted = frozenset(tables)
    # Reports are immutable; the count is kept on the instance like `Report.values` (a cached property), so
    # a unit report reused from the storage cache is not recounted on every edit of the main report.
    memo = unit.__dict__.setdefault("_table_error_counts", {})
    if wanted not in memo:
        memo[wanted] = _count_table_errors(unit, wanted)
    return int(memo[wanted])


def _count_table_errors(unit: Report, wanted: frozenset[str]) -> int:
    from ruian_desk.domain.checks.cell_rules import nonneg_failures  # with the first check (see above)

    fmt = unit.fmt
    values = unit.values
    errors = 0
    stated = frozenset(fmt.derived_cells).intersection(unit.cells)
    for lhs, rhs, by_construction in _sum_checks(unit.format_id, wanted):
        if by_construction and not (stated and stated.intersection(lhs + rhs)):
            continue
        left = sum((v for v in (values.effective(c) for c in lhs) if v is not None), start=0)
        right = sum((v for v in (values.effective(c) for c in rhs) if v is not None), start=0)
        blank_total = (
            len(lhs) == 1 and values.is_stated(lhs[0]) and values.stated(lhs[0]) is None and right != 0
        )
        if left != right or blank_total:
            errors += 1
    errors += len(nonneg_failures(unit, wanted))
    return errors


def _part_of(fmt: FormatDef, tables: Sequence[str]) -> str | None:
    for table in tables:
        for part in fmt.parts:
            if part.table == table:
                return part.key
    return None


def _table_names(fmt: FormatDef, tables: Sequence[str]) -> str:
    return "、".join(fmt.tables[t].name for t in tables)


def _num(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


def aggregation_checks(report: Report, context: CheckContext) -> list[Issue]:
    """Roll-up checks of the main organ's report.

    X-AGG (warning): numbers stated in the main report (typed in 本级 scope, or imported from the published
    county report) for a table in roll-up scope differ from the units' sum: one finding per table, listing
    the cells with both figures; the action ADOPT_ACTION clears the stated numbers (`clear_stated_cells`).
    X-AGG-UNVERIFIED (warning): the sum includes units whose own table checks fail.
    X-AGG-STOCK (warning): 表二 stock counts (现行有效件数) summed over units may double-count.
    X-AGG-MISSING (warning): included units have not reported yet; the sum lacks them.
    X-AGG-FORMAT (error): a unit report has another format and was left out.
    X-AGG-EMPTY (info): a table in roll-up scope has no unit report; the main report's own values are shown.
    """
    if isinstance(report, RolledUpReport) and report.rollup is not None:
        rolled = report
    elif context.units:
        # A plain stored report checked with its units: compare its values against the default roll-up.
        rolled = rolled_up_report(report, context.units, DEFAULT_SCOPES)
    else:
        return []
    info = rolled.rollup
    assert info is not None
    fmt = rolled.fmt
    issues: list[Issue] = []
    wanted = [t for t in ROLLUP_TABLES if info.scopes.get(t) == SCOPE_ROLLUP and t in fmt.tables]
    tables = [t for t in ROLLUP_TABLES if t in info.rolled_tables]
    part = _part_of(fmt, tables or wanted)
    n_units = len(info.units)

    issues.extend(_stated_differences(rolled, info, n_units))

    if tables:
        bad = [(u.unit, table_error_count(u, tables)) for u in info.units]
        bad = [(name, n) for name, n in bad if n]
        if bad:
            names = "、".join(f"{name}（表格错误 {n} 处）" for name, n in bad)
            issues.append(
                Issue(
                    rule="X-AGG-UNVERIFIED",
                    severity="warning",
                    message=(
                        f"{_table_names(fmt, tables)}的汇总数包含未通过审核的单位数据：{names}；"
                        "请先更正这些单位的报告，否则汇总数可能不准确"
                    ),
                    part=part,
                    actual="、".join(name for name, _ in bad),
                )
            )

    if "t2" in info.rolled_tables:
        for cid, cell in fmt.cells.items():
            if cell.table != "t2" or cell.col not in STOCK_COLUMNS:
                continue
            reporting = [(name, v) for name, v in contributions(cid, info.units) if v]
            if len(reporting) < 2:
                continue
            total = rolled.values.get(cid)
            issues.append(
                Issue(
                    rule="X-AGG-STOCK",
                    severity="warning",
                    message=(
                        f"{cell.label}：汇总数 {_num(total)} 为 {len(reporting)} 个单位之和；该项是存量，"
                        "联合发文或多个单位报送同一文件时会重复计数，请核实去重后的数字并写明口径"
                    ),
                    cells=(cid,),
                    actual=total,
                )
            )

    if wanted and info.missing:
        issues.append(
            Issue(
                rule="X-AGG-MISSING",
                severity="warning",
                message=(
                    f"参与汇总的单位中有 {len(info.missing)} 个尚未报送：{'、'.join(info.missing)}；"
                    f"{_table_names(fmt, wanted)}的汇总数不含这些单位"
                ),
                part=part,
                actual="、".join(info.missing),
            )
        )

    if info.skipped:
        issues.append(
            Issue(
                rule="X-AGG-FORMAT",
                severity="error",
                message=(
                    f"以下单位的报告格式版本与本报告（{fmt.id}）不同，未计入汇总：{'、'.join(info.skipped)}"
                ),
                part=part,
                actual="、".join(info.skipped),
            )
        )

    empty = [t for t in wanted if t not in info.rolled_tables]
    # Only a county report is expected to be a roll-up; a department's own workspace has no units.
    if empty and rolled.unit_role == "county_government":
        issues.append(
            Issue(
                rule="X-AGG-EMPTY",
                severity="info",
                message=(
                    f"{_table_names(fmt, empty)}设为汇总各单位，但还没有任何单位的报告；暂时显示本级填写的数"
                ),
                part=_part_of(fmt, empty),
            )
        )
    return issues


ADOPT_ACTION = "采用各单位汇总数（清除本级填写数）"
_LISTED = 6  # differing cells named in the message; the rest are counted


def stated_differences(report: Report) -> dict[str, list[tuple[str, CellValue, CellValue]]]:
    """table → [(cell, stated, units' sum)] of the main report's stated numbers that differ from the sum, for
    the tables in roll-up scope (empty for a report that is not rolled up)."""
    if not isinstance(report, RolledUpReport) or report.rollup is None:
        return {}
    info = report.rollup
    out: dict[str, list[tuple[str, CellValue, CellValue]]] = {}
    for cid, own in info.own_cells.items():
        cell = report.fmt.cells.get(cid)
        if cell is None or cell.table not in info.rolled_tables or own is None:
            continue  # only what was stated is compared: a blank is no claim
        total = report.values.get(cid)
        if (0 if total is None else total) != own:
            out.setdefault(cell.table, []).append((cid, own, total))
    return out


def _stated_differences(rolled: RolledUpReport, info: RollupInfo, n_units: int) -> list[Issue]:
    fmt = rolled.fmt
    issues = []
    for table, diffs in stated_differences(rolled).items():
        shown = "；".join(
            f"{_short_label(fmt, cid)} 本级 {format_number(own)}、汇总 {_num(total)}"
            for cid, own, total in diffs[:_LISTED]
        )
        more = f"等 {len(diffs)} 格" if len(diffs) > _LISTED else f"共 {len(diffs)} 格"
        issues.append(
            Issue(
                rule="X-AGG",
                severity="warning",
                message=(
                    f"{fmt.tables[table].name}：本级报告中填写（或导入）的数与 {n_units} 个单位之和不一致，{more}：{shown}。"
                    f"汇总报告采用各单位之和；核对无误后可“{ADOPT_ACTION}”"
                ),
                cells=tuple(cid for cid, _, _ in diffs),
                expected=_one_or_list([0 if t is None else t for _, _, t in diffs]),
                actual=_one_or_list([o for _, o, _ in diffs]),
                part=_part_of(fmt, [table]),
            )
        )
    return issues


def _one_or_list(values: list[CellValue]) -> object:
    """One figure as itself, several as a list (the fingerprint holds them all: a new difference re-raises)."""
    if len(values) == 1:
        return values[0]
    return [format_number(v) if isinstance(v, Decimal) else v for v in values]


def _short_label(fmt: FormatDef, cell_id: str) -> str:
    """The cell's label without the table name (“一、本年新收… / 自然人”)."""
    label = fmt.cells[cell_id].label
    return label.split(" ", 1)[1] if " " in label else label


def stated_cells_in_rollup(report: Report) -> dict[str, list[str]]:
    """table → the main report's stated cells in the tables it rolls up (what ADOPT_ACTION clears)."""
    if not isinstance(report, RolledUpReport) or report.rollup is None:
        return {}
    out: dict[str, list[str]] = {}
    for cid, own in report.rollup.own_cells.items():
        cell = report.fmt.cells.get(cid)
        if cell is not None and cell.table in report.rollup.rolled_tables and own is not None:
            out.setdefault(cell.table, []).append(cid)
    return out


def sum_of_units(cell_id: str, units: Sequence[Report]) -> CellValue:
    """Σ of a cell's value over units (blank when every unit left it blank)."""
    total: CellValue = None
    for _, value in contributions(cell_id, units):
        total = _add(total, value)
    return total
