"""The package's layers: core → analysis → kinds → kernel → io → formatters → app, with no import upward and no
import loop (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

LAYERS = ("core", "analysis", "kinds", "kernel", "io", "formatters", "app")
PACKAGE = ROOT / "lint"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def _layer(module: str) -> int:
    """The layer of a module; -1 for the package root (the convenience facade, which may import any layer)."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def test_every_module_is_in_a_layer() -> None:
    assert sorted(m for m in _imports() if _layer(m) < 0) == ["lint"]


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        (module, target)
        for module, targets in _imports().items()
        for target in targets
        if module != "lint" and _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_import_loops() -> None:
    graph = _imports()
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if target == "lint" or _is_package_of(target, module):
                continue
            if state.get(target) == 1:
                loops.append([*path[path.index(target) :], target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert loops == []


def _is_package_of(package: str, module: str) -> bool:
    """`lint.kinds` importing `lint.kinds.base` and the reverse (a package and its own modules) is not a loop."""
    return module.startswith(package + ".") or package.startswith(module + ".")
