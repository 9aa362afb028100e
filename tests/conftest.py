"""Shared fixtures. Qt runs offscreen; the user data folder is a temp dir per test session."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RUIAN_DESK_HOME", tempfile.mkdtemp(prefix="ruian-desk-home-"))
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace, built once per session; tests copy it before writing."""
    from ruian_desk.services.sample import build_sample

    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    build_sample(path).close()
    return path


@pytest.fixture
def sample_path(sample_template: Path, tmp_path: Path) -> Path:
    """A private copy of the sample workspace."""
    import sqlite3

    target = tmp_path / "sample.sqlite"
    src = sqlite3.connect(sample_template)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture
def sample_ws(sample_path: Path):  # noqa: ANN201
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(sample_path)
    yield ws
    ws.close()


@pytest.fixture
def empty_ws(tmp_path: Path):  # noqa: ANN201
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(tmp_path / "ws.sqlite", create=True)
    yield ws
    ws.close()


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 120, env: dict[str, str] | None = None):  # noqa: ANN201
    """Run `python main.py …` in a subprocess; returns CompletedProcess with text output."""
    import subprocess

    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
