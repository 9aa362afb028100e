"""审核意见: a unit's failed checks in plain Chinese, with the cells named as in its Excel template
(`表三!D9`), as an .xlsx or .docx ready to send back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import format_number
from ruian_desk.domain.rules import SEVERITY_LABELS, Issue
from ruian_desk.storage.repository import Repository
from ruian_desk.textsafe import sheet_text, windows_safe_name

FEEDBACK_KINDS = ("xlsx", "docx")


@dataclass(frozen=True)
class FeedbackItem:
    severity: str  # 错误 / 警告
    where: str  # 表三!D9:D27, or the part of the report
    message: str
    expected: str
    actual: str
    note: str  # 已说明：… for an explained warning


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return format_number(value)  # type: ignore[arg-type]
    return str(value)


_PART_NAMES = {
    "title": "标题",
    "intro": "引言",
    "metrics": "指标",
    "signature": "落款",
    "publication": "发布",
}


def feedback_items(format_id: str, issues: Sequence[Issue]) -> list[FeedbackItem]:
    """Errors and warnings (explained warnings marked), in check order; infos are left out."""
    from ruian_desk.exchange.unit_template import cells_ref

    fmt = get_format(format_id)
    out: list[FeedbackItem] = []
    for issue in issues:
        if issue.severity not in ("error", "warning"):
            continue
        cells = [c for c in issue.cells if c in fmt.cells]
        if cells:
            where = cells_ref(format_id, cells)
        elif issue.part and issue.part.startswith("p") and issue.part[1:].isdigit():
            where = fmt.part(issue.part).title
        else:
            where = _PART_NAMES.get(issue.part or "", issue.part or "")
        out.append(
            FeedbackItem(
                severity=SEVERITY_LABELS.get(issue.severity, issue.severity),
                where=where,
                message=issue.message,
                expected=_plain(issue.expected),
                actual=_plain(issue.actual),
                note=f"已说明：{issue.explanation}" if issue.explained else "",
            )
        )
    return out


def feedback_file_name(unit_name: str, year: int, kind: str) -> str:
    safe = windows_safe_name(re.sub(r"\s+", "_", unit_name).strip("._"), "单位")
    return f"{safe}-{year}年政府信息公开年报审核意见.{kind}"


def _intro(unit_name: str, year: int, items: Sequence[FeedbackItem]) -> str:
    errors = sum(1 for i in items if i.severity == SEVERITY_LABELS["error"])
    warnings = len(items) - errors
    if not items:
        return f"经审核，贵单位报送的{year}年政府信息公开工作年度报告数据未发现问题。"
    return (
        f"经审核，贵单位报送的{year}年政府信息公开工作年度报告数据有以下问题（错误 {errors} 项，"
        f"需核实 {warnings} 项）。请在原填报模板中对照“位置”一栏的单元格逐项更正（警告项如确属实，"
        "请书面说明理由），更正后将模板交回。"
    )


HEADERS = ("序号", "类别", "位置（填报模板）", "问题说明", "应为", "现为", "备注")


def write_feedback(
    path: Path,
    unit_name: str,
    year: int,
    items: Sequence[FeedbackItem],
    issuer: str = "",
    date: dt.date | None = None,
) -> None:
    """Write one unit's 审核意见 as .xlsx or .docx (by the suffix of `path`), atomically."""
    from ruian_desk.fileio import atomic_write

    path = Path(path)
    date = date or dt.date.today()
    kind = path.suffix.lower().lstrip(".")
    if kind == "xlsx":
        atomic_write(path, lambda tmp: _write_xlsx(tmp, unit_name, year, items, issuer, date))
    elif kind == "docx":
        atomic_write(path, lambda tmp: _write_docx(tmp, unit_name, year, items, issuer, date))
    else:
        from ruian_desk.exchange.unit_template import TemplateError

        raise TemplateError(f"审核意见只能写成 .xlsx 或 .docx：{path.name}")


def _safe_text(value: str) -> str:
    # A text cell must never be read as a formula by Excel/WPS (formula injection): the one helper.
    return sheet_text(value)


def _write_xlsx(
    path: Path, unit_name: str, year: int, items: Sequence[FeedbackItem], issuer: str, date: dt.date
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "审核意见"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.cell(1, 1, _safe_text(f"{unit_name}{year}年政府信息公开工作年度报告审核意见")).font = Font(
        name="黑体", size=14, bold=True
    )
    ws.merge_cells("A1:G1")
    ws.cell(2, 1, _safe_text(_intro(unit_name, year, items))).alignment = wrap
    ws.merge_cells("A2:G2")
    ws.row_dimensions[2].height = 48
    for k, h in enumerate(HEADERS, start=1):
        cell = ws.cell(4, k, h)
        cell.font = Font(name="宋体", bold=True)
        cell.fill = PatternFill("solid", fgColor="EDEDED")
        cell.border = border
    for i, item in enumerate(items, start=1):
        row = [i, item.severity, item.where, item.message, item.expected, item.actual, item.note]
        for k, value in enumerate(row, start=1):
            cell = ws.cell(4 + i, k, _safe_text(value) if isinstance(value, str) else value)
            cell.alignment = wrap
            cell.border = border
            cell.font = Font(name="宋体", color="C00000" if item.severity == "错误" and k == 2 else None)
        ws.row_dimensions[4 + i].height = max(30, 15 * (len(item.message) // 40 + 1))
    end = 4 + len(items) + 2
    ws.cell(end, 1, _safe_text(f"{issuer + '　' if issuer else ''}{date.year}年{date.month}月{date.day}日"))
    ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=7)
    for col, width in zip("ABCDEFG", (6, 8, 22, 60, 10, 10, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    wb.save(str(path))


def _east_asian(run_or_style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _write_docx(
    path: Path, unit_name: str, year: int, items: Sequence[FeedbackItem], issuer: str, date: dt.date
) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    _east_asian(normal, "宋体")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{unit_name}{year}年政府信息公开工作年度报告审核意见")
    run.bold = True
    run.font.size = Pt(16)
    _east_asian(run, "黑体")
    doc.add_paragraph(_intro(unit_name, year, items))
    if items:
        table = doc.add_table(rows=1, cols=len(HEADERS))
        table.style = "Table Grid"
        for k, h in enumerate(HEADERS):
            cell = table.rows[0].cells[k]
            cell.text = h
            for r in cell.paragraphs[0].runs:
                r.bold = True
        for i, item in enumerate(items, start=1):
            cells = table.add_row().cells
            for k, value in enumerate(
                (str(i), item.severity, item.where, item.message, item.expected, item.actual, item.note)
            ):
                cells[k].text = value
    sign = doc.add_paragraph(f"{issuer + '　' if issuer else ''}{date.year}年{date.month}月{date.day}日")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))


def export_feedback(
    repo: Repository,
    year: int,
    out_dir: Path,
    unit_names: Sequence[str] | None = None,
    kind: str = "xlsx",
) -> tuple[list[Path], list[str]]:
    """审核意见 for every unit with errors (or for the units named, whatever they have). Returns the files
    written and the names of named units that had nothing to report."""
    from ruian_desk.exchange.tracker import unit_statuses
    from ruian_desk.exchange.unit_template import TemplateError

    if kind not in FEEDBACK_KINDS:
        raise TemplateError(f"审核意见格式只能是 {' 或 '.join(FEEDBACK_KINDS)}")
    statuses = unit_statuses(repo, year)
    if unit_names:
        wanted = []
        for name in unit_names:
            unit = repo.unit_by_name(name)
            if unit is None:
                raise TemplateError(f"工作区中没有单位“{name}”")
            wanted.append(unit.id)
        chosen = [s for s in statuses if s.unit.id in wanted]
    else:
        chosen = [s for s in statuses if s.errors and not s.is_main]
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TemplateError(f"无法创建文件夹 {out_dir}：{exc.strerror or exc}") from None
    main = repo.main_organ()
    # The 政务公开 office of a county government sends the feedback; other main organs sign themselves.
    issuer = ""
    if main is not None:
        issuer = f"{main.name}办公室" if main.role == "county_government" else main.name
    written: list[Path] = []
    clean: list[str] = []
    for status in chosen:
        if status.report_id is None:
            clean.append(status.unit.name)
            continue
        fmt_id = repo.load_report(status.report_id).format_id
        items = feedback_items(fmt_id, status.issues)
        if not items:
            clean.append(status.unit.name)
            continue
        target = out_dir / feedback_file_name(status.unit.name, year, kind)
        try:
            write_feedback(target, status.unit.name, year, items, issuer=issuer)
        except Exception as exc:
            from ruian_desk.fileio import WriteError

            if isinstance(exc, WriteError):
                raise TemplateError(str(exc)) from None
            raise
        written.append(target)
    return written, clean
