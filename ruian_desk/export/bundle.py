"""The export registry: one writer per format name, each writing atomically (temp file + rename)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruian_desk.export.view import ReportView

# A writer writes `target`; one that also writes files beside it (the charts format) returns those paths.
Writer = Callable[[ReportView, Path], Sequence[Path] | None]


class ExportError(Exception):
    """An export that could not be written; the message names the file and the reason (Chinese)."""


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    label: str
    writer: Writer


_REGISTRY: dict[str, ExportFormat] = {}


def register(name: str, extension: str, label: str) -> Callable[[Writer], Writer]:
    def inner(fn: Writer) -> Writer:
        _REGISTRY[name] = ExportFormat(name, extension, label, fn)
        return fn

    return inner


def formats() -> dict[str, ExportFormat]:
    _load_writers()
    return dict(_REGISTRY)


def _load_writers() -> None:
    import importlib

    for module in ("json_export", "docx", "pdf", "xlsx", "html", "charts_export"):
        name = f"ruian_desk.export.{module}"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temp file beside `target`, then rename it over `target`. Nothing partial is
    left behind when writing fails."""
    target = Path(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise ExportError(f"无法在 {target.parent} 中写入文件：{exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"无法写入 {target}：{exc.strerror or exc}（文件是否正被其他程序打开？）") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export_files(view: ReportView, names: list[str], out_dir: Path) -> list[Path]:
    """Write the report in each named format into `out_dir`; returns the files written."""
    available = formats()
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ExportError(f"未知的导出格式：{', '.join(unknown)}（可选 {', '.join(available)}）")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"无法创建输出文件夹 {out_dir}：{exc.strerror or exc}") from None
    written = []
    for name in names:
        fmt = available[name]
        target = out_dir / f"{view.file_stem}.{fmt.extension}"
        extra = fmt.writer(view, target)
        written.append(target)
        written.extend(Path(p) for p in extra or ())
    return written


def manifest(view: ReportView, files: list[Path]) -> dict[str, object]:
    import hashlib

    entries = []
    for f in files:
        data = f.read_bytes()
        entries.append({"file": f.name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
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


def export_bundle(view: ReportView, names: list[str], out_dir: Path) -> list[Path]:
    """The hand-over folder: each requested format plus `manifest.json`."""
    import json

    written = export_files(view, names, out_dir)
    target = Path(out_dir) / "manifest.json"
    text = json.dumps(manifest(view, written), ensure_ascii=False, indent=2) + "\n"
    atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [*written, target]
