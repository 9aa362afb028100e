"""Narrative text of parts 一/五/六: paragraphs, sub-headings, `{{…}}` placeholders, character counts.

A part is stored as plain text, one paragraph per line. A line that starts with "（一）" / "(一)" is a level-1
sub-heading (its heading may be followed by a space, or end with "。", and body text on the same line, as
in the 瑞安 2019 report); a line that starts with "1." / "1、" / "1．" is a numbered item whose lead sentence ends at the first
"。". Everything else is a body paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ruian_desk.domain.report import Report, format_number

_HEADING = re.compile(r"^([（(][一二三四五六七八九十]+[）)])(.*)$")
_ITEM = re.compile(r"^(\d{1,2}[.、．])(.*)$")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


@dataclass(frozen=True)
class Paragraph:
    kind: str  # heading | item | body
    number: str  # "（一）", "1.", or ""
    heading: str  # heading text (for items: the lead sentence, ending with "。" when there is one)
    body: str  # the rest of the paragraph
    index: int  # line number within the part (0-based)

    @property
    def text(self) -> str:
        joined = self.kind != "heading" or not self.body or self.heading.endswith("。")
        sep = "" if joined else " "
        return f"{self.number}{self.heading}{sep}{self.body}"


def paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    for i, line in enumerate(text.split("\n")):
        line = line.rstrip()
        if not line.strip():
            continue
        m = _HEADING.match(line)
        if m:
            rest = m.group(2)
            head, sep, body = rest.partition(" ")
            if not sep:
                # "（一）主动公开。全年主动公开……": the sub-heading ends at its first "。" and the paragraph's
                # text follows on the same line (公文 practice); a line without one is all heading.
                lead, dot, after = rest.partition("。")
                if dot and after.strip() and len(lead) <= 40:
                    head, sep, body = lead + dot, dot, after
            out.append(Paragraph("heading", m.group(1), head.strip(), body.strip() if sep else "", i))
            continue
        m = _ITEM.match(line)
        if m:
            rest = m.group(2)
            lead, dot, body = rest.partition("。")
            if dot and len(lead) <= 40:
                out.append(Paragraph("item", m.group(1), lead + dot, body, i))
            else:
                out.append(Paragraph("item", m.group(1), "", rest, i))
            continue
        out.append(Paragraph("body", "", "", line.strip(), i))
    return out


def char_count(text: str) -> int:
    """Characters as local rules count them (字数): everything except whitespace and line breaks."""
    return sum(1 for ch in text if not ch.isspace())


def placeholder_value(report: Report, key: str) -> str | None:
    """Current value of `{{key}}`: a cell id (t3.new.total), a group subtotal (t3.g3_withheld.total) or a
    metric key (gov_service_items). None when the key is unknown."""
    fmt = report.fmt
    if key in fmt.cells or key in fmt.groups:
        return format_number(report.values.number(key))
    metric = report.metric(key)
    if metric is not None:
        return format_number(metric.value) if metric.value is not None else ""
    return None


def render_placeholders(text: str, report: Report, missing: Callable[[str], str] | None = None) -> str:
    """Replace every `{{key}}` with its current value; unknown keys are kept (or passed to `missing`)."""

    def sub(m: re.Match[str]) -> str:
        value = placeholder_value(report, m.group(1))
        if value is None:
            return missing(m.group(1)) if missing else m.group(0)
        return value

    return PLACEHOLDER.sub(sub, text)


def placeholder_keys(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def placeholder_choices(report: Report) -> list[tuple[str, str]]:
    """(key, description) of everything a placeholder may name, for the insert menu."""
    fmt = report.fmt
    out = [(m.key, f"指标：{m.label}") for m in report.metrics]
    out += [(cid, cell.label) for cid, cell in fmt.cells.items()]
    for gid in fmt.groups:
        section_id, row_id, col_id = gid.split(".")
        section = fmt.section(section_id)
        out.append(
            (
                gid,
                f"{fmt.tables[section.table].name} {section.row(row_id).label}（小计）/ {section.column(col_id).label}",
            )
        )
    return out
