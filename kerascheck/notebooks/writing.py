"""Python -> cells: a fixed Python text back into the notebook's bytes,
rewriting only the `source` of the cells that changed."""

from __future__ import annotations

import codecs
import difflib
import json
from typing import TYPE_CHECKING

from kerascheck.notebooks.layout import JsonLayout
from kerascheck.notebooks.notebook import _MARKER_LINE, Chunk, NotebookError, PythonView

if TYPE_CHECKING:
    from kerascheck.notebooks.reading import Notebook


def changed_cells(view: PythonView, edited: str) -> dict[int, str]:
    """Cell number -> new source, for the cells whose code `edited` changes."""
    parts = _MARKER_LINE.split(edited)
    numbers = [int(n) for n in parts[1::2]]
    if parts[0].strip() or numbers != [c.cell for c in view.chunks]:
        raise NotebookError(
            "the edited Python text no longer matches the notebook's cells "
            "(a cell marker line was changed)"
        )
    changed = {}
    for chunk, body in zip(view.chunks, parts[2::2]):
        body = body[1:] if body.startswith("\n") else body
        if body == chunk.text:
            continue
        new_lines = body[:-1].split("\n") if body.endswith("\n") else body.split("\n")
        source = _restore(chunk, new_lines)
        if source != "\n".join(chunk.raw) + ("\n" if chunk.trailing_newline else ""):
            changed[chunk.cell] = source
    return changed


def _changed(notebook: Notebook, view: PythonView, edited: str) -> dict[int, str]:
    try:
        return changed_cells(view, edited)
    except NotebookError as error:
        raise NotebookError(f"{notebook.path}: {error}") from None


def _restore(chunk: Chunk, new_lines: list[str]) -> str:
    """The cell's source for its edited lines: lines the edit kept come back as
    written (magics, indentation), new lines get the cell's indentation back."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, chunk.lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += chunk.raw[i1:i2]
        else:
            out += [chunk.indent + line if line.strip() else line for line in new_lines[j1:j2]]
    return "\n".join(out) + ("\n" if chunk.trailing_newline else "")


def write_back(notebook: Notebook, view: PythonView, edited: str) -> bytes:
    """The notebook's bytes with the changed cells' `source` rewritten in the
    file's own layout; every other byte (outputs, metadata, indentation, key
    order, escapes, trailing newline) is kept. Unchanged: the original bytes."""
    changed = _changed(notebook, view, edited)
    if not changed:
        return notebook.data
    text = notebook.text
    layout = JsonLayout(text)
    for number in sorted(changed, reverse=True):  # from the end: offsets stay valid
        start, end = layout.source_spans[number]
        text = text[:start] + layout.source_json(text[start:end], changed[number]) + text[end:]
    try:
        json.loads(text)  # never write a file Jupyter cannot open
    except ValueError:
        raise NotebookError(
            f"{notebook.path}: the fixed notebook would not be valid JSON; "
            f"not written (please report this)"
        ) from None
    return (codecs.BOM_UTF8 if notebook.bom else b"") + text.encode("utf-8")


def diff(notebook: Notebook, view: PythonView, edited: str) -> str:
    """A unified diff per changed cell, headed `path:cell N` as ruff does."""
    before = {c.number: c.source for c in notebook.cells}
    out = []
    for number, source in sorted(_changed(notebook, view, edited).items()):
        name = f"{notebook.path}:cell {number}"
        out += difflib.unified_diff(
            before[number].splitlines(keepends=True), source.splitlines(keepends=True), name, name
        )
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)
