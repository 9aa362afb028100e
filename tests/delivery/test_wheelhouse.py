"""The offline Windows package: the wheelhouse for win_amd64 (Python 3.11 and 3.12) resolves the app and
every dependency with no index at all, as `install.ps1` installs it on the clerk's PC."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "windows" / "build-wheelhouse.sh"


def _cache_dir() -> Path:
    """Keyed by the constraints and the dependency list, so a change downloads again (once)."""
    key = hashlib.sha256(
        (ROOT / "constraints.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()[:16]
    base = os.environ.get("RUIAN_WHEELHOUSE_CACHE") or Path.home() / ".cache" / "ruian-desk-tests"
    return Path(base) / f"offline-windows-{key}"


@pytest.fixture(scope="module")
def offline_package() -> Path:
    if shutil.which("bash") is None or sys.platform == "win32":
        pytest.skip("the wheelhouse script is a bash script (built on Linux/macOS)")
    out = _cache_dir()
    done = out / ".complete"
    if not done.exists():
        r = subprocess.run(
            ["bash", str(SCRIPT), str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            timeout=1800,
        )
        if r.returncode != 0:
            text = r.stderr + r.stdout
            offline = ("Could not fetch", "NewConnectionError", "Temporary failure", "Network is unreachable")
            if (
                any(s in text for s in offline)
                or "No matching distribution" in text
                and "from versions: none" in text
            ):
                pytest.skip(
                    f"PyPI is unreachable from here, the wheelhouse cannot be downloaded: {text[-300:]}"
                )
            pytest.fail(f"build-wheelhouse.sh failed:\n{text[-3000:]}")
        done.write_text("ok\n", encoding="utf-8")
    return out


def test_offline_package_contents(offline_package: Path) -> None:
    names = {p.name for p in (offline_package / "wheelhouse").iterdir()}
    assert any(n.startswith("ruian_desk-") for n in names)
    assert any(n.startswith("pyside6_essentials-") and "win_amd64" in n for n in names)
    for f in ("install.bat", "install.ps1", "constraints.txt", "README.txt"):
        assert (offline_package / f).is_file(), f
    # PowerShell 5.1 reads a script without a BOM in the ANSI code page: the Chinese messages need it.
    assert (offline_package / "install.ps1").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"--no-index" in (offline_package / "install.ps1").read_bytes()


@pytest.mark.parametrize("python_version", ["3.11", "3.12"])
def test_wheelhouse_resolves_offline_for_win_amd64(
    offline_package: Path, python_version: str, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--no-index",
            "--find-links",
            str(offline_package / "wheelhouse"),
            "-c",
            str(offline_package / "constraints.txt"),
            "--platform",
            "win_amd64",
            "--python-version",
            python_version,
            "--only-binary=:all:",
            "--target",
            str(tmp_path / "target"),
            "--report",
            str(report),
            "ruian-desk",
        ],
        capture_output=True,
        text=True,
        # Nothing but the wheelhouse: no pip configuration (this machine's adds find-links and indexes).
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PIP_")},
            "PIP_CONFIG_FILE": os.devnull,
        },
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    installed = {
        i["metadata"]["name"].lower().replace("_", "-") for i in json.loads(report.read_text())["install"]
    }
    for dist in (
        "ruian-desk",
        "pyside6-essentials",
        "sqlite-utils",
        "matplotlib",
        "python-docx",
        "openpyxl",
        "pdfplumber",
        "lxml",
        "charset-normalizer",
        "opencc-python-reimplemented",
    ):
        assert dist in installed, dist
