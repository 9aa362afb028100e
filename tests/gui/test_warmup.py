"""The idle-time warm-up: steps run one per pass of the event loop (other events in between), in order,
`finished` once; a warm-up of steps that have all run before finishes at once."""

from __future__ import annotations

from PySide6.QtCore import QTimer


def test_steps_run_one_per_pass_with_other_events_between(qtbot, qapp) -> None:  # noqa: ANN001
    from ruian_desk.gui.warmup import Warmup, ready

    ran: list[str] = []

    def a() -> None:
        ran.append("a")

    def b() -> None:
        ran.append("b")

    def c() -> None:
        ran.append("c")

    steps = (a, b, c)
    w = Warmup(steps)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.append(len(ran)))  # what had run when another timer got its turn
    timer.start()
    done: list[bool] = []
    w.finished.connect(lambda: done.append(True))
    w.start()
    assert ran == []  # nothing in the caller's pass
    qtbot.waitUntil(lambda: w.done, timeout=2000)
    timer.stop()
    assert ran == ["a", "b", "c"] and done == [True]
    assert [n for n, _ in w.timings] == ["a", "b", "c"]
    assert {1, 2} <= set(ticks)  # the other timer ran between the steps, not only after all of them
    assert ready(steps)
    again = Warmup(steps)
    again.run_all()
    assert ran == ["a", "b", "c"]  # nothing ran twice
    assert again.done and ready(steps)


def test_start_later_waits_and_starts_once(qtbot, qapp) -> None:  # noqa: ANN001
    from ruian_desk.gui.warmup import Warmup

    ran: list[int] = []

    def step() -> None:
        ran.append(1)

    w = Warmup((step,))
    w.start_later(50)
    w.start_later(50)  # asked again (every checks_shown): still once
    assert not w.started
    qtbot.waitUntil(lambda: w.done, timeout=2000)
    assert ran == [1]


def test_a_step_runs_without_the_cycle_collector_and_what_it_built_is_frozen(qtbot, qapp) -> None:  # noqa: ANN001
    """An import's tens of thousands of objects: no full collection inside the step (or just after it)."""
    import gc

    from ruian_desk.gui.warmup import Warmup

    seen: list[bool] = []
    built: list[object] = []

    def step() -> None:
        seen.append(gc.isenabled())
        built.extend([x] for x in range(1000))  # long-lived containers, as a module's are

    was = gc.isenabled()
    gc.enable()
    try:
        frozen = gc.get_freeze_count()
        w = Warmup((step,))
        w.run_all()
        assert seen == [False]
        assert gc.isenabled()  # the collector is back after the step
        assert gc.get_freeze_count() >= frozen + 1000  # and walks no longer what the step built
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()
