"""Units (单位), the main organ, and each unit's year (roll-up inclusion, submissions, status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from ruian_desk.domain.report import (
    Unit,
)
from ruian_desk.storage.records import ImportRecord, UnitYear
from ruian_desk.storage.repo_base import TYPED, NotFound, RepositoryBase, field_text, now


class UnitStore(RepositoryBase):
    @staticmethod
    def _unit(row: Mapping[str, object]) -> Unit:
        return Unit(
            id=int(row["id"]),  # type: ignore[call-overload]
            name=str(row["name"]),
            role=str(row["role"]),
            code=str(row["code"] or ""),
            contact=str(row["contact"] or ""),
            is_sample=bool(row["is_sample"]),
            retired=bool(row["retired"]),
        )

    def units(self, include_retired: bool = True) -> list[Unit]:
        sql = "SELECT * FROM units" + ("" if include_retired else " WHERE retired = 0") + " ORDER BY id"
        return [self._unit(r) for r in self.db.query(sql)]

    def unit(self, unit_id: int) -> Unit:
        rows = list(self.db.query("SELECT * FROM units WHERE id = ?", [unit_id]))
        if not rows:
            raise NotFound(f"单位 {unit_id} 不存在")
        return self._unit(rows[0])

    def unit_by_name(self, name: str) -> Unit | None:
        rows = list(self.db.query("SELECT * FROM units WHERE name = ?", [name]))
        if rows:
            return self._unit(rows[0])
        old = list(
            self.db.query(
                "SELECT u.* FROM unit_names n JOIN units u ON u.id = n.unit_id WHERE n.name = ? "
                "ORDER BY n.id DESC LIMIT 1",
                [name],
            )
        )
        return self._unit(old[0]) if old else None

    def add_unit(self, unit: Unit) -> Unit:
        self._writable()
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO units (name, role, code, contact, is_sample, retired, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    unit.name,
                    unit.role,
                    unit.code,
                    unit.contact,
                    int(unit.is_sample),
                    int(unit.retired),
                    now(),
                ],
            )
            unit_id = int(cur.lastrowid or 0)
            self._log(None, f"unit:{unit_id}", None, unit.name, TYPED)
        return self.unit(unit_id)

    def ensure_unit(self, name: str, role: str, is_sample: bool = False) -> Unit:
        found = self.unit_by_name(name)
        return found if found is not None else self.add_unit(Unit(name=name, role=role, is_sample=is_sample))

    def update_unit(self, unit: Unit) -> Unit:
        """Change role/code/contact/retired; a new name is recorded in the rename history."""
        self._writable()
        assert unit.id is not None
        old = self.unit(unit.id)
        with self.db.atomic():
            if old.name != unit.name:
                self.db.execute(
                    "INSERT INTO unit_names (unit_id, name, until) VALUES (?, ?, ?)",
                    [unit.id, old.name, now()],
                )
                self._log(None, f"unit:{unit.id}:name", old.name, unit.name, TYPED)
            for name in ("role", "code", "contact", "is_sample", "retired"):
                before, after = getattr(old, name), getattr(unit, name)
                if before != after:
                    # retired and role change what the roll-up sums and the checks say: traceable like a cell
                    self._log(None, f"unit:{unit.id}:{name}", field_text(before), field_text(after), TYPED)
            self.db.execute(
                "UPDATE units SET name = ?, role = ?, code = ?, contact = ?, is_sample = ?, retired = ? "
                "WHERE id = ?",
                [
                    unit.name,
                    unit.role,
                    unit.code,
                    unit.contact,
                    int(unit.is_sample),
                    int(unit.retired),
                    unit.id,
                ],
            )
        return self.unit(unit.id)

    def unit_name_history(self, unit_id: int) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT name, until FROM unit_names WHERE unit_id = ? ORDER BY id", [unit_id]
            ).fetchall()
        ]

    def main_organ(self) -> Unit | None:
        value = self.get_meta("main_organ")
        if value is None:
            return None
        try:
            return self.unit(int(value))
        except NotFound:
            return None

    def set_main_organ(self, unit_id: int) -> None:
        self.set_meta("main_organ", str(unit_id))

    def unit_year(self, unit_id: int, year: int) -> UnitYear:
        row = self.db.execute(
            "SELECT included, status, confirmed_at, note FROM unit_years WHERE unit_id = ? AND year = ?",
            [unit_id, year],
        ).fetchone()
        if row is None:
            return {"included": True, "status": "未报", "confirmed_at": None, "note": ""}
        return {"included": bool(row[0]), "status": row[1], "confirmed_at": row[2], "note": row[3] or ""}

    def set_unit_year(self, unit_id: int, year: int, **values: object) -> None:
        self._writable()
        current: dict[str, object] = {**self.unit_year(unit_id, year)}
        included_before = bool(current["included"])
        current.update(values)
        with self.db.atomic():
            if bool(current["included"]) != included_before:
                # In or out of the year's roll-up changes the county's figures; the status is derived.
                self._log(
                    None,
                    f"unit:{unit_id}:included:{year}",
                    field_text(included_before),
                    field_text(bool(current["included"])),
                    TYPED,
                )
            self.db.execute(
                "INSERT INTO unit_years (unit_id, year, included, status, confirmed_at, note) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(unit_id, year) DO UPDATE SET "
                "included = excluded.included, status = excluded.status, "
                "confirmed_at = excluded.confirmed_at, note = excluded.note",
                [
                    unit_id,
                    year,
                    int(bool(current["included"])),
                    current["status"],
                    current["confirmed_at"],
                    current["note"],
                ],
            )

    def unit_years(self, year: int) -> dict[int, UnitYear]:
        """unit id → the unit_years row of `year` (units without a row take the defaults of `unit_year`)."""
        out: dict[int, UnitYear] = {}
        for unit_id, included, status, confirmed_at, note in self.db.execute(
            "SELECT unit_id, included, status, confirmed_at, note FROM unit_years WHERE year = ?", [year]
        ).fetchall():
            out[int(unit_id)] = {
                "included": bool(included),
                "status": status,
                "confirmed_at": confirmed_at,
                "note": note or "",
            }
        return out

    def reports_of_year(self, year: int) -> dict[int, tuple[int, str]]:
        """unit id → (report id, updated_at) of every report of `year`."""
        return {
            int(r[0]): (int(r[1]), str(r[2] or ""))
            for r in self.db.execute(
                "SELECT unit_id, id, updated_at FROM reports WHERE year = ?", [year]
            ).fetchall()
        }

    def last_imports(self, year: int, kind: str | None = None) -> dict[int, ImportRecord]:
        """unit id → the latest imports row of `year` (optionally of one kind: xlsx, template …)."""
        sql = "SELECT * FROM imports WHERE year = ? AND unit_id IS NOT NULL"
        args: list[object] = [year]
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        out: dict[int, ImportRecord] = {}
        for row in self.db.query(sql + " ORDER BY id", args):
            out[int(row["unit_id"])] = cast(ImportRecord, row)
        return out

    def report_versions(self, year: int) -> dict[int, tuple[int, tuple[object, ...]]]:
        """unit id → (report id, version) of every report of `year`. The version changes with anything
        `load_report` reads: fields and cells (updated_at and the latest change-log row), the unit's name and
        role, and the report's settings, so a cached `Report` can be reused while it is unchanged."""
        rows = self.db.execute(
            "SELECT r.unit_id, r.id, r.updated_at, "
            "(SELECT MAX(c.id) FROM changes c WHERE c.report_id = r.id), u.name, u.role, "
            "(SELECT group_concat(s.key || '=' || COALESCE(s.value, ''), char(10)) "
            " FROM report_settings s WHERE s.report_id = r.id) "
            "FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.year = ?",
            [year],
        ).fetchall()
        return {int(r[0]): (int(r[1]), tuple(r[2:])) for r in rows}

    def import_years(self, kind: str) -> set[int]:
        """Years that have at least one imports row of `kind` (e.g. templates issued)."""
        return {
            int(r[0])
            for r in self.db.execute(
                "SELECT DISTINCT year FROM imports WHERE kind = ? AND year IS NOT NULL", [kind]
            ).fetchall()
        }
