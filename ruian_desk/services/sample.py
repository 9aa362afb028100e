"""The 瑞安市人民政府 2019 sample workspace written to a file (打开示例, `sample [--force]`): the existing file backed
up and removed first when replacing is asked for, the sample written in one transaction, its digest stored."""

from __future__ import annotations

from pathlib import Path

from ruian_desk.exchange.sample import clear_for_sample, read_sample, seal_sample, write_sample
from ruian_desk.storage.workspace import Workspace, open_workspace


def build_sample(path: str | Path, force: bool = False, backed_up: list[Path] | None = None) -> Workspace:
    """Write the sample workspace to `path` (refusing to overwrite an existing file unless `force`). With
    `force`, an existing file is backed up first (verified, into its backup folder; its path appended to
    `backed_up`) — unless it is an untouched sample — and only then replaced."""
    path = Path(path)
    clear_for_sample(path, force, backed_up)
    main_report, units = read_sample()
    ws = open_workspace(path, create=True)
    with ws.repo.atomic():
        write_sample(ws.repo, main_report, units)
    seal_sample(ws)
    return ws
