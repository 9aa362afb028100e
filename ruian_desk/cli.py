"""Command line: `python main.py <command> …` (and the installed `ruian-desk`). Headless commands never start Qt.

Exit codes: 0 success (for `check`: no errors), 1 the work found errors, 2 bad usage or unreadable input —
always with a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from ruian_desk.cli_check import cmd_check
from ruian_desk.cli_support import EXIT_FOUND_ERRORS, EXIT_OK, EXIT_USAGE, OPENED, UsageError, open_for
from ruian_desk.launch import gui_arguments


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help in Chinese: the usage line's heading (argparse's own texts are English, through gettext)."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's error messages (English in every locale: Python ships no translations of them).
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1：无效的选择 \2（可选：\3）"),
    (r"argument (.*?): invalid int value: (.*)", r"参数 \1：\2 不是整数"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"参数 \1：\3 不是有效的 \2 值"),
    (r"argument (.*?): expected one argument", r"参数 \1：需要一个值"),
    (r"argument (.*?): expected at least one argument", r"参数 \1：至少需要一个值"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1：不能与参数 \2 同时使用"),
    (r"argument (.*?): ignored explicit argument (.*)", r"参数 \1：不接受值 \2"),
)


def _chinese_error(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message).replace("'", "")
    return message


def program_name(argv0: str | None = None) -> str:
    """The program as the user invoked it: `ruian-desk`, `python main.py`, `python -m ruian_desk`."""
    base = os.path.basename(sys.argv[0] if argv0 is None else argv0) or "ruian-desk"
    if base == "__main__.py":
        return "python -m ruian_desk"
    if base.endswith(".py"):
        return f"python {base}"
    return base.removesuffix(".exe")


_EXAMPLES = """\
示例：
  {prog} --sample                                   打开示例工作区（图形界面）
  {prog} sample 示例.sqlite                         写出示例工作区
  {prog} check -w 示例.sqlite --year 2019           审核 2019 年报告
  {prog} export -w 示例.sqlite --year 2019 --out 导出 --format docx,pdf
  {prog} template -w 示例.sqlite --year 2019 --out 模板
  {prog} import-xlsx -w 示例.sqlite 模板
  {prog} 命令 --help                                某个命令的用法

退出码：0 成功（check：没有错误），1 发现错误，2 用法错误或输入无法读取。"""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's signature
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # added below, with a Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")

    def error(self, message: str) -> NoReturn:
        _say(f"用法错误：{_chinese_error(message)}（{self.prog} --help 查看用法）")
        raise SystemExit(EXIT_USAGE)


def _say(message: str) -> None:
    line = " ".join(str(message).split("\n")).strip()
    print(line, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    prog = program_name()
    p = _Parser(
        prog=prog,
        description="瑞安年报助手：政府信息公开工作年度报告的编制、审核与导出（不带命令时打开图形界面）",
        epilog=_EXAMPLES.format(prog=prog),
    )
    p.add_argument("--workspace", "-w", help="打开的工作区文件（图形界面）")
    p.add_argument("--sample", action="store_true", help="打开示例工作区（瑞安市人民政府2019年报）")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, title="命令", metavar="命令")

    s = sub.add_parser("sample", help="写出瑞安市人民政府2019年示例工作区")
    s.add_argument("file")
    s.add_argument("--force", action="store_true", help="覆盖已有文件（先自动备份原文件）")

    c = sub.add_parser("check", help="审核一份报告")
    _ws(c)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--unit", help="单位名称（默认：工作区的主报告单位；以 - 开头的名称写成 --unit=-名称）")
    c.add_argument("--json", action="store_true", help="输出 JSON")
    c.add_argument(
        "--adopt-unit-sums",
        action="store_true",
        help="采用各单位汇总数（清除本级填写数）：清除主报告在汇总各单位的表格中填写的数，再审核",
    )

    i = sub.add_parser("import-json", help="导入报告 JSON（工作区不存在时新建）")
    _ws(i)
    i.add_argument("files", nargs="+")

    e = sub.add_parser("export", help="导出报告")
    _ws(e)
    e.add_argument("--year", type=int, required=True)
    e.add_argument("--unit", help="单位名称（默认：主报告单位；以 - 开头的名称写成 --unit=-名称）")
    e.add_argument(
        "--format", default="docx,pdf,xlsx,html,json", help="逗号分隔：docx,pdf,xlsx,html,json,charts"
    )
    e.add_argument("--out", required=True)
    e.add_argument("--allow-errors", action="store_true", help="审核仍有错误时也导出")
    e.add_argument("--no-signature", action="store_true", help="不印落款（单位与日期）")
    e.add_argument(
        "--html-inline-images", action="store_true", help="网页中的图片嵌入页面（base64），不另存为图片文件"
    )
    e.add_argument("--with-checks", action="store_true", help="Excel 中附上审核结果工作表（供内部核对）")
    e.add_argument(
        "--with-charts", action="store_true", help="在 Word/PDF/网页中附上图解和图表（需要图表模块）"
    )

    t = sub.add_parser("template", help="生成下发给各单位的 Excel 填报模板")
    _ws(t)
    t.add_argument("--year", type=int, required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--unit", nargs="*", help="单位名称（默认：全部参与汇总的单位）")
    t.add_argument(
        "--feedback", nargs="?", const="xlsx", choices=("xlsx", "docx"), help="改为生成有错误单位的审核意见"
    )

    x = sub.add_parser("import-xlsx", help="导入各单位交回的 Excel 模板（文件或文件夹）")
    _ws(x)
    x.add_argument("paths", nargs="+")

    r = sub.add_parser(
        "import-report",
        help="导入各单位报送或已发布的报告（Word .docx、网页 .html、PDF、文本 .txt；文件或文件夹）",
    )
    _ws(r)
    r.add_argument("paths", nargs="+", metavar="PATH")
    r.add_argument("--unit", help="单位名称（不按文件中读出的单位）")
    r.add_argument("--year", type=int, help="年度（不按文件中读出的年度）")
    r.add_argument("--dry-run", action="store_true", help="只读取和显示，不写入工作区")
    r.add_argument("--json", action="store_true", help="以 JSON 输出读取结果")
    r.add_argument("--yes", action="store_true", help="确认写入工作区（不加时只显示将导入的内容）")

    vp = sub.add_parser(
        "verify-published", help="发布回读核验：各单位已发布的报告与工作区中已确认的报告逐项比对"
    )
    _ws(vp)
    vp.add_argument("--year", type=int, required=True)
    vp.add_argument("paths", nargs="+", metavar="PATH")
    vp.add_argument("--unit", help="单位名称（不按文件中读出的单位匹配）")
    vp.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")
    vp.add_argument("--out", help="把核验表（XLSX 和 DOCX）写到此文件夹")
    vp.add_argument(
        "--record-publication", action="store_true", help="把网页中读出的发布日期和链接登记为发布情况"
    )

    b = sub.add_parser("backup", help="备份工作区、列出备份、检查或从备份恢复")
    _ws(b)
    act = b.add_mutually_exclusive_group()
    act.add_argument("--list", action="store_true", help="列出已有备份（时间、原因、大小）")
    act.add_argument("--restore", metavar="BACKUP", help="用此备份替换工作区（先自动备份当前文件）")
    act.add_argument("--check", action="store_true", help="完整性检查（integrity_check），不写入任何内容")

    from ruian_desk.cli_publish import add_parsers

    add_parsers(sub, _ws)  # publication, evaluate

    n = sub.add_parser("snapshot", help="把主要界面渲染成 PNG（离屏）")
    _ws(n)
    n.add_argument("--out", required=True)
    return p


def _ws(p: argparse.ArgumentParser) -> None:
    p.add_argument("-w", "--workspace", required=True, help="工作区文件")


def main(argv: Sequence[str] | None = None) -> int:
    gui = gui_arguments(sys.argv[1:] if argv is None else list(argv))
    if gui is not None:
        from ruian_desk.app import run_gui

        return run_gui(workspace=gui[0], sample=gui[1])
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ruian_desk.app import run_gui

        return run_gui(workspace=args.workspace, sample=args.sample)
    handler = COMMANDS[args.command]
    try:
        try:
            return handler(args)
        finally:
            _warn_notes()
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("已中断")
        return EXIT_USAGE
    except BrokenPipeError:
        # `check | head`: the reader went away; nothing more to say.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log gets the traceback
        known = _damage_error(exc, getattr(args, "workspace", None)) or _known_error(exc)
        if known is not None:
            _say(known)
            return EXIT_USAGE
        log = _write_crash_log()
        _say(f"内部错误：{type(exc).__name__}: {exc}（详情见 {log}）")
        return EXIT_USAGE


def _known_error(exc: Exception) -> str | None:
    from ruian_desk.domain.formats import FormatError
    from ruian_desk.domain.report import CellInputError
    from ruian_desk.exchange.report_json import ReportFileError
    from ruian_desk.export.bundle import ExportError
    from ruian_desk.storage.assemble import ReportNotFound
    from ruian_desk.storage.repository import ReadOnlyError
    from ruian_desk.storage.workspace import WorkspaceError

    known: tuple[type[Exception], ...] = (
        WorkspaceError,
        ReportFileError,
        ReportNotFound,
        FormatError,
        CellInputError,
        ExportError,
        ReadOnlyError,
    )
    from ruian_desk.exchange.documents.model import DocumentError
    from ruian_desk.exchange.unit_template import TemplateError
    from ruian_desk.storage.lock import LockError

    known += (TemplateError, LockError, DocumentError)
    if isinstance(exc, known):
        return str(exc)
    if isinstance(exc, ImportError):
        from ruian_desk.app import missing_dependency_message

        return missing_dependency_message(exc)
    import sqlite3

    if isinstance(exc, sqlite3.Error) or isinstance(exc, OSError) and exc.errno is not None:
        # A write the disk refused (full, read-only, I/O error): each edit is one transaction, nothing half done.
        from ruian_desk.storage.workspace import write_error_message

        return f"工作区写入失败：{write_error_message(exc)}"
    return None


def _damage_error(exc: Exception, workspace: str | None) -> str | None:
    """A stored value that cannot be decoded (a flipped bit in a text, a schema that no longer parses) is
    damage, told as such with the newest good backup named, never as a failed write or an internal error."""
    import sqlite3

    text = str(exc).lower()
    decoding = isinstance(exc, UnicodeDecodeError) or (
        isinstance(exc, sqlite3.Error) and ("could not decode" in text or "malformed" in text)
    )
    if not decoding:
        return None
    from ruian_desk.storage.workspace import damage_message

    return damage_message(Path(workspace) if workspace else None, str(exc))


def _warn_notes() -> None:
    """What an opened workspace has to tell (a daily backup that failed, a -wal that could not be read)."""
    while OPENED:
        ws = OPENED.pop(0)
        ws.wait_for_backups()
        for note in ws.notes:
            _say(f"警告：{note}")


def _write_crash_log() -> str:
    from ruian_desk.paths import user_data_dir

    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "cli-error.log"
        with path.open("a", encoding="utf-8") as f:
            f.write(traceback.format_exc() + "\n")
        return str(path)
    except OSError:
        return "（无法写入日志）"






# ----------------------------------------------------------------------------------- commands


def cmd_sample(args: argparse.Namespace) -> int:
    from ruian_desk.services.sample import build_sample

    # build_sample takes the writer lock before it deletes anything (--force on a file held elsewhere) and
    # backs the old file up (verified) before replacing it: --force never destroys work.
    backed_up: list[Path] = []
    build_sample(Path(args.file), force=args.force, backed_up=backed_up).close()
    for copy in backed_up:
        print(f"原文件已备份：{copy}")
    print(f"已写出示例工作区：{args.file}")
    return EXIT_OK








def cmd_import_json(args: argparse.Namespace) -> int:
    from ruian_desk.exchange.report_json import ReportFileError, read_report_file
    from ruian_desk.services.imports import ImportRefused, same_report_twice, store_json_reports

    reports = []
    failures: list[str] = []
    for name in args.files:
        try:
            reports.append((name, read_report_file(name)))
        except ReportFileError as exc:
            failures.append(str(exc))
    failures += same_report_twice([(name, (r.unit, r.year)) for name, r in reports])
    if failures:
        # Nothing is stored when any file is refused: the clerk fixes it and runs the same command again.
        _say("；".join(failures) + "（未导入任何文件）")
        return EXIT_USAGE
    existed = Path(args.workspace).exists()
    try:
        with open_for(args.workspace, create=True) as ws:
            try:
                store_json_reports(ws, reports)
            except ImportRefused as exc:
                raise UsageError(str(exc)) from None
    except BaseException:
        if not existed:
            _remove_new_workspace(Path(args.workspace))  # a refused import leaves no new file behind
        raise
    for name, report in reports:
        print(f"已导入：{name}（{report.unit} {report.year}年）")
    return EXIT_OK


def _remove_new_workspace(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            p.unlink()
        except OSError:
            pass


def cmd_export(args: argparse.Namespace) -> int:
    from ruian_desk.export.bundle import export_bundle
    from ruian_desk.export.view import ExportOptions, build_view
    from ruian_desk.storage.assemble import resolve_report_id

    names = [n.strip() for n in args.format.split(",") if n.strip()]
    if not names:
        raise UsageError("--format 不能为空")
    options = ExportOptions(
        signature=not args.no_signature,
        charts=args.with_charts,
        tujie=args.with_charts,
        html_inline_images=args.html_inline_images,
        with_checks=args.with_checks,
    )
    with open_for(args.workspace, readonly=True) as ws:
        report_id = resolve_report_id(ws.repo, args.year, args.unit)
        view = build_view(
            ws.repo, report_id, workspace=str(Path(args.workspace).resolve()), options=options, formats=names
        )
    errors = view.counts["error"]
    if errors and not args.allow_errors:
        _say(f"审核仍有 {errors} 个错误，未导出（先修正，或加 --allow-errors 强制导出）")
        return EXIT_FOUND_ERRORS
    written = export_bundle(view, names, Path(args.out))
    for path in written:
        print(path)
    return EXIT_OK


def cmd_import_report(args: argparse.Namespace) -> int:
    from ruian_desk.cli_import import cmd_import_report

    return cmd_import_report(args)


def cmd_verify_published(args: argparse.Namespace) -> int:
    from ruian_desk.cli_publish import cmd_verify_published

    return cmd_verify_published(args)


def cmd_backup(args: argparse.Namespace) -> int:
    from ruian_desk.storage.backup import list_backups
    from ruian_desk.storage.restore import restore_backup, restore_file
    from ruian_desk.storage.workspace import WorkspaceError, open_workspace

    path = Path(args.workspace)
    if not path.exists():
        raise UsageError(f"工作区文件不存在：{path}")
    if args.list:
        backups = list_backups(path)
        if not backups:
            print(f"{path} 还没有备份")
        for b in backups:
            print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.reason_label:<8}  {b.size_text:>9}  {b.path}")
        return EXIT_OK
    if args.check:
        with open_workspace(path, readonly=True) as ws:
            problems = ws.integrity_problems(full=True)
        if problems:
            _say(f"完整性检查发现 {len(problems)} 处问题：{problems[0]}")
            return EXIT_FOUND_ERRORS
        print(f"完整性检查通过：{path}")
        return EXIT_OK
    if args.restore:
        backup = Path(args.restore)
        if not backup.is_file():
            raise UsageError(f"备份文件不存在：{backup}")
        try:
            ws = open_workspace(path, daily_backup=False)
        except WorkspaceError as exc:
            if exc.can_open_readonly or exc.kind not in ("damaged", "not_workspace", "newer"):
                raise
            # The file cannot be opened (that is usually why one restores): keep it aside, then replace it.
            kept = restore_file(path, backup)
        else:
            before = {b.path for b in ws.backups()}
            restore_backup(ws, backup).close()
            kept = next(b for b in list_backups(path) if b.path not in before and b.reason == "restore")
        print(f"已从备份恢复：{backup}（恢复前的文件已保存为 {kept.path}）")
        return EXIT_OK
    with open_workspace(path, daily_backup=False) as ws:
        info = ws.backup_now()
    print(f"已备份：{info.path}（{info.size_text}，已校验）")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """`template -w FILE --year Y --out DIR [--unit NAME…] [--feedback [xlsx|docx]]`."""
    from ruian_desk.exchange.feedback import export_feedback
    from ruian_desk.services.templates import generate_templates
    from ruian_desk.storage.workspace import open_workspace

    with open_workspace(Path(args.workspace)) as ws:
        feedback = getattr(args, "feedback", None)
        if feedback:
            written, clean = export_feedback(ws.repo, args.year, Path(args.out), args.unit or None, kind=feedback)
            for path in written:
                print(path)
            if clean:
                print(f"无错误、未生成审核意见：{'、'.join(clean)}")
            if not written:
                print(f"{args.year}年没有需要退回修改的单位")
            return 0
        for path in generate_templates(ws, args.year, Path(args.out), args.unit or None):
            print(path)
        return 0


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    """`import-xlsx -w FILE PATH…`: 0 all imported, 2 any file refused (valid files are still imported)."""
    from ruian_desk.cli_import import cmd_import_xlsx

    return cmd_import_xlsx(args)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from ruian_desk.gui.snapshot import cli_snapshot

    return cli_snapshot(args)


from ruian_desk.cli_publish import COMMANDS as publish_commands  # noqa: E402 - after the handlers it joins

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "sample": cmd_sample,
    "check": cmd_check,
    "import-json": cmd_import_json,
    "export": cmd_export,
    "template": cmd_template,
    "import-xlsx": cmd_import_xlsx,
    "import-report": cmd_import_report,
    "verify-published": cmd_verify_published,
    "snapshot": cmd_snapshot,
    "backup": cmd_backup,
    **publish_commands,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
