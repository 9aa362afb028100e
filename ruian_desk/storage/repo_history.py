"""What happened to a report: the change log, each cell's source, explanations of findings, the imports log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from ruian_desk.storage.records import ImportRecord
from ruian_desk.storage.repo_base import TYPED, Change, RepositoryBase, now


class HistoryStore(RepositoryBase):
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

    def imports(self, unit_id: int | None = None, year: int | None = None) -> list[ImportRecord]:
        sql = "SELECT * FROM imports WHERE 1 = 1"
        args: list[object] = []
        if unit_id is not None:
            sql += " AND unit_id = ?"
            args.append(unit_id)
        if year is not None:
            sql += " AND year = ?"
            args.append(year)
        return [cast(ImportRecord, row) for row in self.db.query(sql + " ORDER BY id", args)]

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
