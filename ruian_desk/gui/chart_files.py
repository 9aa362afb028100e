"""Saving charts from the 汇总图表 page: the file written off the GUI thread, its error worded, the format
taken from the suffix (or from the dialog's filter when the clerk typed none)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path


def write_chart(render: Callable[[], bytes], target: Path) -> str:
    """Renders and writes one file (off the GUI thread); it gets plain data only (no widgets, no database)."""
    from ruian_desk.export.bundle import atomic_write

    data = render()

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    atomic_write(target, write)
    return str(target)


def describe_save_error(target: Path) -> Callable[[Exception], str]:
    def describe(exc: Exception) -> str:
        from ruian_desk.export.bundle import ExportError

        if isinstance(exc, ExportError):
            return str(exc)
        return f"无法生成 {target.name}：{exc}"  # any drawing failure is reported, never lost in a thread

    return describe


def format_of(path: Path, allowed: Sequence[str]) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise ValueError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}，可选：{'、'.join(allowed)}")
    return fmt


def with_suffix(path: str, selected_filter: str, suffixes: dict[str, str]) -> str:
    """The dialog's file name with the suffix of the chosen filter when the user typed none."""
    if Path(path).suffix.lower() in suffixes.values():
        return path
    for word, suffix in suffixes.items():
        if word in selected_filter:
            return path + suffix
    return path
