"""The main window's status bar (unit, year, format, check counts, saved state), its title and help texts."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPushButton

from ruian_desk.domain.issues import counts as count_issues
from ruian_desk.domain.report import SAMPLE_MARK

if TYPE_CHECKING:
    from ruian_desk.gui.main_window import MainWindow

SHORTCUT_HELP = """<h3>快捷键</h3>
<table cellpadding="3">
<tr><td><b>Ctrl+1 … Ctrl+9</b></td><td>标题与引言、一、二(表二)、三(表三)、四(表四)、五、六、落款、指标</td></tr>
<tr><td><b>Ctrl+PgUp / Ctrl+PgDn</b></td><td>上一个 / 下一个导航节点</td></tr>
<tr><td><b>Alt+U / Alt+Y</b></td><td>选择单位 / 年度</td></tr>
<tr><td><b>Ctrl+Z / Ctrl+Y</b></td><td>撤销 / 重做（单元格、粘贴、文字、指标）</td></tr>
<tr><td><b>F5</b></td><td>审核面板</td></tr><tr><td><b>F8</b></td><td>转到下一个问题</td></tr>
<tr><td colspan="2"><br><b>表格</b></td></tr>
<tr><td>直接输入</td><td>替换单元格内容（全角数字、“1,234”均可）</td></tr>
<tr><td>Enter / Tab / Shift+Tab</td><td>下移 / 下一格 / 上一格（跳过自动计算的总计）</td></tr>
<tr><td>F2</td><td>修改单元格内容</td></tr><tr><td>Delete</td><td>清空（空白不等于0）</td></tr>
<tr><td>Ctrl+C / Ctrl+V</td><td>复制 / 粘贴 Excel、WPS 表格区域（整块一次保存，有错则整块不保存）</td></tr>
<tr><td colspan="2"><br><b>正文</b></td></tr>
<tr><td>Ctrl+K 或输入 {{</td><td>插入占位符（表格数字或指标，随数据自动更新）</td></tr>
</table>
<p>每处修改在停顿半秒后或离开输入框时即写入工作区；状态栏显示“已保存”即已写入磁盘。</p>"""


def build_status_bar(w: MainWindow) -> None:
    bar = w.ui.statusbar
    w.status_unit = QLabel(w)
    w.status_year = QLabel(w)
    w.status_format = QLabel(w)
    w.status_saved = QLabel(w)
    w.status_saved.setObjectName("savedLabel")
    w.status_counts = QPushButton(w)
    w.status_counts.setObjectName("issueCounts")
    w.status_counts.setFlat(True)
    w.status_counts.setToolTip(w.tr("打开审核面板（F5）"))
    w.status_counts.clicked.connect(w.show_checks)
    for label in (w.status_unit, w.status_year, w.status_format):
        label.setStyleSheet("padding: 0 8px;")
        bar.addWidget(label)
    bar.addPermanentWidget(w.status_counts)
    bar.addPermanentWidget(w.status_saved)
    bar.messageChanged.connect(partial(on_status_message, w))


def on_status_message(w: MainWindow, text: str) -> None:
    # A temporary message covers the unit/year/format labels. QStatusBar hides them itself, but its next
    # re-layout (any permanent widget changing size, e.g. the counts turning red) shows them again under
    # the message, and both texts are drawn over each other. Hidden explicitly, they stay hidden.
    for label in (w.status_unit, w.status_year, w.status_format):
        label.setVisible(not text)


def set_saved(w: MainWindow, text: str, css: str, tip: str = "") -> None:
    w.status_saved.setText(text)
    w.status_saved.setToolTip(tip)
    # Style sheets are costly to re-apply; this runs after every keystroke's store.
    if w.status_saved.styleSheet() != css:
        w.status_saved.setStyleSheet(css)


def on_saved(w: MainWindow, text: str) -> None:
    set_saved(w, text, "color: #2e7d32; padding: 0 8px;", w.tr("每处修改都已写入工作区文件"))


def on_pending(w: MainWindow, pending: bool) -> None:
    if pending:
        set_saved(
            w,
            w.tr("正在输入…"),
            "color: #5f6368; padding: 0 8px;",
            w.tr("停顿半秒或离开输入框后自动保存"),
        )


def on_store_failed(w: MainWindow, text: str) -> None:
    set_saved(w, text[:80], "color: #d32f2f; font-weight: bold; padding: 0 8px;", text)


def update_status(w: MainWindow, counts_now: bool = True) -> None:
    report = w.ctx.report() if w.ctx is not None and w.ctx.report_id is not None else None
    if report is None:
        for label in (w.status_unit, w.status_year, w.status_format, w.status_saved):
            label.setText("")
        w.status_counts.setText("")
        w.status_counts.setVisible(False)
        return
    fmt = report.fmt
    w.status_unit.setText(w.tr("单位：{0}").format(report.unit))
    w.status_year.setText(w.tr("{0}年度").format(report.year))
    w.status_format.setText(
        f"{fmt.id}（{fmt.notice_no}）" + (f" · {SAMPLE_MARK}" if report.is_sample else "")
    )
    if w.ctx is not None and w.ctx.readonly:
        set_saved(w, w.tr("只读"), "color: #5f6368; font-weight: bold; padding: 0 8px;")
    elif not w.status_saved.text():
        set_saved(w, w.tr("已保存"), "color: #2e7d32; padding: 0 8px;")
    w.status_counts.setVisible(True)
    if not counts_now:
        w.status_counts.setText(w.tr("审核中…"))
        return
    issues = w.ctx.issues() if w.ctx else []
    # What is still open: a warning with a written explanation has passed (as in the navigation marks).
    c = count_issues(issues, include_explained=False)
    explained = sum(1 for i in issues if i.explained)
    text = w.tr("错误 {0}  警告 {1}  提示 {2}").format(c["error"], c["warning"], c["info"])
    if explained:
        text += w.tr("  （已说明 {0}）").format(explained)
    w.status_counts.setText(text)
    color = "#d32f2f" if c["error"] else ("#b06000" if c["warning"] else "#2e7d32")
    css = f"color: {color}; font-weight: bold; padding: 0 8px;"
    if w.status_counts.styleSheet() != css:
        w.status_counts.setStyleSheet(css)


def update_title(w: MainWindow) -> None:
    parts = [w.tr("瑞安年报助手")]
    report = w.ctx.report() if w.ctx is not None and w.ctx.report_id is not None else None
    if report is not None:
        parts.append(f"{report.unit} {report.year}年")
    if w.ws is not None:
        parts.append(w.ws.path.name + (w.tr("（只读）") if w.ws.readonly else ""))
    w.setWindowTitle(" — ".join(parts))


def show_about(w: MainWindow) -> None:
    w.inform(
        w.tr("关于瑞安年报助手"),
        w.tr(
            "<h3>瑞安年报助手</h3><p>政府信息公开工作年度报告的填报、汇总、审核与导出（离线）。</p>"
            "<p>支持 gov-2019（国办公开办函〔2019〕60号）与 gov-2021（国办公开办函〔2021〕30号）两种格式。</p>"
            "<p>界面字体：思源黑体/Noto Sans CJK SC（SIL Open Font License）。</p>"
        ),
    )
