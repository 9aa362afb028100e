"""Fresh-process measurements through the real main window (offscreen): a cell typed with keys, the
汇总图表 page's first open, the 单位 page shown. Each opens the window on a workspace as `main.py` does, waits
until it is painted with its checks shown, then measures with the event loop drained (repaints included)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from benchmarks.rss import rss_mb

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _drain(app: Any, rounds: int = 3) -> None:
    """Every posted event handled (signals queued across threads, layout, UpdateRequest → paint)."""
    for _ in range(rounds):
        app.sendPostedEvents()
        app.processEvents()


def _wait(app: Any, done: Any, seconds: float = 120) -> None:
    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.002)


def _window(workspace: str) -> tuple[Any, Any]:
    """The app's own start (`app.run_gui`): QApplication, main window on `workspace`, shown at 1366×860,
    painted, checks shown in the status bar."""
    from ruian_desk.app import create_application, hold_collector, import_core_before_qt, release_collector

    hold_collector()  # as `app.run_gui`: the cycle collector held during start-up, what it built frozen
    import_core_before_qt()
    app = create_application(["benchmark"])
    from PySide6.QtCore import QTimer

    from ruian_desk.gui.main_window import open_main_window

    window = open_main_window(Path(workspace))
    window.resize(1366, 860)
    window.show()
    QTimer.singleShot(0, release_collector)
    _wait(app, lambda: not window.checks_pending())
    _drain(app)
    return app, window


def window_edit(args: dict[str, Any]) -> dict[str, Any]:
    """`edits` numbers typed into the main report's 表二 (its own table) with key presses, each one ended by
    Return; timed from the first key to the event loop drained: stored, totals, checks, status bar, outlines
    and the repaint. Wall and CPU time of this process, per edit."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    app, window = _window(args["workspace"])
    page = window.show_node(args.get("node", "p2"))
    view, model = page.view, page.model
    _drain(app)
    repo, rid = window.ctx.repo, window.ctx.report_id
    cells = [c.cell_id for c in model.grid.cells if c.kind == "input" and c.cell_id]
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(int(args["edits"]) + 5):
        cid = cells[(i * 7) % len(cells)]
        view.setCurrentIndex(model.index_of(cid))
        view.setFocus()
        _drain(app)
        text = str(100 + i)
        w0, c0 = time.perf_counter(), time.process_time()
        QTest.keyClick(view, text[0])  # type: ignore[call-overload]  # the first key opens the editor
        editor = app.focusWidget()
        QTest.keyClicks(editor, text[1:])
        QTest.keyClick(editor, Qt.Key.Key_Return)
        _drain(app)
        w1, c1 = time.perf_counter(), time.process_time()
        stored = repo.load_report(rid).cells.get(cid)
        if str(stored) != text:
            raise RuntimeError(f"typed {text} into {cid}, stored {stored!r}")
        if i >= 5:  # the first edits warm caches and build the editor
            wall.append((w1 - w0) * 1000)
            cpu.append((c1 - c0) * 1000)
    units = len(getattr(getattr(window.ctx.report(), "rollup", None), "units", ()) or ())
    return {"wall_ms": wall, "cpu_ms": cpu, "units": units, "issues": len(window.ctx.issues())}


class _BlockMeter:
    """The GUI thread's longest stretch without running a 5 ms timer: how long a click would wait."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


def charts_open(args: dict[str, Any]) -> dict[str, Any]:
    """The 汇总图表 node clicked for the first time → its first chart drawn, the GUI thread's longest block
    meanwhile, then the RSS of the process with the page open."""
    app, window = _window(args["workspace"])
    rss_before = rss_mb()[0]
    meter = _BlockMeter()
    start = time.perf_counter()
    window.show_node("charts")
    panel = window.page("charts")

    def drawn() -> bool:
        busy = getattr(panel, "busy", None)
        return bool(panel.charts()) and not (busy() if callable(busy) else False)

    _wait(app, drawn)
    _drain(app)
    seconds = time.perf_counter() - start
    block = meter.stop()
    current, peak = rss_mb()
    return {
        "seconds": seconds,
        "block_ms": block,
        "rss_mb": current,
        "peak_mb": peak,
        "rss_before_mb": rss_before,
        "charts": len(panel.charts()),
    }


def units_page(args: dict[str, Any]) -> dict[str, Any]:
    """The 单位 node clicked → the page shown with every unit's status, drained; then shown again after
    another page (the clerk going back and forth)."""
    app, window = _window(args["workspace"])
    times = []
    for _ in range(3):
        w0, c0 = time.perf_counter(), time.process_time()
        window.show_node("units")
        _drain(app)
        times.append(((time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000))
        window.show_node("p2")
        _drain(app)
    page = window.page("units")
    rows = len(getattr(page, "statuses", ()))
    return {"first": times[0], "again": times[1:], "rows": rows}
