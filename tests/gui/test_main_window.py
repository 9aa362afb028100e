"""The main window: opening workspaces, the start page, new reports, the picker, hosted pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ruian_desk.storage.workspace import WorkspaceError
from tests.gui.conftest import db_value

ROOT = Path(__file__).resolve().parents[2]


def _make_window(qtbot, dialogs):  # noqa: ANN001, ANN202
    from ruian_desk.gui.main_window import MainWindow

    w = MainWindow()
    w.ask = dialogs.ask
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    return w


def test_default_workspace_opens_without_any_dialog(
    app, qtbot, sample_template, dialogs, monkeypatch, tmp_path
) -> None:  # noqa: ANN001
    """`python main.py` on the happy path: the default workspace opens straight into the main report."""
    import shutil

    from PySide6.QtWidgets import QMessageBox

    from ruian_desk.app import resolve_workspace
    from ruian_desk.gui import main_window

    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    default = tmp_path / "home" / "workspace.sqlite"
    default.parent.mkdir()
    shutil.copy(sample_template, default)
    path = resolve_workspace(None, False)
    assert path == default
    monkeypatch.setattr(QMessageBox, "question", _no_dialog)
    monkeypatch.setattr(QMessageBox, "warning", _no_dialog)
    monkeypatch.setattr(QMessageBox, "information", _no_dialog)
    w = main_window.open_main_window(path)
    qtbot.addWidget(w)
    assert not w.showing_start()
    assert w.ctx.report().unit == "瑞安市人民政府" and w.ctx.report().year == 2019
    assert w.current_node() == "title"
    assert w.status_unit.text() == "单位：瑞安市人民政府"
    assert "gov-2019" in w.status_format.text()
    from ruian_desk.gui import settings

    assert settings.recent_workspaces()[0] == str(default.resolve())
    w.close()
    # Next start returns to the report that was open.
    assert settings.last_report(default) == ("瑞安市人民政府", 2019)


def test_python_main_py_goes_back_to_the_workspace_last_opened(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """`python main.py` after a day on the sample (or a file elsewhere): that workspace again, not the start
    page or the default one; a last workspace that was moved away is passed over."""
    from ruian_desk.app import resolve_workspace

    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    last = tmp_path / "d" / "年报.sqlite"
    last.parent.mkdir()
    last.write_bytes(b"x")
    gone = tmp_path / "moved.sqlite"
    assert resolve_workspace(None, False, [str(gone), str(last)]) == last
    assert resolve_workspace(None, False, []) is None  # nothing opened before, no default: the start page
    assert resolve_workspace("other.sqlite", False, [str(last)]) == Path("other.sqlite")


def _no_dialog(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
    raise AssertionError("a dialog was shown on the happy path")


def test_no_workspace_shows_the_start_page(app, qtbot, dialogs) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import open_main_window

    w = open_main_window(None)
    qtbot.addWidget(w)
    assert w.showing_start()
    assert not w.start_page.ui.fromPreviousButton.isEnabled()
    assert w.start_page.ui.reportList.item(0).text() == "（未打开工作区）"


def test_every_window_has_the_app_icon(app, qtbot, dialogs) -> None:  # noqa: ANN001
    w = _make_window(qtbot, dialogs)
    icon = w.windowIcon()
    assert not icon.isNull() and not app.windowIcon().isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    # The red square of the 年 icon, not a blank or Qt's default.
    corner = image.pixelColor(20, 10)
    assert corner.red() > 150 and corner.green() < 80 and corner.blue() < 80


class HeldElsewhere(WorkspaceError):
    """What the single-writer lock raises when another instance holds the file."""

    can_open_readonly = True


def test_locked_workspace_offers_read_only(app, qtbot, dialogs, sample_path, monkeypatch) -> None:  # noqa: ANN001
    from ruian_desk.gui import window_workspace

    real = window_workspace.open_workspace
    calls: list[bool] = []

    def fake_open(path, create=False, readonly=False, daily_backup=True):  # noqa: ANN001, ANN202
        calls.append(readonly)
        if not readonly:
            raise HeldElsewhere("工作区正由另一个瑞安年报助手使用（进程 4242，主机 PC-01）")
        return real(path, create=create, readonly=readonly)

    monkeypatch.setattr(window_workspace, "open_workspace", fake_open)
    w = _make_window(qtbot, dialogs)
    dialogs.answer = True
    assert w.open_path(sample_path)
    assert calls[0] is False  # then read-only (here, or through the backup module's recovery when present)
    assert "进程 4242" in dialogs.asked[0][1] and "只读" in dialogs.asked[0][1]
    assert w.ws.readonly and w.status_saved.text() == "只读"
    assert "（只读）" in w.windowTitle()
    # Declining leaves the start page and opens nothing.
    w2 = _make_window(qtbot, dialogs)
    dialogs.answer = False
    assert not w2.open_path(sample_path)
    assert w2.ws is None and w2.showing_start()
    w.close_workspace()


def test_other_workspace_errors_are_shown(app, qtbot, dialogs, tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "not-a-workspace.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 10)
    w = _make_window(qtbot, dialogs)
    assert not w.open_path(bad)
    assert dialogs.told and "不是工作区文件" in dialogs.told[0][1]
    assert not dialogs.asked
    assert w.showing_start()


def test_new_report_from_last_year_carries_the_figures(window, sample_path) -> None:  # noqa: ANN001
    ctx = window.ctx
    repo = ctx.repo
    prev = ctx.report()
    rid = window.create_report("瑞安市人民政府", "county_government", 2020, False, True)
    assert rid is not None and ctx.report_id == rid
    report = ctx.report()
    assert report.format_id == "gov-2019" and report.year == 2020
    assert report.title == "瑞安市人民政府2020年政府信息公开工作年度报告"
    assert "自2020年1月1日起至2020年12月31日止" in report.intro
    assert report.part("p1") == prev.part("p1")  # last year's text as the draft
    for col in ("np", "ce", "ri", "spo", "lso", "oth"):
        assert report.cells[f"t3.carry_in.{col}"] == prev.values.get(f"t3.carry_out.{col}")
    # 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (the format's cross-year rule).
    assert report.cells["t2_5.license.prev_items"] == 1468 - 36
    assert "t3.new.np" not in report.cells  # this year's own figures are blank
    assert [m.key for m in report.metrics] == [m.key for m in prev.metrics]
    assert all(m.value is None for m in report.metrics)
    assert repo.get_setting(rid, "scope.t3") == repo.get_setting(prev.id, "scope.t3") == "own"  # inherited
    assert repo.get_setting(rid, "scope.t2") == "own"
    assert not report.sample_tables
    # The picker and the window follow.
    assert window.ui.yearCombo.currentText() == "2020年"
    assert window.status_year.text() == "2020年度"
    assert db_value(sample_path, rid, "t3.carry_in.np") == "94"
    # And a 2021 report takes the 2021 format, carrying 上年结转 across the format change.
    repo.set_cell(rid, "t3.carry_out.np", 7)
    rid21 = window.create_report("瑞安市人民政府", "county_government", 2021, False, True)
    r21 = ctx.report()
    assert rid21 == r21.id and r21.format_id == "gov-2021"
    assert r21.cells["t3.carry_in.np"] == 7
    assert "t3.carry_in.ce" not in r21.cells  # blank in 2020: nothing to carry
    assert "t2_1.normative.valid" not in r21.cells  # 2019 format's 对外公开总数量 is not 现行有效件数


def test_new_county_report_from_last_year_carries_nothing_into_rolled_up_tables(window) -> None:  # noqa: ANN001
    """表三 of the county is the units' sum (scope 汇总各单位): a carried 上年结转 would be a hidden own value
    that X-AGG (an error, which no explanation can pass) compares with this year's units, so one unit's
    legitimately different carry-in (a merger) would block the export. The cross-year comparison is
    T3-XYEAR-CARRY's (a warning) on the rolled-up numbers."""
    from ruian_desk.domain.report import default_report
    from ruian_desk.storage.assemble import check_report

    ctx = window.ctx
    repo = ctx.repo
    prev_id = ctx.report_id
    repo.set_setting(prev_id, "scope.t3", "rollup")
    rid = window.create_report("瑞安市人民政府", "county_government", 2020, False, True)
    stored = repo.load_report(rid)
    assert not [c for c in stored.cells if c.startswith("t3.")]  # rolled up: nothing of its own
    assert stored.cells["t2_5.license.prev_items"] == 1468 - 36  # 表二 stays 本级填写: carried
    police = repo.unit_by_name("瑞安市公安局（示例单位）")
    carried = repo.load_report(repo.find_report(police.name, 2019)).values.get("t3.carry_out.np")
    unit_report = default_report(police, 2020).with_cells(
        {"t3.new.np": 3, "t3.carry_in.np": carried + 1, "t3.r1_open.np": carried + 4}
    )
    repo.save_report(unit_report)
    _, issues = check_report(repo, rid)
    assert not [i for i in issues if i.rule == "X-AGG"]
    assert ("t3.carry_in.np",) in [i.cells for i in issues if i.rule == "T3-XYEAR-CARRY"]


def test_picker_switches_to_a_unit_report(window) -> None:  # noqa: ANN001
    unit = "瑞安市公安局（示例单位）"
    combo = window.ui.unitCombo
    assert combo.itemText(0) == "瑞安市人民政府（主报告）"
    i = combo.findData(unit)
    assert i > 0
    combo.setCurrentIndex(i)
    window._on_unit_picked(i)  # noqa: SLF001 - what activating the combo does
    report = window.ctx.report()
    assert report.unit == unit
    page = window.show_node("p3")
    assert page.model.report.unit == unit
    assert not page.scope_banner.isVisible()  # a unit's own table, not a roll-up
    assert window.status_unit.text() == f"单位：{unit}"
    assert window.select_report("瑞安市人民政府", 2019)
    assert window.ctx.report().unit == "瑞安市人民政府"


@pytest.mark.parametrize("key", ["units", "charts", "export", "backup"])
def test_pages_of_other_parts_load_when_first_shown(window, key: str) -> None:  # noqa: ANN001
    """Every page ships with the app (plain imports, no page left out because its module is missing)."""
    from ruian_desk.gui.pages import HOSTED_PAGES, PlaceholderPage

    assert key not in window.pages
    page = window.show_node(key)
    assert window.ui.pageStack.currentWidget() is page
    assert not isinstance(page, PlaceholderPage), getattr(page, "message", None) and page.message.text()
    assert isinstance(page, HOSTED_PAGES[key].load())
    assert HOSTED_PAGES[key].title in [k for _, k in window.node_keys()]


def test_workspace_copy(window, tmp_path) -> None:  # noqa: ANN001
    import sqlite3

    from ruian_desk.services.reports import copy_workspace

    target = tmp_path / "copy.sqlite"
    copy_workspace(window.ws, target)
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 8
    conn.close()


def test_open_sample_makes_a_fresh_copy(app, qtbot, dialogs, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setenv("RUIAN_DESK_HOME", str(tmp_path / "home"))
    w = _make_window(qtbot, dialogs)
    assert w.open_sample()
    rid = w.ctx.report_id
    w.ctx.repo.set_cell(rid, "t3.new.np", 1)
    assert w.open_sample()  # a fresh copy, beside the edited one (which is never replaced: issue #15)
    assert w.ctx.report().cells["t3.new.np"] == 2373
    assert w.ws.path == tmp_path / "home" / "示例-瑞安市人民政府2019年报（2）.sqlite"
    w.close_workspace()


def test_start_up_does_not_import_heavy_libraries(sample_path) -> None:  # noqa: ANN001
    code = (
        "import os, sys\n"
        "os.environ['RUIAN_DESK_EXIT_WHEN_IDLE'] = '1'\n"
        "from ruian_desk.app import run_gui\n"
        f"rc = run_gui({str(sample_path)!r})\n"
        "from ruian_desk.startup import loaded_too_early\n"
        "heavy = loaded_too_early(sys.modules)  # the start-up budget: ruian_desk/startup.py\n"
        "assert rc == 0, rc\n"
        "assert not heavy, heavy\n"
        "assert 'ruian_desk.gui.main_window' in sys.modules\n"
        "print('ok')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("ok")


def test_the_window_starts_without_the_command_line_parser(sample_path) -> None:  # noqa: ANN001
    """`python main.py --workspace FILE` (what the benchmark and the shortcut start) reads its arguments
    without building the command line's parser or importing the command modules (start-up budget)."""
    code = (
        "import os, runpy, sys\n"
        "os.environ['RUIAN_DESK_EXIT_WHEN_IDLE'] = '1'\n"
        f"sys.argv = ['main.py', '--workspace', {str(sample_path)!r}]\n"
        "try:\n"
        "    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "assert 'ruian_desk.gui.main_window' in sys.modules\n"
        "early = [m for m in ('ruian_desk.cli', 'ruian_desk.cli_check', 'ruian_desk.cli_publish') if m in sys.modules]\n"
        "assert not early, early\n"
        "print('ok')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("ok")


def test_start_up_markers_idle_then_checks_shown(sample_path, tmp_path) -> None:  # noqa: ANN001
    """What the start-up benchmark reads: the first idle pass of the event loop, then (with "checked") the
    moment the status bar shows the report's check counts, computed after the window was drawn."""
    code = (
        "import os, time\n"
        "from ruian_desk.app import run_gui\n"
        "import ruian_desk.gui.main_window as mw\n"
        "init = mw.MainWindow.__init__\n"
        "def spy(self, *args):\n"
        "    init(self, *args)\n"
        "    report = lambda: print('COUNTS', self.status_counts.text(), self._drawn, flush=True)\n"
        "    self.checks_shown.connect(report)  # before the benchmark's own slot, which quits\n"
        "mw.MainWindow.__init__ = spy\n"
        f"raise SystemExit(run_gui({str(sample_path)!r}))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "RUIAN_DESK_EXIT_WHEN_IDLE": "checked",
        "RUIAN_DESK_HOME": str(tmp_path / "home"),
    }
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["RUIAN-DESK-IDLE", "COUNTS", "RUIAN-DESK-CHECKED"]
    idle, checked = float(lines[0].split()[1]), float(lines[2].split()[1])
    assert checked >= idle
    # The counts are real ones, and they came after the window had been drawn.
    counts = lines[1].split()
    assert counts[1:4] == ["错误", "0", "警告"] and counts[5] == "提示" and counts[7] == "True"
    assert int(counts[4]) + int(counts[6]) > 0


def test_first_report_in_an_empty_workspace(app, qtbot, dialogs, empty_ws) -> None:  # noqa: ANN001
    from ruian_desk.gui.main_window import MainWindow

    w = MainWindow()
    w.remember = False
    w.inform = dialogs.inform
    qtbot.addWidget(w)
    w.set_workspace(empty_ws)
    assert w.showing_start()
    assert w.start_page.ui.reportList.item(0).text().startswith("（本工作区还没有报告")
    rid = w.create_report("瑞安市塘下镇人民政府", "township", 2022, True, False)
    assert rid is not None and not w.showing_start()
    report = w.ctx.report()
    assert (report.unit, report.unit_role, report.year, report.format_id) == (
        "瑞安市塘下镇人民政府",
        "township",
        2022,
        "gov-2021",
    )
    assert report.title == "瑞安市塘下镇人民政府2022年政府信息公开工作年度报告"
    assert empty_ws.repo.main_organ().name == "瑞安市塘下镇人民政府"
    assert w.ui.unitCombo.currentText() == "瑞安市塘下镇人民政府（主报告）"
    page = w.show_node("p3")
    assert page.model.rowCount() == 28 and page.model.data(page.model.index_of("t3.new.total")) == ""
    # Asking again for the same unit and year opens the existing report instead of a second one.
    assert w.create_report("瑞安市塘下镇人民政府", "township", 2022, False, False) == rid
    w.close_workspace()


def test_new_report_dialog_follows_the_year(app, qtbot, sample_ws) -> None:  # noqa: ANN001
    from ruian_desk.gui.dialogs.new_report import NewReportDialog, default_report_year

    d = NewReportDialog(sample_ws.repo, from_previous=True)
    qtbot.addWidget(d)
    ui = d.ui
    assert ui.unitCombo.currentText() == "瑞安市人民政府"
    assert ui.yearSpin.value() == 2020  # the year after the last report of the unit
    assert ui.fromPreviousCheck.isChecked() and ui.fromPreviousCheck.isEnabled()
    assert "gov-2019" in ui.formatLabel.text()
    assert "2019年“结转下年度”" in ui.previousInfo.text()
    ui.yearSpin.setValue(2021)
    assert "gov-2021" in ui.formatLabel.text() and "30号" in ui.formatLabel.text()
    assert not ui.fromPreviousCheck.isEnabled()  # no 2020 report to start from
    ui.yearSpin.setValue(2019)
    assert "已存在" in ui.previousInfo.text()
    ui.unitCombo.setCurrentText("瑞安市审计局")
    assert ui.roleCombo.isEnabled()  # a new unit: its role is chosen here
    choice = d.choice()
    assert (choice.unit, choice.year, choice.from_previous) == ("瑞安市审计局", 2019, False)
    assert default_report_year(__import__("datetime").date(2025, 2, 1)) == 2024
    assert default_report_year(__import__("datetime").date(2025, 10, 1)) == 2025


def test_placeholder_picker_filters_and_shows_values(app, qtbot, ctx) -> None:  # noqa: ANN001
    from ruian_desk.gui.editors.placeholder_picker import PlaceholderPicker

    picker = PlaceholderPicker(ctx.report())
    qtbot.addWidget(picker)
    picker.filter.setText("即办事项占比")
    assert picker.chosen_key() == "instant_share"
    assert "76.75" in picker.list.currentItem().text(2)
    picker.filter.setText("本年新收 总计")
    assert picker.chosen_key() == "t3.new.total"
    assert picker.list.currentItem().text(2) == "2899"


def test_checks_and_the_daily_backup_wait_for_the_first_paint(
    app, qtbot, sample_path, dialogs, tmp_path
) -> None:  # noqa: ANN001
    """A report being opened is drawn first (status 审核中…); its checks and today's backup follow."""
    import shutil

    from ruian_desk.domain.rules import counts
    from ruian_desk.storage.backup import list_backups

    w = _make_window(qtbot, dialogs)
    w.remember = False
    w.resize(1200, 800)
    assert w.open_path(sample_path)
    checked: list[int] = []
    w.ctx.checked.connect(lambda: checked.append(1))
    qtbot.wait(50)  # the event loop runs, but the window has not been shown, so not drawn
    assert w.ctx.report().unit == "瑞安市人民政府"
    assert w.checks_pending() and w.status_counts.text() == "审核中…" and checked == []
    assert list_backups(sample_path) == []
    with qtbot.waitSignal(w.checks_shown, timeout=10000):
        w.show()
    assert checked == [1] and not w.checks_pending()
    c = counts(w.ctx.issues())
    assert w.status_counts.text() == f"错误 {c['error']}  警告 {c['warning']}  提示 {c['info']}"
    qtbot.waitUntil(lambda: [b.reason for b in list_backups(sample_path)] == ["daily"], timeout=10000)
    w.close_workspace()

    # Something that needs the checks before their turn gets them, and the status bar follows at once.
    other = tmp_path / "other" / "copy.sqlite"
    other.parent.mkdir()
    shutil.copy(sample_path, other)
    w2 = _make_window(qtbot, dialogs)
    w2.remember = False
    assert w2.open_path(other)
    assert w2.checks_pending()
    issues = w2.ctx.issues()
    assert not w2.checks_pending() and w2.status_counts.text().startswith(f"错误 {counts(issues)['error']}")
    # A window closed before it was ever drawn still leaves today's backup.
    assert list_backups(other) == []
    w2.close_workspace()
    assert [b.reason for b in list_backups(other)] == ["daily"]


def test_reopening_an_unchanged_workspace_shows_the_findings_it_was_closed_with(
    app, qtbot, sample_path, dialogs, monkeypatch
) -> None:  # noqa: ANN001
    """The second start shows the same counts and marks without checking the report again; the first edit
    checks afresh."""
    from ruian_desk.domain import rules
    from tests.gui.conftest import _shown_window

    first = _shown_window(qtbot, sample_path, dialogs)
    qtbot.waitUntil(lambda: not first.checks_pending(), timeout=10_000)
    counts_text = first.status_counts.text()
    findings = list(first.ctx.issues())
    assert findings and "错误" in counts_text
    first.close_workspace()

    ran: list[int] = []
    real = rules.run_checks
    monkeypatch.setattr(rules, "run_checks", lambda *a, **k: ran.append(1) or real(*a, **k))
    again = _shown_window(qtbot, sample_path, dialogs)
    qtbot.waitUntil(lambda: not again.checks_pending(), timeout=10_000)
    assert again.status_counts.text() == counts_text
    assert list(again.ctx.issues()) == findings
    assert ran == []
    # An edit: checked afresh from what is stored.
    rid = again.ctx.report_id
    again.ctx.repo.set_field(rid, "title", "瑞安市人民政府2019年政府信息公开工作年度报告（修订）")
    again.ctx.notify_changed(rid)
    again.ctx.issues()
    assert ran == [1]
    again.close_workspace()


START_AND_SAY = """
import io, os, sys
from ruian_desk.app import run_gui
seen = []
class Out(io.StringIO):
    def write(self, text):
        if 'RUIAN-DESK-CHECKED' in text:
            seen.append('ruian_desk.domain.registry' in sys.modules)
        return super().write(text)
sys.stdout = Out()
run_gui(workspace=sys.argv[1])
sys.__stdout__.write('RULES-LOADED-WHEN-SHOWN %s\\n' % seen)
"""


def test_a_reopened_unchanged_workspace_imports_no_rule_module_before_its_findings_show(
    sample_path, tmp_path
) -> None:  # noqa: ANN001
    """What the start-up saves: the rule modules (and the checks of every unit) wait for the first edit."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "RUIAN_DESK_HOME": str(tmp_path / "home"),
        "RUIAN_DESK_EXIT_WHEN_IDLE": "checked",
    }
    said = []
    for _ in range(2):
        r = subprocess.run(
            [sys.executable, "-c", START_AND_SAY, str(sample_path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr[-2000:]
        said.append(r.stdout.split("RULES-LOADED-WHEN-SHOWN ")[1].strip())
    assert said == ["[True]", "[False]"]  # checked the first time; the second shows what the first left
