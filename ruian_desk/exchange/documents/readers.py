"""File → Document for each kind of file a report arrives as. No workspace access: safe in a worker thread.

Each reader uses the library made for the format: python-docx (tables read through their XML, so merged cells
are known, not guessed), lxml for saved portal pages (encoding from the page's meta tag, else detected with
charset-normalizer), pdfplumber for PDFs with a text layer (words with positions, table rulings), and the
text itself for .txt copies.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ruian_desk.exchange.documents.model import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    MAX_UNPACKED_BYTES,
    Block,
    Document,
    DocumentError,
    Grid,
    Para,
    clean_text,
)

KINDS = {".docx": "docx", ".html": "html", ".htm": "html", ".shtml": "html", ".pdf": "pdf", ".txt": "txt"}
REFUSED_SUFFIXES = {
    ".doc": "是旧版 Word（.doc）文件，请在 Word 或 WPS 中“另存为” .docx 后再导入",
    ".wps": "是 WPS 文字（.wps）文件，请在 WPS 中“另存为” .docx 后再导入",
    ".docm": "含有宏的 Word 文件不导入，请另存为 .docx",
    ".rtf": "是 RTF 文件，请在 Word 或 WPS 中“另存为” .docx 后再导入",
    ".mht": "是单个文件网页（.mht），请在浏览器中另存为“网页，仅 HTML”后再导入",
    ".mhtml": "是单个文件网页（.mhtml），请在浏览器中另存为“网页，仅 HTML”后再导入",
    ".ofd": "是 OFD 版式文件，请提供 PDF、Word 或网页版本",
    ".jpg": "是图片，无法读取文字，请提供带文字层的PDF、Word 或网页版本",
    ".png": "是图片，无法读取文字，请提供带文字层的PDF、Word 或网页版本",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_document(path: Path) -> Document:
    """Read one file; DocumentError (Chinese, naming the file) when it cannot be read as a report."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise DocumentError(f"{name}：{REFUSED_SUFFIXES[suffix]}")
    kind = KINDS.get(suffix)
    if kind is None:
        raise DocumentError(f"{name}：不支持的文件类型（可导入 .docx、.html/.htm、.pdf、.txt）")
    data = _read_bytes(path)
    if data[:8] == _OLE:
        if kind == "docx":
            raise DocumentError(
                f"{name}：文件已加密，或其实是旧版 .doc 文件改了扩展名；请取消密码或“另存为” .docx 后再导入"
            )
        raise DocumentError(f"{name}：是 Office 旧版二进制文件，请另存为 .docx 后再导入")
    reader = {"docx": read_docx, "html": read_html, "pdf": read_pdf, "txt": read_txt}[kind]
    return reader(data, name)


def _read_bytes(path: Path) -> bytes:
    name = path.name
    if not path.is_file():
        raise DocumentError(f"{name}：不是普通文件")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"{name}：无法读取（{exc.strerror or exc}）") from None
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(
            f"{name}：文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不像一份年度报告"
        )
    if not data:
        raise DocumentError(f"{name}：文件是空的")
    return data


# ------------------------------------------------------------------------------------------------ docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentError(f"{name}：不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）") from None
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES or len(infos) > 5000:
        raise DocumentError(f"{name}：文件解压后过大，可能已损坏或是恶意文件，未读取")
    if "word/document.xml" not in zf.namelist():
        raise DocumentError(f"{name}：不是 Word 文档（缺少 word/document.xml）")
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"{name}：Word 文档无法打开（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - lxml parse errors of a damaged part
        raise DocumentError(f"{name}：Word 文档内容已损坏，无法读取（{type(exc).__name__}）") from None
    doc = Document(name, "docx")
    try:
        doc.title_hint = clean_text(document.core_properties.title or "")
    except Exception:  # noqa: BLE001 - a damaged docProps/core.xml only loses the hint
        doc.title_hint = ""
    n_para = n_table = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            n_para += 1
            text = clean_text(_docx_paragraph_text(child))
            if text:
                doc.blocks.append(Para(text, f"第{n_para}段"))
        elif child.tag == f"{_W}tbl":
            n_table += 1
            doc.blocks.extend(_docx_table(child, f"第{n_table}个表格"))
        elif child.tag == f"{_W}sdt":  # content controls wrap paragraphs and tables in some templates
            for p in child.iter(f"{_W}p"):
                n_para += 1
                text = clean_text(_docx_paragraph_text(p))
                if text:
                    doc.blocks.append(Para(text, f"第{n_para}段"))
    return doc


def _docx_paragraph_text(p) -> str:  # noqa: ANN001 - lxml element
    out: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText", f"{_W}txbxContent"):
        if el.tag == f"{_W}t":
            out.append(el.text or "")
        elif el.tag in (f"{_W}tab",):
            out.append(" ")
        elif el.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)


def _docx_table(tbl, label: str) -> list[Block]:  # noqa: ANN001 - lxml element
    rows: list[list[str | None]] = []
    spans: set[tuple[int, int]] = set()
    origin_of: dict[int, str] = {}  # grid column → text of the vertically merged cell above
    nested: list[Block] = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        r = len(rows)
        row: list[str | None] = []
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            row.extend([None] * _int_attr(before))
        for tc in tr.iter(f"{_W}tc"):
            if tc.getparent() is not tr and tc.getparent().tag != f"{_W}sdtContent":
                continue  # a nested table's cell
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            width = max(1, _int_attr(span)) if span is not None else 1
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            paragraphs = [clean_text(_docx_paragraph_text(p)) for p in tc.iterchildren(f"{_W}p")]
            text = "\n".join(t for t in paragraphs if t)
            for inner in tc.iterchildren(f"{_W}tbl"):
                nested.extend(_docx_table(inner, label + "内嵌"))
            col = len(row)
            continued = vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"
            if continued:
                text = origin_of.get(col, "")
                for k in range(width):
                    spans.add((r, col + k))
            else:
                for k in range(1, width):
                    spans.add((r, col + k))
                for k in range(width):
                    origin_of[col + k] = text
            row.extend([text] * width)
        rows.append(row)
    if not rows:
        return nested
    width = max(len(r) for r in rows)
    grid = tuple(tuple(r + [None] * (width - len(r))) for r in rows)
    where = tuple(f"{label}第{i + 1}行" for i in range(len(grid)))
    return [Grid(grid, where, frozenset(spans)), *nested]


def _int_attr(el) -> int:  # noqa: ANN001
    try:
        return int(el.get(f"{_W}val", "1"))
    except ValueError:
        return 1


# ------------------------------------------------------------------------------------------------ html

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre",
    "center", "dd", "dt", "tr", "ul", "ol", "header", "footer", "main",
}  # fmt: skip
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "select", "button", "form",
              "nav", "template", "svg", "canvas", "input", "textarea")  # fmt: skip
_CHROME_WORDS = (
    "版权所有",
    "备案号",
    "网站标识码",
    "ICP",
    "联系我们",
    "网站地图",
    "首页",
    "无障碍",
    "关闭窗口",
    "打印本页",
)


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
        root = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
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
_PART_WORDS = (
    "总体情况",
    "主动公开",
    "收到和处理",
    "行政复议",
    "存在的主要问题",
    "其他需要报告",
    "存在问题",
    "改进情况",
)


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


# ------------------------------------------------------------------------------------------------ text


def read_txt(data: bytes, name: str) -> Document:
    text = decode_text(data, name)
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(f"{name}：文本过大，不像一份年度报告")
    doc = Document(name, "txt")
    for i, line in enumerate(text.splitlines()):
        line = clean_text(line)
        if line:
            doc.blocks.append(Para(line, f"第{i + 1}行"))
    return doc


# ------------------------------------------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－―一]\s*)?\d{1,4}(?:\s*[-—–－―一])?\s*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$"
                          r"|^\d+\s*/\s*\d+$")  # fmt: skip


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def read_pdf(data: bytes, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except PDFPasswordIncorrect:
        raise DocumentError(f"{name}：PDF 已加密（需要密码），请提供未加密的PDF") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{name}：不是有效的 PDF 文件（{type(exc).__name__}）") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        causes = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}".lower()
        if "password" in causes or "encrypt" in causes:
            raise DocumentError(f"{name}：PDF 已加密（需要密码），请提供未加密的PDF") from None
        raise DocumentError(f"{name}：PDF 无法读取（{type(exc).__name__}）") from None
    doc = Document(name, "pdf")
    fast = None
    try:
        if len(pages) > 300:
            raise DocumentError(f"{name}：PDF 有 {len(pages)} 页，不像一份年度报告")
        chars = 0
        fast = _pdfium_document(data)
        for number, page in enumerate(pages, start=1):
            # A page without any drawn lines holds no ruled table: PDFium's text (C, fast) is enough; pages
            # with rulings go through pdfplumber's table finder.
            fast_page = fast[number - 1] if fast is not None else None
            if fast_page is not None and not _has_paths(fast_page):
                items, n = _pdfium_items(fast_page)
                blocks = _page_blocks(items, float(page.height), number)
            else:
                blocks, n = _pdf_page(page, number)
            chars += n
            doc.blocks.extend(blocks)
        if chars < 50:
            raise DocumentError(
                f"{name}：PDF 没有文字层（可能是扫描件），无法读取数字；请提供带文字层的PDF，或 Word/网页版本"
            )
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged content streams
        raise DocumentError(f"{name}：PDF 内容已损坏，无法读取（{type(exc).__name__}）") from None
    finally:
        pdf.close()
        if fast is not None:
            fast.close()
    doc.blocks = _join_pdf_paragraphs(doc.blocks)
    return doc


def _pdf_page(page, number: int) -> tuple[list[Block], int]:  # noqa: ANN001 - pdfplumber Page
    tables = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    tables = [t for t in tables if len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5, y_tolerance=3)
    chars = sum(len(w["text"]) for w in words)

    def inside(w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)

    items: list[tuple[float, Block | tuple[float, float, str]]] = []
    lines: dict[int, list[dict]] = {}
    for w in words:
        if inside(w):
            continue
        key = round(w["top"] / 3)
        lines.setdefault(key, []).append(w)
    for key in sorted(lines):
        ws = sorted(lines[key], key=lambda w: w["x0"])
        text = ""
        last_x1 = None
        for w in ws:
            if last_x1 is not None and w["x0"] - last_x1 > 1.5:
                text += " "
            text += w["text"]
            last_x1 = w["x1"]
        text = clean_text(text)
        if not text:
            continue
        items.append((ws[0]["top"], (ws[0]["x0"], ws[-1]["x1"], text)))
    for t in tables:
        grid = _pdf_grid(t, number)
        if grid is not None:
            items.append((t.bbox[1], grid))
    return _page_blocks(items, float(page.height), number), chars


def _page_blocks(items: list, height: float, number: int) -> list[Block]:
    """Lines (top, (x0, x1, text)) and grids of one page, in reading order, as blocks; page numbers dropped;
    each line marked for the paragraph joiner (\x01 indented, \x02 ends short of the right margin)."""
    items.sort(key=lambda it: it[0])
    out: list[Block] = []
    left = min((it[1][0] for it in items if isinstance(it[1], tuple)), default=0.0)
    right = max((it[1][1] for it in items if isinstance(it[1], tuple)), default=0.0)
    for top, item in items:
        if isinstance(item, tuple):
            x0, x1, text = item
            if is_page_number(text) and (top > height * 0.85 or top < height * 0.12):
                continue
            indent = x0 - left > 12
            full = right - x1 < 20
            marker = ("\x01" if indent else "") + text + ("" if full else "\x02")
            out.append(Para(marker, f"第{number}页"))
        else:
            out.append(item)
    return out


def _pdfium_document(data: bytes):  # noqa: ANN202 - pypdfium2.PdfDocument | None
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - anything PDFium cannot open is read by pdfplumber alone
        return None


def _has_paths(page) -> bool:  # noqa: ANN001 - pypdfium2.PdfPage
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3))


def _pdfium_items(page) -> tuple[list, int]:  # noqa: ANN001 - pypdfium2.PdfPage
    """Text lines of a page without tables, from PDFium: (top, (x0, x1, text)) in pdfplumber's coordinates
    (top measured from the top of the page)."""
    height = float(page.get_height())
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        items: list = []
        line: list[tuple[str, tuple[float, float, float, float]]] = []
        counted = 0

        def flush() -> None:
            boxes = [b for ch, b in line if ch.strip()]
            if boxes:
                joined = clean_text("".join(ch for ch, _ in line))
                if joined:
                    top = height - max(b[3] for b in boxes)
                    items.append((top, (min(b[0] for b in boxes), max(b[2] for b in boxes), joined)))
            line.clear()

        for i, ch in enumerate(text[:n]):
            if ch in "\r\n":
                if line:
                    flush()
                continue
            box = textpage.get_charbox(i)
            if ch.strip():
                counted += 1
            line.append((ch, box))
        flush()
        return items, counted
    finally:
        textpage.close()


def _pdf_grid(table, number: int) -> Grid | None:  # noqa: ANN001 - pdfplumber Table
    try:
        raw = table.extract(x_tolerance=1.5, y_tolerance=3)
    except Exception:  # noqa: BLE001
        return None
    rows: list[tuple[str | None, ...]] = []
    spans: set[tuple[int, int]] = set()
    for r, raw_row in enumerate(raw):
        row: list[str | None] = []
        for c, cell in enumerate(raw_row):
            if cell is None:  # covered by a merge (pdfplumber gives the text at the origin only)
                row.append(None)
                spans.add((r, c))
            else:
                row.append("\n".join(clean_text(x) for x in cell.split("\n") if clean_text(x)))
        rows.append(tuple(row))
    if not rows:
        return None
    width = max(len(r) for r in rows)
    grid = tuple(tuple(list(r) + [None] * (width - len(r))) for r in rows)
    return Grid(grid, tuple(f"第{number}页表格第{i + 1}行" for i in range(len(grid))), frozenset(spans))


# PDF writers (LibreOffice among them) put a space between a figure and the Chinese around it ("2023 年").
_DIGIT_CJK_SPACE = re.compile(
    r"(?<=[0-9%])[ ]+(?=[\u3400-\u9fff（），。、；：])|(?<=[\u3400-\u9fff（），。、；：])[ ]+(?=[0-9])"
)


def _join_pdf_paragraphs(blocks: Iterable[Block]) -> list[Block]:
    """PDF lines back into paragraphs: a line starts a paragraph when it is indented, when the previous line
    ended short of the right margin, or when it is a heading; page breaks do not end a paragraph."""
    out: list[Block] = []
    current: list[str] = []
    where = ""
    open_end = False

    def flush() -> None:
        nonlocal current
        if current:
            out.append(Para(clean_text("".join(current)), where))
        current = []

    for b in blocks:
        if isinstance(b, Grid):
            flush()
            out.append(b)
            open_end = False
            continue
        text = _DIGIT_CJK_SPACE.sub("", b.text)
        indent = text.startswith("\x01")
        short = text.endswith("\x02")
        text = text.strip("\x01\x02")
        if indent or not open_end or not current:
            flush()
            where = b.where
        current.append(text)
        open_end = not short
        if short:
            flush()
    flush()
    return out
