"""What every command handler shares (`cli.py` and `cli_publish.py`): the exit codes, the usage error, and
opening the workspace the way a command should (writers lock it, readers open it read-only)."""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_FOUND_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2 with this one-line message."""


def open_for(path: str, create: bool = False, readonly: bool = False):  # noqa: ANN202 - Workspace, lazily
    """Writers take the single-writer lock (refused with the holder's name while the GUI has the file);
    readers open read-only, so `check` and `export` work beside the GUI and in read-only folders."""
    from ruian_desk.storage.workspace import WorkspaceError, open_workspace

    if readonly:
        try:
            ws = open_workspace(Path(path), readonly=True)
            OPENED.append(ws)
            return ws
        except WorkspaceError as exc:
            if exc.kind != "upgrade":
                raise
            # Made by an older version: upgrading needs a writer (which backs the file up first).
    ws = open_workspace(Path(path), create=create)
    OPENED.append(ws)
    return ws


OPENED: list = []  # the workspaces this command opened, whose notes are printed as warnings at the end
