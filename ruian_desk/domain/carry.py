"""What 以上年报告为基础新建 carries from last year's report: the starting figures the cross-year rules of the
format data state (T3-XYEAR-CARRY: 上年结转 = last year's 结转下年度; T2-XYEAR-VALID: 现行有效 from last
year's; T2-19-XYEAR-ITEMS: 上一年项目数量 of every 表二 section that has it).

Read through the same evaluator (`expr.py`) as the checks, so a new draft starts exactly where the
cross-year checks expect it: a rule `cell == <last year's figures> ± <this year's figures>` gives the cell
its value with this year's own figures still blank (read as 0).
"""

from __future__ import annotations

from decimal import Decimal

from ruian_desk.domain.expr import Compare, Env, Ref, evaluate, instances, refs
from ruian_desk.domain.formats import FormatDef
from ruian_desk.domain.report import CellValue, Report


def carried_cells(fmt: FormatDef, previous: Report) -> dict[str, CellValue]:
    """This year's starting values from last year's report, per the format's cross-year equality rules.

    A rule is skipped when last year's report lacks one of its cells (another format) or has all of them
    blank; a derived cell (a total) is never carried: it follows from its parts.
    """
    env = Env(fmt, None, previous)
    out: dict[str, CellValue] = {}
    for rule in fmt.rules:
        for inst in instances(fmt, rule):
            node = inst.node
            if not (isinstance(node, Compare) and node.op == "==" and isinstance(node.left, Ref)):
                continue
            target, before = node.left, [r for r in refs(node.right) if r.prev]
            if target.prev or target.pattern or not before:
                continue
            cell = fmt.cells.get(target.path)
            if cell is None or cell.derived:
                continue
            if any(r.path not in previous.fmt.cells for r in before):
                continue
            if all(previous.values.get(r.path) is None for r in before):
                continue
            try:
                value = evaluate(node.right, env)
            except KeyError:
                continue  # a term of this year the format does not have
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                out[target.path] = value
    return out
