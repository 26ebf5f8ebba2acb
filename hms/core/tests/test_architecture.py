"""The shape of the house (issue 15): dependencies run one way between the apps, hms/core imports
no app, and no module grows past 600 lines. Imports are read from the source (ast): one inside a
function or under TYPE_CHECKING counts like any other."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

HMS = Path(settings.BASE_DIR) / "hms"
MAX_LINES = 600


def _modules() -> list[Path]:
    return [path for path in HMS.rglob("*.py")
            if not {"migrations", "tests"} & set(path.relative_to(HMS).parts)]


def _packages() -> set[str]:
    return {path.name for path in HMS.iterdir() if (path / "__init__.py").exists()}


def _imported(path: Path) -> set[str]:
    """The hms packages a module imports (top-level names under hms.)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        found |= {name.split(".")[1] for name in names if name.startswith("hms.") and "." in name}
    return found


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app → the other apps it imports → the modules that do."""
    packages = _packages()
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in _modules():
        parts = path.relative_to(HMS).parts
        if len(parts) < 2:
            continue  # settings, urls, wsgi: the project, which knows every app
        for other in _imported(path) & packages - {parts[0]}:
            graph[parts[0]][other].append(str(path.relative_to(HMS)))
    return graph


def tangles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The groups of apps that import one another, directly or round a circle (the strongly
    connected components of more than one app, Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node] and len(group := _pop_to(stack, node)) > 1:
            found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _pop_to(stack: list[str], node: str) -> list[str]:
    """Take the stack's members down to and including node: one strongly connected component."""
    group = stack[stack.index(node):]
    del stack[stack.index(node):]
    return group


def test_core_imports_no_app():
    assert dict(app_imports().get("core", {})) == {}


def test_no_two_apps_import_each_other_even_through_others():
    graph = app_imports()
    assert "core" in graph["measures"], "the imports of the apps were not found"
    assert tangles(graph) == [], {app: {other: modules[0] for other, modules in graph[app].items()}
                                  for group in tangles(graph) for app in group}


def test_no_module_is_longer_than_600_lines():
    long = {str(path.relative_to(HMS)): count for path in _modules()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_a_circle_of_imports_is_found():
    graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]},
             "d": {"a": ["d/w.py"]}}
    assert tangles(graph) == [["a", "b", "c"]]
