"""STYLE.md §1: domain and storage never import Qt; headless commands do not start Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_domain_and_storage_import_no_qt() -> None:
    r = _run(
        "import ruian_desk.domain, ruian_desk.storage, sys\n"
        "import ruian_desk.domain.formats, ruian_desk.domain.report, ruian_desk.domain.rules, ruian_desk.domain.layout\n"
        "import ruian_desk.storage.workspace, ruian_desk.storage.repository, ruian_desk.storage.assemble\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad"
    )
    assert r.returncode == 0, r.stderr


def test_cli_check_does_not_load_qt_or_heavy_libraries(sample_path: Path) -> None:
    r = _run(
        "import sys\n"
        "from ruian_desk.cli import main\n"
        f"rc = main(['check', '-w', {str(sample_path)!r}, '--year', '2019', '--json'])\n"
        "from ruian_desk.startup import loaded_too_early\n"
        "heavy = [m for m in ('PySide6', *loaded_too_early(sys.modules)) if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    assert r.returncode == 0, r.stderr


def test_sql_only_in_storage() -> None:
    offenders = []
    for path in (ROOT / "ruian_desk").rglob("*.py"):
        if path.relative_to(ROOT / "ruian_desk").parts[0] == "storage" or "forms" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", ".execute("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders


# ---------------------------------------------------------------------------------- the house's guard
# Read from the source (ast), so that a function-local import counts as much as one at the top; imports under
# `if TYPE_CHECKING:` are for the type checker only and do not count.

PKG = ROOT / "ruian_desk"
# Package directions: a package may import its own layer's other packages (without a cycle between them) and
# every layer below. The top-level modules not named here (paths, fileio, textsafe, qtcompat) are the bottom.
LAYERS = {
    "__main__": 5, "app": 5, "cli": 5, "cli_check": 5, "cli_publish": 5, "cli_import": 5, "cli_support": 5,
    "gui": 4,
    "services": 3,
    "exchange": 2, "export": 2, "charts": 2,
    "storage": 1,
    "domain": 0,
}  # fmt: skip
BOTTOM = -1
# Today's imports against the direction, by module: this list must only shrink.
UPWARD_ALLOWED: set[tuple[str, str]] = set()
# Today's imports that make a cycle between two packages of one layer: only to shrink.
PACKAGE_CYCLE_ALLOWED: set[tuple[str, str]] = set()
# Transactions outside storage and services: today's offenders, which must only shrink (the use cases move
# into services).
ATOMIC_ALLOWED: set[str] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py") if "forms" not in p.relative_to(PKG).parts}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of the app that `path` imports (anywhere in it), TYPE_CHECKING blocks left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for sub in node.body
        for n in ast.walk(sub)
    }
    me = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {m for m in found if m in known and m != me}


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known) for name, path in known.items()}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int:
    return LAYERS.get(_package(module), BOTTOM)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(_graph()) == []


def test_the_guard_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_packages_import_downwards_only() -> None:
    graph = _graph()
    upward = sorted(
        (m, d)
        for m, deps in graph.items()
        for d in deps
        if _layer(d) > _layer(m) and (m, d) not in UPWARD_ALLOWED
    )
    assert upward == [], upward
    # the allowance only shrinks: an entry that no longer happens must be taken off the list
    assert {(m, d) for m, d in UPWARD_ALLOWED if d in graph.get(m, set())} == UPWARD_ALLOWED
    edges = {
        (_package(m), _package(d))
        for m, deps in graph.items()
        for d in deps
        if _package(m) != _package(d) and (m, d) not in PACKAGE_CYCLE_ALLOWED | UPWARD_ALLOWED
    }
    same_layer_cycles = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert same_layer_cycles == [], same_layer_cycles
    assert {(m, d) for m, d in PACKAGE_CYCLE_ALLOWED if d in graph.get(m, set())} == PACKAGE_CYCLE_ALLOWED


def test_domain_storage_and_services_import_no_qt() -> None:
    known = _modules()
    offenders = []
    for name, path in known.items():
        if _package(name) not in ("domain", "storage", "services"):
            continue
        text = path.read_text(encoding="utf-8")
        if "PySide6" in text or "shiboken6" in text:
            offenders.append(name)
    assert offenders == []


def test_transactions_only_in_storage_and_services() -> None:
    offenders = set()
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if path.relative_to(PKG).parts[0] in ("storage", "services"):
            continue
        if ".atomic(" in path.read_text(encoding="utf-8"):
            offenders.add(rel)
    assert offenders <= ATOMIC_ALLOWED, sorted(offenders - ATOMIC_ALLOWED)
    assert offenders == ATOMIC_ALLOWED, (
        f"no longer opens a transaction, take it off the list: {ATOMIC_ALLOWED - offenders}"
    )


def test_no_module_of_ours_is_loaded_by_name() -> None:
    """A module loaded by name is invisible to mypy, find-usages and PyInstaller, and a missing one used to be
    swallowed (a packaged build ran no checks): only third-party presence checks (`find_spec`) may remain."""
    import ast

    offenders = []
    for module, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in {"import_module", "__import__", "reload"}:
                    offenders.append(f"{module}:{node.lineno} {name}()")
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in {"__getattr__", "__dir__"}:
                offenders.append(f"{module}:{node.lineno} module-level {node.name}")
    assert not offenders, offenders


def test_no_module_over_600_lines() -> None:
    """Issue #17: a module longer than this holds more than one responsibility (the generated forms aside)."""
    long = {
        module: n
        for module, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long
