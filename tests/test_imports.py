"""The package's modules import each other without a cycle.

Every import statement counts: at the top, inside functions, and under
``TYPE_CHECKING``. A cycle means two modules can only be understood together, and an
import inside a function that closes one only hides it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extract"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, text: str, known: set[str], *, package: bool = False) -> set[str]:
    """The package modules a module (its source ``text``) imports, by any import
    statement in it; ``package``: the module is a package's ``__init__``."""
    parent = name if package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = parent.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from . import x` imports the module x when there is one, else a name of
                # the package (its __init__)
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {module for module in found if module in known and module != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_among_the_package_modules() -> None:
    found = modules()
    graph = {
        name: imports(
            name, path.read_text(encoding="utf-8"), set(found), package=path.stem == "__init__"
        )
        for name, path in found.items()
    }
    assert cycles(graph) == []


def test_the_checker_sees_imports_in_functions_and_under_type_checking() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import __version__\n"
        "if TYPE_CHECKING:\n    from .shards import ShardResult\n"
        "def f():\n    from . import pipeline\n    from .nlp import links\n"
        "    import extract.read\n"
    )
    known = {
        "extract", "extract.shards", "extract.pipeline", "extract.read", "extract.nlp",
        "extract.nlp.links", "extract.progress",
    }  # fmt: skip
    assert imports("extract.progress", source, known) == {
        "extract", "extract.shards", "extract.pipeline", "extract.nlp.links", "extract.read",
    }  # fmt: skip
    # inside a package, `from . import x` is a sibling module
    assert imports("extract.nlp", "from . import links", known, package=True) == {
        "extract.nlp.links"
    }
