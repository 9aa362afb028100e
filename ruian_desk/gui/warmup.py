"""Idle-time warm-up: what the 汇总图表 page imports (numpy, matplotlib and its Qt canvas, our chart modules,
about 0.5 s) is imported in small steps on the GUI thread once the window shows its first report and its
checks, so that opening the page later does not hold the window for half a second.

Imports stay on the GUI thread (a first import inside a worker thread can crash the interpreter through
shiboken's import hook, see `workers.py`); each step is one module whose own cost is a few tens of
milliseconds, and the event loop runs between two steps, so a key pressed meanwhile waits at most one step.
The steps are plain imports: a module missing from a build fails loudly here, as it would on the page.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

# Between two steps: a real timer, not a posted event (which `singleShot(0)` is), so that the input, the posted
# events and the other timers that came due during a step all run before the next one. The page that waits
# for its canvas goes at once; the window's warm-up in the background leaves more room to the clerk's keys.
STEP_GAP_MS = 1
IDLE_GAP_MS = 40
IDLE_DELAY_MS = 5000  # after the first report and its checks are shown: the first minutes' typing goes first

# ----------------------------------------------------------------------------------------- the steps
# In dependency order, so that each step imports little besides its own module.


def _numpy_stdlib() -> None:
    # What numpy's own import (one step: its package imports everything at once) takes from the standard
    # library and the window has not loaded: a tenth of that step, taken out of it.
    import contextvars  # noqa: F401
    import pickle  # noqa: F401
    import platform  # noqa: F401


def _numpy() -> None:
    import numpy  # noqa: F401


def _numpy_ma() -> None:
    import numpy.ma  # noqa: F401


def _pyparsing() -> None:
    import pyparsing  # noqa: F401


def _pil() -> None:
    import PIL.Image  # noqa: F401


def _pil_png() -> None:
    import PIL.PngImagePlugin  # noqa: F401


def _dateutil_tz() -> None:
    import dateutil.tz  # noqa: F401


def _dateutil_relativedelta() -> None:
    import dateutil.relativedelta  # noqa: F401


def _subprocess() -> None:
    import subprocess  # noqa: F401


def _dateutil() -> None:
    import dateutil.parser  # noqa: F401


def _fonttools() -> None:
    import fontTools.agl  # noqa: F401


def _matplotlib() -> None:
    import matplotlib  # noqa: F401


def _patches() -> None:
    import matplotlib.patches  # noqa: F401


def _font_manager() -> None:
    import matplotlib.font_manager  # noqa: F401


def _dviread() -> None:
    import matplotlib.dviread  # noqa: F401


def _mathtext() -> None:
    import matplotlib.mathtext  # noqa: F401


def _textpath() -> None:
    import matplotlib.textpath  # noqa: F401


def _text() -> None:
    import matplotlib.text  # noqa: F401


def _collections() -> None:
    import matplotlib.collections  # noqa: F401


def _widgets() -> None:
    import matplotlib.widgets  # noqa: F401


def _backend_bases() -> None:
    import matplotlib.backend_bases  # noqa: F401


def _image() -> None:
    import matplotlib.image  # noqa: F401


def _offsetbox() -> None:
    import matplotlib.offsetbox  # noqa: F401


def _axis() -> None:
    import matplotlib.axis  # noqa: F401


def _table() -> None:
    import matplotlib.table  # noqa: F401


def _category() -> None:
    import matplotlib.category  # noqa: F401


def _contour() -> None:
    import matplotlib.contour  # noqa: F401


def _legend() -> None:
    import matplotlib.legend  # noqa: F401


def _quiver() -> None:
    import matplotlib.quiver  # noqa: F401


def _tri() -> None:
    import matplotlib.tri  # noqa: F401


def _axes() -> None:
    import matplotlib.axes  # noqa: F401


def _art3d() -> None:
    import mpl_toolkits.mplot3d.art3d  # noqa: F401


def _mplot3d() -> None:
    import mpl_toolkits.mplot3d  # noqa: F401


def _projections() -> None:
    import matplotlib.projections  # noqa: F401


def _figure() -> None:
    import matplotlib.figure  # noqa: F401


def _canvas() -> None:
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_qtagg  # noqa: F401


def _fonts() -> None:
    from ruian_desk.charts.fonts import chart_font_family

    chart_font_family()  # registers the bundled font with matplotlib (once per process)


def _charts() -> None:
    import ruian_desk.charts.figures  # noqa: F401


CHART_STEPS: tuple[Callable[[], None], ...] = (
    _numpy_stdlib,
    _numpy,
    _numpy_ma,
    _pyparsing,
    _pil,
    _pil_png,
    _dateutil_tz,
    _dateutil_relativedelta,
    _dateutil,
    _subprocess,
    _fonttools,
    _matplotlib,
    _patches,
    _font_manager,
    _dviread,
    _mathtext,
    _textpath,
    _text,
    _collections,
    _widgets,
    _backend_bases,
    _image,
    _offsetbox,
    _axis,
    _table,
    _category,
    _contour,
    _legend,
    _quiver,
    _tri,
    _axes,
    _art3d,
    _mplot3d,
    _projections,
    _figure,
    _canvas,
    _fonts,
    _charts,
)


def _rules() -> None:
    import ruian_desk.domain.rules  # noqa: F401 - the rule modules (an opening may show kept findings)


def _units_tracker() -> None:
    import ruian_desk.services.tracker  # noqa: F401


def _units_tabs() -> None:
    import ruian_desk.gui.units.registry_tab  # noqa: F401
    import ruian_desk.gui.units.rollup_tab  # noqa: F401


def _units_page() -> None:
    import ruian_desk.gui.units.page  # noqa: F401


# The 单位 page's own modules (its first showing imports them otherwise).
UNITS_STEPS: tuple[Callable[[], None], ...] = (_units_tracker, _units_tabs, _units_page)
# What the window warms up once it has shown its checks and the clerk has had the first seconds: the rule
# modules first (the first edit checks the report; an opening that showed the findings kept at the last
# closing has not imported them), then the chart and 单位 pages' modules.
WINDOW_STEPS = (_rules, *CHART_STEPS, *UNITS_STEPS)

_done: set[Callable[[], None]] = set()  # the steps that have run in this process


def ready(steps: tuple[Callable[[], None], ...] = CHART_STEPS) -> bool:
    """Every step has run already (a page can build its canvas at once)."""
    return all(step in _done for step in steps)


# The steps that cost 40–80 ms each (numpy, pyparsing, dateutil, matplotlib's own package): the chart page
# works its data out in a thread only after these, since sharing the interpreter lock with that thread would
# double the time each step holds the window. The steps after them are short enough to share it.
HEAVY_STEPS = CHART_STEPS[: CHART_STEPS.index(_matplotlib) + 1]


class Warmup(QObject):
    """Runs `steps` one per pass of the event loop, then emits `finished` (also when every step had run
    already). `timings` (step name, ms) say what each one cost."""

    finished = Signal()
    stepped = Signal(int)  # how many steps have run

    def __init__(
        self,
        steps: tuple[Callable[[], None], ...] = CHART_STEPS,
        parent: QObject | None = None,
        gap_ms: int = STEP_GAP_MS,
    ):
        super().__init__(parent)
        self.gap_ms = gap_ms
        self._steps = [step for step in steps if step not in _done]
        self.timings: list[tuple[str, float]] = []
        self.started = False
        self._scheduled = False
        self._emitted = False
        # One timer of its own (a child: it dies with the warm-up, so no step runs for a window already
        # closed), for the delayed start and between the steps.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)

    @property
    def done(self) -> bool:
        return self.started and not self._steps

    def past_heavy(self) -> bool:
        """The heavy steps have run (in this warm-up or an earlier one of the process)."""
        return ready(HEAVY_STEPS)

    def start_later(self, delay_ms: int | None = None) -> None:
        """Start after `delay_ms` (IDLE_DELAY_MS; once, however often asked): the first keys after the window
        shows its report are not held up."""
        if not self.started and not self._scheduled:
            self._scheduled = True
            self._timer.start(IDLE_DELAY_MS if delay_ms is None else delay_ms)

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        self._timer.start(self.gap_ms)

    def _tick(self) -> None:
        if not self.started:
            self.start()  # the delay of start_later is over
        else:
            self._next()

    def run_all(self) -> None:
        """The remaining steps now, in this pass."""
        self.started = True
        while self._steps:
            self._step()
        self._finish()

    def _next(self) -> None:
        if self._steps:
            self._step()
        if self._steps:
            self._timer.start(self.gap_ms)
        else:
            self._finish()

    def _step(self) -> None:
        step = self._steps.pop(0)
        began = time.perf_counter()
        # An import creates tens of thousands of long-lived objects: the cycle collector, run in the middle
        # of one (or just after it), would walk every object of the process (a full collection: 20–30 ms
        # more in one step). It waits until the step is over, and what the step built is frozen out of its
        # walks, as start-up's is (`app.release_collector`; unfrozen with the first workspace). The young
        # garbage made since the last step is collected first (cheap: few objects), so that little more than
        # the step's own modules is frozen.
        collecting = gc.isenabled()
        if collecting:
            gc.collect(1)
        gc.disable()
        try:
            step()
        finally:
            if collecting:
                gc.freeze()
                gc.enable()
        _done.add(step)
        self.timings.append((step.__name__.lstrip("_"), (time.perf_counter() - began) * 1000))
        self.stepped.emit(len(self.timings))

    def _finish(self) -> None:
        if not self._emitted:
            self._emitted = True
            self.finished.emit()
