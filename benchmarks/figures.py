"""The registration point: every module of figures, imported in the order its figures are printed.

A new group of figures is a new module that decorates its measurements with `core.figure(...)` and is
added to the import below (plain imports: a module that fails to import fails the benchmark loudly)."""

from __future__ import annotations

from benchmarks import (  # noqa: F401 - each module registers its figures when imported
    figures_data,
    figures_export,
    figures_gui,
    figures_import,
    figures_publish,
)
from benchmarks.core import BARS, MEASURES

# The order of the table and of the JSON keys.
ORDER = (
    "startup_ratio",
    "edit_p95_ms",
    "edit_p95_200_ms",
    "rollup_checks_200_ms",
    "export_all_s",
    "export_docx_s",
    "export_all_200_s",
    "export_docx_20y_s",
    "import_60_s",
    "templates_500_s",
    "read_report_doc_s",
    "import_reports_60_s",
    "verify_60_s",
    "copy_map_200_s",
    "rss_summary_mb",
    "chart_redraw_ms",
    "charts_open_10y200u_s",
    "charts_block_max_ms",
    "rss_20y500u_mb",
    "units_page_200_ms",
    "open_10y200u_s",
)


def keys() -> tuple[str, ...]:
    """Every registered figure: the known order first, then any other module's figures as registered."""
    registered = [b.key for b in BARS]
    return tuple(k for k in ORDER if k in MEASURES) + tuple(k for k in registered if k not in ORDER)
