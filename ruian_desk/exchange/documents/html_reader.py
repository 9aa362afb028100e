"""Saved portal pages (and the encodings of plain-text copies): lxml, the encoding from the page's meta tag,
else detected with charset-normalizer; the article found as the smallest element holding the part headings
and the title, the site's chrome left out; tables with their rowspan/colspan."""

from __future__ import annotations

import re

from ruian_desk.exchange.documents.model import (
    MAX_TEXT_CHARS,
    Block,
    Document,
    DocumentError,
    Grid,
    Para,
    clean_text,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre",
    "center", "dd", "dt", "tr", "ul", "ol", "header", "footer", "main",
}  # fmt: skip
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "select", "button", "form",
              "nav", "template", "svg", "canvas", "input", "textarea")  # fmt: skip
_CHROME_WORDS = ("版权所有", "备案号", "网站标识码", "ICP", "联系我们", "网站地图", "首页", "无障碍", "关闭窗口", "打印本页")


def decode_html(data: bytes, name: str) -> str:
    found = _META_CHARSET.search(data[:4096])
    tried: list[str] = []
    if data[:3] == b"\xef\xbb\xbf":
        tried.append("utf-8-sig")
    if found:
        enc = found.group(1).decode("ascii", "replace").lower()
        tried.append("gb18030" if enc in ("gb2312", "gbk", "gb18030", "x-gbk") else enc)
    tried.append("utf-8")
    for enc in tried:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return decode_text(data, name)


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a text or page whose encoding is not declared: UTF-8, else GB18030 (a superset of GBK/GB2312),
    else what charset-normalizer finds; undecodable files are refused (never read as mojibake silently)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _looks_wrong(text):
            break
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(f"{name}：无法识别文件的文字编码（不是 UTF-8、GBK 或 Big5 文本）")
    return str(best)


def _looks_wrong(text: str) -> bool:
    """GB18030 decodes nearly any bytes; a text of rare characters only is a wrong guess (Big5, say)."""
    cjk = [c for c in text[:5000] if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return False
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
    hits = sum(1 for c in cjk if c in common)
    return len(cjk) > 40 and hits < len(cjk) * 0.08


def read_html(data: bytes, name: str) -> Document:
    import lxml.html
    from lxml import etree

    text = decode_html(data, name)
    if len(text) > MAX_TEXT_CHARS * 4:
        raise DocumentError(f"{name}：网页过大，不像一份年度报告")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        raise DocumentError(f"{name}：网页内容为空或无法解析") from None
    doc = Document(name, "html")
    title = root.find(".//title")
    doc.title_hint = clean_text(title.text_content()) if title is not None else ""
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree() if el.getparent() is not None else None
    for el in list(root.iter(etree.Comment)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    body = _article_root(root)
    headline = _headline_outside(root, body)
    if headline:
        doc.blocks.append(Para(headline, "网页标题"))
    counter = {"p": 0, "t": 0}
    _html_blocks(body, doc.blocks, counter)
    return doc


_TITLE_IN_TEXT = re.compile(r"(19|20)\d{2}\s*年(度)?\s*政\s*府\s*信\s*息\s*公\s*开")
_PART_WORDS = ("总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告", "存在问题", "改进情况")


def _article_root(root):  # noqa: ANN001, ANN202 - lxml elements
    """The smallest element that holds the report: most of the part headings and the tables, not the portal's
    navigation and footers around it."""
    best = None
    best_key: tuple[int, int] | None = None
    for el in root.iter("div", "td", "article", "section", "main", "body", "table"):
        if el.tag == "table" and el.find(".//table") is None:
            continue  # a data table itself is never the article
        text = el.text_content()
        hits = sum(1 for w in _PART_WORDS if w in text)
        if hits < 4:
            continue
        # With its title if possible (the title above the parts belongs to the article), then the smallest.
        key = (0 if _TITLE_IN_TEXT.search(text[:600]) else 1, len(text))
        if best_key is None or key < best_key:
            best, best_key = el, key
    if best is None:
        body = root.find(".//body")
        return body if body is not None else root
    return best


def _headline_outside(root, body) -> str:  # noqa: ANN001
    """The report's title when the portal prints it above the article element (an <h1> outside it)."""
    if _TITLE_IN_TEXT.search(body.text_content()[:600]):
        return ""
    for tags in (("h1", "h2", "h3"), ("div", "p", "td", "span", "strong", "font")):
        for el in root.iter(*tags):
            if any(True for _ in el.iterancestors("a", "li", "ul", "option")):
                continue  # a link in a list of other reports
            text = clean_text(el.text_content())
            if 8 <= len(text) <= 60 and re.search(r"(19|20)\d{2}年(度)?政府信息公开(工作)?年度?报告", text):
                return text
    return ""


def _html_blocks(el, out: list[Block], counter: dict[str, int]) -> None:  # noqa: ANN001
    """Paragraphs and tables in reading order. Text inside a block element becomes one paragraph per <br>."""
    buf: list[str] = []

    def flush() -> None:
        text = "".join(buf)
        buf.clear()
        for line in text.split("\n"):
            line = clean_text(line)
            if line:
                counter["p"] += 1
                out.append(Para(line, f"网页第{counter['p']}段"))

    def walk(node) -> None:  # noqa: ANN001
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "table" and _is_data_table(node):
            flush()
            counter["t"] += 1
            out.append(_html_table(node, f"网页第{counter['t']}个表格"))
            if node.tail:
                buf.append(node.tail)
            return
        if tag == "br":
            buf.append("\n")
        elif tag in _BLOCK_TAGS or tag in ("td", "th", "table"):
            flush()
        if node.text and tag not in ("table", "tr", "tbody", "thead"):
            buf.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS or tag in ("td", "th"):
            buf.append("\n")
        if node.tail and node is not el:
            buf.append(node.tail)

    walk(el)
    flush()


def _is_data_table(table) -> bool:  # noqa: ANN001
    """A table of figures, not a layout table that holds the whole page."""
    if table.find(".//table") is not None:
        return False
    return len(table.findall(".//tr")) >= 2


def _html_table(table, label: str) -> Grid:  # noqa: ANN001
    rows: list[list[str | None]] = []
    spans: set[tuple[int, int]] = set()
    pending: dict[tuple[int, int], str] = {}  # (row, col) taken by a rowspan from above
    for r, tr in enumerate(table.iter("tr")):
        row: list[str | None] = []
        _take_pending(r, row, pending, spans)
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            _take_pending(r, row, pending, spans)
            text = _cell_text(cell)
            cs = _span(cell.get("colspan"))
            rs = _span(cell.get("rowspan"))
            for k in range(cs):
                col = len(row)
                row.append(text)
                if k:
                    spans.add((r, col))
                for d in range(1, rs):
                    pending[(r + d, col)] = text
            _take_pending(r, row, pending, spans)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    grid = tuple(tuple(r + [None] * (width - len(r))) for r in rows)
    return Grid(grid, tuple(f"{label}第{i + 1}行" for i in range(len(grid))), frozenset(spans))


def _take_pending(
    r: int, row: list[str | None], pending: dict[tuple[int, int], str], spans: set[tuple[int, int]]
) -> None:
    """Positions of this row taken by a rowspan from above, at the current end of the row."""
    while (r, len(row)) in pending:
        spans.add((r, len(row)))
        row.append(pending.pop((r, len(row))))


def _cell_text(cell) -> str:  # noqa: ANN001
    parts: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in ("p", "div", "li"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not cell:
            parts.append(node.tail)

    walk(cell)
    return "\n".join(t for t in (clean_text(x) for x in "".join(parts).split("\n")) if t)


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip()), 1), 100)
    except (TypeError, ValueError):
        return 1


