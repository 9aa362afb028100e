"""GUI wiring: the QApplication, fonts, the workspace to open, the main window."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ruian_desk.gui.application import create_application
from ruian_desk.paths import default_workspace_path, sample_workspace_path


def resolve_workspace(workspace: str | None, sample: bool, recent: Sequence[str] = ()) -> Path | None:
    """Which file to open at start: the one asked for, the sample, else the workspace last opened (the first
    of `recent` that still exists: `python main.py` goes back to where the clerk was, on the report last
    open there), else the default workspace (if any)."""
    if workspace:
        return Path(workspace)
    if sample:
        path = sample_workspace_path()
        if not path.exists():
            from ruian_desk.services.sample import build_sample

            build_sample(path).close()
        return path
    last = next((Path(p) for p in recent if Path(p).is_file()), None)
    if last is not None:
        return last
    default = default_workspace_path()
    return default if default.exists() else None


def import_core_before_qt() -> None:
    """Import the Qt-free layers the main window needs before its first paint (the checks come after it)
    before PySide6. PySide6 reads the source file of every module imported after it (to see whether the
    module uses its `__feature__` switches): about a tenth of a millisecond per module, ten milliseconds of
    start-up for the domain and storage layers and their standard-library imports. Imported first, they are
    not read again. (Plain imports: a bundler sees them.)"""
    import ruian_desk.domain.narrative  # noqa: F401
    import ruian_desk.storage.assemble  # noqa: F401
    import ruian_desk.storage.lock  # noqa: F401
    import ruian_desk.storage.workspace  # noqa: F401


# The packages the app needs, by the module name Python reports when one is missing.
_DEPENDENCIES = {
    "PySide6": "PySide6-Essentials",
    "shiboken6": "PySide6-Essentials",
    "sqlite_utils": "sqlite-utils",
    "matplotlib": "matplotlib",
    "docx": "python-docx",
    "openpyxl": "openpyxl",
    "pdfplumber": "pdfplumber",
    "lxml": "lxml",
    "charset_normalizer": "charset-normalizer",
    "opencc": "opencc-python-reimplemented",
}
INSTALL_HINT = (
    "请先安装本程序及其依赖：在程序文件夹运行 python -m pip install -e .（离线的 Windows 电脑："
    "运行安装包里的 install.bat）"
)


def missing_dependency_message(exc: ImportError) -> str | None:
    """One Chinese line for a dependency that is not installed (or a system library Qt lacks); None when
    the error is about something else (a bug of ours: that keeps its traceback)."""
    name = (getattr(exc, "name", None) or "").split(".")[0]
    if isinstance(exc, ModuleNotFoundError) and name in _DEPENDENCIES:
        return f"缺少运行所需的组件 {_DEPENDENCIES[name]}（没有 Python 模块 {name}）。{INSTALL_HINT}"
    text = str(exc)
    if ".so" in text and "cannot open shared object file" in text:
        lib = text.split(":")[0].strip()
        return (
            f"图形界面缺少系统库 {lib}：请用系统的包管理器安装它（Debian/Ubuntu：sudo apt install "
            f"{debian_package(lib)}），或设 QT_QPA_PLATFORM=offscreen 只做离屏渲染。"
        )
    return None


def missing_headless_dependency() -> str | None:
    """The message for the first dependency (other than Qt) that is not installed, or None (about 1 ms)."""
    import importlib.util

    for module in _DEPENDENCIES:
        if module not in ("PySide6", "shiboken6"):
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                return missing_dependency_message(
                    ModuleNotFoundError(f"No module named {module!r}", name=module)
                )
    return None


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package of a shared library by the usual naming rule: libxcb-icccm.so.4 →
    libxcb-icccm4, libxkbcommon-x11.so.0 → libxkbcommon-x11-0."""
    base, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return base
    return f"{base}-{version}" if base[-1:].isdigit() else f"{base}{version}"


def display_problem(environ: dict[str, str] | None = None, xcb_plugin: str | None = None) -> str | None:
    """Why Qt could not open a window here, in one Chinese line — or None. Qt itself aborts the process
    (a core dump, an English message that names the wrong library) when there is no display or its xcb
    platform plugin lacks system libraries; this looks first. Linux only, and only for the xcb platform
    (QT_QPA_PLATFORM=offscreen, wayland … are left to Qt); nothing is checked on Windows or macOS."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        if env.get("WAYLAND_DISPLAY") and not platform:
            return None
        return (
            "没有可用的图形显示（环境变量 DISPLAY 未设置）：请在图形桌面中启动本程序；"
            "命令行命令（check、export …）不需要显示，离屏渲染可设 QT_QPA_PLATFORM=offscreen。"
        )
    plugin = xcb_plugin if xcb_plugin is not None else _xcb_plugin_path()
    if plugin is None:
        return None
    import ctypes

    try:
        ctypes.CDLL(plugin)
    except OSError as exc:
        missing = _missing_libraries(plugin) or [str(exc).split(":")[0].strip()]
        packages = " ".join(dict.fromkeys(debian_package(m) for m in missing))
        return (
            f"Qt 的 xcb 显示插件缺少系统库 {'、'.join(missing)}：请安装（Debian/Ubuntu：sudo apt install "
            f"{packages}），或设 QT_QPA_PLATFORM=offscreen 只做离屏渲染。"
        )
    if not _x_server_answers(display):
        return (
            f"无法连接图形显示 DISPLAY={display}（X 服务器没有响应）：请在图形桌面中启动本程序，"
            "或设 QT_QPA_PLATFORM=offscreen 只做离屏渲染。"
        )
    return None


def _xcb_plugin_path() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if candidate.is_file():
            return str(candidate)
    return None


def _missing_libraries(plugin: str) -> list[str]:
    import subprocess

    try:
        out = subprocess.run(["ldd", plugin], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]
    return list(dict.fromkeys(found))


def _x_server_answers(display: str) -> bool:
    """Whether an X server accepts a connection at `display` (libxcb, as Qt's plugin will connect)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True  # cannot tell: let Qt try
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return conn is not None and xcb.xcb_connection_has_error(conn) == 0
    finally:
        if conn:
            xcb.xcb_disconnect(conn)


_console = [True]


def set_no_console() -> None:
    """Started without a console (the Windows gui-script): fatal messages go to a message box."""
    _console[0] = False


def say_fatal(message: str, title: str = "瑞安年报助手") -> None:
    """One line on stderr; without a console (the Windows gui-script), a message box instead."""
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)
    if (sys.stderr is None or not _console[0]) and sys.platform == "win32":  # pragma: no cover - Windows
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, title, 0x10)


def run_gui(workspace: str | None = None, sample: bool = False) -> int:
    """The GUI, or one Chinese line saying why it cannot start (exit 2): a dependency not installed, no
    display, system libraries Qt's xcb plugin lacks."""
    problem = display_problem()
    if problem is not None:
        say_fatal(problem)
        return 2
    try:
        return _run_gui(workspace, sample)
    except ImportError as exc:
        message = missing_dependency_message(exc)
        if message is None:
            raise
        say_fatal(message)
        return 2


def hold_collector() -> None:
    """Start-up creates tens of thousands of long-lived objects (modules, classes, Qt enums) and no garbage
    cycles: the cycle collector would only walk them, again and again (several ms). It is held until the
    event loop runs (`release_collector`)."""
    gc.disable()


def release_collector() -> None:
    """The collector resumes, and what was built until now is frozen out of its future walks (no full
    collection pausing typing, a quicker exit). The window unfreezes it when it lets go of the first
    workspace."""
    gc.freeze()
    gc.enable()


def _run_gui(workspace: str | None, sample: bool) -> int:
    """The workspace asked for (or the sample, or the default one) opens straight into its report;
    without any, the start page shows. Errors opening it are shown in the window, never as a traceback."""
    hold_collector()
    if "PySide6.QtCore" not in sys.modules:
        import_core_before_qt()
    app = create_application()
    from ruian_desk.gui.main_window import open_main_window

    try:
        from ruian_desk.gui import settings as app_settings

        path = resolve_workspace(workspace, sample, app_settings.recent_workspaces())
    except Exception as exc:  # noqa: BLE001 - e.g. the sample cannot be written: say so, show the start page
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "无法打开示例工作区", str(exc))
        path = None
    window = open_main_window(path)
    window.show()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, release_collector)
    when = os.environ.get("RUIAN_DESK_EXIT_WHEN_IDLE")
    if when:
        # The start-up benchmark: print (wall clock) when the event loop is first idle, then quit; with
        # "checked", also when the status bar shows the report's check counts, and quit then.
        import time

        def checked() -> None:
            print(f"RUIAN-DESK-CHECKED {time.time():.6f}", flush=True)
            app.quit()

        def idle() -> None:
            print(f"RUIAN-DESK-IDLE {time.time():.6f}", flush=True)
            if when == "checked" and window.checks_pending():
                window.checks_shown.connect(checked)
            elif when == "checked":
                checked()
            else:
                app.quit()

        QTimer.singleShot(0, idle)
    return int(app.exec())
