"""发布回读核验: a unit's published copy (portal page, PDF, Word file) read back and compared with its report in
the workspace — every cell that differs, every sentence added, dropped or changed, the title and 落款, tables
missing from the page; the typical portal damage named (columns shifted by lost merges, zeros printed as blanks,
another year's or another unit's file). Nothing in the workspace changes except the stored result (time and
the file's SHA-256, in the imports log as kind "verify")."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.narrative import render_placeholders
from ruian_desk.domain.report import CellValue, Report, format_number
from ruian_desk.exchange.documents.published import page_publication
from ruian_desk.exchange.documents.result import TABLE_NAMES, TABLES, ReadReport
from ruian_desk.storage.repository import Repository
from ruian_desk.textsafe import sheet_text

VERIFY_KIND = "verify"
SAME = "一致"
NOT_FOUND = "未找到发布稿"
TEXT_PARTS = (("title", "标题"), ("p1", "一、总体情况"), ("p5", "五、存在的主要问题及改进情况"),
              ("p6", "六、其他需要报告的事项"), ("signature", "落款"))  # fmt: skip


@dataclass
class CellDiff:
    cell: str
    label: str
    published: CellValue
    stored: CellValue


@dataclass
class SentenceDiff:
    part: str
    published: str
    stored: str


@dataclass
class UnitVerification:
    unit: str
    status: str
    file: str = ""
    sha256: str = ""
    cells: list[CellDiff] = field(default_factory=list)
    sentences: list[SentenceDiff] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    published_date: dt.date | None = None  # what a saved page says of its publication (see published.py)
    link: str = ""

    def to_json(self) -> dict[str, object]:
        extra: dict[str, object] = {}
        if self.published_date or self.link:
            date = self.published_date.isoformat() if self.published_date else None
            extra["publication"] = {"date": date, "link": self.link}
        return {
            "unit": self.unit,
            "status": self.status,
            "file": self.file,
            "cells": [{"cell": c.cell, "published": c.published, "stored": c.stored} for c in self.cells],
            "sentences": [
                {"part": s.part, "published": s.published, "stored": s.stored} for s in self.sentences
            ],
            "problems": list(self.problems),
            **extra,
        }


def _sentences(text: str) -> list[str]:
    flat = "".join(text.split())
    return [s for s in re.split(r"(?<=[。；！？!?;])", flat) if s]


def compare(report: Report, rr: ReadReport, unit_label: str) -> UnitVerification:
    """The published copy `rr` against the stored `report` (same unit and year)."""
    fmt = report.fmt
    v = UnitVerification(unit_label, SAME, rr.name, rr.sha256)
    if rr.format_id != fmt.id:
        v.problems.append(f"发布稿的表格格式（{rr.format_id}）与工作区（{fmt.id}）不同")
    for table in TABLES:
        if table not in rr.found_tables:
            v.problems.append(f"发布稿缺少{TABLE_NAMES[table]}")
    zero_blank = 0
    for cid, cdef in fmt.cells.items():
        if cdef.table not in rr.found_tables or rr.format_id != fmt.id:
            continue
        stored = report.values.get(cid)
        published = rr.cells.get(cid)
        if stored == published:
            continue
        if stored == 0 and published is None:
            zero_blank += 1
        v.cells.append(CellDiff(cid, cdef.label, published, stored))
    if zero_blank:
        v.problems.append(f"发布稿把 {zero_blank} 个 0 印成了空白")
    v.problems.extend(_shifted_rows(fmt, report, rr))
    stored_text = {
        "title": report.title,
        **{k: render_placeholders(report.part(k), report) for k in ("p1", "p5", "p6")},
        "signature": " ".join(x for x in (report.signature.organ, report.signature.date_text) if x),
    }
    published_text = {"title": rr.title, **rr.parts, "signature": rr.signature_text}
    for key, label in TEXT_PARTS:
        a, b = _sentences(stored_text.get(key, "")), _sentences(published_text.get(key, ""))
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            old, new = a[i1:i2], b[j1:j2]
            for k in range(max(len(old), len(new))):
                v.sentences.append(
                    SentenceDiff(label, new[k] if k < len(new) else "", old[k] if k < len(old) else "")
                )
    if v.cells or v.sentences or any("缺少" in p for p in v.problems):
        v.status = f"有差异（{len(v.cells)}处数字、{len(v.sentences)}处文字）"
    return v


def _shifted_rows(fmt: FormatDef, report: Report, rr: ReadReport) -> list[str]:
    """Rows whose published figures are the stored ones moved one column along: merges lost on the portal."""
    out: list[str] = []
    for table in fmt.tables.values():
        if table.id not in rr.found_tables:
            continue
        for section in table.sections:
            cols = [c.id for c in section.columns]
            for row in section.number_rows():
                ids = [f"{section.id}.{row.id}.{c}" for c in cols]
                stored = [report.values.get(c) for c in ids]
                published = [rr.cells.get(c) for c in ids]
                if stored == published or sum(1 for x in stored if x) < 2:
                    continue
                if published[1:] == stored[:-1] or published[:-1] == stored[1:]:
                    out.append(
                        f"{table.name}“{row.label or table.name}”一行的数字错了一列（疑似网页丢失了合并单元格）"
                    )
    return out


def verify_documents(
    repo: Repository, year: int, reads: list[ReadReport], unit: str | None = None
) -> list[UnitVerification]:
    out: list[UnitVerification] = []
    seen: set[str] = set()
    for rr in reads:
        if not rr.ok:
            out.append(
                UnitVerification(unit or rr.name, "无法读取", rr.name, rr.sha256, problems=[rr.refused or ""])
            )
            continue
        name = unit or rr.unit or rr.signature_organ
        known = repo.unit_by_name(name) if name else None
        if known is None and rr.signature_organ:
            known = repo.unit_by_name(rr.signature_organ)
        if known is None:
            out.append(UnitVerification(name or rr.name, "单位不在工作区", rr.name, rr.sha256,
                                        problems=[f"发布稿的单位“{name or '未知'}”不在工作区中"]))  # fmt: skip
            continue
        if rr.year is not None and rr.year != year:
            out.append(UnitVerification(known.name, f"发布稿年度不符（{rr.year}年）", rr.name, rr.sha256,
                                        problems=[f"文件是{rr.year}年的报告，不是{year}年的"]))  # fmt: skip
            seen.add(known.name)
            continue
        rid = repo.find_report(known.name, year)
        if rid is None:
            out.append(UnitVerification(known.name, "工作区中没有该年度报告", rr.name, rr.sha256))
            continue
        report = repo.load_report(rid)
        if rr.unit and repo.unit_by_name(rr.unit) is not None and repo.unit_by_name(rr.unit) != known:
            out.append(UnitVerification(known.name, "发布稿单位不符", rr.name, rr.sha256,
                                        problems=[f"文件是“{rr.unit}”的报告"]))  # fmt: skip
            continue
        result = compare(report, rr, known.name)
        result.problems = (
            [*rr.problems, *result.problems] if result.cells or result.sentences else result.problems
        )
        page = page_publication(rr.path)
        result.published_date, result.link = page.date, page.link
        out.append(result)
        seen.add(known.name)
    if unit is None:
        for entry in repo.report_index():
            if entry.get("year") == year and entry.get("unit") not in seen:
                if not any(v.unit == entry.get("unit") for v in out):
                    out.append(UnitVerification(str(entry.get("unit")), NOT_FOUND))
    return out


def record_results(repo: Repository, year: int, results: list[UnitVerification]) -> None:
    """Each verified file's result, with its time and SHA-256 (nothing else is written)."""
    if repo.readonly:
        return
    for v in results:
        if not v.file:
            continue
        unit = repo.unit_by_name(v.unit)
        repo.record_import(unit.id if unit else None, year, v.file, v.sha256, VERIFY_KIND, v.status[:2000])


# ------------------------------------------------------------------------------------------------ 核验表


def write_sheets(results: list[UnitVerification], year: int, out: Path) -> list[Path]:
    """核验表 as XLSX (a summary sheet, one sheet per unit with differences) and DOCX (one section per unit)."""
    import docx
    from openpyxl import Workbook

    out.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["单位", "核验结果", "发布稿文件", "说明"])
    for v in results:
        ws.append([_safe(v.unit), v.status, _safe(v.file), _safe("；".join(v.problems))])
    for v in results:
        if not (v.cells or v.sentences):
            continue
        sheet = wb.create_sheet(_sheet_title(v.unit, wb.sheetnames))
        sheet.append(["项目", "发布稿", "工作区（已确认）"])
        for c in v.cells:
            sheet.append([_safe(c.label), shown(c.published), shown(c.stored)])
        for s in v.sentences:
            sheet.append([_safe(s.part), _safe(s.published) or "（无）", _safe(s.stored) or "（无）"])
    xlsx = out / f"{year}年发布稿核验表.xlsx"
    wb.save(xlsx)
    d = docx.Document()
    d.add_heading(f"{year}年政府信息公开工作年度报告发布稿核验表", level=1)
    table = d.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("单位", "核验结果", "说明"), strict=True):
        cell.text = text
    for v in results:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = v.unit, v.status, "；".join(v.problems)
    for v in results:
        if not (v.cells or v.sentences):
            continue
        d.add_heading(f"{v.unit}：{v.status}", level=2)
        for c in v.cells:
            d.add_paragraph(
                f"{c.label}：发布稿 {shown(c.published)}，工作区 {shown(c.stored)}", style="List Bullet"
            )
        for s in v.sentences:
            d.add_paragraph(
                f"{s.part}：发布稿“{s.published or '（无）'}”；工作区“{s.stored or '（无）'}”",
                style="List Bullet",
            )
    path = out / f"{year}年发布稿核验表.docx"
    d.save(str(path))
    return [xlsx, path]


def _sheet_title(name: str, taken: list[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\']", "", name)[:28] or "单位"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]}-{n}", n + 1
    return title


def shown(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


def _safe(text: str) -> str:
    """A text cell that Excel never reads as a formula (the one helper)."""
    return sheet_text(text)
