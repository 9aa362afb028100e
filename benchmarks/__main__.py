"""`python -m benchmarks [--json] [--quick]`: measure the bars and print them against the bars.

The figures live in the `figures_*` modules, registered through `benchmarks/figures.py`; fixtures and the
fresh-process probes in `core.py`, `fixtures.py`, `probe.py`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.core import BARS, MEASURES, Fixtures, Settings, Skip, machine  # noqa: E402
from benchmarks.figures import keys  # noqa: E402


def run(
    s: Settings, only: list[str] | None = None, log: Callable[[str], None] | None = None
) -> dict[str, Any]:
    fx = Fixtures(s)
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key in keys():
        if only and key not in only:
            figures[key] = None
            notes[key] = "not run (--only)"
            continue
        if log:
            log(f"measuring {key} …")
        start = time.perf_counter()
        try:
            figures[key] = round(MEASURES[key](s, fx, notes), 4)
        except Skip as exc:
            figures[key] = None
            notes[key] = f"not measured: {exc}"
        except Exception as exc:  # noqa: BLE001 - one broken measurement must not hide the others
            figures[key] = None
            notes[key] = f"failed: {type(exc).__name__}: {exc}"[:400]
        if log:
            log(f"  {key}: {figures[key]} ({time.perf_counter() - start:.1f} s)")
    if fx.built:
        notes["fixtures"] = "generated: " + ", ".join(f"{k} {v:.1f} s" for k, v in fx.built.items())
    return {**figures, "notes": notes}


def table(result: dict[str, Any]) -> str:
    by_key = {b.key: b for b in BARS}
    lines = [f"{'figure':<24} {'measured':>10} {'bar':>10}  verdict  what", "-" * 100]
    for key in keys():
        b = by_key[key]
        value = result.get(key)
        if value is None:
            shown, verdict = "—", "n/a"
        else:
            shown = f"{value:.2f}" if b.unit != "ms" else f"{value:.1f}"
            verdict = "ok" if value <= b.limit else "OVER"
        bar = "≤ " + format(b.limit, "g") + " " + b.unit
        lines.append(f"{key:<24} {shown + ' ' + b.unit:>10} {bar:>10}  {verdict:<7}  {b.label}")
    lines.append("")
    for key, note in result.get("notes", {}).items():
        lines.append(f"  {key}: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--json", action="store_true", help="print one JSON object (the figures + notes)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a rough reading)")
    p.add_argument(
        "--scale", type=float, default=1.0, help=argparse.SUPPRESS
    )  # tiny sizes for the smoke test
    p.add_argument("--only", help="comma-separated figure keys")
    p.add_argument("--keep", action="store_true", help="keep the temporary workspaces (path printed)")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ruian-bench-"))
    (work / "home").mkdir()
    os.environ["RUIAN_DESK_HOME"] = str(work / "home")  # never the user's real data folder
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    s = Settings(runs=3 if args.quick else 5, edits=60 if args.quick else 200, scale=args.scale, work=work)
    if args.scale < 1:
        s = Settings(runs=1, edits=5, scale=args.scale, work=work)
    only = [k.strip() for k in args.only.split(",")] if args.only else None
    log = None if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    start = time.perf_counter()
    try:
        result = run(s, only, log)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["notes"]["machine"] = machine()
    result["notes"]["total"] = f"{time.perf_counter() - start:.0f} s"
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(table(result))
        if args.keep:
            print(f"\nworkspaces kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
