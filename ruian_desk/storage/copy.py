"""A consistent copy of an open workspace file (SQLite's backup API), written beside the target and renamed
into place, so a failed copy never leaves a half-written file under the target's name."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from ruian_desk.storage.db import Db


def copy_database(db: Db, target: Path) -> None:
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=".ruian-copy-", suffix=".sqlite", dir=target.parent)
    os.close(fd)
    try:
        dst = sqlite3.connect(tmp)
        try:
            db.conn.backup(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
