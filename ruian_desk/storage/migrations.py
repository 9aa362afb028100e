"""Numbered, append-only schema migrations of the workspace file. A released migration is never edited."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "ruian_desk"
migrations = Migrations(MIGRATION_SET)


@migrations()
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
