"""`python main.py snapshot -w FILE --out DIR`: every main view rendered offscreen to a PNG named after it.

The workspace is copied first (SQLite backup API) and the copy is opened, so a snapshot never writes to the
clerk's file and works while the app holds it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from ruian_desk.storage.workspace import WorkspaceError

MIN_WIDTH, MIN_HEIGHT = 1440, 900

# Navigation key → file stem (ASCII, sorted in reading order) and the view's Chinese name.
VIEW_FILES: dict[str, tuple[str, str]] = {
    "title": ("01-title-intro", "标题与引言"),
    "p1": ("02-p1-general", "一、总体情况"),
    "p2": ("03-p2-table2", "二、主动公开政府信息情况（表二）"),
    "p3": ("04-p3-table3", "三、收到和处理政府信息公开申请情况（表三）"),
    "p4": ("05-p4-table4", "四、政府信息公开行政复议、行政诉讼情况（表四）"),
    "p5": ("06-p5-problems", "五、存在的主要问题及改进情况"),
    "p6": ("07-p6-other", "六、其他需要报告的事项"),
    "signature": ("08-signature", "落款"),
    "units": ("09-units", "单位"),
    "metrics": ("10-metrics", "指标"),
    "charts": ("11-charts", "汇总图表"),
    "checks": ("12-checks", "审核"),
    "export": ("13-export", "导出"),
    "backup": ("14-backup", "备份与恢复"),
}


def _copy(src: Path, dst: Path) -> None:
    source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _settle(app, ms: int = 60) -> None:  # noqa: ANN001 - QApplication
    """Let layouts, lazy pages and timers (previews, charts) finish before grabbing."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def render_views(window, out: Path, app) -> list[tuple[Path, str]]:  # noqa: ANN001 - MainWindow, QApplication
    """Grab the start page and each view of the window's current report; returns (file, view name)."""
    from ruian_desk.gui.pages import HOSTED_PAGES

    written: list[tuple[Path, str]] = []
    window.resize(MIN_WIDTH, MIN_HEIGHT)
    window._show_start()  # noqa: SLF001 - the start page as a newcomer sees it
    _settle(app)
    path = out / "00-start.png"
    window.grab().save(str(path))
    written.append((path, "开始页"))
    window._show_work()  # noqa: SLF001
    for key, _label in window.node_keys():
        if key not in VIEW_FILES:
            continue
        stem, name = VIEW_FILES[key]
        window.resize(MIN_WIDTH, MIN_HEIGHT)
        page = window.show_node(key)
        _settle(app, 250 if key in HOSTED_PAGES else 60)
        finish = getattr(page, "settle", None)  # data worked out off the GUI thread (汇总图表)
        if callable(finish):
            finish()
            _settle(app)
        wanted = getattr(page, "snapshot_height", None)
        if callable(wanted):
            # A table is shown whole: the window grows until the grid needs no scrolling.
            stack_h = window.ui.pageStack.height()
            height = max(MIN_HEIGHT, window.height() - stack_h + int(wanted()))
            window.resize(MIN_WIDTH, height)
            _settle(app)
        file = out / f"{stem}.png"
        if not window.grab().save(str(file)):
            raise OSError(f"无法写入 {file}")
        written.append((file, name))
    # A click on the first open issue: the editor jumps to its cell, the check list docks underneath.
    issues = [i for i in window.ctx.issues() if not i.explained] if window.ctx is not None else []
    if issues:
        window.resize(MIN_WIDTH, MIN_HEIGHT + 200)
        window.show_node("checks")
        _settle(app)
        window.goto_issue(issues[0])
        _settle(app)
        file = out / "15-issue-jump.png"
        if not window.grab().save(str(file)):
            raise OSError(f"无法写入 {file}")
        written.append((file, "审核：点击问题后定位到单元格"))
    return written


def cli_snapshot(args: argparse.Namespace) -> int:
    source = Path(args.workspace)
    if not source.exists():
        raise WorkspaceError(f"工作区文件不存在：{source}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ruian_desk.gui.application import create_application
    from ruian_desk.gui.main_window import MainWindow
    from ruian_desk.storage.workspace import open_workspace

    app = create_application([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp(prefix="ruian-snapshot-"))
    try:
        copy = tmp / source.name
        try:
            _copy(source, copy)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"无法读取工作区：{source}（{exc}）") from None
        window = MainWindow()
        window.remember = False
        window.set_workspace(open_workspace(copy))
        window.show()
        written = render_views(window, out, app)
        window.close()
        window.deleteLater()
        _settle(app, 10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path, name in written:
        print(f"{path}\t{name}")
    return 0
