"""The import graph of desktop_app, read from the source: no cycles, no import up the layer order of the design
(DESIGN.md section 2), and PySide6 only in the GUI.

Every import counts, also those inside functions (a lazy import is still a dependency); only imports under
`if TYPE_CHECKING:` are left out, since they never run.

    main        the `viva` command: opens the GUI or runs the command line
    app         composition root of the GUI (and its screenshot tool)
    ui          widgets, pages, windows (the only code that imports PySide6)
    cli         the command line
    commands    its sub-commands
    reports     scorecards and exports
    interview   the runner
    evaluation  the judge and scoring operations
    engines     model and audio adapters
    store       the only code that talks to SQLite
    core        pure Python domain (with paths and the package root)

Each layer imports only the layers below it in this list, and modules of its own layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop_app"
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("desktop_app", "desktop_app.paths", "desktop_app.core")),
    ("store", ("desktop_app.store",)),
    ("engines", ("desktop_app.engines",)),
    ("evaluation", ("desktop_app.evaluation",)),
    ("interview", ("desktop_app.interview",)),
    ("reports", ("desktop_app.reports",)),
    ("commands", ("desktop_app.commands",)),
    ("cli", ("desktop_app.cli",)),
    ("ui", ("desktop_app.ui",)),
    ("app", ("desktop_app.app", "desktop_app.screenshots")),
    ("main", ("desktop_app.main",)),
)
QT_ALLOWED = ("desktop_app.ui", "desktop_app.app", "desktop_app.screenshots")


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of import nodes inside `if TYPE_CHECKING:` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(name: str, path: Path, known: set[str]) -> tuple[set[str], set[str]]:
    """(package modules imported by `name`, top-level names of other packages it imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    ours: set[str] = set()
    theirs: set[str] = set()

    def add(module: str) -> None:
        if module == "desktop_app" or module.startswith("desktop_app."):
            while module not in known and "." in module:
                module = module.rpartition(".")[0]
            if module != name:
                ours.add(module)
        else:
            theirs.add(module.partition(".")[0])

    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from pkg import module` depends on that module
                full = f"{module}.{alias.name}"
                add(full if full in known else module)
    return ours, theirs


def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    files = module_files()
    known = set(files)
    graph: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for name, path in files.items():
        graph[name], external[name] = imports_of(name, path, known)
    return graph, external


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def layer_of(module: str) -> int:
    """Position of the module's layer in LAYERS (the longest matching prefix wins)."""
    best, rank = -1, -1
    for n, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), n
    assert rank >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def test_the_checker_finds_a_cycle_and_an_upward_import():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
    assert layer_of("desktop_app.core.models") < layer_of("desktop_app.store.db") < layer_of("desktop_app.ui.app_window")
    assert layer_of("desktop_app.cli") < layer_of("desktop_app.app") < layer_of("desktop_app.main")


def test_the_graph_is_read_from_the_source():
    graph, external = import_graph()
    assert len(graph) > 100
    assert "desktop_app.store.db" in graph["desktop_app.store.sessions"]
    assert "PySide6" in external["desktop_app.ui.main_window"]


def test_no_import_cycles():
    graph, _ = import_graph()
    assert find_cycles(graph) == []


def test_no_import_goes_up_the_layers():
    graph, _ = import_graph()
    upward = sorted(f"{a} -> {b} ({LAYERS[layer_of(a)][0]} imports {LAYERS[layer_of(b)][0]})"
                    for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a))
    assert upward == []


def test_only_the_gui_imports_qt():
    _, external = import_graph()
    offenders = sorted(m for m, names in external.items()
                       if "PySide6" in names and not any(m == p or m.startswith(p + ".") for p in QT_ALLOWED))
    assert offenders == []
