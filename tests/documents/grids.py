"""The official table grids (表二/表三/表四) of a format as merged spans holding the texts a document prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ruian_desk.domain.formats import FormatDef

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Span:
    r: int
    c: int
    rs: int
    cs: int
    text: str
    kind: str = "label"  # label | head | num


@dataclass(frozen=True)
class GridSpec:
    nrows: int
    ncols: int
    spans: tuple[Span, ...]

    def origins(self) -> list[Span]:
        return sorted(self.spans, key=lambda s: (s.r, s.c))

    def rows(self) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in range(self.nrows)]
        for s in self.origins():
            out[s.r].append(s)
        return out


Printed = Callable[[str], str]


def t2_grid(fmt: FormatDef, printed: Printed, labels: dict[str, str] | None = None) -> GridSpec:
    labels = labels or {}
    spans: list[Span] = []
    r = 0
    for sec in fmt.tables["t2"].sections:
        spans.append(Span(r, 0, 1, 4, labels.get(sec.id, sec.caption or ""), "head"))
        r += 1
        spans.append(Span(r, 0, 1, 1, sec.label_header or "信息内容", "head"))
        widths = {1: [3], 2: [1, 2], 3: [1, 1, 1]}[len(sec.columns)]
        c = 1
        for col, w in zip(sec.columns, widths, strict=True):
            spans.append(Span(r, c, 1, w, labels.get(f"{sec.id}.{col.id}", col.label), "head"))
            c += w
        r += 1
        for row in sec.rows:
            spans.append(Span(r, 0, 1, 1, labels.get(f"{sec.id}.{row.id}", row.label)))
            c = 1
            for col, w in zip(sec.columns, widths, strict=True):
                spans.append(Span(r, c, 1, w, printed(f"{sec.id}.{row.id}.{col.id}"), "num"))
                c += w
            r += 1
    return GridSpec(r, 4, tuple(spans))


def t3_grid(
    fmt: FormatDef,
    printed: Printed,
    labels: dict[str, str] | None = None,
    subtotal: Printed | None = None,
) -> GridSpec:
    """subtotal: when given, an extra 小计 column after the five organisation columns (printed per row id)."""
    labels = labels or {}
    sec = fmt.tables["t3"].sections[0]
    cols = [c for c in sec.columns]
    org = [c for c in cols if c.group]
    nnum = len(cols) + (1 if subtotal else 0)
    ncols = 3 + nnum
    spans = [
        Span(0, 0, 3, 3, labels.get("corner", CORNER), "head"),
        Span(0, 3, 1, nnum, "申请人情况", "head"),
        Span(1, 3, 2, 1, "自然人", "head"),
        Span(1, 4, 1, len(org) + (1 if subtotal else 0), "法人或其他组织", "head"),
        Span(1, ncols - 1, 2, 1, "总计", "head"),
    ]
    for k, col in enumerate(org):
        spans.append(Span(2, 4 + k, 1, 1, labels.get(f"col.{col.id}", col.label), "head"))
    if subtotal:
        spans.append(Span(2, 4 + len(org), 1, 1, "小计", "head"))
    rows = sec.number_rows()
    index = {row.id: 3 + i for i, row in enumerate(rows)}

    def lab(row_id: str) -> str:
        return labels.get(row_id, sec.row(row_id).label)

    for row in sec.rows:
        if row.kind == "group":
            under = [r for r in rows if _is_under(sec, r.id, row.id)]
            first = index[under[0].id]
            if row.parent is None:
                spans.append(Span(first, 0, len(under), 1, lab(row.id)))
            else:
                spans.append(Span(first, 1, len(under), 1, lab(row.id)))
            continue
        r = index[row.id]
        if row.parent is None:
            spans.append(Span(r, 0, 1, 3, lab(row.id)))
        elif sec.row(row.parent).parent is None:
            spans.append(Span(r, 1, 1, 2, lab(row.id)))
        else:
            spans.append(Span(r, 2, 1, 1, lab(row.id)))
        c = 3
        for col in cols:
            if col.id == "total" and subtotal:
                spans.append(Span(r, c, 1, 1, subtotal(row.id), "num"))
                c += 1
            spans.append(Span(r, c, 1, 1, printed(f"t3.{row.id}.{col.id}"), "num"))
            c += 1
    return GridSpec(3 + len(rows), ncols, tuple(spans))


def _is_under(sec, row_id: str, group_id: str) -> bool:  # noqa: ANN001 - SectionDef
    parent = sec.row(row_id).parent
    while parent is not None:
        if parent == group_id:
            return True
        parent = sec.row(parent).parent
    return False


def t4_grid(fmt: FormatDef, printed: Printed) -> GridSpec:
    cols = fmt.tables["t4"].sections[0].columns
    spans = [
        Span(0, 0, 1, 5, "行政复议", "head"),
        Span(0, 5, 1, 10, "行政诉讼", "head"),
        Span(1, 5, 1, 5, "未经复议直接起诉", "head"),
        Span(1, 10, 1, 5, "复议后起诉", "head"),
    ]
    for k, col in enumerate(cols):
        if k < 5:
            spans.append(Span(1, k, 2, 1, col.label, "head"))
        else:
            spans.append(Span(2, k, 1, 1, col.label, "head"))
        spans.append(Span(3, k, 1, 1, printed(f"t4.count.{col.id}"), "num"))
    return GridSpec(4, 15, tuple(spans))
