"""The wheel carries resources/ and runs from outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no build backend available?): {r.stderr.strip()[-200:]}")
    return next(out.glob("ruian_desk-*.whl"))


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "ruian_desk/resources/formats/gov-2019.json",
        "ruian_desk/resources/formats/gov-2021.json",
        "ruian_desk/resources/fonts/NotoSansSC-Regular.otf",
        "ruian_desk/resources/fonts/OFL.txt",
        "ruian_desk/resources/sample/ruian-2019.json",
        "ruian_desk/cli.py",
        "ruian_desk/py.typed",
    ):
        assert required in names, required
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points[0]).decode()
    # the command line is a console script (prints, exit codes); the window a gui-script (no console)
    assert "[console_scripts]\nruian-desk = ruian_desk.__main__:main" in text
    assert "[gui_scripts]\nruian-desk-gui = ruian_desk.__main__:main_gui" in text


def test_wheel_runs_outside_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    ws = tmp_path / "x.sqlite"
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ruian_desk.cli import main; sys.exit(main(sys.argv[1:]))",
            "sample",
            str(ws),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [sys.executable, "-c", "import ruian_desk.paths as p; print(p.resources_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert str(site) in r.stdout
