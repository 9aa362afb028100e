"""HTML export for the portal CMS: one page (no scripts, no external resources) whose every element carries its
own inline style — no `<style>` block and no class carrying meaning, so that a portal editor that strips them
(most do) changes nothing: fonts, sizes, indents, alignment of labels and numbers, the 落款 on the right.
The official grids are real tables (thead/tbody, th/td, rowspan/colspan) with `border`/`cellpadding`
attributes too; chart images are PNG files beside the page with an explicit width (`inline_images=True`
embeds them as base64 instead).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape
from pathlib import Path

from ruian_desk.export.common import Block, TableContent, document_blocks
from ruian_desk.export.registry import register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write

FANG = "'仿宋_GB2312','仿宋',FangSong,'STFangsong','Noto Serif CJK SC','Noto Serif SC',serif"
TITLE_FACE = "'方正小标宋简体','方正小标宋_GBK','小标宋','Noto Serif CJK SC','Noto Serif SC','SimSun',serif"
HEI = "'黑体',SimHei,'STHeiti','Noto Sans CJK SC','Noto Sans SC',sans-serif"
KAI = "'楷体_GB2312','楷体',KaiTi,'STKaiti','Noto Serif CJK SC',serif"

_TEXT = f"font-family:{FANG};font-size:16pt;line-height:28pt;color:#000;font-weight:normal;font-style:normal"
STYLES = {
    "article": f"max-width:800px;margin:0 auto;padding:24px;background:#fff;{_TEXT}",
    "h1": f"font-family:{TITLE_FACE};font-size:22pt;line-height:35pt;font-weight:bold;text-align:center;"
    "color:#000;margin:0 0 28pt 0;text-indent:0",
    "h2": f"font-family:{HEI};font-size:16pt;line-height:28pt;font-weight:normal;text-align:left;color:#000;"
    "margin:0;text-indent:2em",
    "h3": f"font-family:{KAI};font-size:16pt;line-height:28pt;font-weight:normal;text-align:left;color:#000;"
    "margin:0;text-indent:2em",
    "p": f"{_TEXT};margin:0;text-indent:2em;text-align:justify",
    "kai": f"font-family:{KAI};font-weight:normal",
    "note": f"font-family:{KAI};font-size:12pt;line-height:18pt;color:#000;margin:0;text-indent:0;"
    "text-align:center",
    "signature": f"{_TEXT};margin:28pt 0 0 0;text-indent:0;text-align:right;padding-right:2em",
    "table": "border-collapse:collapse;border:1px solid #000;width:100%;margin:4pt 0 14pt 0;"
    f"font-family:{FANG};font-size:10.5pt;line-height:1.4;color:#000",
    "cell": "border:1px solid #000;padding:2px 3px;vertical-align:middle;font-weight:normal;"
    "word-break:keep-all;overflow-wrap:anywhere;font-size:10.5pt",
    "caption": f"font-family:{HEI};font-size:12pt;line-height:20pt;text-align:center;text-indent:0;"
    "margin:12pt 0 4pt 0;color:#000",
    "figure": "text-align:center;text-indent:0;margin:0 0 12pt 0",
    "img": "width:567px;max-width:100%;height:auto;border:0",
}
IMAGE_WIDTH_PX = 567  # 150 mm at 96 px per inch, as printed in the DOCX and PDF


def image_file_name(file_stem: str, n: int) -> str:
    return f"{file_stem}-图{n}.png"


@register("html", "html", "网页（HTML）")
def write_html(view: ReportView, target: Path, inline_images: bool = False) -> list[Path]:
    """Write the page and, unless `inline_images`, its chart images beside it; returns the image files."""
    target = Path(target)
    inline_images = inline_images or view.options.html_inline_images
    images: list[tuple[Path, bytes]] = []

    def source(png: bytes) -> str:
        if inline_images:
            return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        path = target.with_name(image_file_name(view.file_stem, len(images) + 1))
        images.append((path, png))
        return path.name

    text = render_html(view, source)
    for path, png in images:
        atomic_write(path, _bytes_writer(png))
    atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
    return [path for path, _ in images]


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def _inline(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(view: ReportView, image_source: Callable[[bytes], str] = _inline) -> str:
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
    out += [f"<title>{escape(title)}</title>", "</head>", '<body style="margin:0;background:#fff">']
    out.append(f'<article style="{STYLES["article"]}">')
    in_section = False
    for b in document_blocks(view):
        if b.kind == "part":
            if in_section:
                out.append("</section>")
            out.append(f'<section>\n<h2 style="{STYLES["h2"]}">{escape(b.text)}</h2>')
            in_section = True
        else:
            out.append(_block(b, image_source))
    if in_section:
        out.append("</section>")
    out += ["</article>", "</body>", "</html>", ""]
    return "\n".join(x for x in out if x)


def _block(b: Block, image_source: Callable[[bytes], str]) -> str:
    p = STYLES["p"]
    if b.kind == "title":
        return f'<h1 style="{STYLES["h1"]}">{"<br>".join(escape(x) for x in b.lines)}</h1>'
    if b.kind == "body":
        return f'<p style="{p}">{escape(b.text)}</p>'
    if b.kind == "heading":
        if not b.text:
            return f'<h3 style="{STYLES["h3"]}">{escape(b.number + b.heading)}</h3>'
        # 公文 practice (as in the DOCX): the sub-heading in 楷体 and its text on the same line
        head = f'<span style="{STYLES["kai"]}">{escape(b.number + b.heading)}</span>'
        return f'<p style="{p}">{head}{escape(b.text)}</p>'
    if b.kind == "item":
        return f'<p style="{p}">{escape(b.number + b.heading + b.text)}</p>'
    if b.kind == "note":
        return f'<p align="center" style="{STYLES["note"]}">{escape(b.text)}</p>'
    if b.kind == "table" and b.table is not None:
        return render_table(b.table)
    if b.kind == "signature":
        lines = "<br>".join(escape(x) for x in b.lines)
        return f'<p align="right" style="{STYLES["signature"]}">{lines}</p>'
    if b.kind == "image" and b.png:
        alt = escape(b.text or "图解")
        caption = f'<p align="center" style="{STYLES["caption"]}">{escape(b.text)}</p>\n' if b.text else ""
        img = (
            f'<img src="{escape(image_source(b.png))}" width="{IMAGE_WIDTH_PX}" alt="{alt}" '
            f'style="{STYLES["img"]}">'
        )
        return f'{caption}<p align="center" style="{STYLES["figure"]}">{img}</p>'
    return ""


def render_table(t: TableContent) -> str:
    grid = t.grid
    total = sum(t.widths_mm) or 1.0
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in t.widths_mm)
    lines = [
        f'<table data-table="{escape(t.table_id)}" border="1" cellspacing="0" cellpadding="3" width="100%" '
        f'style="{STYLES["table"]}">',
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
        lines.append("<tr>" + "".join(_cell(t, c) for c in cells) + "</tr>")
    if grid.header_rows >= len(rows):
        lines.append("</thead>")
    else:
        lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def word_breaks(label: str) -> str:
    """Break opportunities between the two-character words of a short column heading (商业<wbr>企业,
    结果<wbr>维持): with `keep-all` a narrow column then wraps between words, never inside one."""
    if not (3 < len(label) <= 8) or not all("\u4e00" <= ch <= "\u9fff" for ch in label):
        return label
    return "<wbr>".join(label[i : i + 2] for i in range(0, len(label), 2))


def _cell(t: TableContent, cell) -> str:  # noqa: ANN001 - GridCell
    span = ""
    if cell.rowspan > 1:
        span += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        span += f' colspan="{cell.colspan}"'
    text = escape(t.text(cell))
    if cell.kind == "header":
        text = word_breaks(text)
    left = cell.kind == "label" and cell.rowspan == 1 and t.grid.header_rows
    align = "left" if left else "center"
    style = f"{STYLES['cell']};text-align:{align}"
    if cell.is_number:
        return f'<td align="center"{span} style="{style};white-space:nowrap">{text}</td>'
    if cell.kind == "label":
        return f'<th scope="row" align="{align}"{span} style="{style}">{text}</th>'
    if cell.kind in ("caption", "header") and cell.colspan > 1:
        return f'<th scope="colgroup" align="center"{span} style="{style}">{text}</th>'
    if cell.kind == "header":
        return f'<th scope="col" align="center"{span} style="{style}">{text}</th>'
    return f'<th align="center"{span} style="{style}">{text}</th>'
