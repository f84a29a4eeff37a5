"""A kernel's history, cut down to the cells a new cell can depend on.

Linting a cell after *every* cell run before it costs a parse of the whole
session each time (a 100-cell session is ~1,000 lines: ~100 ms for the last
cell on this machine). A cell's diagnostics can only depend on earlier cells
through the names they share — `model` built in one cell, compiled in another,
fitted on `x_train` loaded in a third — so only the cells connected to the new
cell by names are linted with it: the cells that mention a name the new cell
mentions, then the cells that mention theirs, to a fixed point. Bindings and
uses both count (a cell that calls `model.compile` only uses `model`, and
matters). A builtin (`print`, `len`) links cells only once some cell binds it
(`input = keras.Input(...)`). A cell whose names cannot be known (a star
import) is always kept. Keeping too much costs time only; leaving out a
connected cell could change a diagnostic, so the names err on the side of more.
"""

from __future__ import annotations

import ast
import builtins
import warnings
from dataclasses import dataclass

from kerascheck.notebooks.notebook import Cell
from kerascheck.notebooks.reading import Notebook

BUILTINS = frozenset(dir(builtins))
ALWAYS = None  # names that cannot be known: keep the cell


@dataclass(frozen=True)
class Names:
    mentioned: frozenset[str]  # bound anywhere in the cell, or used (builtins aside)
    builtins_used: frozenset[str]  # builtins used, unbound in the cell
    imported: frozenset[str] = frozenset()  # bound by an import statement
    bound: frozenset[str] = frozenset()  # bound otherwise


def names_of(source: str) -> Names | None:
    """The names of a cell, its IPython syntax masked as in notebooks."""
    view = Notebook("", b"", "", False, [Cell(1, source)], None).python()
    if view is None or not view.chunks:
        return ALWAYS if view is not None and view.broken else Names(frozenset(), frozenset())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(view.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ALWAYS
    bound: set[str] = set()
    used: set[str] = set()
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return ALWAYS
                imported.add(alias.asname or alias.name.split(".")[0])
    builtins_used = (used & BUILTINS) - bound - imported
    return Names(
        frozenset(bound | imported | (used - builtins_used)),
        frozenset(builtins_used),
        frozenset(imported),
        frozenset(bound),
    )


@dataclass(frozen=True)
class HistoryCell:
    source: str
    names: Names | None


class History:
    """The cells a kernel ran, with their names worked out once each."""

    def __init__(self, sources: list[str] | None = None) -> None:
        self.cells: list[HistoryCell] = []
        for source in sources or ():
            self.append(source)

    def __len__(self) -> int:
        return len(self.cells)

    def append(self, source: str) -> None:
        """A cell that ran; a cell run again moves to its new place (the same
        code twice would only make its names look bound twice, hence unknown)."""
        self.cells = [cell for cell in self.cells if cell.source != source]
        self.cells.append(HistoryCell(source, names_of(source)))

    def relevant(self, source: str) -> list[tuple[int, str]] | None:
        """(1-based position, source) of the earlier cells connected to
        `source`; None when `source` names nothing at all (`!pip install x`,
        `%matplotlib inline`, `print("done")`): no diagnostic can be in it."""
        names = names_of(source)
        if names is not ALWAYS and not names.mentioned:
            return None
        if names is ALWAYS:
            return [(i, c.source) for i, c in enumerate(self.cells, start=1)]
        known = [c.names for c in self.cells if c.names is not ALWAYS]
        shadowed = frozenset().union(*((n.bound | n.imported) & BUILTINS for n in known))
        # Module names (`np`, `keras`, `plt`) lead to the cells that import
        # them, not to every cell that uses them: using `np` in two cells does
        # not pass a value between them. A name also bound otherwise is a value.
        modules = frozenset().union(*(n.imported for n in known)) - frozenset().union(
            *(n.bound for n in known)
        )

        def mentioned(n: Names) -> frozenset[str]:
            return n.mentioned | (n.builtins_used & shadowed)

        def links(n: Names) -> frozenset[str]:
            """The names through which a cell is reached: its own imports count."""
            return (n.mentioned - modules) | n.imported | (n.builtins_used & shadowed)

        needed = set(mentioned(names))
        kept: set[int] = set()
        changed = True
        while changed:  # a kept cell adds its names, which may reach cells passed over
            changed = False
            for index, cell in enumerate(self.cells):
                if index in kept:
                    continue
                if cell.names is ALWAYS:
                    kept.add(index)
                    continue
                if not needed.isdisjoint(links(cell.names)):
                    kept.add(index)
                    needed |= mentioned(cell.names)
                    changed = True
        return [(i + 1, self.cells[i].source) for i in sorted(kept)]
