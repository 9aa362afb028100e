"""The files an import takes from the paths the clerk gave: files as named, folders by their suffixes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path


def collect_files(
    paths: Iterable[str | Path], suffixes: Collection[str], none_found: str
) -> tuple[list[Path], list[str]]:
    """Files from files and folders (a folder's files with one of `suffixes`, not recursive; Office lock files
    `~$…` and hidden files skipped), each once. Returns (files, problems with the paths given);
    `none_found` is the message for a folder with nothing to take ("{path}" is filled in)."""
    files: list[Path] = []
    problems: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f
                for f in path.iterdir()
                if f.is_file() and f.suffix.lower() in suffixes and not f.name.startswith(("~$", "."))
            )
            if not found:
                problems.append(none_found.format(path=path))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"文件不存在：{path}")
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems
