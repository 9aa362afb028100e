"""HTML export: one self-contained page (inline CSS, no scripts, no external resources) for the portal CMS,
with the official grids as real tables (thead/tbody, th/td, rowspan/colspan) that keep their merges when pasted.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from ruian_desk.export.bundle import register
from ruian_desk.export.common import Block, TableContent, document_blocks
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write

# Kept small and generic so a CMS theme can override it; the tables also carry border/cellpadding
# attributes, which survive editors that strip <style>.
CSS = """
body { margin: 0; background: #fff; color: #000; }
article.annual-report { max-width: 800px; margin: 0 auto; padding: 24px;
  font-family: "仿宋_GB2312", "仿宋", FangSong, "Noto Serif CJK SC", "Songti SC", serif;
  font-size: 16pt; line-height: 1.75; }
article.annual-report h1 { font-family: "方正小标宋简体", "小标宋", "Noto Serif CJK SC", "SimSun", serif;
  font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.6; margin: 0 0 1em; }
article.annual-report h2 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-size: 16pt;
  font-weight: normal; text-indent: 2em; margin: 0.4em 0 0; }
article.annual-report h3 { font-family: "楷体_GB2312", "楷体", KaiTi, "Noto Serif CJK SC", serif;
  font-size: 16pt; font-weight: normal; text-indent: 2em; margin: 0; }
article.annual-report p { text-indent: 2em; margin: 0; text-align: justify; }
article.annual-report p.sample-note { text-indent: 0; text-align: center; font-size: 12pt; margin: 0.2em 0; }
article.annual-report p.signature { text-align: right; text-indent: 0; margin-top: 1.75em; padding-right: 2em; }
article.annual-report table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em;
  font-size: 10.5pt; line-height: 1.4; table-layout: fixed; }
article.annual-report th, article.annual-report td { border: 1px solid #000; padding: 2px 3px;
  text-align: center; vertical-align: middle; font-weight: normal; word-break: break-all; }
article.annual-report th.row-label { text-align: left; }
article.annual-report figure { margin: 0.8em 0; text-align: center; }
article.annual-report figure img { max-width: 100%; height: auto; }
article.annual-report figcaption { font-size: 12pt; text-indent: 0; }
"""


@register("html", "html", "网页（HTML）")
def write_html(view: ReportView, target: Path) -> None:
    text = render_html(view)
    atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def render_html(view: ReportView) -> str:
    report = view.report
    title = report.title or report.fmt.title_for(report.unit, report.year)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="瑞安年报助手">',
    ]
    if view.is_sample:
        out.append(f'<meta name="description" content="{escape(view.sample_note)}">')
    out += [f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>"]
    out.append('<article class="annual-report">')
    in_section = False
    for b in document_blocks(view):
        if b.kind == "part":
            if in_section:
                out.append("</section>")
            out.append(f"<section>\n<h2>{escape(b.text)}</h2>")
            in_section = True
        else:
            out.append(_block(b))
    if in_section:
        out.append("</section>")
    out += ["</article>", "</body>", "</html>", ""]
    return "\n".join(x for x in out if x)


def _block(b: Block) -> str:
    if b.kind == "title":
        return f"<h1>{'<br>'.join(escape(x) for x in b.lines)}</h1>"
    if b.kind == "body":
        return f"<p>{escape(b.text)}</p>"
    if b.kind == "heading":
        head = f"<h3>{escape(b.number + b.heading)}</h3>"
        return head + (f"\n<p>{escape(b.text)}</p>" if b.text else "")
    if b.kind == "item":
        return f"<p>{escape(b.number + b.heading + b.text)}</p>"
    if b.kind == "note":
        return f'<p class="sample-note">{escape(b.text)}</p>'
    if b.kind == "table" and b.table is not None:
        return render_table(b.table)
    if b.kind == "signature":
        return f'<p class="signature">{"<br>".join(escape(x) for x in b.lines)}</p>'
    if b.kind == "image" and b.png:
        data = base64.b64encode(b.png).decode("ascii")
        caption = f"<figcaption>{escape(b.text)}</figcaption>" if b.text else ""
        alt = escape(b.text or "图解")
        return f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">{caption}</figure>'
    return ""


def render_table(t: TableContent) -> str:
    grid = t.grid
    total = sum(t.widths_mm) or 1.0
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in t.widths_mm)
    lines = [
        f'<table class="report-table" data-table="{escape(t.table_id)}" border="1" cellspacing="0" '
        f'cellpadding="3" style="border-collapse:collapse">',
        f"<colgroup>{cols}</colgroup>",
    ]
    rows = t.rows()
    if grid.header_rows:
        lines.append("<thead>")
    for r, cells in enumerate(rows):
        if r == grid.header_rows:
            if grid.header_rows:
                lines.append("</thead>")
            lines.append("<tbody>")
        lines.append("<tr>" + "".join(_cell(t, c, r < grid.header_rows) for c in cells) + "</tr>")
    if grid.header_rows >= len(rows):
        lines.append("</thead>")
    else:
        lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def _cell(t: TableContent, cell, in_head: bool) -> str:  # noqa: ANN001 - GridCell
    span = ""
    if cell.rowspan > 1:
        span += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        span += f' colspan="{cell.colspan}"'
    text = escape(t.text(cell))
    if cell.is_number:
        return f"<td{span}>{text}</td>"
    if cell.kind == "label":
        css = ' class="row-label"' if cell.rowspan == 1 and t.grid.header_rows else ""
        return f'<th scope="row"{span}{css}>{text}</th>'
    if cell.kind == "caption":
        return f'<th scope="colgroup"{span}>{text}</th>'
    if cell.kind == "header" and cell.colspan > 1:
        return f'<th scope="colgroup"{span}>{text}</th>'
    if cell.kind == "header":
        return f'<th scope="col"{span}>{text}</th>'
    return f"<th{span}>{text}</th>"
