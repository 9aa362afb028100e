"""The workspace's reports as domain objects: loading (one report or hundreds in a few queries), saving,
single edits of cells, fields and metrics, report settings. Each write is one transaction and leaves a
change-log row per changed cell or field. `Repository` joins the units (`repo_units.py`) and the history
(`repo_history.py`) parts over the shared ground floor (`repo_base.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import cast

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
from ruian_desk.storage.records import ReportRow
from ruian_desk.storage.repo_base import (
    TEXT_FIELDS,
    TYPED,
    Change,
    NotFound,
    ReadOnlyError,
    RepositoryBase,
    now,
)
from ruian_desk.storage.repo_history import HistoryStore
from ruian_desk.storage.repo_units import UnitStore

_BATCH = 500  # report ids per query of `load_reports` (well under SQLite's limit of bound parameters)


def _text(value: CellValue) -> str | None:
    return None if value is None else format_number(value)


class Repository(UnitStore, HistoryStore, RepositoryBase):
    """Reads return domain objects; each write is one transaction and leaves a change-log row per changed
    cell or field. Units and their years: `repo_units.py`; history, explanations, imports: `repo_history.py`."""

    def years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT year FROM reports ORDER BY year").fetchall()]

    def report_index(self) -> list[ReportRow]:
        """(id, unit, unit_id, role, year, format) of every report, for lists and pickers."""
        rows = self.db.query(
            "SELECT r.id, u.name AS unit, u.id AS unit_id, u.role, r.year, r.format, r.updated_at "
            "FROM reports r JOIN units u ON u.id = r.unit_id ORDER BY r.year, u.id"
        )
        return [cast(ReportRow, row) for row in rows]

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

    def delete_report(self, report_id: int, source: str = TYPED) -> None:
        self._writable()
        with self.db.atomic():
            for table in ("cells", "metrics", "report_settings", "explanations"):
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
            self.db.execute("DELETE FROM reports WHERE id = ?", [report_id])
            self._log(report_id, "report", "deleted", None, source)

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

    def iter_all_reports(self) -> Iterator[Report]:
        for (report_id,) in self.db.execute("SELECT id FROM reports ORDER BY year, unit_id").fetchall():
            yield self.load_report(int(report_id))


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def _metric_text(m: Metric) -> str:
    parts = [m.label, _dec(m.value) or "", m.unit]
    if m.numerator is not None or m.denominator is not None:
        parts.append(f"{_dec(m.numerator) or ''}/{_dec(m.denominator) or ''}")
    return " ".join(p for p in parts if p)


__all__ = ["TEXT_FIELDS", "TYPED", "Change", "Db", "NotFound", "ReadOnlyError", "Repository", "now"]
