"""What the server lints: a snapshot of one unit (a text document, or a
notebook's cells), taken on the event loop and analysed in a worker thread.

A snapshot holds plain strings, never the workspace's live objects, so the
editor may go on changing documents while a thread lints the old text; the
server then drops the result if a newer text arrived (see language_server).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from kerascheck.editor.cells import CellSource, fix_all_cells, lint_cells
from kerascheck.notebooks.notebook import NOTEBOOK_SUFFIX
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult, Located
from kerascheck.run.engine import lint_text
from kerascheck.run.fixing import fix_text
from kerascheck.run.guard import crash_message, run_deep

# Documents of these languages are Python to us; any other is left alone.
PYTHON_LANGUAGES = frozenset({"python", "ipython", "jupyter-python"})


@dataclass(frozen=True)
class Snapshot:
    key: str  # the text document's or the notebook's uri
    filename: str  # for per-file-ignores and messages
    texts: dict[int | None, tuple[str, str]]  # cell (None: the document) -> (uri, text)
    cells: tuple[CellSource, ...] | None  # the code cells, joined; None: one Python text
    settings: Settings


@dataclass(frozen=True)
class Outcome:
    diagnostics: list[Located]  # `cell` says which document, None: the text document
    error: str | None = None  # the unit could not be analysed at all


def path_of(uri: str) -> str:
    """A file path for a uri: its filesystem path, or the path part of a
    `vscode-notebook-cell:`/`untitled:` uri (good enough for settings lookup
    and per-file-ignores)."""
    parsed = urlparse(uri)
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/x on Windows
        path = path[1:]
    return path or uri


def text_snapshot(uri: str, text: str, settings: Settings) -> Snapshot:
    """A text document. JupyterLab's LSP extension sends a notebook as one
    document of Python named like the notebook (`.virtual_documents/x.ipynb`),
    with IPython syntax left in places: it is linted as one IPython cell, so
    magics are masked as in an .ipynb file."""
    filename = path_of(uri)
    if filename.endswith(NOTEBOOK_SUFFIX):
        return Snapshot(
            uri, filename, {None: (uri, text), 1: (uri, text)}, (CellSource(1, text),), settings
        )
    return Snapshot(uri, filename, {None: (uri, text)}, None, settings)


def analyse(snapshot: Snapshot) -> Outcome:
    """Lint a snapshot; whatever goes wrong is the outcome's error, never an
    exception into the server."""
    try:
        result = run_deep(_lint, snapshot)
    except Exception as error:
        return Outcome([], crash_message(snapshot.filename, error))
    return Outcome(result.diagnostics, result.error)


def _lint(snapshot: Snapshot) -> FileResult:
    if snapshot.cells is not None:
        return lint_cells(snapshot.cells, snapshot.filename, snapshot.settings)
    return lint_text(snapshot.texts[None][1], snapshot.filename, snapshot.settings)


def fix_all(snapshot: Snapshot) -> dict[int | None, str]:
    """Document (cell number, None: the text document) -> its text with every
    safe fix applied, for the documents that change."""
    if snapshot.cells is not None:
        changed = run_deep(fix_all_cells, snapshot.cells, snapshot.filename, snapshot.settings)
        if snapshot.texts.keys() == {None, 1}:  # one document seen as one cell
            return {None: changed[1]} if 1 in changed else {}
        return dict(changed)
    text = snapshot.texts[None][1]
    fixed = run_deep(fix_text, text, snapshot.filename, snapshot.settings).text
    return {None: fixed} if fixed != text else {}
