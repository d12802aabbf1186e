"""The tensionwatch package as syntax trees: its modules, what each imports, what a name in
a module stands for. Read with `ast`; nothing is imported or run."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "functions" / "tensionwatch"
STORE = "tensionwatch.store."  # the helpers adapters share (paged queries, transactions)
# The offline stack creates moto resources for the demo; no handler imports it (a test says so).
NOT_DEPLOYED = ("tensionwatch.local",)


@dataclass(frozen=True)
class Module:
    name: str
    tree: ast.Module

    def imports(self) -> set[str]:
        """Modules of the package this one imports when it runs (not under TYPE_CHECKING)."""
        found: set[str] = set()
        for node in runtime_nodes(self.tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
        return {name for name in found if name in modules()}

    @cached_property
    def names(self) -> dict[str, str]:
        """Each imported or defined name -> the qualified name it stands for."""
        out = {
            node.name: f"{self.name}.{node.name}"
            for node in self.tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef)
        }
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                out |= {(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names}
        for node in self.tree.body:  # aliases: `ScoreQueue = ModelQueue`
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
                    and node.value.id in out):  # fmt: skip
                out |= {t.id: out[node.value.id] for t in node.targets if isinstance(t, ast.Name)}
        return out


@cache
def modules() -> dict[str, Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = Module(name, ast.parse(path.read_text(encoding="utf-8")))
    return out


def reachable(start: str) -> set[str]:
    """Modules that importing `start` can load, at any depth."""
    seen, todo = {start}, [start]
    while todo:
        for name in modules()[todo.pop()].imports() - seen:
            seen.add(name)
            todo.append(name)
    return seen


def resolve(qualname: str) -> str:
    """The qualified name an alias stands for (`tensionwatch.store.queue.ScoreQueue` is
    `tensionwatch.store.queue.ModelQueue`); any other name unchanged."""
    for _ in range(5):  # an alias of an alias at most, in practice
        module_name, _, name = qualname.rpartition(".")
        module = modules().get(module_name)
        target = module.names.get(name, qualname) if module is not None else qualname
        if target == qualname:
            break
        qualname = target
    return qualname


def definition(qualname: str) -> tuple[ast.AST, Module] | None:
    """The function or class a qualified name of the package stands for."""
    module_name, _, name = qualname.rpartition(".")
    module = modules().get(module_name)
    if module is None or module_name.startswith(NOT_DEPLOYED):
        return None
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            return node, module
    return None


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:` (never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and last_name(node.test) == "TYPE_CHECKING":
            yield from (n for child in node.orelse for n in [child, *runtime_nodes(child)])
            continue
        yield node
        yield from runtime_nodes(node)


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))


def annotation(node: ast.AST | None) -> str:
    """`AlertStore` for `AlertStore`, `AlertStore | None`, `"AlertStore"`."""
    if isinstance(node, ast.BinOp):
        return annotation(node.left)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.split("|")[0].strip()
    return last_name(node)


def last_name(node: ast.AST | None) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"
