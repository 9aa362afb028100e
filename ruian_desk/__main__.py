"""`python -m ruian_desk` and the installed programs: `ruian-desk` (console: the command line, and the
window without a command) and `ruian-desk-gui` (the window, without a console on Windows)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ruian_desk.launch import gui_arguments


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (`ruian-desk …`), with one Chinese line instead of a traceback when a dependency
    is not installed."""
    from ruian_desk.app import missing_dependency_message, missing_headless_dependency, say_fatal

    # Before the command runs: a command would report a missing library as an internal error. (PySide6 is
    # looked for when the window starts: the headless commands work without it.)
    missing = missing_headless_dependency()
    if missing is not None:
        say_fatal(missing)
        return 2
    try:
        gui = gui_arguments(sys.argv[1:] if argv is None else list(argv))
        if gui is not None:  # the window alone: without the command line's parser (start-up budget)
            from ruian_desk.app import run_gui

            return run_gui(workspace=gui[0], sample=gui[1])
        from ruian_desk.cli import main as cli_main

        return cli_main(argv)
    except ImportError as exc:
        message = missing_dependency_message(exc)
        if message is None:
            raise
        say_fatal(message)
        return 2


def main_gui(argv: Sequence[str] | None = None) -> int:
    """`ruian-desk-gui [FILE | --workspace FILE | --sample]`: the window. Windows starts a gui-script
    without a console, so there is no stdout/stderr: anything printed would be lost (or fail), and a
    message that must be seen comes in a message box. A command given here still runs (its output
    discarded); use `ruian-desk` for the command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stderr is None or sys.stdout is None:
        from ruian_desk.app import set_no_console

        set_no_console()
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process
    if len(args) == 1 and not args[0].startswith("-"):
        args = ["--workspace", args[0]]  # a workspace file dropped on the shortcut or opened with the app
    return main(args)


if __name__ == "__main__":
    sys.exit(main())
