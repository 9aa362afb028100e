"""`python main.py snapshot`: every main view of the sample as a PNG, readable size, not blank."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_snapshot_of_the_sample(sample_path: Path, tmp_path: Path) -> None:
    import hashlib

    from PySide6.QtGui import QImage

    before = hashlib.sha256(sample_path.read_bytes()).hexdigest()
    out = tmp_path / "shots"
    r = run_cli("snapshot", "-w", str(sample_path), "--out", str(out), timeout=300)
    assert r.returncode == 0, r.stderr
    names = {line.split("\t")[0].rsplit("/", 1)[-1] for line in r.stdout.splitlines()}
    expected = {
        "00-start.png", "01-title-intro.png", "02-p1-general.png", "03-p2-table2.png", "04-p3-table3.png",
        "05-p4-table4.png", "06-p5-problems.png", "07-p6-other.png", "08-signature.png", "10-metrics.png",
        "12-checks.png",
    }  # fmt: skip
    assert expected <= names
    assert {p.name for p in out.glob("*.png")} == names
    for name in names:
        image = QImage(str(out / name))
        assert image.width() >= 1280 and image.height() >= 800, name
        # Not an empty canvas: many distinct colours (text, grid lines, banners).
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, name
    # 表三 is shown whole: the window grew for its 26 rows.
    assert QImage(str(out / "04-p3-table3.png")).height() > 900
    # The workspace was not written to (the snapshot works on a copy).
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == before
    wal = Path(str(sample_path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # a reader may create it, never fill it


def test_snapshot_of_a_missing_workspace_is_a_one_line_error(tmp_path: Path) -> None:
    r = run_cli("snapshot", "-w", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "工作区文件不存在" in r.stderr and "Traceback" not in r.stderr
