"""`check`: the report's findings as text grouped by part (or `--json`), and the exit code (1 on errors)."""

from __future__ import annotations

import argparse
import json
import sys

from ruian_desk.cli_support import EXIT_FOUND_ERRORS, EXIT_OK, open_for


def cmd_check(args: argparse.Namespace) -> int:
    from ruian_desk.domain.registry import rules_run
    from ruian_desk.domain.rules import counts
    from ruian_desk.storage.assemble import adopt_unit_sums, check_report, resolve_report_id

    adopt = getattr(args, "adopt_unit_sums", False)
    with open_for(args.workspace, readonly=not adopt) as ws:
        report_id = resolve_report_id(ws.repo, args.year, args.unit)
        if adopt:
            cleared = adopt_unit_sums(ws.repo, report_id)
            print(f"已采用各单位汇总数：清除本级填写数 {len(cleared)} 格", file=sys.stderr)
        report, issues = check_report(ws.repo, report_id)
    c = counts(issues)
    ran = rules_run(report.format_id)
    if args.json:
        out = {
            "report": {"unit": report.unit, "year": report.year, "format": report.format_id},
            "issues": [i.to_json() for i in issues],
            "counts": c,
            "rules_run": list(ran),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_check_text(report, issues, ran))
    return EXIT_FOUND_ERRORS if c["error"] else EXIT_OK


def format_check_text(report, issues, rules_run=None) -> str:  # noqa: ANN001 - Report, list[Issue], ids
    """The readable form of a check, grouped by the part of the report each issue belongs to, in reading
    order; within a part errors first. Explained warnings carry their explanation. With `rules_run`, the
    second line says how many rules ran (a build that lost rules shows it)."""
    from ruian_desk.domain.rules import SEVERITIES, SEVERITY_LABELS, counts

    fmt = report.fmt
    c = counts(issues)
    explained = sum(1 for i in issues if i.explained)
    head = (
        f"{report.unit} {report.year}年（{fmt.id}）：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"
    )
    if explained:
        head += f"（其中 {explained} 条已说明）"
    lines = [head]
    if rules_run is not None:
        lines.append(f"已运行审核规则 {len(rules_run)} 条")
    groups: dict[str, list] = {}
    for issue in issues:
        groups.setdefault(part_title_of(fmt, issue), []).append(issue)
    order = ["标题与引言"] + [p.title for p in fmt.parts] + ["指标", "落款", "其他"]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    for title in sorted(groups, key=lambda t: order.index(t) if t in order else len(order)):
        members = sorted(groups[title], key=lambda i: rank.get(i.severity, 9))  # stable: keeps reading order
        per = counts(members)
        summary = "，".join(f"{SEVERITY_LABELS[s]} {per[s]}" for s in SEVERITIES if per.get(s))
        lines.append(f"{title}（{summary}）")
        for issue in members:
            mark = "（已说明）" if issue.explained else ""
            lines.append(
                f"  [{SEVERITY_LABELS.get(issue.severity, issue.severity)}] {issue.rule} {issue.message}{mark}"
            )
            if issue.explained:
                lines.append(f"      说明：{issue.explanation}")
    if not issues:
        lines.append("未发现问题。")
    return "\n".join(lines)


def part_title_of(fmt, issue) -> str:  # noqa: ANN001
    """The part an issue is listed under: the part of the text it quotes, else the table of its cells."""
    part = issue.part or ""
    if part in ("title", "intro"):
        return "标题与引言"
    if part.startswith("p") and part[1:].isdigit():
        try:
            return fmt.part(part).title
        except KeyError:
            return "其他"
    if part.startswith("metric"):
        return "指标"
    if part.startswith("sig"):
        return "落款"
    if part == "publication":
        return "发布"
    if issue.cells and issue.cells[0] in fmt.cells:
        table = fmt.cells[issue.cells[0]].table
        return fmt.tables[table].part_title
    return "其他"
