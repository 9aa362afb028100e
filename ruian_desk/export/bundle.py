"""The export registry: one writer per format name, each writing atomically (temp file + rename)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ruian_desk.export.common import chart_images
from ruian_desk.export.registry import _REGISTRY, ExportError, ExportFormat
from ruian_desk.export.view import ReportView
from ruian_desk.fileio import atomic_write, os_error_text

_ORDER = ("docx", "pdf", "xlsx", "html", "json", "charts")
# The formats that hold the chart images the export options ask for.
CHART_DOCUMENTS = frozenset({"docx", "pdf", "html"})


def formats() -> dict[str, ExportFormat]:
    """Every registered format, in the order offered to the clerk (not the order modules were imported)."""
    _load_writers()
    rank = {name: i for i, name in enumerate(_ORDER)}
    return dict(sorted(_REGISTRY.items(), key=lambda item: rank.get(item[0], len(rank))))


def _load_writers() -> None:
    """Each writer registers itself when imported. Plain imports: a writer that is missing fails loudly here
    instead of an export that silently leaves out a format."""
    from ruian_desk.export import charts_export, docx, html, json_export, pdf, xlsx  # noqa: F401


Progress = Callable[[int, int, str], None]  # (done, total, what is being written)


def export_files(
    view: ReportView, names: list[str], out_dir: Path, progress: Progress | None = None
) -> list[Path]:
    """Write the report in each named format into `out_dir`; returns the files written.

    All or nothing: every file is first written into a private folder inside `out_dir`, and only when all
    of them are complete are they moved into place (older versions are restored if a move fails, e.g. a
    file held open by Word). A read-only or locked folder raises ExportError and leaves nothing behind.
    """
    return _export(view, names, Path(out_dir), with_manifest=False, progress=progress)


def export_bundle(
    view: ReportView, names: list[str], out_dir: Path, progress: Progress | None = None
) -> list[Path]:
    """The hand-over folder: each requested format plus `manifest.json`."""
    return _export(view, names, Path(out_dir), with_manifest=True, progress=progress)


def _export(
    view: ReportView, names: list[str], out_dir: Path, with_manifest: bool, progress: Progress | None
) -> list[Path]:
    import shutil

    available = formats()
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ExportError(f"未知的导出格式：{', '.join(unknown)}（可选 {', '.join(available)}）")
    names = list(dict.fromkeys(names))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"无法创建输出文件夹 {out_dir}：{os_error_text(exc)}") from None
    _remove_stale_stages(out_dir)
    try:
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out_dir))
    except OSError as exc:
        raise ExportError(f"无法写入文件夹 {out_dir}：{os_error_text(exc)}") from None
    # The chart images of the documents are drawn first, as a step of their own (they are most of the work
    # of an export with charts: the bar would otherwise stay at 0 % while the first document draws them).
    draws = int(bool(CHART_DOCUMENTS & set(names)) and (view.options.charts or view.options.tujie))
    total = len(names) + (1 if with_manifest else 0) + (1 if draws else 0)
    try:
        produced: list[Path] = []
        if draws:
            if progress is not None:
                progress(0, total, "绘制图表")
            chart_images(view)
        for i, name in enumerate(names):
            fmt = available[name]
            if progress is not None:
                progress(i + draws, total, fmt.label)
            before = set(_files_under(stage))
            target = stage / f"{view.file_stem}.{fmt.extension}"
            extra = fmt.writer(view, target)
            new = set(_files_under(stage)) - before
            # The format's own file first, then the extra files in the writer's order (charts: one per chart).
            ordered = [p for p in (target, *(Path(e) for e in extra or ())) if p in new]
            produced += ordered + sorted(new - set(ordered))
        if with_manifest:
            if progress is not None:
                progress(len(names) + draws, total, "manifest.json")
            doc = manifest(view, produced, root=stage)
            text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            target = stage / "manifest.json"
            atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            produced.append(target)
        written = _publish(stage, out_dir, produced)
        if progress is not None:
            progress(total, total, "完成")
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)


STAGE_PREFIX = ".~export-"
_STALE_AFTER_S = 24 * 3600


def _remove_stale_stages(out_dir: Path) -> None:
    """Staging folders left by an export that was killed half-way (a day old: never a running one)."""
    import shutil
    import time

    try:
        candidates = list(out_dir.glob(STAGE_PREFIX + "*"))
    except OSError:
        return
    for folder in candidates:
        with contextlib.suppress(OSError):
            if folder.is_dir() and time.time() - folder.stat().st_mtime > _STALE_AFTER_S:
                shutil.rmtree(folder, ignore_errors=True)


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".~")]


def _publish(stage: Path, out_dir: Path, files: list[Path]) -> list[Path]:
    """Move the staged files into `out_dir`; on any failure put back what was there before."""
    old = stage / ".~previous"
    moved: list[tuple[Path, Path | None]] = []
    made_dirs: list[Path] = []
    written: list[Path] = []
    current = out_dir
    try:
        for src in files:
            rel = src.relative_to(stage)
            target = out_dir / rel
            current = target
            for parent in reversed(rel.parents[:-1]):
                folder = out_dir / parent
                if not folder.exists():
                    folder.mkdir()
                    made_dirs.append(folder)
            backup: Path | None = None
            if target.exists():
                backup = old / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)  # fails on Windows while another program holds the file
            moved.append((target, backup))
            os.replace(src, target)
            written.append(target)
    except OSError as exc:
        for target, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup is not None and backup.exists():
                    os.replace(backup, target)
                elif target.exists():
                    target.unlink()
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise ExportError(
            f"无法写入 {current}：{os_error_text(exc)}。未导出任何文件，原有文件保持不变。"
        ) from None
    return written


def manifest(view: ReportView, files: list[Path], root: Path | None = None) -> dict[str, object]:
    import hashlib

    entries = []
    for f in files:
        data = f.read_bytes()
        name = f.relative_to(root).as_posix() if root is not None else f.name
        entries.append({"file": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    r = view.report
    return {
        "schema": "ruian-desk/export-manifest@1",
        "generated_at": view.generated_at,
        "workspace": view.workspace,
        "report": {"unit": r.unit, "year": r.year, "format": r.format_id, "title": r.title},
        "checks": view.counts,
        "sample_data": view.is_sample,
        "sample_note": view.sample_note,
        "files": entries,
    }
