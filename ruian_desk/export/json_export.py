"""Export of the report as interchange JSON (`ruian-desk/report@1`)."""

from __future__ import annotations

from pathlib import Path

from ruian_desk.exchange.report_json import report_to_json
from ruian_desk.export.registry import register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write


@register("json", "json", "JSON（交换格式）")
def write_json(view: ReportView, target: Path) -> None:
    text = report_to_json(view.report)
    atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
