"""HTML export parsed with html.parser: self-contained, semantic, tables with the spec's rowspans/colspans."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ruian_desk.domain.layout import table_grid
from ruian_desk.domain.report import format_number
from ruian_desk.export.html import write_html
from ruian_desk.export.view import ReportView


@dataclass
class _Cell:
    tag: str
    rowspan: int
    colspan: int
    text: str = ""


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    head_rows: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[_Table] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.paragraphs: list[str] = []
        self._cell: _Cell | None = None
        self._in: str | None = None
        self._buf = ""
        self._in_thead = False
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in ("br", "col", "meta", "img", "wbr"):
            self.stack.append(tag)
        if tag == "table":
            self.tables.append(_Table())
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self.tables[-1].rows.append([])
            if self._in_thead:
                self.tables[-1].head_rows += 1
        elif tag in ("td", "th"):
            self._cell = _Cell(tag, int(a.get("rowspan") or 1), int(a.get("colspan") or 1))
        elif tag in ("h1", "h2", "h3", "p"):
            self._in, self._buf = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "thead":
            self._in_thead = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1].rows[-1].append(self._cell)
            self._cell = None
        elif tag == self._in:
            if tag == "p":
                self.paragraphs.append(self._buf)
            else:
                self.headings[tag].append(self._buf)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._in:
            self._buf += data


def _read(view: ReportView, tmp_path: Path) -> tuple[str, _Reader]:
    target = tmp_path / "r.html"
    write_html(view, target)
    text = target.read_text(encoding="utf-8")
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return text, reader


def _occupancy(table: _Table) -> dict[tuple[int, int], tuple[int, int, _Cell]]:
    """Place each cell as a browser would: (row, col) → (anchor row, anchor col, cell)."""
    taken: dict[tuple[int, int], tuple[int, int, _Cell]] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, c + dc) not in taken, "overlapping cells"
                    taken[(r + dr, c + dc)] = (r, c, cell)
            c += cell.colspan
    return taken


def test_self_contained_and_semantic(any_view: ReportView, tmp_path: Path) -> None:
    text, reader = _read(any_view, tmp_path)
    tags = {t for t, _ in reader.tags}
    assert "script" not in tags and "iframe" not in tags and "link" not in tags
    for tag, attrs in reader.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            # images are files beside the page (or data: URIs when asked): nothing from elsewhere
            assert value is None or value.startswith("data:") or ("/" not in value and ":" not in value)
        assert not any(k.startswith("on") for k in attrs), tag
    assert "http://" not in text.split("<body>")[0] and "url(" not in text
    assert reader.stack == [], "unbalanced tags"
    assert ("html", {"lang": "zh-CN"}) in reader.tags
    report = any_view.report
    assert reader.headings["h1"] == [report.title]
    assert reader.headings["h2"] == [p.title for p in report.fmt.parts]
    assert {"table", "thead", "tbody", "th", "td", "colgroup"} <= tags


def test_tables_have_the_spec_grid(any_view: ReportView, tmp_path: Path) -> None:
    _, reader = _read(any_view, tmp_path)
    report = any_view.report
    assert len(reader.tables) == 3
    for table, tid in zip(reader.tables, ("t2", "t3", "t4"), strict=True):
        grid = table_grid(report.format_id, tid)
        assert len(table.rows) == grid.n_rows
        assert table.head_rows == grid.header_rows
        placed = _occupancy(table)
        assert max(c for _, c in placed) + 1 == grid.n_cols
        for r in range(grid.n_rows):
            for c in range(grid.n_cols):
                anchor = grid.anchor_at(r, c)
                ar, ac, cell = placed[(r, c)]
                assert (ar, ac) == (anchor.row, anchor.col), (tid, r, c)
                assert (cell.rowspan, cell.colspan) == (anchor.rowspan, anchor.colspan)
        for g in grid.cells:
            _, _, cell = placed[(g.row, g.col)]
            if g.cell_id is None:
                # as on the form; a money column also says its unit
                assert cell.text in (g.text, g.text + "（单位：万元）") and cell.tag == "th"
            else:
                assert cell.tag == "td"
                assert cell.text == format_number(report.values.number(g.cell_id))


def test_2021_spans(view_2021: ReportView, tmp_path: Path) -> None:
    _, reader = _read(view_2021, tmp_path)
    t3 = reader.tables[1]
    corner = t3.rows[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3) and corner.text.startswith("（本列数据")
    results = next(c for row in t3.rows for c in row if c.text == "三、本年度办理结果")
    assert results.rowspan == 22
    t4 = reader.tables[2]
    assert [(c.text, c.colspan) for c in t4.rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]


def test_sample_marks_and_paragraphs(sample_view: ReportView, view_2021: ReportView, tmp_path: Path) -> None:
    text, reader = _read(sample_view, tmp_path)
    notes = [p for p in reader.paragraphs if p.startswith("【示例数据】")]
    assert len(notes) == 3
    assert 'name="description"' in text
    text, reader = _read(view_2021, tmp_path)
    assert not [p for p in reader.paragraphs if "示例数据" in p]
    # as in the DOCX: a sub-heading with its text on the same line is one paragraph, the heading in 楷体
    assert any(p.startswith("（一）主动公开全年主动公开信息") for p in reader.paragraphs)
    assert "font-family:'楷体_GB2312'" in text
    assert reader.paragraphs[-1] == "瑞安市测试局2022年1月20日"


def test_escaping(view_2021: ReportView, tmp_path: Path) -> None:
    from dataclasses import replace

    report = replace(
        view_2021.report, parts={**view_2021.report.parts, "p6": "<script>alert(1)</script> & 更多"}
    )
    text, reader = _read(replace(view_2021, report=report), tmp_path)
    assert "<script>" not in text
    assert "<script>alert(1)</script> & 更多" in reader.paragraphs


_PLAIN = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "section",
    "colgroup",
    "thead",
    "tbody",
    "tr",
    "br",
    "wbr",
    "span",
}


def _strip_styles_and_classes(text: str) -> str:
    """What a portal editor does to a pasted page: <style> blocks and class attributes removed."""
    import re

    text = re.sub(r"<style\b.*?</style>", "", text, flags=re.S | re.I)
    return re.sub(r'\sclass="[^"]*"', "", text)


def test_survives_a_cms_that_strips_styles_and_classes(any_view: ReportView, tmp_path: Path) -> None:
    text, reader = _read(any_view, tmp_path)
    assert _strip_styles_and_classes(text) == text  # nothing carries meaning there
    assert "<style" not in text and " class=" not in text
    for tag, attrs in reader.tags:
        if tag not in _PLAIN:
            assert attrs.get("style"), f"<{tag}> without an inline style"
    assert "break-all" not in text  # labels wrap between words: 结果维持, 商业企业 stay whole
    paragraphs = [a.get("style") or "" for t, a in reader.tags if t == "p"]
    assert any("text-indent:2em" in s and "仿宋" in s for s in paragraphs)
    cells = [(t, a.get("style") or "", a.get("align")) for t, a in reader.tags if t in ("td", "th")]
    assert all("font-weight:normal" in s for _, s, _ in cells)  # labels not bold
    assert all(al == "center" for t, s, al in cells if t == "td")  # numbers centred
    assert any(al == "left" for t, s, al in cells if t == "th")  # row labels to the left
    assert any("text-align:right" in (a.get("style") or "") for t, a in reader.tags if t == "p")  # 落款


def test_images_are_files_beside_the_page_with_a_width(sample_view: ReportView, tmp_path: Path) -> None:
    from dataclasses import replace

    from ruian_desk.export.view import ExportOptions

    view = replace(sample_view, options=ExportOptions(charts=True))
    target = tmp_path / "r.html"
    extra = write_html(view, target)
    text = target.read_text(encoding="utf-8")
    assert extra and all(p.parent == tmp_path and p.read_bytes()[:4] == b"\x89PNG" for p in extra)
    assert "base64" not in text and len(text) < 200_000
    reader = _Reader()
    reader.feed(text)
    imgs = [a for t, a in reader.tags if t == "img"]
    assert [a["src"] for a in imgs] == [p.name for p in extra]
    assert all(a.get("width") and "width:" in (a.get("style") or "") for a in imgs)
    inline = tmp_path / "i.html"
    assert (
        write_html(replace(view, options=ExportOptions(charts=True, html_inline_images=True)), inline) == []
    )
    assert inline.read_text(encoding="utf-8").count("data:image/png;base64,") == len(imgs)
