"""The 汇总图表 page works its data out off the GUI thread (issue 16): the page appears at once, the event
loop keeps running while the roll-up, the other years and the checks are worked out, and the chart drawn is
the report's."""

from __future__ import annotations

import threading
import time

from ruian_desk.storage.assemble import effective_report


def test_chart_data_is_worked_out_off_the_gui_thread(qtbot, qapp, sample_ws, monkeypatch) -> None:  # noqa: ANN001
    from ruian_desk.gui.chart_panel import ChartPanel
    from ruian_desk.gui.context import AppContext
    from ruian_desk.services import chart_inputs

    threads: list[int] = []
    ticks: list[float] = []
    real = chart_inputs.ChartReader.charts

    def slow(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        threads.append(threading.get_ident())
        time.sleep(0.3)  # a county of many units and years
        return real(self, *args, **kwargs)

    monkeypatch.setattr(chart_inputs.ChartReader, "charts", slow)
    ctx = AppContext(sample_ws, sample_ws.repo.find_report("瑞安市人民政府", 2019))
    panel = ChartPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    with qtbot.waitSignal(panel.redrawn, timeout=20000):
        panel.show()
        assert panel.charts() == []  # shown at once, the charts follow
    timer.stop()
    assert threads and all(t != threading.main_thread().ident for t in threads)
    assert len(ticks) >= 10  # the event loop ran while the data was worked out
    applicants = panel.chart("applicants")
    assert applicants is not None
    rolled = effective_report(sample_ws.repo, ctx.report_id).values
    assert [b.value for b in applicants.bars] == [
        rolled.number(f"t3.new.{c}") for c in ("np", "ce", "ri", "spo", "lso", "oth")
    ]
    ctx.close()
