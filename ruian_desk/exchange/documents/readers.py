"""File → Document for each kind of file a report arrives as. No workspace access: safe in a worker thread.

Each reader uses the library made for the format: python-docx (tables read through their XML, so merged cells
are known, not guessed; here), lxml for saved portal pages (`html_reader.py`: encoding from the page's meta
tag, else detected with charset-normalizer), pdfplumber for PDFs with a text layer (`pdf_reader.py`: words
with positions, table rulings), and the text itself for .txt copies (here).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ruian_desk.exchange.documents.html_reader import decode_text, read_html
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
from ruian_desk.exchange.documents.pdf_reader import read_pdf

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
        raise DocumentError(f"{name}：文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不像一份年度报告")
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
            paragraphs = [
                clean_text(_docx_paragraph_text(p)) for p in tc.iterchildren(f"{_W}p")
            ]
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


