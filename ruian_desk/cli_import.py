"""The import commands' handlers (`import-xlsx`, `import-report`); `cli.py` registers them, the work is done by
`services.imports`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    """`python main.py import-xlsx -w FILE PATH…`: 0 all imported, 2 any file refused (valid files are still
    imported)."""
    from ruian_desk.exchange.template_import import ImportPlan, collect_files, describe_changes, parse_files
    from ruian_desk.exchange.template_read import import_context
    from ruian_desk.services.imports import store_templates
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(Path(args.workspace))
    try:
        files, path_problems = collect_files(args.paths)
        parsed = parse_files(files, import_context(ws.repo))

        def show(plan: ImportPlan) -> bool:
            if not plan.changes:
                print(f"{plan.unit.name} {plan.year}年：已有数据，与交回文件相同，无变化")
                return True
            print(f"{plan.unit.name} {plan.year}年：已有数据，替换其中 {len(plan.changes)} 处：")
            for line in describe_changes(plan, limit=200):
                print(f"  {line}")
            return True

        results = store_templates(ws, parsed, confirm=show)
    finally:
        ws.close()
    refused = [r for r in results if not r.ok]
    for r in results:
        if r.ok:
            print(r.line())
    for problem in path_problems:
        print(" ".join(f"已拒绝：{problem}".split()), file=sys.stderr)
    for r in refused:
        print(r.line(), file=sys.stderr)
    ok = sum(1 for r in results if r.ok)
    if refused or path_problems:
        if results:
            tail = "（其余有效文件已导入）" if ok else ""
            print(f"共 {len(results)} 个文件：导入 {ok} 个，拒绝 {len(refused)} 个{tail}", file=sys.stderr)
        return 2
    if not results:
        print("没有可导入的 .xlsx 文件", file=sys.stderr)
        return 2
    return 0


def cmd_import_report(args: argparse.Namespace) -> int:
    """`import-report -w FILE PATH… [--unit] [--year] [--dry-run] [--json] [--yes]`: 0 all read and (with
    --yes) stored without problems; 1 a file was refused or has problems; 2 bad usage."""
    from ruian_desk.exchange.documents.importer import collect_documents, describe, plan_document, read_files
    from ruian_desk.services.imports import store_documents
    from ruian_desk.storage.workspace import open_workspace

    files, path_problems = collect_documents(args.paths)
    if not files:
        for p in path_problems or ["没有可导入的文件"]:
            print(p, file=sys.stderr)
        return 2
    if args.unit is not None and not args.unit.strip():
        print("--unit 不能为空", file=sys.stderr)
        return 2
    reads = read_files(files, args.unit.strip() if args.unit else None, args.year)
    store = args.yes and not args.dry_run
    workspace = Path(args.workspace)
    if store:
        ws = open_workspace(workspace, create=True)
    elif workspace.exists():
        ws = open_workspace(workspace, readonly=True)
    else:
        ws = None
    try:
        plans = [plan_document(ws.repo if ws else None, rr) for rr in reads]
        if store and ws is not None:
            store_documents(ws, plans)
    finally:
        if ws is not None:
            ws.close()
    if args.json:
        from ruian_desk.exchange.report_json import dumps

        print(dumps({"files": [p.read.to_json() for p in plans]}))
    else:
        for plan in plans:
            for line in describe(plan):
                print(line)
        stored = sum(1 for p in plans if p.ok)
        if store:
            print(f"共 {len(plans)} 个文件：导入 {stored} 个，未导入 {len(plans) - stored} 个")
        else:
            print(f"共 {len(plans)} 个文件，可导入 {stored} 个；未写入工作区（加 --yes 导入）")
    for p in path_problems:
        print(p, file=sys.stderr)
    troubled = path_problems or any(not p.ok or p.read.problems for p in plans)
    return 1 if troubled else 0
