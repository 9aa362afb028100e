"""Start-up failures say in one Chinese line what to do: a dependency not installed, no display, missing xcb
system libraries — never a traceback or a core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ruian_desk.app import debian_package, display_problem, missing_dependency_message

ROOT = Path(__file__).resolve().parents[2]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display checks are Linux-only")


def _gui(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "ruian_desk"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(ROOT), "RUIAN_DESK_HOME": str(tmp_path), **env},
        timeout=60,
    )


def _one_chinese_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "core dumped" not in r.stderr
    return lines[0]


@linux
def test_no_display(tmp_path: Path) -> None:
    line = _one_chinese_line(_gui({}, tmp_path))
    assert "DISPLAY" in line and "QT_QPA_PLATFORM=offscreen" in line


@linux
def test_display_without_xcb_libraries_or_x_server(tmp_path: Path) -> None:
    """On this machine kind the xcb plugin lacks libxcb-icccm4/libxcb-keysyms1 (PITFALLS 5): named. With
    them installed, there is no X server at :97 — also one line."""
    line = _one_chinese_line(_gui({"DISPLAY": ":97"}, tmp_path))
    assert "QT_QPA_PLATFORM=offscreen" in line
    assert "sudo apt install libxcb" in line or "无法连接图形显示 DISPLAY=:97" in line
    assert "libxcb-cursor" not in line or "libxcb-cursor.so" in line  # never Qt's misleading guess


def test_missing_xcb_libraries_are_named_with_their_packages(tmp_path: Path) -> None:
    fake = tmp_path / "libqxcb.so"
    fake.write_bytes(b"not a library")
    message = display_problem({"DISPLAY": ":0"}, xcb_plugin=str(fake))
    if not sys.platform.startswith("linux"):
        assert message is None
        return
    assert message is not None and "xcb" in message and "QT_QPA_PLATFORM=offscreen" in message


def test_debian_package_names() -> None:
    assert debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert debian_package("libxcb-keysyms.so.1") == "libxcb-keysyms1"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libEGL.so.1") == "libEGL1"


def test_offscreen_and_other_platforms_are_left_to_qt() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland"}) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None


def test_missing_dependency_messages() -> None:
    exc = ModuleNotFoundError("No module named 'PySide6'", name="PySide6")
    message = missing_dependency_message(exc)
    assert message is not None and "PySide6-Essentials" in message and "pip install" in message
    exc = ModuleNotFoundError("No module named 'sqlite_utils'", name="sqlite_utils")
    assert "sqlite-utils" in (missing_dependency_message(exc) or "")
    lib = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert "libEGL.so.1" in (missing_dependency_message(lib) or "")
    assert missing_dependency_message(ModuleNotFoundError("x", name="ruian_desk.nope")) is None


@pytest.mark.parametrize("args", [[], ["sample", "x.sqlite"]])
def test_before_installing_one_line(args: list[str], tmp_path: Path) -> None:
    """Run from a checkout with nothing installed: the dependencies are hidden by an import hook."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'PySide6', 'shiboken6', 'sqlite_utils', 'matplotlib'}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Hide())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": f"{hide}{os.pathsep}{ROOT}", "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-m", "ruian_desk", *args], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    line = _one_chinese_line(r)
    assert line.startswith("缺少运行所需的组件") and "pip install" in line
