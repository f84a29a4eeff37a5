"""`--add-noqa` in a notebook: the comments go into the cells' own lines.

The notebook's Python text (its code cells joined) gets the comments, as a .py
file would, and only the cells that changed are written back, keeping the
notebook's JSON layout (see notebooks/writing.py)."""

from __future__ import annotations

from kerascheck.notebooks.notebook import NotebookError
from kerascheck.notebooks.reading import read_notebook
from kerascheck.results import FileResult


def add_noqa_notebook(result: FileResult) -> tuple[int, str | None]:
    from kerascheck.commands.add_noqa import with_noqa
    from kerascheck.run.fixing import write_atomic

    path = result.filename
    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        return 0, str(error)
    view = notebook.python()
    if view is None:
        return 0, None
    starts = {chunk.cell: chunk.start for chunk in view.chunks}  # broken cells are not here
    wanted: dict[int, set[str]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.code == "KC001" or diagnostic.cell not in starts:
            continue
        line = starts[diagnostic.cell] + diagnostic.span.line - 1
        wanted.setdefault(line, set()).add(diagnostic.code)
    text, count = with_noqa(view.text, wanted)
    if not count:
        return 0, None
    try:
        data = notebook.write_back(view, text)
        write_atomic(path, data)
    except (NotebookError, OSError) as error:
        return 0, f"{path}: cannot write: {error}"
    return count, None
