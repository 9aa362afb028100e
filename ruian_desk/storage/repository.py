"""The only module that knows table names and SQL. Reads return domain objects; each write is one transaction
and leaves a change-log row per changed cell or field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal

from ruian_desk.domain.formats import TEXT_PARTS, get_format
from ruian_desk.domain.report import (
    CellValue,
    Metric,
    Report,
    Signature,
    Unit,
    format_number,
    parse_cell_value,
    parse_decimal,
)
from ruian_desk.storage.db import Db

TEXT_FIELDS = ("title", "intro", *TEXT_PARTS, "sig_organ", "sig_date")
_BATCH = 500  # report ids per query of `load_reports` (well under SQLite's limit of bound parameters)
TYPED = "typed"


class ReadOnlyError(PermissionError):
    """A write through a workspace opened read-only."""


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class Change:
    id: int
    report_id: int | None
    target: str  # cell id, field name or "metric:<key>"
    old: str | None
    new: str | None
    at: str
    source: str


def now() -> str:
    return dt.datetime.now().isoformat(timespec="milliseconds")


def _text(value: CellValue) -> str | None:
    return None if value is None else format_number(value)


class Repository:
    def __init__(self, db: Db, readonly: bool = False):
        self.db = db
        self.readonly = readonly

    def atomic(self) -> AbstractContextManager[Db]:
        """One transaction for several writes (nested: a savepoint); the services open them."""
        return self.db.atomic()

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError("工作区以只读方式打开，不能修改")

    def _log(self, report_id: int | None, target: str, old: str | None, new: str | None, source: str) -> None:
        self.db.execute(
            "INSERT INTO changes (report_id, target, old, new, at, source) VALUES (?, ?, ?, ?, ?, ?)",
            [report_id, target, old, new, now(), source],
        )

    # ---------------------------------------------------------------------------------- meta

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        self._writable()
        with self.db.atomic():
            if value is None:
                self.db.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                self.db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    # --------------------------------------------------------------------------------- units

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
                    self._log(None, f"unit:{unit.id}:{name}", _field_text(before), _field_text(after), TYPED)
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

    # ---------------------------------------------------------------------- unit years (roll-up)

    def unit_year(self, unit_id: int, year: int) -> dict[str, object]:
        row = self.db.execute(
            "SELECT included, status, confirmed_at, note FROM unit_years WHERE unit_id = ? AND year = ?",
            [unit_id, year],
        ).fetchone()
        if row is None:
            return {"included": True, "status": "未报", "confirmed_at": None, "note": ""}
        return {"included": bool(row[0]), "status": row[1], "confirmed_at": row[2], "note": row[3] or ""}

    def set_unit_year(self, unit_id: int, year: int, **values: object) -> None:
        self._writable()
        current = self.unit_year(unit_id, year)
        included_before = bool(current["included"])
        current.update(values)
        with self.db.atomic():
            if bool(current["included"]) != included_before:
                # In or out of the year's roll-up changes the county's figures; the status is derived.
                self._log(
                    None,
                    f"unit:{unit_id}:included:{year}",
                    _field_text(included_before),
                    _field_text(bool(current["included"])),
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

    # ------------------------------------------------------------------------------- reports

    def years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT year FROM reports ORDER BY year").fetchall()]

    def report_index(self) -> list[dict[str, object]]:
        """(id, unit, unit_id, role, year, format) of every report, for lists and pickers."""
        return list(
            self.db.query(
                "SELECT r.id, u.name AS unit, u.id AS unit_id, u.role, r.year, r.format, r.updated_at "
                "FROM reports r JOIN units u ON u.id = r.unit_id ORDER BY r.year, u.id"
            )
        )

    def find_report(self, unit_name: str, year: int) -> int | None:
        unit = self.unit_by_name(unit_name)
        if unit is None:
            return None
        row = self.db.execute(
            "SELECT id FROM reports WHERE unit_id = ? AND year = ?", [unit.id, year]
        ).fetchone()
        return int(row[0]) if row else None

    def report_ids_for_year(self, year: int) -> list[int]:
        return [
            r[0] for r in self.db.execute("SELECT id FROM reports WHERE year = ? ORDER BY unit_id", [year])
        ]

    def load_report(self, report_id: int) -> Report:
        report = self.load_reports([report_id]).get(report_id)
        if report is None:
            raise NotFound(f"报告 {report_id} 不存在")
        return report

    def load_reports(self, report_ids: Iterable[int]) -> dict[int, Report]:
        """report id → the stored `Report`, in the order asked, for each id that exists (a roll-up reads
        hundreds of unit reports: four queries per batch instead of four per report)."""
        ids = list(dict.fromkeys(int(i) for i in report_ids))
        found: dict[int, Report] = {}
        for start in range(0, len(ids), _BATCH):
            found.update(self._load_batch(ids[start : start + _BATCH]))
        return {rid: found[rid] for rid in ids if rid in found}

    def _load_batch(self, ids: list[int]) -> dict[int, Report]:
        marks = ",".join("?" * len(ids))
        rows = {
            int(r["id"]): r
            for r in self.db.query(
                "SELECT r.*, u.name AS unit_name, u.role AS unit_role FROM reports r "
                f"JOIN units u ON u.id = r.unit_id WHERE r.id IN ({marks})",
                ids,
            )
        }
        if not rows:
            return {}
        formats = {rid: get_format(str(r["format"])) for rid, r in rows.items()}
        cells: dict[int, dict[str, CellValue]] = {rid: {} for rid in rows}
        for rid, cell_id, value in self.db.execute(
            f"SELECT report_id, cell_id, value FROM cells WHERE report_id IN ({marks}) "
            "ORDER BY report_id, cell_id",
            ids,
        ).fetchall():
            cell = formats[rid].cells.get(cell_id)
            if cell is None:
                continue
            cells[rid][cell_id] = None if value is None else parse_cell_value(value, cell.type)
        metrics: dict[int, list[Metric]] = {rid: [] for rid in rows}
        for m in self.db.query(
            f"SELECT * FROM metrics WHERE report_id IN ({marks}) ORDER BY report_id, position, key", ids
        ):
            metrics[int(m["report_id"])].append(
                Metric(
                    key=m["key"],
                    label=m["label"] or "",
                    value=parse_decimal(m["value"]),
                    unit=m["unit"] or "",
                    numerator=parse_decimal(m["numerator"]),
                    denominator=parse_decimal(m["denominator"]),
                    source=m["source"] or "",
                    note=m["note"] or "",
                )
            )
        samples: dict[int, str] = {
            int(rid): value or ""
            for rid, value in self.db.execute(
                f"SELECT report_id, value FROM report_settings WHERE key = 'sample_tables' "
                f"AND report_id IN ({marks})",
                ids,
            ).fetchall()
        }
        out: dict[int, Report] = {}
        for rid, r in rows.items():
            sig_date = r["sig_date"]
            out[rid] = Report(
                id=rid,
                unit=str(r["unit_name"]),
                unit_role=str(r["unit_role"]),
                year=int(r["year"]),
                format_id=formats[rid].id,
                title=r["title"] or "",
                intro=r["intro"] or "",
                parts={k: r[k] or "" for k in TEXT_PARTS},
                cells=cells[rid],
                metrics=tuple(metrics[rid]),
                signature=Signature(
                    organ=r["sig_organ"] or "", date=dt.date.fromisoformat(sig_date) if sig_date else None
                ),
                sample_tables=frozenset(t for t in samples.get(rid, "").split(",") if t),
            )
        return out

    def save_report(
        self,
        report: Report,
        source: str = TYPED,
        replace_unit_role: bool = False,
        cell_sources: Mapping[str, str] | None = None,
    ) -> int:
        """Create or replace the report of (unit, year) in one transaction, logging each changed value.
        `cell_sources` gives a cell its own provenance (a document's page or table row) instead of `source`."""
        self._writable()
        with self.db.atomic():
            unit = self.unit_by_name(report.unit)
            if unit is None:
                unit = self.add_unit(Unit(name=report.unit, role=report.unit_role))
            elif replace_unit_role and unit.role != report.unit_role:
                self.update_unit(Unit(**{**unit.__dict__, "role": report.unit_role}))
            assert unit.id is not None
            existing = self.db.execute(
                "SELECT id FROM reports WHERE unit_id = ? AND year = ?", [unit.id, report.year]
            ).fetchone()
            if existing:
                report_id = int(existing[0])
                old = self.load_report(report_id)
            else:
                cur = self.db.execute(
                    "INSERT INTO reports (unit_id, year, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    [unit.id, report.year, report.format_id, now(), now()],
                )
                report_id = int(cur.lastrowid or 0)
                self._log(report_id, "report", None, f"{report.unit} {report.year}", source)
                old = None
            if old is not None and old.format_id != report.format_id:
                self.db.execute("UPDATE reports SET format = ? WHERE id = ?", [report.format_id, report_id])
                self._log(report_id, "format", old.format_id, report.format_id, source)
            new_fields = self._fields_of(report)
            old_fields = self._fields_of(old) if old else {}
            for name, value in new_fields.items():
                if old_fields.get(name, "" if name != "sig_date" else None) != value:
                    self._set_field_row(report_id, name, old_fields.get(name), value, source)
            # The 示例数据 mark first: each cell written below takes it from here.
            sample = ",".join(sorted(report.sample_tables))
            self._put_setting(report_id, "sample_tables", sample or None)
            old_cells = dict(old.cells) if old else {}
            for cell_id in sorted(set(old_cells) | set(report.cells)):
                present_before = cell_id in old_cells
                present_now = cell_id in report.cells
                before, after = old_cells.get(cell_id), report.cells.get(cell_id)
                if (
                    present_before == present_now
                    and before == after
                    and (before is None or type(before) is type(after))
                ):
                    continue
                cdef = report.fmt.cells.get(cell_id)
                keep = present_now and cdef is not None and (after is not None or cdef.derived)
                where = cell_sources.get(cell_id, source) if cell_sources else source
                self._write_cell(report_id, cell_id, before, after, keep, where, report.fmt.id)
            if old is not None and old.sample_tables != report.sample_tables:
                self._mark_sample_cells(report_id, report.sample_tables)
            self._replace_metrics(report_id, report.metrics, old.metrics if old else (), source)
            self._touch(report_id)
        return report_id

    def _mark_sample_cells(self, report_id: int, tables: frozenset[str]) -> None:
        """Re-mark every stored cell of the report after its set of 示例数据 tables changed."""
        for (cell_id,) in self.db.execute(
            "SELECT cell_id FROM cells WHERE report_id = ?", [report_id]
        ).fetchall():
            table = cell_id.split(".")[0].split("_")[0]
            self.db.execute(
                "UPDATE cells SET is_sample = ? WHERE report_id = ? AND cell_id = ?",
                [int(table in tables), report_id, cell_id],
            )

    @staticmethod
    def _fields_of(report: Report) -> dict[str, str | None]:
        return {
            "title": report.title,
            "intro": report.intro,
            **{k: report.part(k) for k in TEXT_PARTS},
            "sig_organ": report.signature.organ,
            "sig_date": report.signature.date.isoformat() if report.signature.date else None,
        }

    def _touch(self, report_id: int) -> None:
        self.db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", [now(), report_id])

    def delete_report(self, report_id: int, source: str = TYPED) -> None:
        self._writable()
        with self.db.atomic():
            for table in ("cells", "metrics", "report_settings", "explanations"):
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
            self.db.execute("DELETE FROM reports WHERE id = ?", [report_id])
            self._log(report_id, "report", "deleted", None, source)

    # ------------------------------------------------------------------------- single edits

    def set_cell(self, report_id: int, cell_id: str, value: CellValue, source: str = TYPED) -> Change | None:
        """Store one typed or pasted value (None = blank). For a derived cell this sets its stated value;
        use `clear_stated` to go back to the computed one. Returns the logged change, or None if unchanged."""
        self._writable()
        fmt_id = self._format_of(report_id)
        cell = get_format(fmt_id).cell(cell_id)
        if value is not None:
            value = parse_cell_value(value, cell.type)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT value FROM cells WHERE report_id = ? AND cell_id = ?", [report_id, cell_id]
            ).fetchone()
            before = None if row is None or row[0] is None else parse_cell_value(row[0], cell.type)
            keep_row = value is not None or cell.derived
            if row is not None and before == value and keep_row:
                return None
            if row is None and value is None and not cell.derived:
                return None
            change = self._write_cell(report_id, cell_id, before, value, keep_row, source, fmt_id)
            self._touch(report_id)
        return change

    def set_cells(self, report_id: int, values: Mapping[str, CellValue], source: str = TYPED) -> list[Change]:
        """A block of values (a paste) as one transaction."""
        self._writable()
        changes: list[Change] = []
        with self.db.atomic():
            for cell_id, value in values.items():
                c = self.set_cell(report_id, cell_id, value, source)
                if c is not None:
                    changes.append(c)
        return changes

    def clear_stated(self, report_id: int, cell_id: str, source: str = TYPED) -> Change | None:
        """Drop the stated value of a derived cell: the computed total applies again."""
        self._writable()
        fmt = get_format(self._format_of(report_id))
        cell = fmt.cell(cell_id)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT value FROM cells WHERE report_id = ? AND cell_id = ?", [report_id, cell_id]
            ).fetchone()
            if row is None:
                return None
            before = None if row[0] is None else parse_cell_value(row[0], cell.type)
            change = self._write_cell(report_id, cell_id, before, None, False, source, fmt.id)
            self._touch(report_id)  # an edit like any other: lifts a confirmation (已确认), shows in lists
        return change

    def _write_cell(
        self,
        report_id: int,
        cell_id: str,
        before: CellValue,
        after: CellValue,
        keep_row: bool,
        source: str,
        fmt_id: str,
    ) -> Change:
        at = now()
        if keep_row:
            sample = 1 if cell_id.split(".")[0].split("_")[0] in self._sample_tables(report_id) else 0
            self.db.execute(
                "INSERT INTO cells (report_id, cell_id, value, is_sample, source, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(report_id, cell_id) DO UPDATE SET "
                "value = excluded.value, is_sample = excluded.is_sample, source = excluded.source, "
                "updated_at = excluded.updated_at",
                [report_id, cell_id, _text(after), sample, source, at],
            )
        else:
            self.db.execute("DELETE FROM cells WHERE report_id = ? AND cell_id = ?", [report_id, cell_id])
        cur = self.db.execute(
            "INSERT INTO changes (report_id, target, old, new, at, source) VALUES (?, ?, ?, ?, ?, ?)",
            [report_id, cell_id, _text(before), _text(after), at, source],
        )
        return Change(int(cur.lastrowid or 0), report_id, cell_id, _text(before), _text(after), at, source)

    def _sample_tables(self, report_id: int) -> set[str]:
        value = self.get_setting(report_id, "sample_tables") or ""
        return {t for t in value.split(",") if t}

    def _format_of(self, report_id: int) -> str:
        row = self.db.execute("SELECT format FROM reports WHERE id = ?", [report_id]).fetchone()
        if row is None:
            raise NotFound(f"报告 {report_id} 不存在")
        return str(row[0])

    def set_field(self, report_id: int, name: str, value: str | None, source: str = TYPED) -> Change | None:
        """title, intro, p1, p5, p6, sig_organ or sig_date (ISO date or None)."""
        self._writable()
        if name not in TEXT_FIELDS:
            raise KeyError(name)
        if name == "sig_date" and value:
            dt.date.fromisoformat(value)
        with self.db.atomic():
            row = self.db.execute(f"SELECT {name} FROM reports WHERE id = ?", [report_id]).fetchone()
            if row is None:
                raise NotFound(f"报告 {report_id} 不存在")
            if (row[0] or None) == (value or None):
                return None
            change = self._set_field_row(report_id, name, row[0], value, source)
            self._touch(report_id)
        return change

    def _set_field_row(
        self, report_id: int, name: str, old: str | None, value: str | None, source: str
    ) -> Change:
        assert name in TEXT_FIELDS
        self.db.execute(f"UPDATE reports SET {name} = ? WHERE id = ?", [value, report_id])
        at = now()
        cur = self.db.execute(
            "INSERT INTO changes (report_id, target, old, new, at, source) VALUES (?, ?, ?, ?, ?, ?)",
            [report_id, name, old, value, at, source],
        )
        return Change(int(cur.lastrowid or 0), report_id, name, old, value, at, source)

    # ------------------------------------------------------------------------------ metrics

    def put_metric(
        self, report_id: int, metric: Metric, position: int | None = None, source: str = TYPED
    ) -> Change | None:
        """Insert or update one metric (by key)."""
        self._writable()
        with self.db.atomic():
            old = {m.key: (i, m) for i, m in enumerate(self.load_report(report_id).metrics)}
            if metric.key in old:
                pos = old[metric.key][0] if position is None else position
                if old[metric.key][1] == metric and position is None:
                    return None
                before = _metric_text(old[metric.key][1])
            else:
                pos = len(old) if position is None else position
                before = None
            self._write_metric(report_id, metric, pos)
            change = self._metric_log(report_id, metric.key, before, _metric_text(metric), source)
            self._touch(report_id)
        return change

    def delete_metric(self, report_id: int, key: str, source: str = TYPED) -> Change | None:
        self._writable()
        with self.db.atomic():
            report = self.load_report(report_id)
            m = report.metric(key)
            if m is None:
                return None
            self.db.execute("DELETE FROM metrics WHERE report_id = ? AND key = ?", [report_id, key])
            change = self._metric_log(report_id, key, _metric_text(m), None, source)
            self._touch(report_id)
        return change

    def _write_metric(self, report_id: int, m: Metric, position: int) -> None:
        self.db.execute(
            "INSERT INTO metrics (report_id, key, position, label, value, unit, numerator, denominator, "
            "source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(report_id, key) DO UPDATE SET "
            "position = excluded.position, label = excluded.label, value = excluded.value, "
            "unit = excluded.unit, numerator = excluded.numerator, denominator = excluded.denominator, "
            "source = excluded.source, note = excluded.note",
            [
                report_id,
                m.key,
                position,
                m.label,
                _dec(m.value),
                m.unit,
                _dec(m.numerator),
                _dec(m.denominator),
                m.source,
                m.note,
            ],
        )

    def _metric_log(self, report_id: int, key: str, old: str | None, new: str | None, source: str) -> Change:
        at = now()
        cur = self.db.execute(
            "INSERT INTO changes (report_id, target, old, new, at, source) VALUES (?, ?, ?, ?, ?, ?)",
            [report_id, f"metric:{key}", old, new, at, source],
        )
        return Change(int(cur.lastrowid or 0), report_id, f"metric:{key}", old, new, at, source)

    def _replace_metrics(
        self, report_id: int, metrics: Iterable[Metric], old: Iterable[Metric], source: str
    ) -> None:
        old_by_key = {m.key: m for m in old}
        new_keys = set()
        for pos, m in enumerate(metrics):
            new_keys.add(m.key)
            self._write_metric(report_id, m, pos)
            if old_by_key.get(m.key) != m:
                before = old_by_key.get(m.key)
                self._metric_log(
                    report_id, m.key, _metric_text(before) if before else None, _metric_text(m), source
                )
        for key, m in old_by_key.items():
            if key not in new_keys:
                self.db.execute("DELETE FROM metrics WHERE report_id = ? AND key = ?", [report_id, key])
                self._metric_log(report_id, key, _metric_text(m), None, source)

    # ----------------------------------------------------------------------------- settings

    def get_setting(self, report_id: int, key: str) -> str | None:
        row = self.db.execute(
            "SELECT value FROM report_settings WHERE report_id = ? AND key = ?", [report_id, key]
        ).fetchone()
        return row[0] if row else None

    def set_setting(self, report_id: int, key: str, value: str | None) -> None:
        self._writable()
        with self.db.atomic():
            before = self.get_setting(report_id, key)
            if before == value:
                return
            self._put_setting(report_id, key, value)
            # A table's scope (本级填写/汇总各单位) decides which figures are printed: logged like a value.
            self._log(report_id, f"setting:{key}", before, value, TYPED)

    def _put_setting(self, report_id: int, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM report_settings WHERE report_id = ? AND key = ?", [report_id, key])
        else:
            self.db.execute(
                "INSERT INTO report_settings (report_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT(report_id, key) DO UPDATE SET value = excluded.value",
                [report_id, key, value],
            )

    # ---------------------------------------------------------------------- history & sources

    def changes(self, report_id: int | None = None, limit: int = 1000) -> list[Change]:
        if report_id is None:
            rows = self.db.execute(
                "SELECT id, report_id, target, old, new, at, source FROM changes ORDER BY id DESC LIMIT ?",
                [limit],
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT id, report_id, target, old, new, at, source FROM changes WHERE report_id = ? "
                "ORDER BY id DESC LIMIT ?",
                [report_id, limit],
            ).fetchall()
        return [Change(*r) for r in rows]

    def cell_sources(self, report_id: int) -> dict[str, tuple[str, str, bool]]:
        """cell id → (source, updated_at, is_sample)."""
        return {
            r[0]: (r[1], r[2], bool(r[3]))
            for r in self.db.execute(
                "SELECT cell_id, source, updated_at, is_sample FROM cells WHERE report_id = ?", [report_id]
            )
        }

    # ------------------------------------------------------------------------ explanations

    def explanations(self, report_id: int) -> dict[str, str]:
        """fingerprint → explanation text. A warning whose numbers changed gets a new fingerprint and so
        comes back unexplained (the stale explanation stays stored, visible in the history)."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT fingerprint, text FROM explanations WHERE report_id = ?", [report_id]
            ).fetchall()
        }

    def explanation_rows(self, report_id: int) -> list[dict[str, str]]:
        return list(
            self.db.query(
                "SELECT rule, cells, fingerprint, text, at FROM explanations WHERE report_id = ? ORDER BY at",
                [report_id],
            )
        )

    def set_explanation(
        self,
        report_id: int,
        rule: str,
        cells: Iterable[str],
        fingerprint: str,
        text: str | None,
        source: str = TYPED,
    ) -> None:
        """Store (or with empty text, remove) the clerk's explanation of a warning."""
        self._writable()
        key = ",".join(cells)
        with self.db.atomic():
            old = self.db.execute(
                "SELECT text FROM explanations WHERE report_id = ? AND rule = ? AND cells = ?",
                [report_id, rule, key],
            ).fetchone()
            if text and text.strip():
                self.db.execute(
                    "INSERT INTO explanations (report_id, rule, cells, fingerprint, text, at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(report_id, rule, cells) DO UPDATE SET "
                    "fingerprint = excluded.fingerprint, text = excluded.text, at = excluded.at",
                    [report_id, rule, key, fingerprint, text.strip(), now()],
                )
            else:
                self.db.execute(
                    "DELETE FROM explanations WHERE report_id = ? AND rule = ? AND cells = ?",
                    [report_id, rule, key],
                )
            self._log(report_id, f"explanation:{rule}:{key}", old[0] if old else None, text or None, source)

    # ----------------------------------------------------------------------------- imports

    def record_import(
        self, unit_id: int | None, year: int | None, file: str, sha256: str, kind: str, result: str
    ) -> int:
        self._writable()
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO imports (unit_id, year, file, sha256, at, kind, result) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [unit_id, year, file, sha256, now(), kind, result],
            )
        return int(cur.lastrowid or 0)

    def imports(self, unit_id: int | None = None, year: int | None = None) -> list[dict[str, object]]:
        sql = "SELECT * FROM imports WHERE 1 = 1"
        args: list[object] = []
        if unit_id is not None:
            sql += " AND unit_id = ?"
            args.append(unit_id)
        if year is not None:
            sql += " AND year = ?"
            args.append(year)
        return list(self.db.query(sql + " ORDER BY id", args))

    def iter_all_reports(self) -> Iterator[Report]:
        for (report_id,) in self.db.execute("SELECT id FROM reports ORDER BY year, unit_id").fetchall():
            yield self.load_report(int(report_id))

    def explain_issue(self, report_id: int, issue: object, text: str | None, source: str = TYPED) -> None:
        """Store (or with empty text, remove) the explanation of one finding of `run_checks`, under its rule
        and `explanation_cells`, so that two findings of one rule never share a row. Errors cannot be
        explained away."""
        from ruian_desk.domain.rules import Issue

        if not isinstance(issue, Issue):
            raise TypeError("explain_issue expects an Issue")
        if issue.severity == "error" and text and text.strip():
            raise ValueError(f"{issue.rule} 是错误，不能以说明放行，须修正")
        self.set_explanation(report_id, issue.rule, issue.explanation_cells, issue.fingerprint, text, source)

    # ------------------------------------------------------------ units: roll-up and submissions

    def unit_years(self, year: int) -> dict[int, dict[str, object]]:
        """unit id → the unit_years row of `year` (units without a row take the defaults of `unit_year`)."""
        out: dict[int, dict[str, object]] = {}
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

    def last_imports(self, year: int, kind: str | None = None) -> dict[int, dict[str, object]]:
        """unit id → the latest imports row of `year` (optionally of one kind: xlsx, template …)."""
        sql = "SELECT * FROM imports WHERE year = ? AND unit_id IS NOT NULL"
        args: list[object] = [year]
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        out: dict[int, dict[str, object]] = {}
        for row in self.db.query(sql + " ORDER BY id", args):
            out[int(row["unit_id"])] = row
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


def _field_text(value: object) -> str:
    """A unit's field as the change log holds it (flags as 1/0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def _metric_text(m: Metric) -> str:
    parts = [m.label, _dec(m.value) or "", m.unit]
    if m.numerator is not None or m.denominator is not None:
        parts.append(f"{_dec(m.numerator) or ''}/{_dec(m.denominator) or ''}")
    return " ".join(p for p in parts if p)
