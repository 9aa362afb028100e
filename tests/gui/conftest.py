"""Fixtures of the GUI tests: real widgets offscreen on a private copy of the sample workspace."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Imported at collection, before any test runs: guards None/True/False against the PySide6 6.12 refcount
# bug on Python 3.11 for the whole session (see ruian_desk/qtcompat.py).
import ruian_desk.gui  # noqa: F401


@pytest.fixture
def app(qapp):  # noqa: ANN001, ANN201 - QApplication with the bundled SC font, as the app has it
    from ruian_desk.app import create_application

    return create_application()


@pytest.fixture
def ctx(app, sample_ws):  # noqa: ANN001, ANN201
    """AppContext on the sample's main report (瑞安市人民政府 2019)."""
    from ruian_desk.gui.context import AppContext

    rid = sample_ws.repo.find_report("瑞安市人民政府", 2019)
    context = AppContext(sample_ws, rid)
    yield context
    context.close()  # typed text stored, pages told (timers stopped), then the workspace closes


class Dialogs:
    """Stands in for message boxes: records what the window would say, answers questions as told."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.told: list[tuple[str, str]] = []
        self.answer = True

    def ask(self, title: str, text: str) -> bool:
        self.asked.append((title, text))
        return self.answer

    def inform(self, title: str, text: str) -> None:
        self.told.append((title, text))


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def window(app, qtbot, sample_path: Path, dialogs: Dialogs) -> Iterator:  # noqa: ANN001
    """The main window with the sample open on the main report, dialogs recorded instead of shown.

    The main report's 表三/表四 are set to 本级直接填写 (scope own), so they are typed into directly: with
    the roll-up scope they show the units' sums read-only (tested on their own)."""
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(sample_path) as ws:
        rid = ws.repo.find_report("瑞安市人民政府", 2019)
        for table in ("t3", "t4"):
            ws.repo.set_setting(rid, f"scope.{table}", "own")

    w = _shown_window(qtbot, sample_path, dialogs)
    yield w
    w.close_workspace()


@pytest.fixture
def fail_on_slot_exceptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """An exception escaping a slot prints a traceback and leaves the UI half-updated: fail the test."""
    seen: list[BaseException] = []

    def hook(kind, value, tb) -> None:  # noqa: ANN001
        seen.append(value)
        sys.__excepthook__(kind, value, tb)

    monkeypatch.setattr(sys, "excepthook", hook)
    yield seen
    assert not seen, f"exception escaped a slot: {seen!r}"


@pytest.fixture
def sample_window(app, qtbot, sample_path: Path, dialogs) -> Iterator:  # noqa: ANN001
    """The main window on the sample as `main.py sample` makes it (表三/表四 rolled up from the units)."""
    w = _shown_window(qtbot, sample_path, dialogs)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w
    w.close_workspace()


def db_value(path: Path, report_id: int, cell_id: str) -> str | None | tuple[()]:
    """A cell as another process would read it: its own sqlite3 connection. () when no row exists."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT value FROM cells WHERE report_id = ? AND cell_id = ?", [report_id, cell_id]
        ).fetchone()
    finally:
        conn.close()
    return () if row is None else row[0]


def db_field(path: Path, report_id: int, name: str) -> str | None:
    import sqlite3

    assert name in ("title", "intro", "p1", "p5", "p6", "sig_organ", "sig_date")
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(f"SELECT {name} FROM reports WHERE id = ?", [report_id]).fetchone()
    finally:
        conn.close()
    return row[0]


def _shown_window(qtbot, path: Path, dialogs):  # noqa: ANN001, ANN202
    """A main window on `path`, shown offscreen at 1440×900, its questions answered by `dialogs`."""
    from ruian_desk.gui.main_window import MainWindow

    w = MainWindow()
    w.remember = False
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.resize(1440, 900)
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    return w
