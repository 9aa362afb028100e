"""The app's one preferences file (recent workspaces, last report per workspace, window geometry, the 导出
page's formats, folder and 导出后打开文件夹) via QSettings, an INI file in the user data folder so that
RUIAN_DESK_HOME isolates it too. Keys are grouped by who uses them: `recent`, `last_report/…`, `window/…`,
`export/…`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ruian_desk.paths import user_data_dir

MAX_RECENT = 10
SETTINGS_FILE = "settings.ini"
# The 导出 page kept its own file before: what it holds is taken over once (the old file is left as it was).
LEGACY_FILES = ("ruian-desk.ini",)


_settings: dict[str, QSettings] = {}


def app_settings() -> QSettings:
    """One QSettings per settings file (reading the INI each time costs milliseconds at start-up). Qt
    writes changes back on its own when the event loop is idle and at exit."""
    folder = user_data_dir()
    path = str(folder / SETTINGS_FILE)
    settings = _settings.get(path)
    if settings is None:
        settings = _settings[path] = QSettings(path, QSettings.Format.IniFormat)
        _take_over_legacy(settings, folder)
    return settings


def _take_over_legacy(settings: QSettings, folder: Path) -> None:
    for name in LEGACY_FILES:
        legacy = folder / name
        if not legacy.is_file():
            continue
        old = QSettings(str(legacy), QSettings.Format.IniFormat)
        for key in old.allKeys():
            if not settings.contains(key):
                settings.setValue(key, old.value(key))


def _norm(path: str | Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(path)


def recent_workspaces() -> list[str]:
    value = app_settings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v) for v in value if v]


def add_recent(path: str | Path) -> list[str]:
    item = _norm(path)
    items = [item] + [p for p in recent_workspaces() if p != item]
    items = items[:MAX_RECENT]
    app_settings().setValue("recent", items)
    return items


def remove_recent(path: str | Path) -> None:
    item = _norm(path)
    app_settings().setValue("recent", [p for p in recent_workspaces() if p != item])


def _key(path: str | Path) -> str:
    # QSettings keys cannot hold slashes; a stable digest of the path names the workspace. Python's own SHA-1
    # (the same digest as hashlib's, without loading OpenSSL's library before the window's first paint).
    try:
        from _sha1 import sha1
    except ImportError:  # pragma: no cover - a Python built without its own SHA-1
        from hashlib import sha1

    return sha1(_norm(path).encode("utf-8")).hexdigest()[:16]


def last_report(path: str | Path) -> tuple[str, int] | None:
    """(unit name, year) last open in this workspace."""
    value = app_settings().value(f"last_report/{_key(path)}")
    if not value or "|" not in str(value):
        return None
    unit, _, year = str(value).rpartition("|")
    try:
        return unit, int(year)
    except ValueError:
        return None


def set_last_report(path: str | Path, unit: str, year: int) -> None:
    app_settings().setValue(f"last_report/{_key(path)}", f"{unit}|{year}")
