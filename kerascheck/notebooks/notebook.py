"""Jupyter notebooks, cells -> Python: code cells become one Python text with
a position map back to the cells, IPython syntax masked so that it parses.

A notebook is linted as one Python text: its code cells in order, each after a
marker line. Diagnostics found in that text are placed back in their cell
(`PythonView.place`); a cell that does not parse on its own is left out of the
text and linted alone (`PythonView.broken`). Reading the .ipynb file is
reading.py's job, writing fixes back writing.py's, positions in the JSON text
layout.py's.

    notebook = read_notebook(path)       # NotebookError: one clear line
    view = notebook.python()             # None: not a Python notebook
    view.text                            # lint (and fix) this text
    view.place(diagnostics)              # Located in view.text -> in cells
    notebook.write_back(view, fixed)     # new file bytes (the same if unchanged)
    notebook.diff(view, fixed)           # unified diff, one hunk group per cell
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from kerascheck.notebooks.ipython import is_assignment_target, is_automagic
from kerascheck.results import Located, LocatedFix
from kerascheck.source.span import Span

if TYPE_CHECKING:
    from kerascheck.notebooks.reading import Notebook

NOTEBOOK_SUFFIX = ".ipynb"

# Cell magics whose body is Python run in the notebook's own namespace: the
# body is linted below the masked magic line. Any other cell magic (%%bash,
# %%writefile, %%html, %%R ...) holds something else and the cell is skipped.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

_MARKER = "# %% [kerascheck cell {}]"
_MARKER_LINE = re.compile(r"^# %% \[kerascheck cell (\d+)\]$", re.MULTILINE)
_CELL_MAGIC = re.compile(r"%%\s*(\w*)")
# `files = !ls`, `out = %sx ls`: the assigned name stays (as an unknown value).
_MAGIC_ASSIGNMENT = re.compile(r"([A-Za-z_][\w.\[\]'\", ()*]*?)\s*=\s*[!%]")
# A line that might hold IPython syntax: only such cells need a closer look.
_MAYBE_MAGIC = re.compile(r"^\s*[%!?]|\?\s*$|=\s*[%!]")
# `model.fit?`, `keras.layers.Dense??`, `np.*load*?`, `?model`
_HELP = re.compile(r"(\?{1,2}\s*[\w.*]+|%?[\w.*\[\]()]+\?{1,2})")


class NotebookError(Exception):
    """A file that cannot be read as a notebook: one clear line."""


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based position among all cells, markdown included (as ruff shows it)
    source: str  # the cell's code, joined


# ---------------------------------------------------------------- cells -> Python


@dataclass(frozen=True)
class Chunk:
    """One code cell as it sits in the Python text."""

    cell: int  # the cell's number
    start: int  # line of the cell's first line in the Python text (1-based)
    raw: tuple[str, ...]  # the cell's lines as written
    lines: tuple[str, ...]  # the same lines masked and dedented, as in the Python text
    shift: tuple[int, ...]  # columns removed from each line by the dedent
    indent: str  # the indentation the dedent removed
    trailing_newline: bool  # the cell's source ends with a newline

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def position(self, line: int, column: int) -> tuple[int, int]:
        """(line, column) in the Python text -> (line, column) in the cell."""
        index = min(max(line - self.start, 0), len(self.lines) - 1)
        return index + 1, column + self.shift[index]

    def place(self, diagnostics: list[Located]) -> list[Located]:
        """Diagnostics in this cell's own text (a cell linted alone) -> in the cell."""
        return [_place(lambda _: self, d) for d in diagnostics]


@dataclass(frozen=True)
class PythonView:
    text: str
    chunks: tuple[Chunk, ...]  # the cells in `text`, in order
    broken: tuple[Chunk, ...]  # cells that do not parse: left out, linted alone

    @cached_property
    def _starts(self) -> list[int]:
        return [chunk.start for chunk in self.chunks]

    def chunk_at(self, line: int) -> Chunk:
        """The cell a line of `text` belongs to (a marker line: the next cell)."""
        index = bisect.bisect_right(self._starts, line) - 1
        return self.chunks[max(index, 0)]

    def cell_span(self, span: Span) -> tuple[int, Span]:
        """A span in `text` (a fix's edit, say) -> (cell number, span in the cell)."""
        chunk = self.chunk_at(span.line)
        return chunk.cell, _cell_span(chunk, span)

    def place(self, diagnostics: list[Located]) -> list[Located]:
        """Diagnostics in `text` -> diagnostics in their cells."""
        return [_place(self.chunk_at, d) for d in diagnostics]


def to_python(notebook: Notebook) -> PythonView:
    chunks, broken, line, parts = [], [], 1, []
    with warnings.catch_warnings():  # invalid escapes in the user's strings
        warnings.simplefilter("ignore")
        for cell in notebook.cells:
            chunk = _chunk(cell)
            if chunk is None:
                continue
            if not _parses(chunk.text):
                broken.append(replace(chunk, start=1))
                continue
            parts.append(_MARKER.format(cell.number) + "\n" + chunk.text)
            chunks.append(replace(chunk, start=line + 1))
            line += 1 + len(chunk.lines)
    return PythonView("".join(parts), tuple(chunks), tuple(broken))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    except (RecursionError, MemoryError):
        return True  # the linter proper reports these, as for a .py file
    return True


def _chunk(cell: Cell) -> Chunk | None:
    """The cell as Python, or None when it holds no Python to lint."""
    if not cell.source.strip():
        return None
    raw = cell.source.split("\n")
    trailing_newline = raw[-1] == ""
    if trailing_newline:
        raw.pop()
    lines = list(raw)
    first = next(i for i, line in enumerate(lines) if line.strip())
    header = _CELL_MAGIC.match(lines[first].lstrip())
    body = first
    if header:
        if header.group(1) not in PYTHON_CELL_MAGICS:
            return None  # %%bash, %%writefile, %%html ...: not Python
        lines[first] = _masked(lines[first].lstrip(), "")
        body = first + 1
    indent, shift = _dedent(lines, body)
    _mask_magics(lines, body)
    return Chunk(cell.number, 1, tuple(raw), tuple(lines), tuple(shift), indent, trailing_newline)


def _dedent(lines: list[str], body: int) -> tuple[str, list[int]]:
    """IPython runs a cell whose first line is indented as if it were not: the
    first line's indentation is removed from every line that has it."""
    shift = [0] * len(lines)
    first = next((i for i in range(body, len(lines)) if lines[i].strip()), None)
    if first is None:
        return "", shift
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip(" \t"))]
    if not indent:
        return "", shift
    for i in range(body, len(lines)):
        if lines[i].startswith(indent):
            lines[i] = lines[i][len(indent) :]
            shift[i] = len(indent)
    return indent, shift


def mask_magics(lines: list[str]) -> list[str]:
    """The lines of a program with IPython syntax masked as in a cell (for
    notebook code saved as a .py file)."""
    masked = list(lines)
    _mask_magics(masked, 0)
    return masked


def _mask_magics(lines: list[str], body: int) -> None:
    """Replace IPython syntax at the start of a statement by Python of the same
    shape, line for line, so that positions stay and the cell parses."""
    candidates = [
        i
        for i in range(body, len(lines))
        if _MAYBE_MAGIC.search(lines[i]) or is_automagic(lines[i].strip())
    ]
    if not candidates:
        return  # most cells: no need to follow strings and brackets
    depth, quote, continued = 0, None, False
    magic_indent = None  # a magic continued with `\` masks its next lines too
    for i in range(body, len(lines)):
        line = lines[i]
        if magic_indent is not None:
            lines[i] = _masked(line.strip(), magic_indent)
            magic_indent = magic_indent if line.rstrip().endswith("\\") else None
            continue
        if i > candidates[-1]:
            break
        if depth == 0 and quote is None and not continued:
            stripped = line.strip()
            indent = line[: len(line) - len(line.lstrip())]
            if stripped[:1] in ("%", "!") or _HELP.fullmatch(stripped) or is_automagic(stripped):
                lines[i] = _masked(stripped, indent)
                if stripped.endswith("\\"):
                    magic_indent = indent
                continue
            assignment = _MAGIC_ASSIGNMENT.match(stripped)
            if assignment and is_assignment_target(assignment.group(1)):
                lines[i] = f"{indent}{assignment.group(1)} = get_ipython()  # {stripped}"
                continue
        depth, quote, continued = _scan(line, depth, quote)


def _masked(magic: str, indent: str) -> str:
    # The magic stays visible as a comment: anyone reading the Python text
    # (a diff, a debugger) sees what was there.
    return f"{indent}pass  # {magic}"


def _scan(line: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """Bracket depth and open string after `line`, and whether it continues
    with a backslash: enough to know where the next statement starts."""
    i, end = 0, len(line.rstrip("\r"))
    while i < end:
        char = line[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
        elif char == "#":
            break
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char in "'\"":
            quote = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else char
            i += len(quote)
            continue
        elif char == "\\" and i == end - 1:
            return depth, quote, True
        i += 1
    continued = quote is not None and line.rstrip("\r").endswith("\\")
    if quote in ("'", '"') and not continued:
        quote = None  # an unclosed one-line string ends with its line
    return depth, quote, continued


# ---------------------------------------------------------------- diagnostics -> cells


def _place(chunk_at: Callable[[int], Chunk], diagnostic: Located) -> Located:
    """A diagnostic in Python text -> in its cell; `chunk_at` finds a line's cell
    (a related place, such as the loss of an output-layer clash, may be in
    another cell than the diagnostic)."""
    chunk = chunk_at(diagnostic.span.line)
    span = _cell_span(chunk, diagnostic.span)
    related = [(chunk_at(s.line), s, note) for s, note in diagnostic.related]
    return replace(
        diagnostic,
        span=span,
        cell=chunk.cell,
        source_line=chunk.raw[span.line - 1].rstrip("\r"),
        related=tuple((_cell_span(c, s), note) for c, s, note in related),
        related_cells=tuple(c.cell for c, _, _ in related),
        fix=_cell_fix(chunk_at, diagnostic.fix),
    )


def _cell_fix(chunk_at: Callable[[int], Chunk], fix: LocatedFix | None) -> LocatedFix | None:
    """A fix's edits with their rows and columns in the cell, as the
    diagnostic's (what JSON shows, as ruff does); the offsets stay in the
    joined text, where --fix applies them."""
    if fix is None:
        return None
    edits = tuple(
        replace(edit, span=_cell_span(chunk_at(edit.span.line), edit.span)) for edit in fix.edits
    )
    return replace(fix, edits=edits)


def _cell_span(chunk: Chunk, span: Span) -> Span:
    line, column = chunk.position(span.line, span.column)
    end_line, end_column = chunk.position(span.end_line, span.end_column)
    return Span(line, column, end_line, end_column)
