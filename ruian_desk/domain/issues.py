"""What a check finds and what a rule reads: `Issue`, `Severity`, `CheckContext`, the rule signature.

The bottom of the check engine: the rule modules (`checks/`, `rollup`, …) import this, the engine
(`rules.py`) and the registry import them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache

from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.report import Report

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # Python 3.10

    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(str(self.value), spec)


class Severity(StrEnum):
    """How serious a finding is. The members are strings ("error" …): JSON, the database and comparisons
    with plain strings see the same values as before."""

    ERROR = "error"  # the report is wrong: it must be corrected, no explanation passes it
    WARNING = "warning"  # probably wrong: corrected or explained
    INFO = "info"  # advice

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITIES: tuple[Severity, ...] = tuple(Severity)  # most serious first
SEVERITY_LABELS: dict[str, str] = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str  # a Severity; a plain string given is converted (an unknown one is refused)
    message: str
    cells: tuple[str, ...] = ()
    expected: object = None
    actual: object = None
    part: str | None = None  # where it belongs when not a cell: title, intro, p1…p6, metrics, signature
    explained: bool = False
    explanation: str = ""
    # Text findings: the quoted phrase that tells two findings of one rule in one part apart (it is part of
    # the identity), and the line of the part it sits on (navigation only, not part of the identity).
    anchor: str = ""
    paragraph: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def fingerprint(self) -> str:
        """Identity of the finding: rule, cells, the numbers involved, the part and the quoted phrase. An
        explanation is tied to it, so a change of the numbers re-raises the warning."""
        body: list[object] = [
            self.rule,
            list(self.cells),
            _plain(self.expected),
            _plain(self.actual),
            self.part,
        ]
        if self.anchor:
            body.append(self.anchor)
        payload = json.dumps(body, ensure_ascii=False)
        import hashlib  # here: OpenSSL's library is loaded when the first finding needs its identity, not at start

        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def explanation_cells(self) -> tuple[str, ...]:
        """The `cells` key an explanation is stored under (with the rule id): the cell ids, plus the part and
        quoted phrase for findings in the text, so that two findings of one rule never share a stored row."""
        if self.anchor or not self.cells:
            return (*self.cells, f"@{self.part or ''}#{self.anchor}")
        return self.cells

    @property
    def explainable(self) -> bool:
        """Only a warning takes a written explanation: an error must be corrected, a hint (info) is advice."""
        return self.severity == "warning"

    @property
    def location(self) -> str:
        """Key of the cell, part or field the issue points at, for grouping and navigation."""
        if self.cells:
            return self.cells[0]
        return self.part or ""

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "explained": self.explained,
        }


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)  # type: ignore[operator]
    if isinstance(v, list | tuple):  # X-AGG holds the differing cells' values (a fee cell's are decimals)
        return [_plain(x) for x in v]
    return v


@dataclass(frozen=True)
class CheckContext:
    """What a rule may look at besides the report itself."""

    previous: Report | None = None  # the same unit's report for the previous year
    units: tuple[Report, ...] = ()  # the unit reports rolled up into this one
    explanations: Mapping[str, str] = field(default_factory=dict)  # fingerprint → written explanation
    settings: Mapping[str, str] = field(default_factory=dict)  # the report's check settings (check.*)


RuleFn = Callable[[Report, CheckContext], list[Issue]]


def applies(fmt: FormatDef, rule_id: str) -> bool:
    """Whether the format's data lists the rule (rules of one format version only run on that version)."""
    return rule_id in format_rule_ids(fmt.id)


@cache
def format_rule_ids(format_id: str) -> frozenset[str]:
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    return frozenset(r.id for r in fmt.rules + fmt.cross_rules)


def counts(issues: Iterable[Issue], include_explained: bool = True) -> dict[str, int]:
    out: dict[str, int] = {s: 0 for s in SEVERITIES}
    for i in issues:
        if i.explained and not include_explained:
            continue
        out[i.severity] = out.get(i.severity, 0) + 1
    return out


