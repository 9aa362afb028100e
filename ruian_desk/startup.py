"""The start-up budget, in one place.

The bar (DESIGN §5, `python -m benchmarks`: `startup_ratio`): the main window with the report shown is painted
within 2× the time of a bare Qt window. A clerk opens the app many times a day; most of the app is not needed
for the first paint, so it is not imported before it:

- `NOT_BEFORE_FIRST_PAINT` below: the libraries of exports, imports and charts (matplotlib alone is a few
  hundred milliseconds; python-docx, openpyxl, pypdf, pdfplumber/pypdfium2, lxml, charset-normalizer and
  OpenCC tens each), sqlite-utils (schema work only: `storage/db.py` runs daily work on plain sqlite3), and
  the Qt modules only printing and PDF use (QtPrintSupport, QtPdf, QtSvg).
- The app's own pages other than the report's first page: 单位, 汇总图表, 导出, 备份与恢复 (`gui/pages.py`),
  the 落款 page and the placeholder list, the check list's dock — each built when first shown.
- The checks run after the first paint (the status bar says 审核中… until they are done). A workspace reopened
  exactly as it was closed shows the findings worked out at closing (`services/opening.py`), and the rule
  modules (`domain.rules`, the registry and every rule, the expression evaluator) are imported with the
  first check instead: the window's idle warm-up imports them, and `gui.workers` before any job.

How: a plain import inside the function that needs the module (never by name: a bundler and the type checker
see it). Nothing else is needed at each site than that import and, where it is not obvious, the words
"start-up budget". `app.import_core_before_qt` imports the Qt-free layers before PySide6, and `app.run_gui`
freezes what start-up built out of the garbage collector's walks.

Guards: `tests/gui/test_main_window.py::test_start_up_does_not_import_heavy_libraries` (the window opened on
the sample imports none of `NOT_BEFORE_FIRST_PAINT`), `tests/test_layering.py` (headless `check` loads no Qt
and none of them either), and the start-up figures of the benchmark.
"""

from __future__ import annotations

NOT_BEFORE_FIRST_PAINT = (
    "matplotlib",
    "docx",
    "openpyxl",
    "pypdf",
    "pdfplumber",
    "pypdfium2",
    "lxml",
    "charset_normalizer",
    "opencc",
    "sqlite_utils",
    "PySide6.QtPrintSupport",
    "PySide6.QtPdf",
    "PySide6.QtSvg",
    "ruian_desk.charts",
    "ruian_desk.export",
    "ruian_desk.exchange.documents",
    "ruian_desk.gui.units",
    "ruian_desk.gui.chart_panel",
    "ruian_desk.gui.export_page",
    "ruian_desk.gui.backup_page",
    "ruian_desk.gui.editors.signature",
    "ruian_desk.gui.editors.placeholder_picker",
)


def loaded_too_early(modules: object) -> list[str]:
    """Which of `NOT_BEFORE_FIRST_PAINT` are among `modules` (a process's `sys.modules`)."""
    return [m for m in NOT_BEFORE_FIRST_PAINT if m in modules]  # type: ignore[operator]
