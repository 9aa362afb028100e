"""Build the test documents of the report reader and their truth files: `python -m tests.documents.make_fixtures`.

Every document is written as its kind is really produced (python-docx on the national template, Word-like
HTML, LibreOffice PDF, GBK/GB18030 text). Files that need LibreOffice (`soffice`) are skipped with a notice when it
is missing, keeping the committed copies. Zip containers get fixed timestamps so reruns give the same bytes.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tests.documents import content
from tests.documents.content import Fixture
from tests.documents.grids import GridSpec, t2_grid, t3_grid, t4_grid

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
TEMPLATE = FILES / "national-template-2021.docx"
REPO = HERE.parent.parent
FIXED_TIME = (2022, 1, 20, 9, 30, 0)

REFUSALS = {
    "old-word.doc": "另存为",
    "wps-file.wps": "另存为",
    "scanned.pdf": "文字层",
    "encrypted.pdf": "加密",
    "zip-bomb.docx": "过大",
}

PART_HEADINGS = {
    "p1": "一、总体情况",
    "p2": "二、主动公开政府信息情况",
    "p3": "三、收到和处理政府信息公开申请情况",
    "p4": "四、政府信息公开行政复议、行政诉讼情况",
    "p5": "五、存在的主要问题及改进情况",
    "p6": "六、其他需要报告的事项",
}


# --------------------------------------------------------------------------------------------- shared bits


def write_expected(fx: Fixture) -> None:
    path = FILES / f"{fx.name}.expected.json"
    path.write_text(json.dumps(fx.expected(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def normalise_zip(path: Path) -> None:
    """Same members, same order, fixed timestamps: a rerun of the generator gives the same bytes."""
    with zipfile.ZipFile(path) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    tmp.replace(path)


def set_fonts(run, name: str, size: float | None = None, bold: bool = False) -> None:  # noqa: ANN001
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def set_para_text(p, text: str) -> None:  # noqa: ANN001
    """Replace a paragraph's text, keeping its first run's formatting."""
    runs = p.runs
    if runs:
        runs[0].text = text
        for r in runs[1:]:
            r._element.getparent().remove(r._element)
    else:
        p.add_run(text)


def insert_after(p, text: str):  # noqa: ANN001, ANN201
    """A copy of paragraph p (same formatting) holding text, placed right after p."""
    new = copy.deepcopy(p._element)
    p._element.addnext(new)
    from docx.text.paragraph import Paragraph

    para = Paragraph(new, p._parent)
    set_para_text(para, text)
    return para


def soffice() -> str | None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    return exe


def _fontconfig_env(tmp: Path) -> dict[str, str]:
    """LibreOffice sees the project's Noto SC fonts through a private fontconfig file (nothing installed)."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{REPO / 'resources' / 'fonts'}</dir><cachedir>{tmp / 'fc-cache'}</cachedir>"
        "<alias><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>"
        "<alias><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>"
        "<alias><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>"
        "<alias><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>"
        "</fontconfig>",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    env["HOME"] = str(tmp)  # a throw-away LibreOffice profile
    return env


def convert(src: Path, target: str, out_dir: Path) -> Path:
    """soffice --headless --convert-to target; returns the produced file."""
    exe = soffice()
    assert exe, "soffice not found"
    with tempfile.TemporaryDirectory() as tmp:
        env = _fontconfig_env(Path(tmp))
        subprocess.run(
            [
                exe,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(src),
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
        )
    ext = target.split(":")[0]
    return out_dir / f"{src.stem}.{ext}"


# --------------------------------------------------------------------------------------------- 1 / 8: template


def _template_positions(fx: Fixture) -> dict[str, tuple[int, int, int]]:
    """Cell id → (table index, row, column) in the national 2021 template."""
    fmt = fx.fmt
    pos: dict[str, tuple[int, int, int]] = {}
    t2_rows = {"rules": 2, "normative": 3, "license": 6, "penalty": 9, "coercion": 10, "admin_fee": 13}
    for cid, cell in fmt.cells.items():
        if cell.table == "t2":
            sec = fmt.section(cell.section)
            pos[cid] = (0, t2_rows[cell.row], 1 + [c.id for c in sec.columns].index(cell.col))
    sec3 = fmt.tables["t3"].sections[0]
    cols3 = [c.id for c in sec3.columns]
    for i, row in enumerate(sec3.number_rows()):
        for k, col in enumerate(cols3):
            pos[f"t3.{row.id}.{col}"] = (1, 3 + i, 3 + k)
    for k, col4 in enumerate(fmt.tables["t4"].sections[0].columns):
        pos[f"t4.count.{col4.id}"] = (2, 3, k)
    return pos


def fill_template(fx: Fixture, out: Path, heading_variants: dict[str, str] | None = None) -> None:
    doc = Document(str(TEMPLATE))
    paras = doc.paragraphs
    title = next(p for p in paras if p.text.strip() == "政府信息公开工作年度报告格式模板")
    set_para_text(title, fx.title)
    after_title = paras[paras.index(title) + 1]
    set_para_text(after_title, fx.intro[0])
    after_title.paragraph_format.first_line_indent = Pt(21)
    for p in paras:
        t = p.text.strip()
        if heading_variants and t in heading_variants:
            set_para_text(p, heading_variants[t])
    placeholders = [p for p in doc.paragraphs if p.text.strip().startswith("（文字描述")]
    assert len(placeholders) == 3
    for p, key in zip(placeholders, ("p1", "p5", "p6"), strict=True):
        texts = getattr(fx, key)
        set_para_text(p, texts[0])
        p.paragraph_format.first_line_indent = Pt(21)
        last = p
        for t in texts[1:]:
            last = insert_after(last, t)
        if key == "p6":
            blank = insert_after(last, "")
            organ = insert_after(blank, fx.signature[0])
            organ.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            organ.paragraph_format.first_line_indent = None
            date = insert_after(organ, fx.signature[1])
            date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            date.paragraph_format.first_line_indent = None
    tables = doc.tables
    for cid, (ti, r, c) in _template_positions(fx).items():
        text = fx.printed[cid]
        if text == "":
            continue  # left as the template has it (empty, or full-width spaces)
        cell = tables[ti].cell(r, c)
        set_para_text(cell.paragraphs[0], text)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.core_properties.title = fx.title
    doc.core_properties.author = fx.unit
    doc.save(str(out))
    normalise_zip(out)


# --------------------------------------------------------------------------------------------- docx from scratch


def docx_grid(doc, grid: GridSpec, font: str = "宋体", size: float = 9, widths: list[float] | None = None):  # noqa: ANN001, ANN201
    table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for s in grid.origins():
        cell = table.cell(s.r, s.c)
        if s.rs > 1 or s.cs > 1:
            cell = cell.merge(table.cell(s.r + s.rs - 1, s.c + s.cs - 1))
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if s.kind != "label" or s.cs > 1 else WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(s.text)
        set_fonts(run, font, size, bold=s.kind == "head")
    if widths:
        table.autofit = False
        grid_el = table._tbl.tblGrid
        for k, col in enumerate(grid_el.findall(qn("w:gridCol"))):
            col.set(qn("w:w"), str(int(widths[k] * 567)))
        for row in table.rows:
            start = 0
            for tc in row._tr.findall(qn("w:tc")):
                n = tc.grid_span
                tcw = tc.get_or_add_tcPr().get_or_add_tcW()
                tcw.type = "dxa"
                tcw.w = int(sum(widths[start : start + n]) * 567)
                start += n
    return table


def _body_para(doc, text: str, font: str, size: float, indent: bool = True):  # noqa: ANN001, ANN201
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(size * 1.75)
    p.paragraph_format.space_after = Pt(0)
    set_fonts(p.add_run(text), font, size)
    return p


def _heading(doc, text: str, font: str, size: float):  # noqa: ANN001, ANN201
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.keep_with_next = True
    set_fonts(p.add_run(text), font, size)
    return p


def _page_footer(section, font: str) -> None:  # noqa: ANN001
    """'— N —' centred in the footer, N from a PAGE field."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(p.add_run("— "), font, 14)
    run = p.add_run()
    set_fonts(run, font, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)
    set_fonts(p.add_run(" —"), font, 14)


def own_docx(
    fx: Fixture,
    out: Path,
    *,
    body_font: str,
    body_size: float,
    headings: dict[str, str],
    t3_labels: dict[str, str] | None = None,
    subtotal: bool = False,
    footer: bool = False,
) -> None:
    fmt = fx.fmt
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    if footer:
        _page_footer(sec, body_font)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(title.add_run(fx.title), "方正小标宋简体", 20)
    for t in fx.intro:
        _body_para(doc, t, body_font, body_size)
    printed = fx.printed.__getitem__

    def sub(row_id: str) -> str:
        return str(sum(int(fx.truth.get(f"t3.{row_id}.{c}") or 0) for c in content.T3_COLS[1:]))

    def tables_for(key: str) -> None:
        if key == "p2":
            docx_grid(doc, t2_grid(fmt, printed), size=10.5, widths=[4.5, 3.5, 3.5, 3.5])
        elif key == "p3":
            n = 8 if subtotal else 7
            docx_grid(
                doc,
                t3_grid(fmt, printed, t3_labels, sub if subtotal else None),
                size=9,
                widths=[1.3, 1.6, 12.6 - 1.05 * n] + [1.05] * n,
            )
        elif key == "p4":
            docx_grid(doc, t4_grid(fmt, printed), size=8, widths=[1.04] * 15)

    for key in ("p1", "p2", "p3", "p4", "p5", "p6"):
        _heading(doc, headings.get(key, PART_HEADINGS[key]), "黑体", body_size)
        if key in ("p1", "p5", "p6"):
            for t in getattr(fx, key):
                _body_para(doc, t, body_font, body_size)
        else:
            tables_for(key)
    doc.add_paragraph()
    for t in fx.signature:
        p = _body_para(doc, t, body_font, body_size, indent=False)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.core_properties.title = fx.title
    doc.core_properties.author = fx.unit
    doc.save(str(out))
    normalise_zip(out)


# --------------------------------------------------------------------------------------------- HTML


def html_table_word(grid: GridSpec, blank_html: str = "&nbsp;") -> str:
    """A table the way Word's 'save as web page' writes it."""
    out = [
        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 "
        "style='width:450.0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
        "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"
    ]
    for i, row in enumerate(grid.rows()):
        out.append(f" <tr style='mso-yfti-irow:{i};height:20.0pt'>")
        for s in row:
            attrs = ""
            if s.rs > 1:
                attrs += f" rowspan={s.rs}"
            if s.cs > 1:
                attrs += f" colspan={s.cs}"
            align = "center" if s.kind != "label" else "left"
            text = html.escape(s.text.strip()) if s.text.strip() else blank_html
            weight = "<b>" if s.kind == "head" else ""
            endw = "</b>" if s.kind == "head" else ""
            out.append(
                f"  <td width={40 * s.cs}{attrs} valign=middle style='border:solid windowtext 1.0pt;"
                f"padding:0cm 5.4pt 0cm 5.4pt;height:20.0pt'><p class=MsoNormal align={align} "
                f"style='text-align:{align};line-height:15.0pt'>{weight}<span style='font-size:10.0pt;"
                f"font-family:宋体;mso-bidi-font-family:宋体;color:black;mso-font-kerning:0pt'>{text}"
                f"</span>{endw}</p></td>"
            )
        out.append(" </tr>")
    out.append("</table>")
    return "\n".join(out)


def _html_para(text: str) -> str:
    return (
        "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly'>"
        f"<span style='font-size:16.0pt;font-family:仿宋_GB2312'>{html.escape(text)}</span></p>"
    )


def portal_gbk_html(fx: Fixture, out: Path) -> None:
    fmt = fx.fmt
    printed = fx.printed.__getitem__
    nav = "".join(
        f'<li><a href="http://www.ruian.gov.cn/col/col{1229000000 + i * 37}/index.html" target="_blank">{n}</a></li>'
        for i, n in enumerate(
            [
                "首页",
                "走进瑞安",
                "政务动态",
                "信息公开",
                "政务服务",
                "互动交流",
                "专题专栏",
                "数据开放",
                "无障碍",
                "政策文件",
                "政策解读",
                "重点领域",
                "建议提案",
                "人事信息",
                "财政信息",
                "统计信息",
            ]
        )
    )
    side_reports = "".join(
        f'<li><a href="/art/{y}/1/2{k}/art_1229{k}{y}.html" title="{fx.unit}{y}年政府信息公开工作年度报告">'
        f"{fx.unit}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-2{k}</span></li>"
        for k, y in enumerate((fx.year - 1, fx.year - 2, fx.year - 3), start=3)
    )
    body = []
    body.append(_html_para(fx.intro[0]))
    for key in ("p1", "p2", "p3", "p4", "p5", "p6"):
        body.append(
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><b><span "
            f"style='font-size:16.0pt;font-family:黑体'>{PART_HEADINGS[key]}</span></b></p>"
        )
        if key in ("p1", "p5", "p6"):
            body.extend(_html_para(t) for t in getattr(fx, key))
        elif key == "p2":
            body.append(html_table_word(t2_grid(fmt, printed)))
        elif key == "p3":
            body.append(html_table_word(t3_grid(fmt, printed)))
        else:
            body.append(html_table_word(t4_grid(fmt, printed)))
    body.append("<p class=MsoNormal>&nbsp;</p>")
    for t in fx.signature:
        body.append(
            "<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'>"
            f"<span style='font-size:16.0pt;font-family:仿宋_GB2312'>{t}</span></p>"
        )
    date = f"{fx.year + 1}-01-2{fx.year % 7}"
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<meta name="SiteName" content="瑞安市人民政府" />
<meta name="SiteDomain" content="www.ruian.gov.cn" />
<meta name="SiteIDCode" content="3303810001" />
<meta name="ColumnName" content="政府信息公开年报" />
<meta name="ArticleTitle" content="{fx.title}" />
<meta name="PubDate" content="{date} 16:05" />
<meta name="ContentSource" content="{fx.unit}" />
<title>{fx.title}_政府信息公开年报_瑞安市人民政府门户网站</title>
<link rel="stylesheet" type="text/css" href="/script/0/1912191553284596.css" />
<script type="text/javascript" src="/script/jquery.min.js"></script>
<script type="text/javascript">
var siteid = 3303810001; var columnid = 1229517842; var title = "{fx.title}";
function changeFont(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
document.write('<div class="jg-old">' + "长者模式" + '</div>');
</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问瑞安市人民政府门户网站</span>
<a href="javascript:void(0)" id="jft">繁體</a> | <a href="/col/col1229000003/index.html">无障碍浏览</a> | <a href="/">长者模式</a>
<a href="https://www.zjzwfw.gov.cn/" target="_blank">浙江政务服务网</a></div></div>
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/picture/0/logo_ruian.png" alt="瑞安市人民政府" /></a>
<div class="search"><form action="/jrobot/search.do" method="get" target="_blank"><input type="hidden" name="webid" value="3" />
<input type="text" name="q" id="q" value="请输入关键字" onfocus="if(this.value=='请输入关键字')this.value='';" />
<input type="submit" value="搜索" class="btn" /></form></div></div></div>
<div class="nav"><ul class="w1200">{nav}</ul></div>
<div class="main w1200">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229000040/index.html">信息公开</a> &gt; <a href="/col/col1229517842/index.html">政府信息公开年报</a></div>
<div class="left-side">
<div class="side-box"><h3>相关链接</h3><ul>
<li><a href="http://www.gov.cn" target="_blank">中国政府网</a></li><li><a href="http://www.zj.gov.cn" target="_blank">浙江省人民政府</a></li>
<li><a href="http://www.wenzhou.gov.cn" target="_blank">温州市人民政府</a></li></ul></div>
<div class="side-box"><h3>往年年报</h3><ul>{side_reports}</ul></div>
</div>
<div class="right-content"><div class="article">
<div class="article-hd"><div class="title"><h1 id="ivs_title">{fx.title}</h1></div>
<div class="info"><span>发布日期：{date}</span>　<span>来源：{fx.unit}</span>　<span>浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid=1229517842&amp;artid=2{fx.year}118"></script></span>
<span class="font">字号：[ <a href="javascript:changeFont(20)">大</a> <a href="javascript:changeFont(16)">中</a> <a href="javascript:changeFont(14)">小</a> ]</span></div></div>
<div class="article-bd" id="zoom"><div id="ivs_content"><div class="Section1" style="layout-grid:15.6pt">
{chr(10).join(body)}
</div></div></div>
<div class="article-ft"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div></div></div>
<div class="footer"><div class="w1200">
<p>主办：瑞安市人民政府办公室　承办：瑞安市大数据发展管理中心</p>
<p>版权所有：瑞安市人民政府　<a href="https://beian.miit.gov.cn/" target="_blank">浙ICP备05003211号</a>　浙公网安备 33038102000123号　网站标识码：3303810001</p>
<p>地址：浙江省瑞安市安阳街道万松东路 联系电话：0577-65812345</p>
</div></div>
<script type="text/javascript">
var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); hm.src = "https://hm.example.com/hm.js?ruian"; var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); }})();
</script>
</body>
</html>
"""
    out.write_bytes(page.replace("\n", "\r\n").encode("gbk"))


def portal_flat_htm(fx: Fixture, out: Path) -> None:
    fmt = fx.fmt
    printed = fx.printed.__getitem__
    lines = [f'<p style="text-indent:2em">{html.escape(t)}</p>' for t in fx.intro]
    for key in ("p1", "p2", "p3", "p4", "p5", "p6"):
        lines.append(f'<p style="text-indent:2em"><strong>{PART_HEADINGS[key]}</strong></p>')
        if key in ("p1", "p5", "p6"):
            lines.extend(f'<p style="text-indent:2em">{html.escape(t)}</p>' for t in getattr(fx, key))
            continue
        grid = {"p2": t2_grid, "p3": t3_grid, "p4": t4_grid}[key](fmt, printed)
        for s in grid.origins():
            lines.append(f'<p style="text-align:center">{html.escape(s.text) if s.text else "/"}</p>')
    lines.append("<p><br/></p>")
    lines.extend(f'<p style="text-align:right">{t}</p>' for t in fx.signature)
    date = f"{fx.year + 1}-01-2{fx.year % 7}"
    page = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{fx.title} - 温州政务信息网</title>
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<header class="site-header"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/nb/">信息公开年报</a> | <a href="/nb/xs/">县（市、区）</a></header>
<div class="crumb">您的位置：首页 &gt; 信息公开年报 &gt; 瑞安市 &gt; {fx.year}</div>
<article>
<h2 class="art-title">{fx.title}</h2>
<div class="art-meta">来源：{fx.unit}　发布时间：{date}</div>
<div class="art-content">
{chr(10).join(lines)}
</div>
</article>
<aside><h4>热门文章</h4><ul><li><a href="/nb/1.htm">瑞安市人民政府{fx.year}年政府信息公开工作年度报告</a></li><li><a href="/nb/2.htm">瑞安市玉海街道办事处{fx.year}年政府信息公开工作年度报告</a></li></ul></aside>
<footer>本站转载内容仅供参考，以原发布机关公布为准。 Copyright 2021</footer>
</body>
</html>
"""
    out.write_text(page, encoding="utf-8")


# --------------------------------------------------------------------------------------------- text copies


def _t3_text_lines(fx: Fixture, sep: str = " ") -> list[str]:
    fmt = fx.fmt
    sec = fmt.tables["t3"].sections[0]
    lines = [
        f"{content_corner()}{sep}申请人情况",
        f"自然人{sep}法人或其他组织{sep}总计",
        sep.join(c.label for c in sec.columns if c.group),
    ]
    for row in sec.rows:
        if row.kind == "group":
            lines.append(row.label)
            continue
        nums = sep.join(fx.printed[f"t3.{row.id}.{c.id}"] for c in sec.columns)
        lines.append(f"{row.label}{sep}{nums}")
    return lines


def content_corner() -> str:
    from tests.documents.grids import CORNER

    return CORNER


def _t2_text_lines(fx: Fixture) -> list[str]:
    lines = []
    for sec in fx.fmt.tables["t2"].sections:
        lines.append(sec.caption or "")
        lines.append(" ".join([sec.label_header or "信息内容"] + [c.label for c in sec.columns]))
        for row in sec.rows:
            lines.append(
                " ".join([row.label] + [fx.printed[f"{sec.id}.{row.id}.{c.id}"] for c in sec.columns])
            )
    return lines


def _t4_text_lines(fx: Fixture) -> list[str]:
    cols = fx.fmt.tables["t4"].sections[0].columns
    return [
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
        " ".join(c.label for c in cols[5:]),
        " ".join(fx.printed[f"t4.count.{c.id}"] for c in cols),
    ]


PINYIN = {
    "年": "nián",
    "報": "bào",
    "開": "kāi",
    "務": "wù",
    "訊": "xùn",
    "請": "qǐng",
    "監": "jiān",
    "據": "jù",
}


def _gloss(text: str, every: int) -> str:
    """Inline pinyin after some characters, the way some mirror sites print them: 年(nián)."""
    out, seen = [], 0
    for ch in text:
        out.append(ch)
        if ch in PINYIN:
            seen += 1
            if (seen - 1) % every == 0:
                out.append(f"({PINYIN[ch]})")
    return "".join(out)


def traditional_txt(fx: Fixture, out: Path) -> None:
    from opencc import OpenCC

    s2t, t2s = OpenCC("s2t"), OpenCC("t2s")
    texts = [fx.title, *fx.intro, *fx.p1, *fx.p5, *fx.p6, *fx.signature]
    texts += _t2_text_lines(fx) + _t3_text_lines(fx) + _t4_text_lines(fx) + list(PART_HEADINGS.values())
    for t in texts:
        back = t2s.convert(s2t.convert(t))
        assert back == t, f"s2t/t2s round trip differs: {t!r} -> {back!r}"
    lines = [
        "更多精彩请访问 http://www.example-spam.cn 每日更新各地政务公开资讯",
        "",
        _gloss(s2t.convert(fx.title), 1),
        "來源：瑞安市人民政府網 轉載時間：2022-02-16",
        "",
    ]
    lines += [_gloss(s2t.convert(t), 5) for t in fx.intro]
    body: list[str] = []
    for key in ("p1", "p2", "p3", "p4", "p5", "p6"):
        body.append(PART_HEADINGS[key])
        if key in ("p1", "p5", "p6"):
            lines += [s2t.convert(body.pop())] + [_gloss(s2t.convert(t), 4) for t in getattr(fx, key)]
            continue
        rows = {"p2": _t2_text_lines, "p3": _t3_text_lines, "p4": _t4_text_lines}[key](fx)
        lines += [s2t.convert(body.pop())] + [s2t.convert(r) for r in rows]
    lines += [
        "",
        *(s2t.convert(t) for t in fx.signature),
        "",
        "（本文轉自網絡，如有侵權請聯繫刪除）更多精彩內容請訪問 www.example-spam.cn/zwgk/2022",
    ]
    out.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def simplified_txt(fx: Fixture, out: Path) -> None:
    fmt = fx.fmt
    printed = fx.printed.__getitem__
    lines = [fx.title, "", *fx.intro]
    for key in ("p1", "p2", "p3", "p4", "p5", "p6"):
        lines.append(PART_HEADINGS[key])
        if key in ("p1", "p5", "p6"):
            lines += getattr(fx, key)
            continue
        grid = {"p2": t2_grid, "p3": t3_grid, "p4": t4_grid}[key](fmt, printed)
        lines += [s.text for s in grid.origins()]
    lines += ["", *fx.signature]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------- refusals


def zip_bomb(out: Path, unpacked_mb: int = 210) -> None:
    """A .docx whose document.xml inflates to more than 200 MB: every byte really there, deflated ~1000:1."""
    base = Path(tempfile.mkdtemp())
    try:
        with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                new = zipfile.ZipInfo(info.filename, FIXED_TIME)
                new.compress_type = zipfile.ZIP_DEFLATED
                if info.filename == "word/document.xml":
                    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                    chunk = b" " * (1 << 20)
                    with zout.open(new, "w", force_zip64=True) as f:
                        f.write(head)
                        for _ in range(unpacked_mb):
                            f.write(chunk)
                        f.write(b"</w:t></w:r></w:p></w:body></w:document>")
                else:
                    zout.writestr(new, zin.read(info), compresslevel=9)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def scanned_pdf(source_pdf: Path, out: Path) -> None:
    """Pages that are only pictures: the first two pages of a real PDF rendered to JPEG and put back as a PDF."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "80", "-gray", "-jpeg", "-f", "1", "-l", "2", str(source_pdf), f"{tmp}/p"],
            check=True,
        )
        pages = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p*.jpg"))]
        pages[0].save(out, "PDF", resolution=80.0, save_all=True, append_images=pages[1:])


def encrypted_pdf(source_pdf: Path, out: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(str(source_pdf)))
    writer.encrypt(user_password="ra2024", owner_password="ruian-owner", algorithm="RC4-128")
    with out.open("wb") as f:
        writer.write(f)


# --------------------------------------------------------------------------------------------- main


def build(names: set[str] | None = None) -> list[str]:
    FILES.mkdir(exist_ok=True)
    made: list[str] = []
    have_soffice = soffice() is not None
    fx = {f.name: f for f in content.all_fixtures()}

    def want(name: str) -> bool:
        return names is None or name in names

    if want("national-2021-filled"):
        f = fx["national-2021-filled"]
        fill_template(
            f, FILES / "national-2021-filled.docx", heading_variants={"一、总体情况": "一．总体情况"}
        )
        made.append("national-2021-filled.docx")
    if want("own-word-2019"):
        f = fx["own-word-2019"]
        labels = {
            "r1_open": "(一)予以公开",
            "r2_partial": "(二)部分公开（区分处理的，只计这一情形，不计其他情形）",
            "g3_withheld": "(三)不予公开",
            "g4_unable": "(四)无法提供",
            "g5_not_processed": "(五)不予处理",
            "r6_other": "(六)其他处理",
            "r7_total": "(七)总计",
            "carry_out": "四、结转下一年度继续办理",
        }
        for row in f.fmt.tables["t3"].sections[0].rows:
            if re.match(r"^\d\.", row.label):
                labels[row.id] = row.label.replace(".", "、", 1)
        own_docx(
            f,
            FILES / "own-word-2019.docx",
            body_font="仿宋_GB2312",
            body_size=14,
            headings={
                "p4": "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                "p5": "五、存在问题及改进情况",
            },
            t3_labels=labels,
            subtotal=True,
        )
        made.append("own-word-2019.docx")
    if want("portal-gbk-2021"):
        portal_gbk_html(fx["portal-gbk-2021"], FILES / "portal-gbk-2021.html")
        made.append("portal-gbk-2021.html")
    if want("portal-flat-2019"):
        portal_flat_htm(fx["portal-flat-2019"], FILES / "portal-flat-2019.htm")
        made.append("portal-flat-2019.htm")
    if want("libreoffice-2021"):
        f = fx["libreoffice-2021"]
        src = FILES / "libreoffice-2021.source.docx"
        own_docx(f, src, body_font="仿宋_GB2312", body_size=16, headings={}, footer=True)
        made.append(src.name)
        if have_soffice:
            with tempfile.TemporaryDirectory() as tmp:
                tmp_src = Path(tmp) / "libreoffice-2021.docx"
                shutil.copy(src, tmp_src)
                pdf = convert(tmp_src, "pdf", Path(tmp))
                shutil.move(str(pdf), FILES / "libreoffice-2021.pdf")
            made.append("libreoffice-2021.pdf")
        else:
            print("soffice missing: libreoffice-2021.pdf kept as committed", file=sys.stderr)
    if want("republished-traditional-2021"):
        traditional_txt(fx["republished-traditional-2021"], FILES / "republished-traditional-2021.txt")
        made.append("republished-traditional-2021.txt")
    if want("republished-simplified-2019"):
        simplified_txt(fx["republished-simplified-2019"], FILES / "republished-simplified-2019.txt")
        made.append("republished-simplified-2019.txt")
    if want("defective-2021"):
        fill_template(fx["defective-2021"], FILES / "defective-2021.docx")
        made.append("defective-2021.docx")
    for name in fx:
        if want(name):
            write_expected(fx[name])
    if want("refusals"):
        pdf = FILES / "libreoffice-2021.pdf"
        if have_soffice:
            with tempfile.TemporaryDirectory() as tmp:
                tmp_src = Path(tmp) / "old-word.docx"
                shutil.copy(FILES / "own-word-2019.docx", tmp_src)
                doc = convert(tmp_src, "doc:MS Word 97", Path(tmp))
                shutil.move(str(doc), FILES / "old-word.doc")
            made.append("old-word.doc")
        # WPS Office's .wps is an OLE2 compound file like .doc; the reader must refuse it by its name and header.
        if (FILES / "old-word.doc").exists():
            shutil.copy(FILES / "old-word.doc", FILES / "wps-file.wps")
            made.append("wps-file.wps")
        if pdf.exists():
            scanned_pdf(pdf, FILES / "scanned.pdf")
            encrypted_pdf(pdf, FILES / "encrypted.pdf")
            made += ["scanned.pdf", "encrypted.pdf"]
        zip_bomb(FILES / "zip-bomb.docx")
        made.append("zip-bomb.docx")
        (FILES / "refusals.json").write_text(
            json.dumps(REFUSALS, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    return made


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    made = build(set(argv) or None)
    for name in made:
        print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
