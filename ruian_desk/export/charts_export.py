"""Export of the report's charts: the one-page 图解 as `{stem}.png` and every chart as `{stem}-图表-<名称>.png`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ruian_desk.export.common import view_inputs
from ruian_desk.export.registry import ExportError, register
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write


def chart_file_name(file_stem: str, chart_name: str) -> str:
    return f"{file_stem}-图表-{chart_name}.png"


def _writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


@register("charts", "png", "图表（PNG）")
def write_charts(view: ReportView, target: Path) -> list[Path]:
    """Write the 图解 page to `target` and each chart beside it; returns the extra files (the chart PNGs).

    Everything is rendered in memory first, so a drawing failure writes nothing; each file is then written
    atomically, and if one of them cannot be written the ones already written by this call are removed, so
    the folder never holds half a set of charts.
    """
    from ruian_desk.charts.render import render_report_charts, render_tujie_page

    target = Path(target)
    inputs = view_inputs(view)
    images = render_report_charts(inputs)
    page = render_tujie_page(inputs, "png")
    files = [(target, page)] + [
        (target.with_name(chart_file_name(view.file_stem, img.name)), img.png) for img in images
    ]
    written: list[Path] = []
    try:
        for path, data in files:
            atomic_write(path, _writer(data))
            written.append(path)
    except ExportError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return [path for path, _ in files[1:]]
