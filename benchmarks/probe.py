"""One measurement in a fresh process: `python -m benchmarks.probe NAME ARGS_JSON` prints one JSON object.

A fresh process is what the user meets: the first export pays for importing python-docx, the summary view
for matplotlib, opening a workspace for the page cache being cold in the interpreter."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import probe_gui
from benchmarks.rss import rss_mb


def export(args: dict[str, Any]) -> dict[str, Any]:
    """Build the view of the main report, then time the export of `formats` (imports included)."""
    from ruian_desk.export.bundle import export_bundle, formats
    from ruian_desk.export.view import build_view
    from ruian_desk.storage.assemble import resolve_report_id
    from ruian_desk.storage.workspace import open_workspace

    view_start = time.perf_counter()
    with open_workspace(args["workspace"], readonly=True) as ws:
        rid = resolve_report_id(ws.repo, args["year"])
        view = build_view(ws.repo, rid, workspace=args["workspace"], formats=args["formats"])
    view_s = time.perf_counter() - view_start
    start = time.perf_counter()
    available = formats()
    names = [n for n in args["formats"] if n in available]
    export_bundle(view, names, Path(args["out"]))
    return {"seconds": time.perf_counter() - start, "view_s": view_s, "formats": names}


def open_main(args: dict[str, Any]) -> dict[str, Any]:
    """Open a workspace and load its main report the way the GUI shows it (rolled up where that exists)."""
    from ruian_desk.storage import assemble
    from ruian_desk.storage.workspace import open_workspace

    load: Callable[[Any, int], Any] = getattr(assemble, "effective_report", None) or (
        lambda repo, rid: repo.load_report(rid)
    )
    start = time.perf_counter()
    ws = open_workspace(args["workspace"])
    main = ws.repo.main_organ()
    assert main is not None
    years = ws.repo.years()
    rid = ws.repo.find_report(main.name, years[-1])
    assert rid is not None
    report = load(ws.repo, rid)
    seconds = time.perf_counter() - start
    ws.close()
    return {"seconds": seconds, "cells": len(report.cells), "years": len(years)}


def summary_rss(args: dict[str, Any]) -> dict[str, Any]:
    """The main window and the summary view (charts) open on the sample, drawn; then the RSS."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import importlib

    from ruian_desk.app import create_application
    from ruian_desk.gui.context import AppContext
    from ruian_desk.storage.assemble import resolve_report_id
    from ruian_desk.storage.workspace import open_workspace

    app = create_application(["benchmark"])
    window = None
    try:
        from ruian_desk.gui.main_window import open_main_window

        window = open_main_window(Path(args["workspace"]))
        if window is not None:
            window.show()
    except Exception:  # noqa: BLE001 - the window is context only; the chart view is what is measured
        window = None
    ws = getattr(window, "workspace", None) or open_workspace(args["workspace"], readonly=True)
    ctx = getattr(window, "ctx", None) or AppContext(ws, resolve_report_id(ws.repo, 2019))
    panel = importlib.import_module("ruian_desk.gui.chart_panel").ChartPanel(ctx)
    panel.resize(1200, 800)
    panel.show()
    deadline = time.perf_counter() + 3
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.02)
    panel.grab()  # make sure the chart has been drawn at least once
    app.processEvents()
    current, peak = rss_mb()
    redraws = _chart_redraws(app, ctx, panel)
    return {"rss_mb": current, "peak_mb": peak, "redraw_ms": redraws}


def _chart_redraws(app: Any, ctx: Any, panel: Any, edits: int = 9) -> list[float]:
    """One cell edit → the chart on screen redrawn from the workspace, `edits` times: a unit's 表三 一、新收
    (it feeds the county's rolled-up 申请人类型 chart), the edit stored, the report reloaded and the chart
    data rebuilt and drawn (`ChartPanel.redraw_now`, what its debounce timer calls)."""
    import time

    repo = ctx.repo
    main_id = ctx.report_id
    year = repo.load_report(main_id).year
    unit = next(u for u in repo.units() if u.id != getattr(repo.main_organ(), "id", None))
    unit_report = repo.find_report(unit.name, year)
    cell = "t3.new.np"
    base = repo.load_report(unit_report).values.number(cell)
    panel.select_chart("applicants")
    app.processEvents()
    out = []
    for i in range(1, edits + 1):
        started = time.perf_counter()
        repo.set_cell(unit_report, cell, int(base) + i)
        ctx.notify_changed(main_id)
        panel.redraw_now()
        out.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    return out


def heavy_at_start(args: dict[str, Any]) -> dict[str, Any]:
    """Which heavy libraries the GUI start imports before it is idle (DESIGN §5: none of them)."""
    os.environ["RUIAN_DESK_EXIT_WHEN_IDLE"] = "1"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ruian_desk.app import run_gui

    run_gui(workspace=args["workspace"])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"matplotlib", "docx", "openpyxl"})
    return {"heavy": heavy}


PROBES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "export": export,
    "open_main": open_main,
    "summary_rss": summary_rss,
    "heavy_at_start": heavy_at_start,
    "window_edit": probe_gui.window_edit,
    "charts_open": probe_gui.charts_open,
    "units_page": probe_gui.units_page,
}


def main() -> int:
    name, raw = sys.argv[1], sys.argv[2]
    result = PROBES[name](json.loads(raw))
    sys.stdout.write("\nPROBE-RESULT " + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
