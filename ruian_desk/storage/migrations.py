"""Numbered, append-only schema migrations of the workspace file. A released migration is never edited.

The steps run through sqlite-utils' `Migrations`, which is built (and sqlite-utils imported) only when a
workspace is created or upgraded: opening an up-to-date workspace compares the applied names with `STEPS`
in plain SQL, so the daily start of the app does not pay for importing sqlite-utils.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "ruian_desk"
MIGRATIONS_TABLE = "_sqlite_migrations"


def m001_create_workspace(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("units").create(
        {
            "id": int,
            "name": str,
            "role": str,
            "code": str,
            "contact": str,
            "is_sample": int,
            "retired": int,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "role"},
        defaults={"code": "", "contact": "", "is_sample": 0, "retired": 0},
    )
    db.table("units").create_index(["name"], unique=True)
    # Earlier names of a unit (机构改革): the unit keeps its id, the old name stays findable.
    db.table("unit_names").create(
        {"id": int, "unit_id": int, "name": str, "until": str},
        pk="id",
        foreign_keys=[("unit_id", "units", "id")],
    )
    # Per unit and year: in the roll-up or not, and the submission status (未报/已报/有错/已确认).
    db.table("unit_years").create(
        {"unit_id": int, "year": int, "included": int, "status": str, "confirmed_at": str, "note": str},
        pk=("unit_id", "year"),
        foreign_keys=[("unit_id", "units", "id")],
        defaults={"included": 1, "status": "未报"},
    )
    db.table("reports").create(
        {
            "id": int,
            "unit_id": int,
            "year": int,
            "format": str,
            "title": str,
            "intro": str,
            "p1": str,
            "p5": str,
            "p6": str,
            "sig_organ": str,
            "sig_date": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("unit_id", "units", "id")],
        not_null={"unit_id", "year", "format"},
        defaults={"title": "", "intro": "", "p1": "", "p5": "", "p6": "", "sig_organ": ""},
    )
    db.table("reports").create_index(["unit_id", "year"], unique=True)
    db.table("report_settings").create(
        {"report_id": int, "key": str, "value": str},
        pk=("report_id", "key"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    # One row per cell that has a value; value NULL = a stated blank (only kept for derived cells).
    db.table("cells").create(
        {
            "report_id": int,
            "cell_id": str,
            "value": str,
            "is_sample": int,
            "source": str,
            "updated_at": str,
        },
        pk=("report_id", "cell_id"),
        foreign_keys=[("report_id", "reports", "id")],
        defaults={"is_sample": 0, "source": "typed"},
    )
    db.table("metrics").create(
        {
            "report_id": int,
            "key": str,
            "position": int,
            "label": str,
            "value": str,
            "unit": str,
            "numerator": str,
            "denominator": str,
            "source": str,
            "note": str,
        },
        pk=("report_id", "key"),
        foreign_keys=[("report_id", "reports", "id")],
        defaults={"unit": "", "source": "", "note": ""},
    )
    db.table("changes").create(
        {
            "id": int,
            "report_id": int,
            "target": str,
            "old": str,
            "new": str,
            "at": str,
            "source": str,
        },
        pk="id",
    )
    db.table("changes").create_index(["report_id", "id"])
    db.table("explanations").create(
        {
            "report_id": int,
            "rule": str,
            "cells": str,
            "fingerprint": str,
            "text": str,
            "at": str,
        },
        pk=("report_id", "rule", "cells"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    db.table("imports").create(
        {
            "id": int,
            "unit_id": int,
            "year": int,
            "file": str,
            "sha256": str,
            "at": str,
            "kind": str,
            "result": str,
        },
        pk="id",
    )


def m002_publications(db: Database) -> None:
    # Per unit and year: when and where its report was published (typed, or read from a verified page).
    db.table("publications").create(
        {"unit_id": int, "year": int, "date": str, "link": str, "source": str, "at": str},
        pk=("unit_id", "year"),
        foreign_keys=[("unit_id", "units", "id")],
        defaults={"link": "", "source": "typed"},
    )


# Append new steps here, in order; never edit or remove a released one.
STEPS: tuple[Callable[[Database], None], ...] = (m001_create_workspace, m002_publications)

_migrations: Migrations | None = None


def get_migrations() -> Migrations:
    """The sqlite-utils migration set (built on first use; tests may register extra steps on it)."""
    global _migrations
    if _migrations is None:
        from ruian_desk.storage.db import _sqlite_utils_database  # imports sqlite-utils lean

        del _sqlite_utils_database
        from sqlite_utils import Migrations

        m = Migrations(MIGRATION_SET)
        for step in STEPS:
            m()(step)
        _migrations = m
    return _migrations




def known_names() -> list[str]:
    if _migrations is not None:
        return [m.name for m in _migrations._migrations]
    return [step.__name__ for step in STEPS]


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the applied migrations of this app, in the order they were applied (plain SQL)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not exists:
        return []
    return [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
        )
    ]


def pending_names(conn: sqlite3.Connection) -> list[str]:
    applied = set(applied_names(conn))
    return [name for name in known_names() if name not in applied]
