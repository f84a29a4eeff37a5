"""The package keeps the shape CONTRIBUTING.md describes: small modules, few at
the top, and imports that point one way with no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kerascheck"
MAX_LINES = 400
MAX_TOP_LEVEL_MODULES = 8


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def module_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """kerascheck modules imported at module level (not inside functions, not
    under `if TYPE_CHECKING:`), resolved to the modules that exist."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()

    def visit(statements) -> None:
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                continue
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name.split(".")
                    if path.name != "__init__.py":
                        package = package[:-1]
                    package = package[: len(package) - node.level + 1]
                    base = ".".join(package + ([node.module] if node.module else []))
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    imported.add(candidate if candidate in known else base)

    visit(tree.body)
    return {m for m in imported if m in known and m != name}


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_few_modules_sit_at_the_top_of_the_package() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, sorted(top)


def test_no_import_cycle_between_modules() -> None:
    found = modules()
    known = set(found)
    graph = {name: module_level_imports(path, name, known) for name, path in found.items()}
    # A package's __init__ importing its own modules (rule discovery) is not a
    # cycle of the code: it is how the package is loaded.
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


# The flow, bottom to top (CONTRIBUTING.md): a module imports only from its own
# package or from packages below it. `runtime` reads the IR and is read by
# the checks that report what Keras said.
LAYERS = [
    {"catalog"},
    {"source"},
    {"results"},
    {"notebooks"},
    {"ir"},
    {"runtime"},
    {"checks"},
    {"fixes"},
    {"run", "project"},
    {"report"},
    {"commands", "editor"},
    {"cli", "__main__", "__init__"},
]


def _layer(module: str) -> int:
    parts = module.split(".")
    package = parts[1] if len(parts) > 1 else "__init__"
    return next(i for i, names in enumerate(LAYERS) if package in names)


def test_imports_point_one_way() -> None:
    found = modules()
    known = set(found)
    upward = sorted(
        f"{name} -> {target}"
        for name, path in found.items()
        for target in module_level_imports(path, name, known)
        if target != "kerascheck" and _layer(target) > _layer(name)
    )
    assert upward == []
