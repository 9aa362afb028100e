"""The Qt binding must not lose references to None/True/False: PySide6-Essentials 6.12.0 under Python 3.11
drops one reference to None on every void method call and one to True on every `Signal.emit`, and the
interpreter aborts ("Fatal Python error: none_dealloc") after a few thousand GUI calls — a clerk's session
would crash. pyproject.toml excludes that version; this test catches any other release with the same bug."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")


def _refs() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="Python 3.12+: None/True/False are immortal (PEP 683), sys.getrefcount() of them is a constant, "
    "so a per-call loss can neither be measured nor abort the interpreter",
)
def test_void_calls_and_emits_keep_singleton_refcounts(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel, QLineEdit

    class Sender(QObject):
        changed = Signal(int)

    label, edit, sender = QLabel(), QLineEdit(), Sender()
    qtbot.addWidget(label)
    qtbot.addWidget(edit)
    received: list[int] = []
    sender.changed.connect(received.append)
    edit.setText("0")
    sender.changed.emit(0)
    before = _refs()
    for i in range(500):
        label.setText(str(i))  # void
        edit.setReadOnly(i % 2 == 0)  # void, bool argument
        label.resize(100 + i % 7, 20)  # void
        sender.changed.emit(i)
    after = _refs()
    assert len(received) == 501
    drift = [a - b for a, b in zip(after, before, strict=True)]
    # a few references may come or go with caches; a per-call loss shows up as -500 or worse
    assert all(d > -50 for d in drift), f"None/True/False references lost: {drift}"
