"""The report interchange JSON (`ruian-desk/report@1`): strict reading, canonical writing.

Reading refuses a file whole and lists every problem by its path (`tables.t3.new.np: 应为非负整数`). Writing is
canonical (fixed key order, every cell present, two-space indent), so export → import → export is
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruian_desk.domain.formats import (
    TEXT_PARTS,
    FormatDef,
    FormatError,
    format_for_year,
    format_ids,
    get_format,
)
from ruian_desk.domain.report import (
    ROLES,
    CellInputError,
    CellValue,
    CellValues,
    Metric,
    Report,
    Signature,
    parse_cell_value,
    parse_decimal,
)

SCHEMA = "ruian-desk/report@1"
MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT = 200_000
TOP_KEYS = (
    "schema",
    "unit",
    "unit_role",
    "year",
    "format",
    "title",
    "intro",
    "parts",
    "tables",
    "metrics",
    "signature",
    "sample_data",
)
METRIC_KEYS = ("key", "label", "value", "unit", "numerator", "denominator", "source", "note")
_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class ReportFileError(ValueError):
    """A report file that cannot be taken; `problems` lists each one as "path: reason"."""

    def __init__(self, problems: list[str], file: str | None = None):
        self.problems = problems
        self.file = file
        shown = "；".join(problems[:12])
        more = f"；另有 {len(problems) - 12} 处" if len(problems) > 12 else ""
        prefix = f"{file}: " if file else ""
        super().__init__(f"{prefix}{len(problems)} 处问题：{shown}{more}")


# ------------------------------------------------------------------------------------ writing


def report_to_dict(report: Report) -> dict[str, Any]:
    fmt = report.fmt
    values = report.values
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "unit": report.unit,
        "unit_role": report.unit_role,
        "year": report.year,
        "format": report.format_id,
        "title": report.title,
        "intro": report.intro,
        "parts": {k: report.part(k) for k in TEXT_PARTS},
        "tables": _tables_dict(fmt, values),
        "metrics": [_metric_dict(m) for m in report.metrics],
        "signature": {
            "organ": report.signature.organ,
            "date": report.signature.date.isoformat() if report.signature.date else None,
        },
    }
    if report.sample_tables:
        out["sample_data"] = sorted(report.sample_tables)
    return out


def _tables_dict(fmt: FormatDef, values: CellValues) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in fmt.tables.values():
        t: dict[str, Any] = {}
        for section in table.sections:
            target = t if section.id == table.id else t.setdefault(section.id, {})
            for row in section.number_rows():
                target[row.id] = {
                    col.id: values.effective(f"{section.id}.{row.id}.{col.id}") for col in section.columns
                }
        tables[table.id] = t
    return tables


def _metric_dict(m: Metric) -> dict[str, Any]:
    d: dict[str, Any] = {"key": m.key, "label": m.label, "value": m.value, "unit": m.unit}
    if m.numerator is not None or m.denominator is not None:
        d["numerator"] = m.numerator
        d["denominator"] = m.denominator
    if m.source:
        d["source"] = m.source
    if m.note:
        d["note"] = m.note
    return d


def dumps(obj: Any, indent: int = 2) -> str:
    """json.dumps(indent=2, ensure_ascii=False) that writes Decimal as the number it is (98.70 stays 98.70)."""

    def enc(o: Any, level: int) -> str:
        pad = " " * (indent * (level + 1))
        end = " " * (indent * level)
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = [
                f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {enc(v, level + 1)}" for k, v in o.items()
            ]
            return "{\n" + ",\n".join(items) + "\n" + end + "}"
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            return "[\n" + ",\n".join(pad + enc(v, level + 1) for v in o) + "\n" + end + "]"
        if isinstance(o, Decimal):
            return format(o, "f")
        return json.dumps(o, ensure_ascii=False)

    return enc(obj, 0) + "\n"


def report_to_json(report: Report) -> str:
    return dumps(report_to_dict(report))


# ------------------------------------------------------------------------------------ reading


def _no_constants(name: str) -> Any:
    raise ValueError(f"不允许的数值 {name}")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"重复的键 “{k}”")
        out[k] = v
    return out


def loads_bytes(data: bytes, file: str | None = None) -> Any:
    if len(data) > MAX_BYTES:
        raise ReportFileError([f"文件过大（{len(data)} 字节，上限 {MAX_BYTES} 字节）"], file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportFileError([f"不是 UTF-8 编码的文本（第 {exc.start} 字节）"], file) from None
    if not text.strip():
        raise ReportFileError(["文件为空"], file)
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constants, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise ReportFileError(
            [f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），文件可能不完整"], file
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ReportFileError([f"JSON 内容无效：{exc}"], file) from None


def read_report_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            # a FIFO, /dev/zero, a folder: its size says nothing, reading it may never end
            raise ReportFileError(["不是普通文件（设备、管道或文件夹），拒绝读取"], str(path))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReportFileError([f"文件过大（{size} 字节，上限 {MAX_BYTES} 字节）"], str(path))
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # a file growing while it is read is cut, then refused
        if len(data) > MAX_BYTES:
            raise ReportFileError([f"文件过大（上限 {MAX_BYTES} 字节）"], str(path))
    except OSError as exc:
        raise ReportFileError([f"无法读取文件（{exc.strerror or exc}）"], str(path)) from None
    return report_from_json(data, file=str(path))


def report_from_json(data: bytes | str, file: str | None = None) -> Report:
    raw = loads_bytes(data.encode("utf-8") if isinstance(data, str) else data, file)
    return report_from_dict(raw, file)


def report_from_dict(raw: Any, file: str | None = None) -> Report:
    problems: list[str] = []
    p = problems.append
    if not isinstance(raw, dict):
        raise ReportFileError(["顶层应为 JSON 对象"], file)
    for k in raw:
        if k not in TOP_KEYS:
            p(f"{k}: 未知字段")
    if raw.get("schema") != SCHEMA:
        p(f"schema: 应为 “{SCHEMA}”")
    unit = _string(raw, "unit", p, required=True, max_len=200)
    if unit is not None and not unit.strip():
        p("unit: 不能为空")
    role = _string(raw, "unit_role", p, required=True, max_len=40)
    if role is not None and role not in ROLES:
        p(f"unit_role: 未知的单位类型 “{role}”（可选 {', '.join(ROLES)}）")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        p("year: 应为整数年份（如 2019）")
        year = None
    fmt: FormatDef | None = None
    format_id = raw.get("format")
    if not isinstance(format_id, str):
        p("format: 应为格式版本（gov-2019 或 gov-2021）")
    elif format_id not in format_ids():
        p(f"format: 未知的格式版本 “{format_id}”（可选 {', '.join(format_ids())}）")
    else:
        fmt = get_format(format_id)
        if year is not None:
            try:
                expected = format_for_year(year)
            except FormatError as exc:
                p(f"year: {exc}")
            else:
                if expected.id != fmt.id:
                    p(f"format: {year}年的报告应使用 {expected.id}（{expected.notice_no}），而不是 {fmt.id}")
    title = _string(raw, "title", p, max_len=500) or ""
    intro = _string(raw, "intro", p, max_len=MAX_TEXT) or ""
    parts: dict[str, str] = {k: "" for k in TEXT_PARTS}
    raw_parts = raw.get("parts", {})
    if not isinstance(raw_parts, dict):
        p("parts: 应为对象（p1、p5、p6）")
    else:
        for k, v in raw_parts.items():
            if k not in TEXT_PARTS:
                p(f"parts.{k}: 未知的部分（文字部分只有 p1、p5、p6；二、三、四为表格）")
            elif not isinstance(v, str):
                p(f"parts.{k}: 应为文本")
            elif len(v) > MAX_TEXT:
                p(f"parts.{k}: 文本过长")
            else:
                parts[k] = v
    cells = _read_tables(raw.get("tables", {}), fmt, p) if fmt else {}
    metrics = _read_metrics(raw.get("metrics", []), p)
    signature = _read_signature(raw.get("signature", {}), p)
    sample: frozenset[str] = frozenset()
    raw_sample = raw.get("sample_data", [])
    if not isinstance(raw_sample, list) or not all(isinstance(t, str) for t in raw_sample):
        p('sample_data: 应为表格编号列表（如 ["t3"]）')
    elif fmt:
        bad = [t for t in raw_sample if t not in fmt.tables]
        if bad:
            p(f"sample_data: 未知的表格 {', '.join(bad)}")
        else:
            sample = frozenset(raw_sample)
    if problems:
        raise ReportFileError(problems, file)
    assert fmt is not None and unit is not None and role is not None and year is not None
    return Report(
        unit=unit.strip(),
        unit_role=role,
        year=year,
        format_id=fmt.id,
        title=title,
        intro=intro,
        parts=parts,
        cells=cells,
        metrics=metrics,
        signature=signature,
        sample_tables=sample,
    )


def _string(
    raw: Mapping[str, Any], key: str, p: Any, required: bool = False, max_len: int = MAX_TEXT
) -> str | None:
    if key not in raw:
        if required:
            p(f"{key}: 缺少此字段")
        return None
    v = raw[key]
    if not isinstance(v, str):
        p(f"{key}: 应为文本")
        return None
    if len(v) > max_len:
        p(f"{key}: 文本过长（上限 {max_len} 字）")
        return None
    return v


def _read_tables(raw: Any, fmt: FormatDef, p: Any) -> dict[str, CellValue]:
    """Input cells as given; a derived cell is kept (as stated) only where it disagrees with the computed
    value. Blank is not 0: a blank total beside parts (even parts of 0) disagrees and is kept; a blank total
    beside blank parts agrees."""
    given: dict[str, CellValue] = {}
    derived_given: dict[str, CellValue] = {}
    if not isinstance(raw, dict):
        p("tables: 应为对象")
        return {}
    for table_id, t in raw.items():
        if table_id not in fmt.tables:
            p(f"tables.{table_id}: 未知的表格（{fmt.id} 有 {', '.join(fmt.tables)}）")
            continue
        if not isinstance(t, dict):
            p(f"tables.{table_id}: 应为对象")
            continue
        table = fmt.tables[table_id]
        nested = table.sections[0].id != table.id
        blocks: list[tuple[str, str, Any]] = []
        if nested:
            for section_id, rows in t.items():
                if section_id not in {s.id for s in table.sections}:
                    p(f"tables.{table_id}.{section_id}: 未知的栏目")
                    continue
                blocks.append((f"tables.{table_id}.{section_id}", section_id, rows))
        else:
            blocks.append((f"tables.{table_id}", table_id, t))
        for path, section_id, rows in blocks:
            if not isinstance(rows, dict):
                p(f"{path}: 应为对象")
                continue
            for row_id, cols in rows.items():
                if not isinstance(cols, dict):
                    p(f"{path}.{row_id}: 应为对象")
                    continue
                for col_id, value in cols.items():
                    cid = f"{section_id}.{row_id}.{col_id}"
                    cell = fmt.cells.get(cid)
                    where = f"{path}.{row_id}.{col_id}"
                    if cell is None:
                        p(f"{where}: 未知的单元格")
                        continue
                    if isinstance(value, str):
                        p(f"{where}: 应为数字，不是文本 “{value[:20]}”")
                        continue
                    if value is not None and not isinstance(value, (int, Decimal)) or isinstance(value, bool):
                        p(f"{where}: {_expectation(cell.type)}")
                        continue
                    try:
                        parsed = parse_cell_value(value, cell.type)
                    except CellInputError as exc:
                        p(f"{where}: {exc}")
                        continue
                    (derived_given if cell.derived else given)[cid] = parsed
    values = CellValues(fmt, given)
    cells: dict[str, CellValue] = {cid: v for cid, v in given.items() if v is not None}
    for cid, stated in derived_given.items():
        # A blank total beside non-zero parts is reported by the checks (未填总计); beside parts of 0 it is
        # only kept, so that export → import → export gives back the same file.
        if stated != values.get(cid):
            cells[cid] = stated
    return cells


def _expectation(cell_type: str) -> str:
    return {"int": "应为非负整数", "signed_int": "应为整数", "decimal": "应为非负数"}.get(
        cell_type, "应为数字"
    )


def _read_metrics(raw: Any, p: Any) -> tuple[Metric, ...]:
    if not isinstance(raw, list):
        p("metrics: 应为列表")
        return ()
    out: list[Metric] = []
    seen: set[str] = set()
    for i, m in enumerate(raw):
        where = f"metrics[{i}]"
        if not isinstance(m, dict):
            p(f"{where}: 应为对象")
            continue
        ok = True
        for k in m:
            if k not in METRIC_KEYS:
                p(f"{where}.{k}: 未知字段")
                ok = False
        key = m.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            p(f"{where}.key: 应为英文字母开头的编号（字母、数字、下划线）")
            ok = False
        elif key in seen:
            p(f"{where}.key: 重复的指标编号 “{key}”")
            ok = False
        label = m.get("label", "")
        if not isinstance(label, str) or not label.strip() or len(label) > 100:
            p(f"{where}.label: 应为指标名称")
            ok = False
        nums: dict[str, Decimal | None] = {}
        for k in ("value", "numerator", "denominator"):
            v = m.get(k)
            if v is None:
                nums[k] = None
            elif isinstance(v, bool) or not isinstance(v, (int, Decimal)):
                p(f"{where}.{k}: 应为数字")
                ok = False
            else:
                try:
                    # the one figure reader: 1e400, a 4000-digit figure or 0E-999999 is no real metric
                    nums[k] = parse_decimal(v)
                except CellInputError as exc:
                    p(f"{where}.{k}: {exc}")
                    ok = False
        if nums.get("denominator") is not None and nums["denominator"] == 0:
            p(f"{where}.denominator: 分母不能为 0")
            ok = False
        texts: dict[str, str] = {}
        for k in ("unit", "source", "note"):
            v = m.get(k, "")
            if not isinstance(v, str) or len(v) > 2000:
                p(f"{where}.{k}: 应为文本")
                ok = False
            else:
                texts[k] = v
        if ok:
            assert isinstance(key, str)
            seen.add(key)
            out.append(
                Metric(
                    key=key,
                    label=str(label),
                    value=nums["value"],
                    unit=texts["unit"],
                    numerator=nums["numerator"],
                    denominator=nums["denominator"],
                    source=texts["source"],
                    note=texts["note"],
                )
            )
    return tuple(out)


def _read_signature(raw: Any, p: Any) -> Signature:
    if not isinstance(raw, dict):
        p("signature: 应为对象（organ、date）")
        return Signature()
    for k in raw:
        if k not in ("organ", "date"):
            p(f"signature.{k}: 未知字段")
    organ = raw.get("organ", "")
    if not isinstance(organ, str) or len(organ) > 200:
        p("signature.organ: 应为文本")
        organ = ""
    date_value = raw.get("date")
    date = None
    if date_value is not None:
        try:
            if not isinstance(date_value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_value):
                raise ValueError
            date = dt.date.fromisoformat(date_value)
        except ValueError:
            p("signature.date: 应为日期 YYYY-MM-DD")
    return Signature(organ=organ, date=date)
