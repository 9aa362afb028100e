"""The three tables found by their labels, not by position: in grids (Word, web page and PDF tables, merged
cells known) and in tables printed as text (flattened web pages, text copies)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ruian_desk.domain.formats import FormatDef, RowDef, SectionDef
from ruian_desk.domain.report import CellValue
from ruian_desk.exchange.documents.labels import BLANK_MARKS, is_figure, label_core, norm_label, parse_figure
from ruian_desk.exchange.documents.model import Grid, Para
from ruian_desk.exchange.documents.result import TABLE_NAMES, ReadReport

# ------------------------------------------------------------------------------------------- tables


def classify_grid(grid: Grid) -> str | None:
    cells = [norm_label(c) for row in grid.rows for c in row if c]
    joined = "|".join(cells)
    if "行政复议" in joined and "行政诉讼" in joined and "结果维持" in joined:
        return "t4"
    if "自然人" in joined or "本年新收" in joined or "予以公开" in joined or "不予处理" in joined:
        return "t3"
    if "第二十条" in joined or any(
        k in joined for k in ("规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
    ):
        return "t2"
    if any(k in joined for k in ("不予公开", "无法提供", "结转下", "属于国家秘密", "重复申请")):
        return "t3"
    return None


@dataclass
class _TableRead:
    table: str
    rows_found: set[str] = field(default_factory=set)
    cells_read: int = 0
    cells_bad: int = 0
    subtotal_rows: set[str] = field(default_factory=set)
    pending_single_other: list[tuple[dict[str, tuple[CellValue, str, str]], str]] = field(default_factory=list)


def read_table(fmt: FormatDef, table: str, blocks: list, region: tuple[int, int] | None, rr: ReadReport) -> None:
    grids = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Grid)]
    mine: list[Grid] = []
    last: str | None = None
    for _, g in grids:
        kind = classify_grid(g)
        if kind is None:
            continue
        last = kind
        if kind == table:
            mine.append(g)
    del last
    state = _TableRead(table)
    if mine:
        colmap: dict[int, str] | None = None
        for g in mine:
            if table == "t3":
                colmap = _read_t3_grid(fmt, g, colmap, state, rr)
            elif table == "t4":
                _read_t4_grid(fmt, g, state, rr)
            else:
                _read_t2_grid(fmt, g, state, rr)
    if not state.rows_found and region is not None:
        lines = [b for b in blocks[region[0] : region[1]] if isinstance(b, Para)]
        _read_lines(fmt, table, lines, state, rr)
    if table == "t3":
        _settle_single_other(fmt, state, rr)
    expected = _expected_rows(fmt, table)
    if not state.rows_found:
        rr.problems.append(f"未找到{TABLE_NAMES[table]}（{fmt.tables[table].part_title}），该表保持空白")
        rr.confidence[table] = 0.0
        return
    rr.found_tables.add(table)
    missing = [r for r in expected if r not in state.rows_found]
    if missing:
        labels = "、".join(_row_label(fmt, table, r) for r in missing[:4])
        more = f"等 {len(missing)} 行" if len(missing) > 4 else ""
        rr.problems.append(f"{TABLE_NAMES[table]}缺少“{labels}”{more}，这些格保持空白")
    found_share = len([r for r in expected if r in state.rows_found]) / max(len(expected), 1)
    total = state.cells_read + state.cells_bad
    good_share = state.cells_read / total if total else 0.0
    rr.confidence[table] = round(found_share * good_share, 3)


def _expected_rows(fmt: FormatDef, table: str) -> list[str]:
    """section.row keys of every row of the table that carries number cells."""
    out: list[str] = []
    for s in fmt.tables[table].sections:
        for r in s.number_rows():
            out.append(f"{s.id}.{r.id}")
    return out


def _row_label(fmt: FormatDef, table: str, key: str) -> str:
    sid, rid = key.split(".", 1)
    row = fmt.section(sid).row(rid)
    return row.label or TABLE_NAMES[table]


def _store(
    fmt: FormatDef, rr: ReadReport, state: _TableRead, cell_id: str, text: str | None, where: str
) -> None:
    cdef = fmt.cells.get(cell_id)
    if cdef is None:
        return
    value, problem = parse_figure(text, cdef.type)
    if problem:
        state.cells_bad += 1
        rr.problems.append(f"{where}（{cdef.label}）：{problem}，该格未读取")
        return
    if cdef.type == "decimal" and value is not None and fmt.cells[cell_id].unit == "万元" and text:
        _check_fee_unit(rr, cdef.label, value, where)
    state.cells_read += 1
    if cell_id in rr.cells and rr.cells[cell_id] != value:
        rr.problems.append(f"{cdef.label}在文件中出现两次且不一致（{rr.raw.get(cell_id)} 与 {text}），取第一次")
        return
    if cell_id not in rr.cells:
        rr.cells[cell_id] = value
        rr.sources[cell_id] = where
        rr.raw[cell_id] = (text or "").strip()


def _check_fee_unit(rr: ReadReport, label: str, value: CellValue, where: str) -> None:
    if isinstance(value, (int, Decimal)) and value >= 1000:
        rr.problems.append(
            f"{where}（{label}）为 {value}，单位应为万元，这个数像是按元填写的；已按原数保留，未换算，请核对"
        )


# -- 表三


_T3_COLUMNS = {
    "自然人": "np",
    "商业企业": "ce",
    "科研机构": "ri",
    "社会公益组织": "spo",
    "法律服务机构": "lso",
    "其他": "oth",
    "总计": "total",
    "小计": "_sub",
    "合计": "total",
}
_T3_HEAD_WORDS = re.compile("自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|小计|总计|合计")
_T3_HEADER_WORDS = set(_T3_COLUMNS) | {"法人或其他组织", "申请人情况"}
_T3_ALIASES = {
    "new": ("本年新收",),
    "carry_in": ("上年结转",),
    "carry_out": ("结转下年度", "结转下一年度", "结转至下年度", "结转下年"),
    "r7_total": ("总计", "合计"),
    "r6_other": ("其他处理",),
}


def _t3_row_matchers(fmt: FormatDef) -> list[tuple[str, RowDef]]:
    section = fmt.tables["t3"].sections[0]
    out: list[tuple[str, RowDef]] = []
    for row in section.rows:
        core = label_core(row.label)
        if core:
            out.append((core, row))
        for alias in _T3_ALIASES.get(row.id, ()):
            out.append((alias, row))
    out.sort(key=lambda kv: -len(kv[0]))
    return out


def match_t3_row(fmt: FormatDef, labels: list[str], group: str | None) -> RowDef | None:
    """The 表三 row a printed row is: its most specific label against the format's rows, the group seen above
    it deciding short labels ("3.其他" is the 其他 of （六）)."""
    section = fmt.tables["t3"].sections[0]
    matchers = _t3_row_matchers(fmt)
    for text in reversed([t for t in labels if t]):
        core = label_core(text)
        if not core:
            continue
        hits = [row for phrase, row in matchers if phrase and (phrase == core or (len(phrase) >= 3 and phrase in core))]
        if core == "其他" or (core.startswith("其他") and len(core) <= 3):
            leaf = [r for r in section.rows if r.kind == "leaf" and label_core(r.label) == "其他"]
            if leaf and (group is None or leaf[0].parent == group):
                return leaf[0]
        if hits:
            # Prefer a row under the group seen above.
            for row in hits:
                if group is not None and row.parent == group:
                    return row
            return hits[0]
    return None


def _t3_colmap(grid: Grid, upto: int) -> dict[int, str]:
    out: dict[int, str] = {}
    width = len(grid.rows[0]) if grid.rows else 0
    for c in range(width):
        for r in range(upto - 1, -1, -1):
            text = norm_label(grid.rows[r][c])
            key = _T3_COLUMNS.get(text)
            if key is None and text.endswith("小计"):
                key = "_sub"
            if key is not None:
                out[c] = key
                break
    return out


def _read_t3_grid(
    fmt: FormatDef, grid: Grid, colmap: dict[int, str] | None, state: _TableRead, rr: ReadReport
) -> dict[int, str] | None:
    first_data = None
    for r, row in enumerate(grid.rows):
        if sum(1 for c in row if _T3_COLUMNS.get(norm_label(c))) >= 3:
            continue  # a header row (自然人, 商业企业 … 总计)
        labels = [c for c in row if c and not is_figure(c)]
        if labels and norm_label(labels[-1]) in _T3_HEADER_WORDS:
            continue
        if labels and match_t3_row(fmt, [labels[-1]], None) is not None:
            first_data = r
            break
    if first_data is None:
        return colmap
    header_map = _t3_colmap(grid, first_data)
    if len([k for k in header_map.values() if k != "_sub"]) >= 5:
        colmap = header_map
    if colmap is None:
        # No header (a continuation on the next page): the last 7 cells are the seven columns.
        width = len(grid.rows[0])
        keys = ["np", "ce", "ri", "spo", "lso", "oth", "total"]
        colmap = {width - 7 + i: k for i, k in enumerate(keys) if width - 7 + i >= 0}
    first_value_col = min(colmap) if colmap else 0
    group: str | None = None
    section = fmt.tables["t3"].sections[0]
    for r in range(first_data, len(grid.rows)):
        row = grid.rows[r]
        label_cells = [norm_label(c) for c in row[:first_value_col] if c]
        distinct: list[str] = []
        for t in label_cells:
            if t and (not distinct or distinct[-1] != t):
                distinct.append(t)
        if not distinct:
            continue
        # The group a row sits under: a label naming one of the groups.
        for t in distinct:
            g = match_t3_row(fmt, [t], None)
            if g is not None and g.kind == "group" and g.id != "g_results":
                group = g.id
        target = match_t3_row(fmt, distinct, group)
        if target is None:
            if any(is_figure(row[c]) and norm_label(row[c]) for c in colmap):
                rr.problems.append(f"{grid.where[r]}：行标签“{distinct[-1]}”不是表三的行，该行数字未读取")
            continue
        values = {key: row[c] for c, key in colmap.items() if key != "_sub" and c < len(row)}
        if target.kind == "group":
            if target.id == "g6_other" and fmt.id == "gov-2021":
                state.pending_single_other.append(
                    ({k: (None, v or "", grid.where[r]) for k, v in values.items()}, grid.where[r])
                )
            elif target.id != "g_results":
                state.subtotal_rows.add(target.id)
            continue
        _store_t3_row(fmt, section, target, values, grid.where[r], state, rr)
    return colmap


def _store_t3_row(
    fmt: FormatDef,
    section: SectionDef,
    row: RowDef,
    values: Mapping[str, str | None],
    where: str,
    state: _TableRead,
    rr: ReadReport,
) -> None:
    key = f"{section.id}.{row.id}"
    if key in state.rows_found:
        return
    state.rows_found.add(key)
    for col in section.columns:
        if col.id in values:
            _store(fmt, rr, state, f"{section.id}.{row.id}.{col.id}", values[col.id], f"{where}，{col.label}")


def _settle_single_other(fmt: FormatDef, state: _TableRead, rr: ReadReport) -> None:
    """A 2021 表三 printed with 2019's single （六）其他处理 row: its figures go to 3.其他 (named as a problem);
    a subtotal row printed above the three 2021 rows is only a subtotal."""
    if not state.pending_single_other:
        return
    section = fmt.tables["t3"].sections[0]
    leaves = [r for r in section.leaves_under("g6_other")]
    if any(f"t3.{r.id}" in state.rows_found for r in leaves):
        return
    values, where = state.pending_single_other[0]
    target = next(r for r in leaves if label_core(r.label) == "其他")
    _store_t3_row(fmt, section, target, {k: v[1] for k, v in values.items()}, where, state, rr)
    for r in leaves:
        if r is not target:
            state.rows_found.add(f"t3.{r.id}")
    rr.problems.append(
        "表三“（六）其他处理”按2019年格式只印了一行（2021年格式分为三项），其数字已记入“3.其他”，请核对"
    )


# -- 表四


def _read_t4_grid(fmt: FormatDef, grid: Grid, state: _TableRead, rr: ReadReport) -> None:
    section = fmt.tables["t4"].sections[0]
    cols = [c.id for c in section.columns]
    header_seen = False
    for r, row in enumerate(grid.rows):
        texts = [norm_label(c) for c in row]
        if any(t in ("结果维持", "行政复议", "行政诉讼") for t in texts):
            header_seen = True
            continue
        if not header_seen:
            continue
        cells = list(row)
        while cells and cells[0] is not None and not is_figure(cells[0]) and norm_label(cells[0]):
            cells.pop(0)  # a leading label cell ("数量")
        figures = [c for c in cells if c is None or is_figure(c) or norm_label(c) == ""]
        if len(figures) < len(cols) - 2 or not any(c and is_figure(c) for c in cells):
            if len(figures) >= 5 and any(c and is_figure(c) for c in cells):
                rr.problems.append(f"{grid.where[r]}：表四有 {len(cells)} 格，应为 {len(cols)} 格，未读取")
            continue
        if len(cells) != len(cols):
            rr.problems.append(f"{grid.where[r]}：表四有 {len(cells)} 格数字，应为 {len(cols)} 格，未读取")
            state.cells_bad += len(cols)
            state.rows_found.add("t4.count")
            return
        state.rows_found.add("t4.count")
        for col, text in zip(section.columns, cells, strict=True):
            _store(fmt, rr, state, f"t4.count.{col.id}", text, f"{grid.where[r]}，{_t4_col_label(col)}")
        return


def _t4_col_label(col) -> str:  # noqa: ANN001 - ColumnDef
    return "".join(x for x in (col.top, col.sub, col.label) if x)


# -- 表二

_T2_ITEM = re.compile(r"第二十条第?（([一二三四五六七八九十]+)）项")
_ITEM_SECTION = {"一": "t2_1", "五": "t2_5", "六": "t2_6", "八": "t2_8", "九": "t2_9"}


def _t2_row(fmt: FormatDef, label: str) -> tuple[SectionDef, RowDef] | None:
    core = label_core(label)
    if not core:
        return None
    best: tuple[int, SectionDef, RowDef] | None = None
    for s in fmt.tables["t2"].sections:
        for row in s.rows:
            rc = label_core(row.label)
            if rc == core or (len(core) >= 2 and (rc.endswith(core) and len(core) >= len(rc) - 2)) or (
                len(rc) >= 2 and core.endswith(rc) and len(core) - len(rc) <= 3
            ):
                score = len(rc)
                if best is None or score > best[0]:
                    best = (score, s, row)
    return (best[1], best[2]) if best else None


def _t2_colmap(section: SectionDef, row: tuple[str | None, ...]) -> dict[int, str]:
    out: dict[int, str] = {}
    for c, text in enumerate(row):
        t = norm_label(text)
        if not t:
            continue
        for col in section.columns:
            lab = norm_label(col.label)
            core = re.sub(r"（单位：?万元）", "", lab)
            t_core = re.sub(r"（单位：?[万]?元）|（[万]?元）", "", t).replace("增减", "增/减")
            if t == lab or t_core == core or (len(t_core) >= 4 and t_core in core) or (len(core) >= 4 and core in t_core):
                if col.id not in out.values():
                    out[c] = col.id
                break
    return out


def _read_t2_grid(fmt: FormatDef, grid: Grid, state: _TableRead, rr: ReadReport) -> None:
    current: SectionDef | None = None
    colmaps: dict[str, dict[int, str]] = {}
    pending_header: tuple[str | None, ...] | None = None
    for r, row in enumerate(grid.rows):
        texts = [norm_label(c) for c in row]
        joined = "".join(dict.fromkeys(t for t in texts if t))
        m = _T2_ITEM.search(joined)
        if m and not any(is_figure(c) and norm_label(c) not in BLANK_MARKS for c in row):
            sid = _ITEM_SECTION.get(m.group(1))
            current = fmt.section(sid) if sid and any(s.id == sid for s in fmt.tables["t2"].sections) else None
            continue
        if "信息内容" in texts or (current is not None and _t2_colmap(current, row) and not any(
            is_figure(c) and norm_label(c) not in BLANK_MARKS for c in row
        )):
            pending_header = row
            if current is not None:
                colmaps[current.id] = _t2_colmap(current, row)
            if any("元" in t and "万元" not in t for t in texts):
                rr.problems.append(f"{grid.where[r]}：表头写的是“元”，表二收费金额的单位应为万元，已按原数保留，请核对")
            continue
        label_cells = [c for c in row if c and not is_figure(c)]
        if not label_cells:
            continue
        found = _t2_row(fmt, label_cells[0])
        if found is None:
            continue
        section, trow = found
        if current is None or current.id != section.id:
            current = section
            if section.id not in colmaps and pending_header is not None:
                colmaps[section.id] = _t2_colmap(section, pending_header)
        colmap = colmaps.get(section.id) or {}
        key = f"{section.id}.{trow.id}"
        if key in state.rows_found:
            continue
        label_end = max(i for i, c in enumerate(row) if c is not None and norm_label(c) == norm_label(label_cells[0]))
        if not colmap or any(c <= label_end for c in colmap):
            # No header for this band: the cells after the label, in the band's column order.
            values = _distinct_after(row, label_end)
            if len(values) < len(section.columns):
                rr.problems.append(f"{grid.where[r]}：“{trow.label}”一行的格数少于{len(section.columns)}格，未读取")
                state.cells_bad += len(section.columns)
                state.rows_found.add(key)
                continue
            colmap = {label_end + 1 + i: col.id for i, col in enumerate(section.columns)}
            row = tuple(list(row[: label_end + 1]) + values)
        state.rows_found.add(key)
        for c, col_id in colmap.items():
            col = section.column(col_id)
            _store(fmt, rr, state, f"{section.id}.{trow.id}.{col_id}", row[c] if c < len(row) else None,
                   f"{grid.where[r]}，{trow.label}/{col.label}")


def _distinct_after(row: tuple[str | None, ...], label_end: int) -> list[str | None]:
    return [c for c in row[label_end + 1 :]]


# -- tables printed as text (flattened HTML, text copies, PDFs without rulings)


_TOKEN_SPLIT = re.compile(r"[ \t]+")


def _tokens(lines: list[Para]) -> list[tuple[str, str, str]]:
    """(kind, text, where): kind "num" for a figure or blank mark, "label" otherwise."""
    out: list[tuple[str, str, str]] = []
    for p in lines:
        parts = [x for x in _TOKEN_SPLIT.split(p.text.strip()) if x]
        label: list[str] = []
        for part in parts:
            if is_figure(part) and not (label and re.fullmatch(r"\d{1,2}", part) and False):
                if label:
                    out.append(("label", "".join(label), p.where))
                    label = []
                out.append(("num", part, p.where))
            else:
                label.append(part)
        if label:
            out.append(("label", "".join(label), p.where))
    return out


def _read_lines(fmt: FormatDef, table: str, lines: list[Para], state: _TableRead, rr: ReadReport) -> None:
    toks = _tokens(lines)
    if table == "t4":
        _lines_t4(fmt, toks, state, rr)
    elif table == "t3":
        _lines_t3(fmt, toks, state, rr)
    else:
        _lines_t2(fmt, toks, state, rr)


def _runs(toks: list[tuple[str, str, str]]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """Label run → the figures after it."""
    out: list[tuple[list[str], list[tuple[str, str]]]] = []
    labels: list[str] = []
    nums: list[tuple[str, str]] = []
    for kind, text, where in toks:
        if kind == "label":
            if nums:
                out.append((labels, nums))
                labels, nums = [], []
            labels.append(text)
        else:
            nums.append((text, where))
    if labels or nums:
        out.append((labels, nums))
    return out


def _lines_t3(fmt: FormatDef, toks: list[tuple[str, str, str]], state: _TableRead, rr: ReadReport) -> None:
    section = fmt.tables["t3"].sections[0]
    # The column order as the header prints it (the labels before the first figure after 自然人), else the
    # format's.
    head: list[str] = []
    for kind, text, _ in toks:
        if kind == "num" and head:
            break
        if kind == "label" and (head or "自然人" in norm_label(text)):
            head.append(norm_label(text))
    seen: list[str] = []
    head_text = "".join(head).replace("法人或其他组织", "").replace("申请人情况", "")
    for m in _T3_HEAD_WORDS.finditer(head_text[head_text.find("自然人") :] if head_text else ""):
        key = _T3_COLUMNS[m.group(0)]
        if key not in seen:
            seen.append(key)
    # A header flattened row by row prints 自然人 法人或其他组织 总计 and then the five organisations; the figures
    # follow the grid's columns, where 总计 is last.
    seen = ["np"] + [h for h in seen if h not in ("np", "total")] + ["total"] if "total" in seen else seen
    cols = seen if len([h for h in seen if h != "_sub"]) >= 6 else ["np", "ce", "ri", "spo", "lso", "oth", "total"]
    group: str | None = None
    for labels, nums in _runs(toks):
        if not labels:
            continue
        for t in labels:
            g = match_t3_row(fmt, [t], None)
            if g is not None and g.kind == "group" and g.id != "g_results":
                group = g.id
        target = None
        for t in reversed(labels):
            if _T3_COLUMNS.get(norm_label(t)):
                continue
            target = match_t3_row(fmt, [t], group)
            if target is not None:
                break
        if target is None or not nums:
            continue
        where = nums[0][1]
        if len(nums) != len(cols):
            rr.problems.append(
                f"{where}：表三“{target.label}”一行有 {len(nums)} 个数字，应为 {len(cols)} 个（空白格可能未印出），该行未读取"
            )
            state.cells_bad += len(cols)
            state.rows_found.add(f"t3.{target.id}")
            continue
        values = {key: text for key, (text, _) in zip(cols, nums, strict=True) if key != "_sub"}
        if target.kind == "group":
            if target.id == "g6_other" and fmt.id == "gov-2021":
                state.pending_single_other.append(({k: (None, v, where) for k, v in values.items()}, where))
            continue
        _store_t3_row(fmt, section, target, values, where, state, rr)


def _lines_t4(fmt: FormatDef, toks: list[tuple[str, str, str]], state: _TableRead, rr: ReadReport) -> None:
    section = fmt.tables["t4"].sections[0]
    n = len(section.columns)
    nums: list[tuple[str, str]] = []
    started = False
    for kind, text, where in toks:
        if kind == "label":
            if any(w in norm_label(text) for w in ("结果维持", "尚未审结")):
                started = True
            if nums and len(nums) >= n:
                break
            if not started:
                nums = []
            continue
        if started:
            nums.append((text, where))
    if not nums:
        return
    state.rows_found.add("t4.count")
    if len(nums) != n:
        rr.problems.append(f"{nums[0][1]}：表四有 {len(nums)} 个数字，应为 {n} 个，未读取")
        state.cells_bad += n
        return
    for col, (text, where) in zip(section.columns, nums, strict=True):
        _store(fmt, rr, state, f"t4.count.{col.id}", text, f"{where}，{_t4_col_label(col)}")


def _lines_t2(fmt: FormatDef, toks: list[tuple[str, str, str]], state: _TableRead, rr: ReadReport) -> None:
    for labels, nums in _runs(toks):
        if not labels or not nums:
            continue
        found = _t2_row(fmt, labels[-1])
        if found is None:
            continue
        section, trow = found
        key = f"{section.id}.{trow.id}"
        if key in state.rows_found:
            continue
        state.rows_found.add(key)
        where = nums[0][1]
        if len(nums) != len(section.columns):
            rr.problems.append(
                f"{where}：表二“{trow.label}”一行有 {len(nums)} 个数字，应为 {len(section.columns)} 个，该行未读取"
            )
            state.cells_bad += len(section.columns)
            continue
        for col, (text, w) in zip(section.columns, nums, strict=True):
            _store(fmt, rr, state, f"{section.id}.{trow.id}.{col.id}", text, f"{w}，{trow.label}/{col.label}")

