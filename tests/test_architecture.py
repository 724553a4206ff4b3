"""The house stays as built: imports point down, no circles, no private names across rooms.

The layers below are the architecture of ``docs/explanation/architecture.md``, bottom first. A
module may import from its own layer or any lower one, never a higher one; the import graph has
no cycle (counting that importing ``a.b.c`` first runs ``a/__init__`` and ``a/b/__init__``); no
module imports a private name (``_x``) from another module; and a private module ``a.b._m`` is
imported only from inside ``a.b``. Imports made only for type checking (under
``if TYPE_CHECKING:``) are not runtime imports and are not counted; imports inside functions are.

Run ``python tests/test_architecture.py`` to print every violation.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

#: Bottom first. A name stands for the module and everything below it (``relations.io`` is the
#: package and all its modules). The root package ``relations`` itself is the top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("relations.errors", "relations._frozen", "relations._gc", "relations._arrow"),
    (
        "relations._edtf",
        "relations._english_dates",
        "relations.when",
        "relations.quantities",
        "relations.kinds",
    ),
    ("relations.actors", "relations.periods"),
    ("relations.events",),
    ("relations.record", "relations.keys"),
    ("relations.render", "relations.formats"),
    ("relations.series",),
    ("relations.aggregate",),
    ("relations._timeline",),
    ("relations.io", "relations.projections"),
    ("relations.lazy",),
    ("relations.datasets", "relations.store", "relations.relationship"),
    ("relations.timeline", "relations.testing", "relations.cli", "relations.__main__"),
    ("relations",),
)


def layer_of(module: str) -> int:
    """The layer of ``module``: the longest entry of :data:`LAYERS` that names it or a parent."""
    best: tuple[int, int] | None = None
    for number, names in enumerate(LAYERS):
        for name in names:
            inside = module.startswith(name + ".") and name != "relations"
            if (module == name or inside) and (best is None or len(name) > best[1]):
                best = (number, len(name))
    if best is None:
        raise LookupError(f"{module} has no layer: add it to LAYERS in tests/test_architecture.py")
    return best[0]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "relations").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports_of(module: str, path: Path) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(imported module, names imported from it, line) for each runtime import of ``relations``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "relations":
                    yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] == "relations":
                yield target, tuple(a.name for a in node.names), node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("relations")
        ):
            yield str(node.args[0].value), (), node.lineno


def _resolve(target: str, names: tuple[str, ...], known: dict[str, Path]) -> list[str]:
    """The modules an import runs: ``from a import b`` runs ``a.b`` when ``b`` is a module."""
    submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    if names and len(submodules) == len(names):
        return submodules
    return ([target] if target in known else []) + submodules


def _parents(module: str) -> list[str]:
    """The packages whose ``__init__`` runs first (not the root, which always runs first)."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def graph() -> tuple[dict[str, set[str]], list[str]]:
    """The runtime import graph (with implicit parent-package edges) and the rule violations."""
    known = modules()
    edges: dict[str, set[str]] = {m: set() for m in known}
    problems: list[str] = []
    for module, path in known.items():
        for target, names, line in imports_of(module, path):
            where = f"{path.relative_to(SRC)}:{line}"
            resolved = _resolve(target, names, known)
            if not resolved:
                problems.append(f"{where}: imports {target}, which is not a module of relations")
                continue
            for imported in resolved:
                for runs in [*_parents(imported), imported]:
                    if runs != module and runs not in _parents(module):
                        edges[module].add(runs)
                try:
                    upward = layer_of(imported) > layer_of(module)
                except LookupError as e:
                    problems.append(f"{where}: {e}")
                    continue
                if upward:
                    problems.append(
                        f"{where}: {module} (layer {layer_of(module)}) imports {imported} "
                        f"(layer {layer_of(imported)}), a higher layer"
                    )
                private = [n for n in names if n.startswith("_") and not n.startswith("__")]
                if private and f"{target}.{private[0]}" not in known:
                    problems.append(f"{where}: {module} imports private {private} from {target}")
                for i, part in enumerate(imported.split(".")):
                    if part.startswith("_") and not part.startswith("__"):
                        owner = ".".join(imported.split(".")[:i])
                        if not (module == owner or module.startswith(owner + ".")):
                            problems.append(
                                f"{where}: {module} imports {imported}, private to {owner}"
                            )
                        break
    return edges, problems


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
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
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer() -> None:
    missing = []
    for module in modules():
        try:
            layer_of(module)
        except LookupError as e:
            missing.append(str(e))
    assert not missing, "\n".join(missing)


def test_imports_point_down_and_stay_public() -> None:
    _, problems = graph()
    assert not problems, "\n".join(problems)


def test_no_import_cycles() -> None:
    edges, _ = graph()
    found = cycles(edges)
    assert not found, "\n".join(" ↔ ".join(c) for c in found)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The checks are not vacuous: an upward import and a cycle are found."""
    edges = {"a": {"b"}, "b": {"a"}, "c": set()}
    assert cycles(edges) == [["a", "b"]]
    assert layer_of("relations.when") < layer_of("relations.timeline")


if __name__ == "__main__":  # pragma: no cover - a report for developers
    edges, problems = graph()
    for problem in problems:
        print(problem)
    for component in cycles(edges):
        print("cycle:", " ↔ ".join(component))
    print(f"{len(problems)} problems, {len(cycles(edges))} cycles")
