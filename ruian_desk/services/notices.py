"""考核 documents: the 通报 (ranking table and the problems found per unit, with the figures) and one 整改通知 per
unit scored below the rubric's threshold (its deductions and the same findings as its 审核意见), in the report's
公文 style: the styles and page of the export's reference.docx (方正小标宋 title, 黑体/楷体 headings, 仿宋 body,
GB/T 9704 margins, "- 1 -" page numbers)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruian_desk.domain.rubric import num
from ruian_desk.exchange.feedback import feedback_items
from ruian_desk.services.evaluation import Evaluation, UnitEvaluation

# Style ids of the reference document (export/reference.py).
TITLE, HEADING1, HEADING2, BODY, TABLE_TEXT, SIGNATURE, TABLE = (
    "Title", "Heading1", "Heading2", "BodyText", "TableText", "Signature", "ReportTable"
)  # fmt: skip
ADDRESSEES = "各部门，各乡镇人民政府、街道办事处，各功能区管委会："


def _file_safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "单位"


def bulletin_name(year: int) -> str:
    return f"{year}年度政府信息公开工作年度报告考核情况通报.docx"


def rectification_name(unit: str, year: int) -> str:
    return f"{_file_safe(unit)}-{year}年政府信息公开工作年度报告整改通知.docx"


class _Doc:
    """A document on the reference's page and styles, emptied of its demo body."""

    def __init__(self) -> None:
        import docx
        from docx.oxml.ns import qn

        from ruian_desk.export import reference as ref
        from ruian_desk.export.docx import _ensure_styles

        self.doc = docx.Document(str(ref.reference_docx_path()))
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        _ensure_styles(self.doc)
        self._styles = {s.style_id: s for s in self.doc.styles}

    def style(self, style_id: str) -> Any:
        return self._styles.get(style_id)

    def para(self, text: str, style: str = BODY) -> Any:
        return self.doc.add_paragraph(text, style=self.style(style))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> Any:
        from docx.shared import Mm

        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = self.style(TABLE)
        for cell, text in zip(t.rows[0].cells, headers, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text)
        t.autofit = False
        for col, w in zip(t.columns, widths_mm, strict=True):
            col.width = Mm(w)  # the grid: what LibreOffice and WPS lay out by
        for row in t.rows:
            for cell, w in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(w)
            self._keep_row(row)
        self._repeat_header(t)
        return t

    def _cell(self, cell: Any, text: str, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p.style = self.style(TABLE_TEXT)
        run = p.add_run(text)
        run.bold = bold

    @staticmethod
    def _keep_row(row: Any) -> None:
        """A row is never split over two pages."""
        from docx.oxml import OxmlElement

        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    @staticmethod
    def _repeat_header(table: Any) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)

    def save(self, path: Path, title: str, author: str) -> None:
        from ruian_desk.fileio import atomic_write

        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, author, "瑞安年报助手"
        atomic_write(path, lambda tmp: self.doc.save(str(tmp)))


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _score(u: UnitEvaluation) -> str:
    return str(num(u.score.score))


def write_bulletin(ev: Evaluation, path: Path, issuer: str, date: dt.date | None = None) -> Path:
    """The 通报 of the year's 考核."""
    date = date or dt.date.today()
    d = _Doc()
    title = f"关于{ev.year}年度政府信息公开工作年度报告考核情况的通报"
    d.para(title, TITLE)
    d.para(ADDRESSEES, "Normal")
    scored = [u for u in ev.units if u.report_id is not None]
    missing = [u.unit for u in ev.units if u.report_id is None]
    d.para(
        f"根据《中华人民共和国政府信息公开条例》和年度报告考核要求，按照《{ev.rubric.name}》（满分{num(ev.rubric.total)}分），"
        f"对{len(ev.units)}家单位{ev.year}年政府信息公开工作年度报告的编制、数据质量和发布情况进行了考核。现将有关情况通报如下。"
    )
    d.para("一、考核结果", HEADING1)
    rows = []
    for u in ev.units:
        main = "；".join(f"{x.name}扣{num(x.points)}分" for x in u.score.deductions) or (
            u.score.note or "无扣分"
        )
        rows.append((str(u.score.rank), u.unit, _score(u), main))
    d.table(("名次", "单位", "得分", "主要扣分情况"), rows, (14, 62, 16, 62))
    if missing:
        d.para(f"未报送年度报告的单位：{'、'.join(missing)}。")
    d.para("二、存在的主要问题", HEADING1)
    n = 0
    for u in scored:
        if not u.score.deductions:
            continue
        n += 1
        d.para(f"（{_chinese_number(n)}）{u.unit}（{_score(u)}分）", HEADING2)
        for x in u.score.deductions:
            d.para(
                f"{x.reason}。"
                + (
                    "具体为：" + "；".join(x.details[:8]) + ("等。" if len(x.details) > 8 else "。")
                    if x.details
                    else ""
                )
            )
    if n == 0:
        d.para("本次考核未发现扣分问题。")
    d.para("三、有关要求", HEADING1)
    below = ev.below()
    if below:
        names = "、".join(u.unit for u in below)
        d.para(
            f"得分低于{num(ev.rubric.rectify_below)}分的{names}，请对照整改通知逐项整改，"
            "更正后的年度报告重新报送并在原发布位置更新，同时书面说明整改情况。"
        )
    d.para("各单位要对照本通报查找问题，举一反三，切实提高政府信息公开工作年度报告的编制质量。")
    for note in ev.notes:
        d.para(f"说明：{note}。")
    d.para(issuer, SIGNATURE)
    d.para(_cn_date(date), SIGNATURE)
    d.save(path, title, issuer)
    return path


def write_rectification(
    ev: Evaluation, u: UnitEvaluation, path: Path, issuer: str, date: dt.date | None = None
) -> Path:
    """One unit's 整改通知: its score and deductions, then its findings as in its 审核意见."""
    date = date or dt.date.today()
    d = _Doc()
    title = f"关于{u.unit}{ev.year}年政府信息公开工作年度报告的整改通知"
    d.para(title, TITLE)
    d.para(f"{u.unit}：", "Normal")
    d.para(
        f"经考核，贵单位{ev.year}年政府信息公开工作年度报告得分为{_score(u)}分（满分{num(ev.rubric.total)}分，"
        f"第{u.score.rank}名），低于{num(ev.rubric.rectify_below)}分。现将存在的问题通知如下，请逐项整改。"
    )
    d.para("一、扣分情况", HEADING1)
    d.table(
        ("项目", "处数", "扣分", "情况"),
        [(x.name, str(x.count), str(num(x.points)), "；".join(x.details[:10])) for x in u.score.deductions],
        (40, 14, 14, 86),
    )
    items = feedback_items(u.format_id, u.issues) if u.format_id else []
    d.para("二、审核发现的具体问题", HEADING1)
    if items:
        d.table(
            ("序号", "类别", "位置", "问题说明", "应为", "现为"),
            [
                (str(i), it.severity, it.where, it.message, it.expected, it.actual)
                for i, it in enumerate(items, 1)
            ],
            (10, 12, 28, 74, 15, 15),
        )
    else:
        d.para("审核未发现数据错误或需核实的问题。")
    d.para("三、整改要求", HEADING1)
    d.para(
        "请于收到本通知之日起10个工作日内完成整改：更正年度报告中的错误，补全缺少的内容，"
        "已发布的年度报告在原发布位置更新为更正后的版本，并将整改情况书面报送。"
    )
    d.para(issuer, SIGNATURE)
    d.para(_cn_date(date), SIGNATURE)
    d.save(path, title, issuer)
    return path


_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def write_evaluation_documents(
    ev: Evaluation, out_dir: Path, issuer: str, date: dt.date | None = None
) -> list[Path]:
    """The 通报 and the 整改通知 of every unit below the threshold, into `out_dir`."""
    from ruian_desk.fileio import WriteError, os_error_text

    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"无法创建文件夹 {out_dir}：{os_error_text(exc)}") from None
    written = [write_bulletin(ev, out_dir / bulletin_name(ev.year), issuer, date)]
    for u in ev.below():
        written.append(
            write_rectification(ev, u, out_dir / rectification_name(u.unit, ev.year), issuer, date)
        )
    return written
