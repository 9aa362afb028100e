"""STYLE.md §1: domain and storage never import Qt; headless commands do not start Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_domain_and_storage_import_no_qt() -> None:
    r = _run(
        "import ruian_desk.domain, ruian_desk.storage, sys\n"
        "import ruian_desk.domain.formats, ruian_desk.domain.report, ruian_desk.domain.rules, ruian_desk.domain.layout\n"
        "import ruian_desk.storage.workspace, ruian_desk.storage.repository, ruian_desk.storage.assemble\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad"
    )
    assert r.returncode == 0, r.stderr


def test_cli_check_does_not_load_qt_or_heavy_libraries(sample_path: Path) -> None:
    r = _run(
        "import sys\n"
        "from ruian_desk.cli import main\n"
        f"rc = main(['check', '-w', {str(sample_path)!r}, '--year', '2019', '--json'])\n"
        "heavy = [m for m in ('PySide6', 'matplotlib', 'docx', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    assert r.returncode == 0, r.stderr


def test_sql_only_in_storage() -> None:
    offenders = []
    for path in (ROOT / "ruian_desk").rglob("*.py"):
        if path.relative_to(ROOT / "ruian_desk").parts[0] == "storage" or "forms" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", ".execute("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders
