"""What every benchmark module shares: the bars, the run settings, fixtures cached for one run, fresh-process
probes, and the registry a module adds its figures to (`@figure(...)`)."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    limit: float
    unit: str


class Skip(Exception):
    """A figure that cannot be measured yet (a part of the app is missing); the message says which."""


@dataclass
class Settings:
    runs: int  # repetitions of the slower measurements (median taken)
    edits: int  # cell edits timed for the p95
    scale: float  # 1.0: the sizes of the bars; the smoke test uses a tiny fraction
    work: Path

    def n(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))


Measure = Callable[[Settings, "Fixtures", dict[str, str]], float]

# The registry: every figure in the order it is printed. A module registers its figures when imported
# (`benchmarks/figures.py` imports them all).
BARS: list[Bar] = []
MEASURES: dict[str, Measure] = {}


def figure(key: str, label: str, limit: float, unit: str) -> Callable[[Measure], Measure]:
    """Register a measurement: `fn(settings, fixtures, notes) -> value`; it writes `notes[key]` (what the
    figure includes) and raises `Skip` when the part of the app it needs is not there."""

    def inner(fn: Measure) -> Measure:
        if key in MEASURES:
            raise ValueError(f"benchmark figure {key} registered twice")
        BARS.append(Bar(key, label, limit, unit))
        MEASURES[key] = fn
        return fn

    return inner


def env(home: Path) -> dict[str, str]:
    out = dict(os.environ)
    out.update(
        QT_QPA_PLATFORM="offscreen",
        RUIAN_DESK_HOME=str(home),
        MPLBACKEND="Agg",
        PYTHONPATH=str(ROOT) + os.pathsep + out.get("PYTHONPATH", ""),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return out


def probe(s: Settings, name: str, args: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
    """One measurement in a fresh process (`benchmarks/probe.py`): its JSON result."""
    r = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", name, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env(s.work / "home"),
        timeout=timeout,
    )
    for line in r.stdout.splitlines():
        if line.startswith("PROBE-RESULT "):
            return json.loads(line[len("PROBE-RESULT ") :])
    tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
    raise RuntimeError(f"probe {name} failed (exit {r.returncode}): {' | '.join(tail)}")


def has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


class Fixtures:
    """Workspaces built once per run, on demand, in the run's temporary folder (every figure that needs
    the same size reuses the file; measurements that write work on a copy)."""

    def __init__(self, s: Settings):
        self.s = s
        self._cache: dict[str, Path] = {}
        self.built: dict[str, float] = {}  # key → seconds it took to generate

    def _get(self, key: str, build: Callable[[Path], Path]) -> Path:
        if key not in self._cache:
            folder = self.s.work / "fixtures" / key
            folder.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            self._cache[key] = build(folder / "workspace.sqlite")
            self.built[key] = time.perf_counter() - start
        return self._cache[key]

    def sample(self) -> Path:
        from benchmarks.fixtures import sample_workspace

        return self._get("sample", sample_workspace)

    def units(self, n: int) -> Path:
        """The sample grown to `n` units (one year, 2019: balanced tables, the sample's texts)."""
        from benchmarks.fixtures import grown_sample

        return self._get(f"units{n}", lambda p: grown_sample(p, n))

    def years(self, years: int, units: int) -> Path:
        """`years` years × `units` units + the main organ, whose 表三/表四 roll up in every year."""
        from benchmarks.fixtures import many_years

        return self._get(f"y{years}u{units}", lambda p: many_years(p, years, units))

    def copy(self, source: Path, name: str) -> Path:
        target = self.s.work / "copies" / name / source.name
        if target.parent.exists():
            shutil.rmtree(target.parent)
        target.parent.mkdir(parents=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        src.backup(dst)
        src.close()
        dst.close()
        return target


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        qt = f", PySide6 {version('PySide6-Essentials')}"
    except Exception:  # noqa: BLE001 - not installed under that name
        qt = ""
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        one, five, _ = os.getloadavg()
        load = f", load average {one:.1f} (1 min) / {five:.1f} (5 min)"
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{qt}{load}"
    )
