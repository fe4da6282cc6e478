"""The package's import structure: light where every command starts, and no cycles.

Reading course.yml happens in every `medai` command, and `import medai.datasets` in
every lesson: neither may pull in Jupyter, nbgrader or pandas (in click's style, a
fresh interpreter lists what got imported). Imports point one way: no module of
src/medai imports, even lazily, a module that imports it back.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from helpers import REPO

HEAVY = {"jupyter_client", "jupytext", "nbformat", "nbgrader", "nbclient", "traitlets",
         "pandas", "numpy", "torch", "sklearn", "rdkit"}
SOURCE = REPO / "src" / "medai"


def test_reading_the_manifest_and_importing_datasets_stay_light():
    code = (
        "import json, sys\n"
        "from medai.course import manifest\n"
        f"manifest.load({str(REPO / 'course' / 'course.yml')!r})\n"
        "import medai.datasets\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    imported = set(json.loads(done.stdout))
    assert imported & HEAVY == set(), "manifest.load or medai.datasets imports them"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The medai modules a file imports anywhere (lazy imports inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.startswith("medai"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("medai")}
    return found & modules


def _module_graph() -> dict[str, set[str]]:
    files = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[name] = path
    return {name: _imports(path, set(files)) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_the_package():
    graph = _module_graph()
    assert "medai.grading.sandbox.kernel" in graph and graph["medai.course.build"]
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
