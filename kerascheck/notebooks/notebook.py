"""Jupyter notebooks: code cells <-> one Python text with a position map, and back.

A notebook is linted as one Python text: its code cells in order, each after a
marker line, with IPython syntax masked so it parses. Diagnostics found in that
text are placed back in their cell. A fix edits the same text; `write_back`
turns the edited text into the notebook's new bytes, rewriting only the `source`
of the cells that changed and leaving every other byte of the file alone.

    notebook = read_notebook(path)       # NotebookError: one clear line
    view = notebook.python()             # None: not a Python notebook
    view.text                            # lint (and fix) this text
    view.place(diagnostics)              # Located in view.text -> in cells
    notebook.write_back(view, fixed)     # new file bytes (the same if unchanged)
    notebook.diff(view, fixed)           # unified diff, one hunk group per cell

A fixer never writes `view.text` to the .ipynb file: it fixes `view.text` as it
fixes any Python text, then writes `notebook.write_back(view, fixed)` (only if
it differs from `notebook.data`) and re-lints the new notebook for what is left.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import difflib
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from kerascheck.ir.model import Span
from kerascheck.notebooks.ipython import is_automagic
from kerascheck.results import Located
from kerascheck.source.read import SourceError, read_bytes

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


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based position among all cells, markdown included (as ruff shows it)
    source: str  # the cell's code, joined


@dataclass
class Notebook:
    path: str
    data: bytes  # the file as read: write_back returns it when nothing changed
    text: str  # the JSON text, BOM removed
    bom: bool
    cells: list[Cell]  # code cells only
    language: str | None  # the kernel's language, when the notebook says

    @property
    def is_python(self) -> bool:
        # "python", "Python", "python3": xeus-python, ipykernel, pyspark kernels ...
        return self.language is None or self.language.lower().startswith("python")

    def python(self) -> PythonView | None:
        return to_python(self) if self.is_python else None

    def write_back(self, view: PythonView, edited: str) -> bytes:
        return write_back(self, view, edited)

    def diff(self, view: PythonView, edited: str) -> str:
        return diff(self, view, edited)


def read_notebook(path: str) -> Notebook:
    try:
        data = read_bytes(path)
    except SourceError as error:
        raise NotebookError(str(error)) from None
    return load_notebook(data, path)


def load_notebook(data: bytes, path: str) -> Notebook:
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise NotebookError(f"{path}: not a notebook: line {line} is not valid UTF-8") from None
    if not text.strip():
        raise NotebookError(f"{path}: not a notebook: the file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path}: {_json_problem(text, error)}") from None
    except RecursionError:
        raise NotebookError(f"{path}: not a notebook: JSON nested too deeply") from None
    return Notebook(path, data, text, bom, _code_cells(document, path), _language(document))


def _json_problem(text: str, error: json.JSONDecodeError) -> str:
    # A trailing comma is the usual way a hand-edited notebook breaks: say so.
    before = text[: error.pos].rstrip()
    if before.endswith(",") and text[error.pos : error.pos + 1] in ("]", "}"):
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - text.rfind("\n", 0, comma)
        return (
            f"not valid JSON: trailing comma at line {line} column {column} "
            f"(Jupyter cannot open it either)"
        )
    return f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"


def _code_cells(document: object, path: str) -> list[Cell]:
    if isinstance(document, dict) and "worksheets" in document and "cells" not in document:
        raise NotebookError(
            f"{path}: nbformat 3 notebooks are not supported; "
            f"open and save it in Jupyter to upgrade it"
        )
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f'{path}: not a Jupyter notebook (no "cells" list)')
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"{path}: not a Jupyter notebook (cell {number} is not an object)")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f'{path}: cell {number} has an invalid "source"')
        found.append(Cell(number, source))
    return found


def _language(document: dict) -> str | None:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return section[field]
    return None


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
            if assignment:
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
    )


def _cell_span(chunk: Chunk, span: Span) -> Span:
    line, column = chunk.position(span.line, span.column)
    end_line, end_column = chunk.position(span.end_line, span.end_column)
    return Span(line, column, end_line, end_column)


def lint_notebook(notebook: Notebook, lint: Callable[[str], list[Located]]) -> list[Located]:
    """Lint a notebook with `lint` (Python text -> diagnostics in that text):
    its code cells together, and each cell that does not parse on its own, so
    that a broken cell is that cell's KC001 and the other cells are linted."""
    view = notebook.python()
    if view is None:
        return []  # an R or Julia notebook: nothing for a Python linter
    found = view.place(lint(view.text)) if view.chunks else []
    for chunk in view.broken:
        found += [_place(lambda _, chunk=chunk: chunk, d) for d in lint(chunk.text)]
    if found:
        layout = _Layout(notebook.text)
        found = [
            replace(
                d,
                file_span=layout.file_span(d.cell, d.span),
                related_file_spans=tuple(
                    layout.file_span(cell, span)
                    for cell, (span, _) in zip(d.related_cells, d.related)
                ),
            )
            for d in found
        ]
    return sorted(found, key=lambda d: d.sort_key)


# ---------------------------------------------------------------- Python -> cells


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
    layout = _Layout(text)
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


class _Layout:
    """Where the cells' sources are in the JSON text, and how it writes them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii() and re.search(r"\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None

    @cached_property
    def source_spans(self) -> dict[int, tuple[int, int]]:
        """Cell number -> (start, end) of its `source` value in the text."""
        spans = {}
        _, members = _members(self.text, _skip(self.text, 0))
        cells_start = next(start for key, start, _ in members if key == "cells")
        _, items = _items(self.text, cells_start)
        for number, (start, _) in enumerate(items, start=1):
            _, cell_members = _members(self.text, start)
            for key, value_start, value_end in cell_members:
                if key == "source":
                    spans[number] = (value_start, value_end)
        return spans

    def file_span(self, cell: int, span: Span) -> Span:
        """A span in a cell -> the same place in the JSON text, so that a tool
        showing the .ipynb file (SARIF viewers) marks the right characters."""
        start = self._file_position(cell, span.line, span.column)
        end = self._file_position(cell, span.end_line, span.end_column)
        return Span(*start, *end)

    def _file_position(self, cell: int, line: int, column: int) -> tuple[int, int]:
        start, end = self.source_spans[cell]
        strings = [(start, end)] if self.text[start] == '"' else _items(self.text, start)[1]
        pieces = [json.loads(self.text[s:e]) for s, e in strings]
        source = "".join(pieces)
        offset = sum(len(part) for part in source.split("\n")[: line - 1]) + line - 1
        offset += column - 1
        for (s, _), piece in zip(strings, pieces):
            if offset < len(piece) or s == strings[-1][0]:
                # The file's escapes, not the characters, decide the column.
                at = s + len(self.string(piece[:offset])) - 1
                return self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)
            offset -= len(piece)
        return self.text.count("\n", 0, start) + 1, 1  # an empty source

    def string(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ascii)

    def source_json(self, old: str, source: str) -> str:
        if old.startswith('"'):
            return self.string(source)
        lines = [line for line in re.split(r"(?<=\n)", source) if line]  # as Jupyter splits
        _, items = _items(old, 0)
        opening = old[1 : items[0][0]] if items else ""
        closing = old[items[-1][1] : -1] if items else ""
        if len(items) > 1:
            separator = old[items[0][1] : items[1][0]]
        else:
            separator = "," + opening if opening else ", "
        return "[" + opening + separator.join(map(self.string, lines)) + closing + "]"


_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _WHITESPACE.match(text, i).end()


def _value_end(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _members(text: str, i: int) -> tuple[int, list[tuple[str, int, int]]]:
    """An object at text[i] -> (its end, [(key, value start, value end)])."""
    members, i = [], _skip(text, i + 1)
    while text[i] != "}":
        key, i = json.decoder.scanstring(text, i + 1)
        start = _skip(text, _skip(text, i) + 1)  # past the colon
        end = _value_end(text, start)
        members.append((key, start, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return i + 1, members


def _items(text: str, i: int) -> tuple[int, list[tuple[int, int]]]:
    """An array at text[i] -> (its end, [(item start, item end)])."""
    items, i = [], _skip(text, i + 1)
    while text[i] != "]":
        end = _value_end(text, i)
        items.append((i, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return i + 1, items
