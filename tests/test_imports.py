"""The house's layers, checked on the source: no import loop and no upward import.

Layers, lowest first: the base (core/: model, errors, kinds, formats) -> loaders (files,
then the actor register, then the document and open-data readers, then what joins them)
-> graph -> queries (summaries, diagrams, exports) -> web -> cli. A module may import its own
layer and those below, never one above; the imports between modules form no loop (imports
inside functions and under TYPE_CHECKING count too: hiding a loop is still a loop). An
import inside a function is only for a heavy third-party library, or a geldstroom module
that loads one, and says why on its line or the line above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The folders that install as the package (pyproject's package-dir), by dotted name.
FOLDERS = {"geldstroom": "core", "geldstroom.cli": "cli", "geldstroom.graph": "graph",
           "geldstroom.loaders": "loaders", "geldstroom.queries": "queries",
           "geldstroom.web": "web"}
# Lowest first; a module belongs to the longest prefix that names it.
LAYERS = [
    ("geldstroom", 0),
    ("geldstroom.loaders", 1),  # loaders/files.py and what reads through it
    ("geldstroom.loaders.files", 1),
    ("geldstroom.loaders.actors", 2),
    ("geldstroom.loaders.documents", 3),
    ("geldstroom.loaders.opendata", 3),
    ("geldstroom.loaders.findings", 4),
    ("geldstroom.loaders.line_join", 4),
    ("geldstroom.graph", 5),
    ("geldstroom.queries", 6),
    ("geldstroom.web", 7),  # the web explorer: pages over the summaries, as the CLI's tables
    ("geldstroom.cli", 8),
    ("geldstroom.__main__", 8),  # `python -m geldstroom`: the console script
]


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        base = ROOT / folder
        for path in base.rglob("*.py"):
            if package == "geldstroom" and path.parent != base:
                continue  # core/ has no sub-packages; data folders hold no code
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    best = max((prefix for prefix, _ in LAYERS
                if module == prefix or module.startswith(prefix + ".")), key=len)
    return dict(LAYERS)[best]


def _target(name: str) -> str | None:
    """The geldstroom module an imported name is: a module, or a name in one."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for each geldstroom import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                names = [f"{child.module}.{alias.name}" for alias in child.names]
            else:
                visit(child, inner)
                continue
            for name in names:
                target = _target(name)
                if target is not None and target != module and name.startswith("geldstroom"):
                    out.append((target, child.lineno, in_function))

    visit(tree, False)
    return out


EDGES = {module: _imports(module) for module in MODULES}


def test_the_walk_sees_the_house() -> None:
    assert {"geldstroom.cli.app", "geldstroom.graph.build", "geldstroom.graph.flows",
            "geldstroom.loaders.actors.claims", "geldstroom.queries.summary"} <= set(MODULES)
    assert ("geldstroom.graph.shared_names", False) in {
        (target, inside) for target, _, inside in EDGES["geldstroom.graph.flows"]}


def test_no_upward_import() -> None:
    upward = [f"{module}:{line} imports {target}"
              for module, edges in EDGES.items() for target, line, _ in edges
              if _layer(target) > _layer(module)]
    assert upward == []


def test_no_import_loop() -> None:
    graph = {module: sorted({t for t, _, _ in edges}) for module, edges in EDGES.items()}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    loops: list[list[str]] = []

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in graph[module]:
            if state.get(target) == 1:
                loops.append([*path[path.index(target):], module, target]
                             if target in path else [module, target])
            elif target not in state:
                walk(target, [*path, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [])
    assert loops == []


def _late_imports_without_reason(module: str) -> list[str]:
    """In-function geldstroom imports with no comment on their line, nor on the line above
    the run of import statements they stand in."""
    source = MODULES[module].read_text(encoding="utf-8")
    lines = source.splitlines()
    spans = sorted((n.lineno, n.end_lineno or n.lineno) for n in ast.walk(ast.parse(source))
                   if isinstance(n, ast.Import | ast.ImportFrom))
    ends = {end: start for start, end in spans}
    silent = []
    for _, line, inside in EDGES[module]:
        if not inside or "#" in lines[line - 1]:
            continue
        first = line
        while True:  # up through the imports written right above (blank lines between too)
            above = first - 1
            while above >= 1 and not lines[above - 1].strip():
                above -= 1
            if above not in ends:
                break
            first = ends[above]
        if not lines[first - 2].strip().startswith("#"):
            silent.append(f"{module}:{line}")
    return silent


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_inside_functions_say_why(module: str) -> None:
    assert _late_imports_without_reason(module) == []
