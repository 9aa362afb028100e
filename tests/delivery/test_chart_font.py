"""Charts use the bundled SC font by its file, with or without a system "Noto Sans CJK" installed
(PITFALLS 10), and the headless commands never load matplotlib's font manager (no font cache built)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="simulates a fontconfig font folder")
def test_charts_keep_the_bundled_font_beside_a_system_noto_cjk(tmp_path: Path) -> None:
    """fonts-noto-cjk is simulated: a font of the same family ("Noto Sans CJK SC") in the user's font
    folder, and a fresh matplotlib cache that lists it. The chart test must still find the bundled file.
    Where fonts-noto-cjk is really installed, matplotlib may resolve the family to the system's .ttc instead
    of the simulated copy (both score the same): either way a system "Noto Sans CJK SC" is seen."""
    home = tmp_path / "home"
    fonts = home / ".local" / "share" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "fonts" / "NotoSansSC-Regular.otf", fonts / "NotoSansCJK-Regular.otf")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    probe = (
        "from matplotlib import font_manager as fm\n"
        "print(fm.findfont('Noto Sans CJK SC', fallback_to_default=False))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    seen = Path(r.stdout.strip())
    assert seen.name.startswith("NotoSansCJK-Regular."), f"no system Noto Sans CJK is seen: {seen}"
    assert seen.parent == fonts or seen.suffix == ".ttc", seen
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "tests/charts/test_figures.py::test_every_chart_draws_with_the_bundled_sc_font",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:]


def test_headless_commands_do_not_load_the_font_manager(sample_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ruian_desk.cli import main\n"
        f"rc = main(['check', '-w', {str(sample_path)!r}, '--year', '2019'])\n"
        "print('LOADED' if 'matplotlib.font_manager' in sys.modules else 'CLEAN', rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "CLEAN 0", r.stdout + r.stderr
    assert not (tmp_path / "mpl").exists() or not list((tmp_path / "mpl").glob("fontlist-*.json"))
