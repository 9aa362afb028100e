"""The one way work leaves the GUI thread (gui/workers.py): preload first, the worker kept until its result
is handled on the GUI thread, progress and failures back by signal, busy while any job runs."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject


def test_a_job_runs_off_the_gui_thread_and_reports_back_on_it(app, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.workers import Jobs

    owner = QObject()
    jobs = Jobs(owner)
    events: list[object] = []
    gui = threading.get_ident()

    def fn(progress):  # noqa: ANN001, ANN202
        events.append(("ran-on-gui-thread", threading.get_ident() == gui))
        progress(1, 2, "一半")
        return 42

    jobs.busy_changed.connect(lambda busy: events.append(("busy", busy)))
    with qtbot.waitSignal(jobs.busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        worker = jobs.start(
            fn,
            lambda result: events.append(("done", result, threading.get_ident() == gui)),
            progress=lambda d, t, what: events.append(("progress", d, t, what)),
            preload=lambda: events.append("preloaded"),
        )
        assert not worker.autoDelete()  # owned by Jobs, never deleted by the pool behind Python's back
        assert jobs.busy and jobs.running == [worker]
        gc.collect()
    qtbot.waitUntil(lambda: any(e[0] == "done" for e in events if isinstance(e, tuple)), timeout=5000)
    assert events[0] == "preloaded" and events[1] == ("busy", True)
    assert ("ran-on-gui-thread", False) in events
    assert ("progress", 1, 2, "一半") in events
    assert ("done", 42, True) in events
    assert ("busy", False) in events and not jobs.busy and jobs.running == []


def test_a_failure_is_worded_and_handed_to_the_page(app, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.workers import Jobs

    owner = QObject()
    jobs = Jobs(owner)
    failures: list[str] = []
    done: list[object] = []

    def fn(progress):  # noqa: ANN001, ANN202
        raise OSError("磁盘已满")

    jobs.start(fn, done.append, failures.append, describe=lambda exc: f"写入失败：{exc}", preload=lambda: None)
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert failures == ["写入失败：磁盘已满"] and done == [] and not jobs.busy


def test_busy_until_the_last_of_several_jobs(app, qtbot) -> None:  # noqa: ANN001
    from ruian_desk.gui.workers import Jobs

    owner = QObject()
    jobs = Jobs(owner)
    changes: list[bool] = []
    results: list[object] = []
    jobs.busy_changed.connect(changes.append)
    for n in range(3):
        jobs.start(lambda progress, n=n: n, results.append, preload=lambda: None)
    qtbot.waitUntil(lambda: len(results) == 3, timeout=10000)
    assert sorted(results) == [0, 1, 2]  # type: ignore[type-var]
    assert changes == [True, False]
