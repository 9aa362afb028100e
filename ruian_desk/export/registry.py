"""The export formats: one writer per format name. Each writer module registers itself (`@register`) when
`bundle.formats()` imports it; this module sits below both, so a writer never imports the bundle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruian_desk.export.view import ReportView
from ruian_desk.fileio import WriteError

# A writer writes `target`; one that also writes files beside it (the charts format) returns those paths.
Writer = Callable[[ReportView, Path], Sequence[Path] | None]


# An export that could not be written; the message names the file and the reason (Chinese). The same error
# as every other file the app writes (`fileio.atomic_write` raises it).
ExportError = WriteError


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
