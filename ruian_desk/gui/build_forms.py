"""Compile the Qt Designer sources in `ui/` into `ruian_desk/gui/forms/ui_*.py` (output is committed).

`python -m ruian_desk.gui.build_forms` regenerates every form; `--check` only reports stale or missing ones
(exit 1), which is what the test suite runs.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "ui"
FORMS_DIR = Path(__file__).resolve().parent / "forms"


def uic_command() -> list[str]:
    """pyside6-uic of the running interpreter's environment (the same Qt that runs the app)."""
    beside = Path(sys.executable).parent / ("pyside6-uic.exe" if sys.platform == "win32" else "pyside6-uic")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-uic")
    if found:
        return [found]
    import PySide6

    qt = Path(PySide6.__file__).parent
    for candidate in (qt / "Qt" / "libexec" / "uic", qt / "uic.exe", qt / "uic"):
        if candidate.exists():
            return [str(candidate), "-g", "python"]
    raise FileNotFoundError("pyside6-uic not found: install PySide6-Essentials into this environment")


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def compile_form(ui_file: Path, output: Path) -> None:
    subprocess.run([*uic_command(), str(ui_file), "-o", str(output)], check=True, capture_output=True)
    output.write_text(prune_imports(output.read_text(encoding="utf-8")), encoding="utf-8")


def prune_imports(source: str) -> str:
    """uic imports every Qt class a form could need (gradients, palettes, dates …); PySide6 builds a class
    and all its enums the first time its name is imported, a few milliseconds of start-up for the main
    window's form. Keep only the names the form's code uses."""
    tree = ast.parse(source)
    imports = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6.")
    ]
    used = {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    lines = source.splitlines(keepends=True)
    for node in reversed(imports):  # from the bottom, so earlier line numbers stay valid
        names = [a.name for a in node.names if (a.asname or a.name) in used]
        text = _import_text(str(node.module), names)
        assert node.end_lineno is not None
        lines[node.lineno - 1 : node.end_lineno] = [text] if text else []
    return "".join(lines)


def _import_text(module: str, names: list[str]) -> str:
    """`from module import (A, B,` … wrapped as uic wraps it; "" for no names."""
    if not names:
        return ""
    if len(names) == 1:
        return f"from {module} import {names[0]}\n"
    rows = [", ".join(names[i : i + 4]) for i in range(0, len(names), 4)]
    return f"from {module} import (" + ",\n    ".join(rows) + ")\n"


def ui_files() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def _normalized(path: Path) -> list[str]:
    """The generated code without the header line naming the uic version (6.11 and 6.12 compile alike)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("## Created by: Qt User Interface Compiler")]


def stale_forms() -> list[str]:
    """Names of forms whose committed Python differs from a fresh compile of their .ui source."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for ui in ui_files():
            fresh = Path(tmp) / target_for(ui).name
            compile_form(ui, fresh)
            committed = target_for(ui)
            if not committed.exists() or _normalized(committed) != _normalized(fresh):
                stale.append(committed.name)
    return stale


def build_all() -> list[Path]:
    FORMS_DIR.mkdir(exist_ok=True)
    init = FORMS_DIR / "__init__.py"
    if not init.exists():
        init.write_text(
            '"""Generated from ui/*.ui by `python -m ruian_desk.gui.build_forms`; do not edit."""\n'
        )
    written = []
    for ui in ui_files():
        compile_form(ui, target_for(ui))
        written.append(target_for(ui))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile ui/*.ui into ruian_desk/gui/forms/")
    parser.add_argument("--check", action="store_true", help="only report stale forms (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_forms()
        for name in stale:
            print(f"stale: {name} (run python -m ruian_desk.gui.build_forms)")
        return 1 if stale else 0
    for path in build_all():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
