"""The bundle's start script: `ruian-desk` (console: the command line) or `ruian-desk-gui` (the window,
no console on Windows) — one folder, two programs, told apart by their name."""

import sys
from pathlib import Path

from ruian_desk.__main__ import main, main_gui

if __name__ == "__main__":
    gui = Path(sys.executable).stem.lower().endswith("-gui")
    sys.exit(main_gui() if gui else main())
