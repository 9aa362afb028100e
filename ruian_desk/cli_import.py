"""The import commands' handlers (`import-xlsx`); `cli.py` registers them, the work is done by
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
