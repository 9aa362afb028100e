"""SIGKILL in the middle of a burst of edits: every edit reported stored is in the file afterwards."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ruian_desk.storage.workspace import open_workspace

CHILD = textwrap.dedent(
    """
    import sys
    from ruian_desk.storage.workspace import open_workspace
    ws = open_workspace(sys.argv[1])
    rid = int(sys.argv[2])
    cols = ["np", "ce", "ri", "spo", "lso", "oth"]
    rows = ["new", "carry_in", "r1_open", "r2_partial", "carry_out"]
    i = 0
    while True:
        cell = f"t3.{rows[i % len(rows)]}.{cols[(i // len(rows)) % len(cols)]}"
        ws.repo.set_cell(rid, cell, i)
        print(f"stored {cell} {i}", flush=True)
        i += 1
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_loses_no_reported_edit(tmp_path: Path) -> None:
    from ruian_desk.domain.report import Report

    path = tmp_path / "w.sqlite"
    ws = open_workspace(path, create=True)
    rid = ws.repo.save_report(Report(unit="某局", unit_role="department", year=2021, format_id="gov-2021"))
    ws.close()
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(rid)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    reported: dict[str, int] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        _, cell, value = line.split()
        reported[cell] = int(value)
        if len(reported) >= 30 and int(value) >= 150:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the child may have stored a few more edits after the last line we read: each must be newer, never lost
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = dict(conn.execute("SELECT cell_id, value FROM cells WHERE report_id = ?", [rid]).fetchall())
    conn.close()
    for cell, value in reported.items():
        assert int(stored[cell]) >= value
