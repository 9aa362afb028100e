"""The workspace connection: the part of sqlite-utils' `Database` API the repository uses every day.

`execute`, `query` and `atomic` behave as sqlite-utils' do (a write outside a transaction commits at once; a
nested `atomic` is a savepoint), on the plain sqlite3 connection. sqlite-utils itself — about 60 ms to import,
a quarter of the GUI's start-up budget (DESIGN §5) — is loaded only for schema work: `Db.utils` gives the full
`sqlite_utils.Database` on the same connection, used by the migrations.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ruian_desk.textsafe import clean_text, has_bad_characters

if TYPE_CHECKING:
    from sqlite_utils import Database

_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "WITH"})


class Db:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._utils: Database | None = None
        # Called before every write transaction (the workspace's check that its file, lock and -wal are still
        # the ones it opened); raises to refuse the write.
        self.before_write: Callable[[], None] | None = None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; a write outside a transaction is committed at once."""
        was_in_transaction = self.conn.in_transaction
        keyword = _first_keyword(sql) if params or not was_in_transaction else ""
        if not was_in_transaction and self.before_write is not None and keyword in _WRITES:
            self.before_write()
        if params and keyword in _WRITES:
            params = _clean_params(params)
        try:
            cursor = self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # never leave an implicit transaction open
            raise
        if (
            not was_in_transaction
            and self.conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            self.conn.execute("COMMIT")
        return cursor

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows as dictionaries."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    @contextmanager
    def atomic(self) -> Iterator[Db]:
        """One transaction; nested blocks are savepoints (rolled back alone when they raise)."""
        if self.conn.in_transaction:
            name = f"ruian_{os.urandom(8).hex()}"  # as secrets.token_hex, without importing it
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        if self.before_write is not None:
            self.before_write()
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]

    @property
    def utils(self) -> Database:
        """The full sqlite-utils `Database` on this connection (schema work, migrations)."""
        if self._utils is None:
            self._utils = _sqlite_utils_database(self.conn)
        return self._utils

    def close(self) -> None:
        self.conn.close()


def _clean_params(params: Sequence[Any] | dict[str, Any]) -> Sequence[Any] | dict[str, Any]:
    """Every text stored is cleaned of what no document can hold (textsafe): whatever path it came in by —
    typing, paste, JSON, a template, a document — the exports can never fail on it, and a lone surrogate
    (which SQLite cannot encode) never aborts an import half way."""
    if isinstance(params, dict):
        if any(isinstance(v, str) and _dirty(v) for v in params.values()):
            return {k: clean_text(v) if isinstance(v, str) else v for k, v in params.items()}
        return params
    if any(isinstance(v, str) and _dirty(v) for v in params):
        return [clean_text(v) if isinstance(v, str) else v for v in params]
    return params


def _dirty(text: str) -> bool:
    return has_bad_characters(text) or "\u2028" in text or "\u2029" in text


def _first_keyword(sql: str) -> str:
    for line in sql.lstrip().splitlines():
        line = line.strip()
        if line and not line.startswith("--"):
            return line.split(None, 1)[0].rstrip(";").upper()
    return ""


def _sqlite_utils_database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils imports numpy and pandas, when installed, only to map their scalar types; the app never
    stores such values, so they stay out of its import (matplotlib imports numpy normally later). Plugins are
    not run on the clerk's database connection."""
    if "sqlite_utils" not in sys.modules:
        hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` now raises ImportError
        try:
            import sqlite_utils  # noqa: F401
        finally:
            for name in hidden:
                if sys.modules.get(name, 0) is None:
                    del sys.modules[name]
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)
