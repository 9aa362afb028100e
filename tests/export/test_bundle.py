"""The export bundle: CLI, manifest, all-or-nothing writes (read-only folder, locked file, failures), options."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import types
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from ruian_desk.export import bundle
from ruian_desk.export.bundle import ExportError, export_bundle, export_files
from ruian_desk.export.view import ExportOptions, ReportView, safe_file_name
from tests.conftest import run_cli

STEM = "瑞安市人民政府2019年政府信息公开工作年度报告"
ALL = ["docx", "pdf", "xlsx", "html", "json"]


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_cli_exports_every_format_with_manifest(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_cli(
        "export", "-w", str(sample_path), "--year", "2019", "--format", ",".join(ALL), "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    expected = sorted([f"{STEM}.{ext}" for ext in ALL] + ["manifest.json"])
    assert _listing(out) == expected  # nothing else: no temp files, no staging folder
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == "ruian-desk/export-manifest@1"
    assert manifest["report"] == {
        "unit": "瑞安市人民政府",
        "year": 2019,
        "format": "gov-2019",
        "title": STEM,
    }
    assert manifest["sample_data"] is True and "示例数据" in manifest["sample_note"]
    checked = json.loads(run_cli("check", "-w", str(sample_path), "--year", "2019", "--json").stdout)
    assert manifest["checks"] == checked["counts"] and manifest["checks"]["error"] == 0
    assert manifest["workspace"] == str(sample_path.resolve())
    assert [f["file"] for f in manifest["files"]] == [f"{STEM}.{ext}" for ext in ALL]
    for entry in manifest["files"]:
        data = (out / entry["file"]).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    umask = os.umask(0)
    os.umask(umask)
    for name in expected:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~umask
    assert [line for line in r.stdout.splitlines() if line] == [
        str(out / n) for n in [*manifest_names(manifest)]
    ]


def manifest_names(manifest: dict) -> list[str]:
    return [f["file"] for f in manifest["files"]] + ["manifest.json"]


def test_cli_headless_without_display(sample_path: Path, tmp_path: Path) -> None:
    """No DISPLAY, no QT_QPA_PLATFORM: the PDF export still runs (offscreen) and the process exits 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run(
        [sys.executable, str(root / "main.py"), "export", "-w", str(sample_path), "--year", "2019"]
        + ["--format", "pdf", "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / f"{STEM}.pdf").read_bytes().startswith(b"%PDF")


def test_cli_errors_need_allow_errors(ws2021_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    check = run_cli("check", "-w", str(ws2021_path), "--year", "2021", "--json")
    errors = json.loads(check.stdout)["counts"]["error"]
    assert errors > 0  # the distinct test numbers break the sums
    r = run_cli(
        "export", "-w", str(ws2021_path), "--year", "2021", "--format", "docx,html", "--out", str(out)
    )
    assert r.returncode == 1 and "--allow-errors" in r.stderr
    assert not out.exists() or _listing(out) == []
    r = run_cli(
        "export", "-w", str(ws2021_path), "--year", "2021", "--format", "docx,html", "--out", str(out),
        "--allow-errors", "--no-signature",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    stem = "瑞安市测试局2021年政府信息公开工作年度报告"
    assert _listing(out) == sorted([f"{stem}.docx", f"{stem}.html", "manifest.json"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["error"] == errors and manifest["sample_data"] is False
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert 'class="signature"' not in html


def _immutable(folder: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    r = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if r.returncode != 0:
        return False
    try:
        (folder / "probe").write_text("x")
    except OSError:
        return True
    (folder / "probe").unlink()
    subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    return False


def test_read_only_folder_fails_cleanly(sample_view: ReportView, sample_path: Path, tmp_path: Path) -> None:
    """A folder nobody may write to (made immutable: as root, chmod alone would not stop the writes)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if not _immutable(folder):
        pytest.skip("cannot make a folder unwritable here (chattr +i unavailable or not permitted)")
    try:
        with pytest.raises(ExportError) as err:
            export_bundle(sample_view, ALL, folder)
        assert str(folder) in str(err.value) and "没有写入权限" in str(err.value)
        assert _listing(folder) == []
        r = run_cli(
            "export", "-w", str(sample_path), "--year", "2019", "--format", "docx,pdf", "--out", str(folder)
        )
        assert r.returncode == 2 and "无法写入文件夹" in r.stderr and "Traceback" not in r.stderr
        assert _listing(folder) == []
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)


def test_permission_error_on_folder_is_reported(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(bundle.tempfile, "mkdtemp", refuse)
    with pytest.raises(ExportError, match="无法写入文件夹.*没有写入权限"):
        export_files(sample_view, ["html"], tmp_path)
    assert _listing(tmp_path) == []


def test_locked_target_restores_previous_files(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Word holds the old PDF open: the move over it fails; every earlier file is put back as it was."""
    old = {f"{STEM}.docx": b"old docx", f"{STEM}.pdf": b"old pdf", "notes.txt": b"mine"}
    for name, data in old.items():
        (tmp_path / name).write_bytes(data)
    real_replace = os.replace

    def replace_locked(src: object, dst: object) -> None:
        if Path(str(src)) == tmp_path / f"{STEM}.pdf":  # moving the old PDF aside = the lock bites
            raise PermissionError(errno.EACCES, "being used by another process")
        real_replace(src, dst)

    monkeypatch.setattr(bundle.os, "replace", replace_locked)
    with pytest.raises(ExportError) as err:
        export_bundle(sample_view, ALL, tmp_path)
    assert f"{STEM}.pdf" in str(err.value) and "原有文件保持不变" in str(err.value)
    assert _listing(tmp_path) == sorted(old)
    for name, data in old.items():
        assert (tmp_path / name).read_bytes() == data


def test_failure_in_a_writer_leaves_nothing(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    formats = bundle.formats()

    def disk_full(view: ReportView, target: Path) -> None:
        def write(tmp: Path) -> None:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")

        bundle.atomic_write(target, write)

    monkeypatch.setitem(bundle._REGISTRY, "xlsx", replace(formats["xlsx"], writer=disk_full))
    with pytest.raises(ExportError, match="磁盘空间不足"):
        export_bundle(sample_view, ALL, tmp_path)
    assert _listing(tmp_path) == []

    def crash(view: ReportView, target: Path) -> None:
        target.write_bytes(b"half")
        raise RuntimeError("boom")

    monkeypatch.setitem(bundle._REGISTRY, "xlsx", replace(formats["xlsx"], writer=crash))
    with pytest.raises(RuntimeError):
        export_bundle(sample_view, ALL, tmp_path)
    assert _listing(tmp_path) == []


def test_re_export_replaces_files(sample_view: ReportView, tmp_path: Path) -> None:
    (tmp_path / f"{STEM}.html").write_text("old", encoding="utf-8")
    written = export_files(sample_view, ["html", "html"], tmp_path)
    assert written == [tmp_path / f"{STEM}.html"]
    assert (tmp_path / f"{STEM}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert _listing(tmp_path) == [f"{STEM}.html"]


def test_progress_is_reported(sample_view: ReportView, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    export_bundle(sample_view, ["docx", "html"], tmp_path, progress=lambda d, t, w: seen.append((d, t, w)))
    assert seen[0] == (0, 3, "Word 文档（DOCX）") and seen[-1] == (3, 3, "完成")


def test_unknown_format(sample_view: ReportView, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="未知的导出格式：doc"):
        export_files(sample_view, ["doc"], tmp_path)


@pytest.mark.parametrize("name,stem", [("a/b:c*?", "a_b_c__"), ("单位<1>|", "单位_1__"), ("..", "_")])
def test_unit_names_make_safe_file_names(name: str, stem: str) -> None:
    assert safe_file_name(name) == stem


def _png(width: int = 4, height: int = 3) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


@pytest.fixture
def fake_charts(monkeypatch):  # noqa: ANN001, ANN201
    """ruian_desk.charts.render with its drawing replaced by small PNGs (fast, no matplotlib)."""
    from ruian_desk.charts import render

    chart = types.SimpleNamespace(name="applicants", title="申请人类型", png=_png())
    monkeypatch.setattr(render, "render_report_charts", lambda inputs, titled=True: [chart])
    monkeypatch.setattr(render, "render_tujie_page", lambda inputs, fmt="png": _png(8, 10))
    return render


def test_charts_included_when_asked_and_available(
    sample_view: ReportView, tmp_path: Path, fake_charts
) -> None:  # noqa: ANN001
    import docx
    from pypdf import PdfReader

    view = replace(sample_view, options=ExportOptions(charts=True, tujie=True))
    export_files(view, ["docx", "pdf", "html"], tmp_path)
    d = docx.Document(str(tmp_path / f"{STEM}.docx"))
    assert len(d.inline_shapes) == 1  # each chart once; the 图解 page (the same charts) is a file of its own
    assert any(p.text == "申请人类型" for p in d.paragraphs)
    assert any(p.text == "附：图解" for p in d.paragraphs)
    html = (tmp_path / f"{STEM}.html").read_text(encoding="utf-8")
    # the image a file beside the page, its caption a paragraph
    assert html.count('<img src="') == 1 and ">申请人类型</p>" in html and "base64" not in html
    reader = PdfReader(str(tmp_path / f"{STEM}.pdf"))
    images = sum(len(p.images) for p in reader.pages)
    assert images == 1
    assert "附：图解" in reader.pages[-1].extract_text() or any(
        "附：图解" in p.extract_text() for p in reader.pages
    )


def test_charts_drawn_once_as_the_first_step(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """An export with charts: the images are drawn once for DOCX, PDF and HTML together, as a progress step of
    their own before the first document (the bar does not stay at 0 % while they are drawn)."""
    from ruian_desk.charts import render

    drawn: list[int] = []
    chart = types.SimpleNamespace(name="applicants", title="申请人类型", png=_png())

    def draw(inputs, titled=True):  # noqa: ANN001, ANN202
        drawn.append(1)
        return [chart]

    monkeypatch.setattr(render, "render_report_charts", draw)
    steps: list[tuple[int, int, str]] = []
    view = replace(sample_view, options=ExportOptions(charts=True))
    export_bundle(view, ["docx", "pdf", "html"], tmp_path, lambda d, t, label: steps.append((d, t, label)))
    assert len(drawn) == 1
    assert steps[0] == (0, 5, "绘制图表")
    assert [d for d, _, _ in steps] == [0, 1, 2, 3, 4, 5] and steps[-1][2] == "完成"
    # Without charts there is no such step.
    steps.clear()
    export_bundle(sample_view, ["docx"], tmp_path / "plain", lambda d, t, label: steps.append((d, t, label)))
    assert [label for _, _, label in steps][:1] != ["绘制图表"] and steps[0][:2] == (0, 2)


def test_a_missing_chart_renderer_fails_loudly(sample_view: ReportView, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Charts asked for and the renderer missing (a build without it): the export fails and writes nothing,
    instead of handing over documents silently without their charts."""
    monkeypatch.setitem(sys.modules, "ruian_desk.charts.render", None)  # import fails: module absent
    view = replace(sample_view, options=ExportOptions(charts=True, tujie=True))
    with pytest.raises(ImportError):
        export_files(view, ["docx", "html"], tmp_path)
    assert _listing(tmp_path) == []
    # charts not asked for: the renderer is not needed
    export_files(sample_view, ["html"], tmp_path)
    assert _listing(tmp_path) == [f"{STEM}.html"]


def test_charts_not_added_unless_asked(sample_view: ReportView, tmp_path: Path, fake_charts) -> None:  # noqa: ANN001
    export_files(sample_view, ["html"], tmp_path)
    assert "data:image" not in (tmp_path / f"{STEM}.html").read_text(encoding="utf-8")


def test_stale_staging_folder_of_a_killed_export_is_removed(sample_view: ReportView, tmp_path: Path) -> None:
    import time

    stale = tmp_path / f"{bundle.STAGE_PREFIX}dead"
    stale.mkdir()
    (stale / "half.docx").write_bytes(b"half")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / f"{bundle.STAGE_PREFIX}running"
    fresh.mkdir()
    export_files(sample_view, ["json"], tmp_path)
    assert not stale.exists() and fresh.exists()
    assert _listing(tmp_path) == sorted([fresh.name, f"{STEM}.json"])
