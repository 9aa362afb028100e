"""What the program was started for, read before anything else is imported: the window alone (`--workspace
FILE`, `--sample`) starts without the command line's parser and its command modules (the window's start-up
budget, see `startup.py`)."""

from __future__ import annotations

from collections.abc import Sequence


def gui_arguments(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """(workspace, sample) when `argv` only starts the GUI — `--workspace FILE`, `-w FILE`,
    `--workspace=FILE`, `--sample` — read as `build_parser()` reads them; None for anything else (a command,
    help, an abbreviation, a mistake), which the full parser handles. Building that parser (ten commands,
    their help looked up through gettext) costs milliseconds of the GUI's start-up."""
    workspace: str | None = None
    sample = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--sample":
            sample = True
        elif arg in ("--workspace", "-w") and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            i += 1
            workspace = argv[i]
        elif arg.startswith("--workspace="):
            workspace = arg.split("=", 1)[1]
        else:
            return None
        i += 1
    return workspace, sample
