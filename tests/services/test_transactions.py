"""Transactions belong to storage and the services: the GUI and the command line open none themselves."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "ruian_desk"


def test_gui_and_cli_open_no_transaction() -> None:
    files = [*sorted((ROOT / "gui").rglob("*.py")), ROOT / "cli.py"]
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".atomic(" in line
    ]
    assert not offenders, offenders
