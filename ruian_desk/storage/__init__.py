"""Workspace storage (SQLite through sqlite-utils). No Qt here.

sqlite-utils imports numpy and pandas, when installed, only to map their scalar types to column types. The
app never stores such values, and importing numpy alone costs about a quarter of the GUI's start-up (DESIGN
§5 start-up bar), so sqlite-utils is imported here with both hidden. They stay importable for everything
else (matplotlib imports numpy normally when the summary view is opened).
"""

from __future__ import annotations

import sys


def _import_sqlite_utils_lean() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` now raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_sqlite_utils_lean()
