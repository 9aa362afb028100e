"""Commands of publication tracking and 考核 (issue 12): `publication` and `evaluate` (`cli.py` registers them:
`add_parsers`, `COMMANDS`), and the handler of `verify-published`; the work is done by `services.publication`,
`services.evaluation` and `exchange.documents.verify`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path


def add_parsers(sub: argparse._SubParsersAction, ws: Callable[[argparse.ArgumentParser], None]) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("publication", help="登记或列出各单位年报的发布日期和链接（发布期限：条例第四十九条）")
    ws(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", help="单位名称（登记或清除时必填）")
    p.add_argument("--date", help="发布日期，如 2020-01-20")
    p.add_argument("--link", default="", help="发布页面的链接（http:// 或 https://）")
    p.add_argument("--clear", action="store_true", help="清除该单位该年度的发布登记")
    p.add_argument(
        "--deadline", nargs=2, metavar=("类别", "月-日"), help="修改一类单位的发布期限，如：部门 01-31"
    )
    p.add_argument("--today", help="按此日期判断是否逾期（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    e = sub.add_parser("evaluate", help="考核评分：按评分细则给各单位打分、排名，生成通报和整改通知")
    ws(e)
    e.add_argument("--year", type=int, required=True)
    e.add_argument("--rubric", help="评分细则 JSON 文件（默认：工作区中保存的细则，没有时用默认细则）")
    e.add_argument("--out", help="把通报和整改通知（DOCX）写到此文件夹")
    e.add_argument("--today", help="按此日期判断是否逾期（默认今天）")
    e.add_argument("--json", action="store_true", help="输出 JSON")


def _today(text: str | None) -> dt.date | None:
    from ruian_desk.domain.deadlines import DeadlineError, parse_date

    if not text:
        return None
    try:
        return parse_date(text)
    except DeadlineError as exc:
        raise _usage(f"--today：{exc}") from None


def _usage(message: str) -> Exception:
    from ruian_desk.cli_support import UsageError

    return UsageError(message)


def _dumps(data: object) -> str:
    from ruian_desk.exchange.report_json import dumps

    return dumps(data)


def cmd_publication(args: argparse.Namespace) -> int:
    from ruian_desk.cli_support import open_for as _open
    from ruian_desk.services import publication as pub

    today = _today(args.today)
    writing = bool(args.date or args.clear or args.deadline)
    if (args.date or args.clear) and not args.unit:
        raise _usage("登记或清除发布情况时须用 --unit 指定单位")
    with _open(args.workspace, readonly=not writing) as ws:
        repo = ws.repo
        try:
            if args.deadline:
                role = pub.set_deadline(repo, args.deadline[0], args.deadline[1])
                print(f"已修改发布期限：{args.deadline[0]} {pub.deadlines(repo)[role]}", file=sys.stderr)
            if args.clear:
                done = pub.clear_publication(repo, args.unit, args.year)
                print(
                    f"已清除“{args.unit}”{args.year}年的发布登记"
                    if done
                    else f"“{args.unit}”{args.year}年没有发布登记",
                    file=sys.stderr,
                )
            elif args.date:
                pub.record_publication(repo, args.unit, args.year, args.date, args.link)
                print(f"已登记“{args.unit}”{args.year}年报告的发布：{args.date}", file=sys.stderr)
            elif args.unit and repo.unit_by_name(args.unit) is None:
                raise pub.PublicationError(f"工作区中没有单位“{args.unit}”")
        except pub.PublicationError as exc:
            raise _usage(str(exc)) from None
        rows = pub.tracking(repo, args.year, today)
        if args.unit:
            rows = [r for r in rows if r.unit.name == args.unit.strip()]
    if args.json:
        print(_dumps({"year": args.year, "units": [r.to_json() for r in rows]}))
    else:
        for r in rows:
            when = r.date.isoformat() if r.date else "未登记"
            late = f"，逾期 {r.days_late} 天" if r.days_late else ""
            verified = f"，核验：{r.verification}" if r.verification else ""
            print(
                f"{r.unit.name}：{r.status}（期限 {r.deadline.isoformat()}，发布 {when}{late}）{r.link}{verified}"
            )
    return 1 if any(r.status in ("逾期发布", "逾期未发布") for r in rows) else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ruian_desk.cli_support import open_for as _open
    from ruian_desk.domain.rubric import RubricError, num
    from ruian_desk.services.evaluation import evaluate, load_rubric

    today = _today(args.today)
    with _open(args.workspace, readonly=True) as ws:
        repo = ws.repo
        try:
            rubric = load_rubric(repo, args.rubric)
        except RubricError as exc:
            raise _usage(str(exc)) from None
        if args.year not in repo.years():
            raise _usage(f"工作区中没有{args.year}年的报告")
        ev = evaluate(repo, args.year, rubric, today)
        main = repo.main_organ()
    written: list[Path] = []
    if args.out:
        from ruian_desk.services.notices import write_evaluation_documents

        issuer = ""
        if main is not None:
            issuer = f"{main.name}办公室" if main.role == "county_government" else main.name
        written = write_evaluation_documents(ev, Path(args.out), issuer)
    if args.json:
        data = ev.to_json()
        data["files"] = [str(p) for p in written]
        print(_dumps(data))
    else:
        print(
            f"{args.year}年考核（{rubric.name}，满分 {num(rubric.total)} 分，低于 {num(rubric.rectify_below)} 分须整改）"
        )
        for u in ev.units:
            print(
                f"{u.score.rank:>3}. {u.unit}：{num(u.score.score)} 分"
                + (f"（{u.score.note}）" if u.score.note else "")
            )
            for d in u.score.deductions:
                print(f"       - {d.reason}")
        for note in ev.notes:
            print(f"说明：{note}")
        for p in written:
            print(p)
    return 0


def cmd_verify_published(args: argparse.Namespace) -> int:
    """`verify-published -w FILE --year Y PATH… [--unit NAME] [--json] [--out DIR]`: 0 every unit 一致, 1 any
    differs (or was not found or could not be read), 2 bad usage."""
    from ruian_desk.exchange.documents.importer import collect_documents, read_files
    from ruian_desk.exchange.documents.verify import (
        SAME,
        record_results,
        shown,
        verify_documents,
        write_sheets,
    )
    from ruian_desk.services.publication import adopt_from_pages
    from ruian_desk.storage.workspace import open_workspace

    files, path_problems = collect_documents(args.paths)
    if not files:
        for p in path_problems or ["没有可核验的文件"]:
            print(p, file=sys.stderr)
        return 2
    reads = read_files(files)
    with open_workspace(Path(args.workspace)) as ws:
        results = verify_documents(ws.repo, args.year, reads, args.unit)
        record_results(ws.repo, args.year, results)
        adopted = []
        if getattr(args, "record_publication", False):
            found = [(v.unit, v.file, v.published_date, v.link) for v in results
                     if v.status == SAME or v.status.startswith("有差异")]  # fmt: skip
            adopted = adopt_from_pages(ws.repo, args.year, found)
    if args.json:
        from ruian_desk.exchange.report_json import dumps

        print(dumps({"units": [v.to_json() for v in results]}))
    else:
        for v in results:
            print(f"{v.unit}：{v.status}" + (f"（{v.file}）" if v.file else ""))
            for c in v.cells[:50]:
                print(f"  {c.label}：发布稿 {shown(c.published)}，工作区 {shown(c.stored)}")
            for s in v.sentences[:50]:
                print(f"  {s.part}：发布稿“{s.published or '（无）'}” ≠ 工作区“{s.stored or '（无）'}”")
            for p in v.problems:
                print(f"  说明：{p}")
    if args.out:
        for path in write_sheets(results, args.year, Path(args.out)):
            print(path, file=sys.stderr if args.json else sys.stdout)
    for line in adopted:
        print(f"发布登记：{line}", file=sys.stderr)
    for p in path_problems:
        print(p, file=sys.stderr)
    return 0 if all(v.status == SAME for v in results) and not path_problems else 1


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "publication": cmd_publication,
    "evaluate": cmd_evaluate,
}
