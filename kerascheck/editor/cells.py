"""Lint code cells that are one program, and place what is found in its cell.

The language server's notebook documents and the IPython extension's history
are both a list of cells whose code runs in one namespace: a model built in
cell 3 and compiled in cell 5 is one model. They are joined, masked and mapped
back exactly as an .ipynb file is (kerascheck.notebooks.notebook); what this
module adds is fixes in cell coordinates, for code actions, which the .ipynb
path does not need (it writes the whole file back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kerascheck.notebooks.notebook import Cell, Notebook, NotebookError, PythonView, changed_cells
from kerascheck.project.settings import Settings
from kerascheck.results import Located, LocatedFix, TextEdit
from kerascheck.run.engine import lint_text
from kerascheck.run.fixing import fix_text


@dataclass(frozen=True)
class CellSource:
    number: int  # 1-based among all the cells, markdown included, as the .ipynb path counts
    source: str


def _view(cells: Sequence[CellSource], filename: str) -> PythonView:
    # Only `cells` is read by the join; the file-level fields are for .ipynb files.
    notebook = Notebook(filename, b"", "", False, [Cell(c.number, c.source) for c in cells], None)
    view = notebook.python()
    assert view is not None  # language None: Python
    return view


def lint_cells(
    cells: Sequence[CellSource], filename: str, settings: Settings = Settings()
) -> list[Located]:
    """Diagnostics of the cells as one program, each in its cell (`cell` set),
    with its fix's edits in that cell's lines and columns (or no fix when an
    edit would leave the cell)."""
    view = _view(cells, filename)
    found: list[Located] = []
    if view.chunks:
        result = lint_text(view.text, filename, settings)
        placed = view.place(result.diagnostics)
        found += [
            replace(d, fix=_fix_in_cell(view, d.cell, original.fix))
            for d, original in zip(placed, result.diagnostics)
        ]
    for chunk in view.broken:  # a cell that does not parse: its own KC001
        alone = PythonView(chunk.text, (chunk,), ())
        found += [
            replace(d, fix=None)
            for d in alone.place(lint_text(chunk.text, filename, settings).diagnostics)
        ]
    return sorted(found, key=lambda d: d.sort_key)


def _fix_in_cell(view: PythonView, cell: int | None, fix: LocatedFix | None) -> LocatedFix | None:
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        chunk = view.chunk_at(edit.span.line)
        if chunk.cell != cell or view.chunk_at(edit.span.end_line) is not chunk:
            return None  # an edit in another cell: offered by "fix all" only
        if chunk.indent and "\n" in edit.content:
            return None  # new lines would miss the indentation IPython removed
        _, span = view.cell_span(edit.span)
        edits.append(TextEdit(0, 0, edit.content, span))
    return LocatedFix(fix.applicability, tuple(edits))


def fix_all_cells(
    cells: Sequence[CellSource], filename: str, settings: Settings = Settings()
) -> dict[int, str]:
    """Cell number -> its new source, for the cells that safe fixes change."""
    view = _view(cells, filename)
    if not view.chunks:
        return {}
    outcome = fix_text(view.text, filename, settings)
    if outcome.text == view.text:
        return {}
    try:
        return changed_cells(view, outcome.text)
    except NotebookError:
        return {}
