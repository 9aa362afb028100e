"""`python -m ruian_desk`, the console/gui scripts, and a command line that speaks Chinese throughout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=120,
    )


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    ws = tmp_path / "示例.sqlite"
    r = _run("-m", "ruian_desk", "sample", str(ws), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _run("-m", "ruian_desk", "check", "-w", str(ws), "--year", "2019", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"]["warning"] == 6  # the sample's six warnings


def test_help_is_chinese_with_examples_and_the_program_as_invoked() -> None:
    r = _run("-m", "ruian_desk", "--help")
    assert r.returncode == 0
    out = r.stdout
    assert out.startswith("用法：python -m ruian_desk ")
    for english in ("usage:", "positional arguments", "options:", "optional arguments", "show this help"):
        assert english not in out, english
    assert "显示此帮助并退出" in out and "示例：" in out and "python -m ruian_desk check -w" in out
    r = _run("main.py", "check", "--help")
    assert r.stdout.startswith("用法：python main.py check ")
    assert "选项" in r.stdout and "usage:" not in r.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chek"], "无效的选择 chek"),
        (["check", "-w", "x.sqlite"], "缺少必需的参数：--year"),
        (["check", "-w", "x.sqlite", "--year", "二〇一九"], "参数 --year：二〇一九 不是整数"),
        (["--bogus"], "无法识别的参数：--bogus"),
        (["backup", "-w", "x", "--list", "--check"], "不能与参数 --list 同时使用"),
    ],
)
def test_usage_errors_are_one_chinese_line(args: list[str], expected: str, tmp_path: Path) -> None:
    r = _run("-m", "ruian_desk", *args, cwd=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], r.stderr
    assert lines[0].startswith("用法错误：") and "python -m ruian_desk" in lines[0]
    for english in ("invalid choice", "the following arguments", "unrecognized", "Traceback"):
        assert english not in r.stderr


def test_program_name() -> None:
    from ruian_desk.cli import program_name

    assert program_name("/opt/x/ruian-desk") == "ruian-desk"
    assert program_name(r"C:\\RuianDesk\\ruian-desk.exe".replace("\\\\", "/")) == "ruian-desk"
    assert program_name("/work/main/main.py") == "python main.py"
    assert program_name("/x/ruian_desk/__main__.py") == "python -m ruian_desk"


def test_entry_points_declared() -> None:
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # the CLI must be a console script (a gui-script prints nothing and returns at once on Windows)
    assert meta["scripts"] == {"ruian-desk": "ruian_desk.__main__:main"}
    assert meta["gui-scripts"] == {"ruian-desk-gui": "ruian_desk.__main__:main_gui"}


def test_gui_script_without_console_streams(tmp_path: Path) -> None:
    """pythonw gives the process no stdout/stderr: a command through the gui-script must not crash."""
    ws = tmp_path / "s.sqlite"
    code = (
        "import sys; sys.stdout = None; sys.stderr = None\n"
        "from ruian_desk.__main__ import main_gui\n"
        f"rc = main_gui(['sample', {str(ws)!r}])\n"
        "sys.__stdout__.write(f'rc={rc}')\n"
    )
    r = _run("-c", code, cwd=tmp_path)
    assert r.stdout == "rc=0", r.stderr
    assert ws.exists()
