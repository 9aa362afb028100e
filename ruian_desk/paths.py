"""Where the app finds its bundled resources and where it keeps the user's workspace."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "RuianDesk"
SAMPLE_FILE_NAME = "示例-瑞安市人民政府2019年报.sqlite"


def resources_dir() -> Path:
    """The `resources/` folder: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if (candidate / "formats").is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found next to the ruian_desk package")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """The per-user data folder (never the install folder); RUIAN_DESK_HOME overrides it."""
    override = os.environ.get("RUIAN_DESK_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME


def default_workspace_path() -> Path:
    return user_data_dir() / "workspace.sqlite"


def sample_workspace_path() -> Path:
    """Where 打开示例 keeps the sample workspace."""
    return user_data_dir() / SAMPLE_FILE_NAME
