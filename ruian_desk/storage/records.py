"""The rows the repository returns that are not domain objects, typed (the keys and their types as stored)."""

from __future__ import annotations

from typing import TypedDict


class UnitYear(TypedDict):
    """A unit's year in the roll-up: included or not, its submission status, when the clerk confirmed it."""

    included: bool
    status: str  # 未报 / 已报 / 有错 / 已确认
    confirmed_at: str | None
    note: str


class ReportRow(TypedDict):
    """One report in the workspace's index (lists and pickers)."""

    id: int
    unit: str
    unit_id: int
    role: str
    year: int
    format: str
    updated_at: str


class ImportRecord(TypedDict):
    """One line of the imports log: every file imported, refused or verified."""

    id: int
    unit_id: int | None
    year: int | None
    file: str
    sha256: str
    at: str
    kind: str  # json, xlsx, report, verify …
    result: str
