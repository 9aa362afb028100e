"""The compiled Designer forms in ruian_desk/gui/forms are what ui/*.ui compiles to today."""

from __future__ import annotations

from ruian_desk.gui import build_forms


def test_every_ui_file_has_a_fresh_compiled_form() -> None:
    ui_files = build_forms.ui_files()
    assert {p.name for p in ui_files} >= {"main_window.ui", "start_page.ui", "new_report_dialog.ui"}
    assert build_forms.stale_forms() == []


def test_a_changed_ui_file_is_reported_stale(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    source = build_forms.UI_DIR / "new_report_dialog.ui"
    changed = tmp_path / "ui"
    changed.mkdir()
    (changed / source.name).write_text(
        source.read_text(encoding="utf-8").replace("新建年度报告", "新建年度报告（改）"), encoding="utf-8"
    )
    monkeypatch.setattr(build_forms, "UI_DIR", changed)
    assert build_forms.stale_forms() == ["ui_new_report_dialog.py"]


def test_compiled_forms_import_only_the_qt_names_they_use() -> None:
    import ast

    for ui in build_forms.ui_files():
        source = build_forms.target_for(ui).read_text(encoding="utf-8")
        tree = ast.parse(source)
        imported = {
            a.asname or a.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6.")
            for a in node.names
        }
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert imported and imported <= used, (ui.name, imported - used)
        assert "QGradient" not in imported  # uic's catch-all imports are gone


def test_prune_imports_keeps_what_the_code_uses() -> None:
    source = (
        "from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,\n"
        "    QSize, Qt)\n"
        "from PySide6.QtGui import (QBrush, QColor)\n"
        "from PySide6.QtWidgets import (QLabel, QWidget)\n"
        "\n"
        "class Ui_X(object):\n"
        "    def setupUi(self, X):\n"
        "        X.setMinimumSize(QSize(1, 2))\n"
        "        self.label = QLabel(X)\n"
        "        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft)\n"
    )
    pruned = build_forms.prune_imports(source)
    assert pruned.splitlines()[:3] == [
        "from PySide6.QtCore import (QSize, Qt)",
        "from PySide6.QtWidgets import QLabel",
        "",
    ]
    assert pruned.endswith(source[source.index("class Ui_X") :])
