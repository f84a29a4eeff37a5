"""Lint code cells that are one program, and place what is found in its cell.

The language server's notebook documents and the IPython extension's history
are both a list of cells whose code runs in one namespace: a model built in
cell 3 and compiled in cell 5 is one model. They are handed to the engine as
the notebook they are (`lint_file` on the cells as .ipynb bytes: the one
analysis path, with its masking of IPython syntax and its KC001 per broken
cell). What this module adds is fixes in cell coordinates, for code actions:
the engine leaves a notebook's fixes in the joined text, since the .ipynb path
writes whole cells back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kerascheck.notebooks.notebook import NOTEBOOK_SUFFIX, NotebookError, PythonView
from kerascheck.notebooks.reading import load_notebook
from kerascheck.notebooks.writing import changed_cells
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult, LocatedFix, TextEdit
from kerascheck.run.engine import lint_file
from kerascheck.run.fixing import fix_text


@dataclass(frozen=True)
class CellSource:
    number: int  # 1-based among all the cells, markdown included, as the .ipynb path counts
    source: str


def notebook_bytes(cells: Sequence[CellSource]) -> bytes:
    """The cells as an .ipynb file, numbered as given (gaps become markdown
    cells, so that cell numbers survive the round trip)."""
    document: list[dict] = []
    for cell in cells:
        while len(document) < cell.number - 1:
            document.append({"cell_type": "markdown", "metadata": {}, "source": ""})
        document.append({"cell_type": "code", "metadata": {}, "outputs": [], "source": cell.source})
    notebook = {"cells": document, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook).encode("utf-8")


def _name(filename: str) -> str:
    """The engine knows a notebook by its suffix."""
    return filename if filename.endswith(NOTEBOOK_SUFFIX) else filename + NOTEBOOK_SUFFIX


def lint_cells(
    cells: Sequence[CellSource], filename: str, settings: Settings = Settings()
) -> FileResult:
    """Diagnostics of the cells as one program, each in its cell (`cell` set),
    with its fix's edits in that cell's lines and columns (or no fix when an
    edit would leave the cell)."""
    name, data = _name(filename), notebook_bytes(cells)
    result = lint_file(name, settings, data)
    if any(d.fix for d in result.diagnostics):
        view = load_notebook(data, name).python()
        result.diagnostics = [
            replace(d, fix=_fix_in_cell(view, d.cell, d.fix)) for d in result.diagnostics
        ]
    return result


def _fix_in_cell(view: PythonView | None, cell: int | None, fix: LocatedFix | None):
    if fix is None or view is None:
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
    name = _name(filename)
    view = load_notebook(notebook_bytes(cells), name).python()
    if view is None or not view.chunks:
        return {}
    outcome = fix_text(view.text, name, settings)
    if outcome.text == view.text:
        return {}
    try:
        return changed_cells(view, outcome.text)
    except NotebookError:
        return {}
