"""PDFs with a text layer: pdfplumber's words and rulings for the pages with tables, PDFium's text for the
others; page numbers dropped, lines joined into paragraphs."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from ruian_desk.exchange.documents.model import (
    Block,
    Document,
    DocumentError,
    Grid,
    Para,
    clean_text,
)

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
_DIGIT_CJK_SPACE = re.compile(r"(?<=[0-9%])[ ]+(?=[\u3400-\u9fff（），。、；：])|(?<=[\u3400-\u9fff（），。、；：])[ ]+(?=[0-9])")


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
