"""Lint one source: bytes -> text (a .py file, or a notebook's cells joined)
-> parse -> extract -> checks -> located diagnostics.

This is the one analysis path: `check`, `--fix`, `--diff`, `show`, stdin, the
cache and the parallel runner all come through `analyse` (run/guard.py puts
the nesting guard, the deep-stack thread and the per-file safety net around
it). The Python API: `lint_text(text, filename)` returns what a run would
report for that Python text; `lint_file(path)` for a file of either kind.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import libcst as cst

from kerascheck.checks import RULES
from kerascheck.checks.diagnostic import Diagnostic
from kerascheck.ir.extract.walker import extract
from kerascheck.ir.model import KerasFile, Loc
from kerascheck.notebooks.layout import with_file_spans
from kerascheck.notebooks.notebook import NotebookError, PythonView, is_notebook
from kerascheck.notebooks.reading import Notebook, load_notebook
from kerascheck.project.settings import Settings, codes_for_file
from kerascheck.results import FileResult
from kerascheck.run.lenient import expanded_indentation, masked_magics
from kerascheck.run.placing import locate
from kerascheck.run.syntax_errors import cpython_syntax_error, syntax_error
from kerascheck.source.locate import node_ranges
from kerascheck.source.noqa import ignores_file
from kerascheck.source.prefilter import may_hold_keras
from kerascheck.source.read import SourceError, decode, read_bytes, read_stdin_bytes
from kerascheck.source.span import Span
from kerascheck.source.syntax import parse


class SourceKind(enum.Enum):
    PYTHON = "python"
    NOTEBOOK = "notebook"

    @classmethod
    def of(cls, name: str) -> SourceKind:
        return cls.NOTEBOOK if is_notebook(name) else cls.PYTHON


@dataclass
class Analysis:
    """What the engine found in one source: the FileResult a run reports, and
    for `show`, the models it rebuilt with a way to say where each is."""

    result: FileResult
    models: list[tuple[KerasFile, Callable[[Loc], int | str]]] = field(default_factory=list)


def lint_file(path: str, settings: Settings = Settings(), data: bytes | None = None) -> FileResult:
    """Lint the file at `path` (.py or .ipynb); `data`, when given, is its
    content already read (or standard input, reported as `path`)."""
    return analyse(path, settings, data).result


def lint_stdin(name: str, settings: Settings = Settings()) -> FileResult:
    """Standard input, linted as the kind of file `name` says (a notebook too)."""
    try:
        data = read_stdin_bytes()
    except SourceError as error:
        return FileResult(name, error=str(error))
    return lint_file(name, settings, data)


def lint_text(text: str, filename: str, settings: Settings = Settings()) -> FileResult:
    """Lint Python text, reported as `filename`."""
    return _analyse_python(text, filename, settings).result


def analyse(
    path: str, settings: Settings = Settings(), data: bytes | None = None, keep: bool = False
) -> Analysis:
    """The one engine function. `keep`: also return the models (for `show`)."""
    try:
        if data is None:
            data = read_bytes(path)
        if SourceKind.of(path) is SourceKind.NOTEBOOK:
            return _analyse_notebook(load_notebook(data, path), settings, keep)
        text = decode(data, path).text
    except (SourceError, NotebookError) as error:
        return Analysis(FileResult(path, error=str(error)))
    return _analyse_python(text, path, settings, keep)


def _analyse_notebook(notebook: Notebook, settings: Settings, keep: bool) -> Analysis:
    """The code cells as one program, and each cell that does not parse on its
    own alone (so a broken cell is that cell's KC001 and the others are linted)."""
    name = notebook.path
    view = notebook.python()
    if view is None:
        return Analysis(FileResult(name))  # an R or Julia notebook: nothing for us
    if any(ignores_file(cell.source) for cell in notebook.cells):
        return Analysis(FileResult(name))  # `# kerascheck: ignore-file` in any cell
    parts: list[Analysis] = []
    found = []
    if view.chunks:
        whole = _analyse_python(view.text, name, settings, keep, _cell_lines(view))
        parts.append(whole)
        found += view.place(whole.result.diagnostics)
    for chunk in view.broken:
        alone = _analyse_python(chunk.text, name, settings)
        parts.append(alone)
        found += chunk.place(alone.result.diagnostics)
    found = sorted(with_file_spans(notebook.text, found), key=lambda d: d.sort_key)
    errors = [part.result.error for part in parts if part.result.error]
    notes = [note for part in parts for note in part.result.notes]
    limits = all(part.result.python_runs for part in parts if part.result.error)
    result = FileResult(
        name, found, error=errors[0] if errors else None, notes=notes, python_runs=limits
    )
    return Analysis(result, [model for part in parts for model in part.models])


def _cell_lines(view: PythonView) -> Callable[[int], int | str]:
    def line_in_cell(line: int) -> str:
        cell, span = view.cell_span(Span(line, 1, line, 2))
        return f"cell {cell}:{span.line}"

    return line_in_cell


def _analyse_python(
    text: str,
    filename: str,
    settings: Settings,
    keep: bool = False,
    line_name: Callable[[int], int | str] = int,
) -> Analysis:
    if ignores_file(text):  # `# kerascheck: ignore-file`
        return Analysis(FileResult(filename))
    codes = codes_for_file(settings, filename)
    if not may_hold_keras(text):
        # Most files of a project: no LibCST tree, only CPython's own parser,
        # so a syntax error is still a KC001.
        found = cpython_syntax_error(text, filename) if "KC001" in codes else []
        return Analysis(FileResult(filename, found))
    try:
        module = parse(text)
    except (cst.ParserSyntaxError, SyntaxError) as error:
        return _unparsed(text, filename, settings, codes, error)
    kfile = extract(module)
    runtime_error, notes = None, []
    if settings.runtime and any(RULES[code].reads_runtime for code in codes):
        from kerascheck.runtime.results import attach  # runtime mode only: it spawns the worker

        kfile, runtime_error, notes = attach(kfile)
    diagnostics = locate(run_checks(kfile, codes), module, text, filename, codes)
    error = f"{filename}: {runtime_error}" if runtime_error else None
    analysis = Analysis(FileResult(filename, diagnostics, error=error, notes=notes))
    if keep and kfile.models:
        analysis.models.append((kfile, _line_of(module, kfile, line_name)))
    return analysis


def _unparsed(
    text: str,
    filename: str,
    settings: Settings,
    codes: frozenset[str],
    error: cst.ParserSyntaxError | SyntaxError,
) -> Analysis:
    """A text LibCST refuses: its KC001, or a rewritten copy linted in its
    place (see lenient.py) when Python runs it, or a notebook's magics are
    all that stands in the way."""
    located = syntax_error(text, filename, error)
    if located is None:  # CPython runs it: LibCST's limit, not the user's error
        rewrite = expanded_indentation(text)
        if rewrite is not None and not _refused(rewrite.text):
            again = _analyse_python(rewrite.text, filename, settings)
            return Analysis(rewrite.restore(again.result))
        reason = error.message.splitlines()[-1]
        return Analysis(
            FileResult(
                filename,
                error=f"{filename}: cannot analyse: LibCST cannot parse this valid Python "
                f"({reason})",
                python_runs=True,
            )
        )
    found = [located] if "KC001" in codes else []
    rewrite = masked_magics(text)
    if rewrite is None or located.span.line not in rewrite.prefixes:
        return Analysis(FileResult(filename, found))
    # Notebook code in a .py file: the magic is the KC001; the rest is linted.
    again = _analyse_python(rewrite.text, filename, settings)
    rest = rewrite.restore(again.result)
    return Analysis(replace(rest, diagnostics=sorted(found + rest.diagnostics, key=_order)))


def _order(diagnostic) -> tuple:
    return diagnostic.sort_key


def _refused(text: str) -> bool:
    try:
        parse(text)
    except (cst.ParserSyntaxError, SyntaxError):
        return True
    return False


def _line_of(
    module: cst.Module, kfile: KerasFile, line_name: Callable[[int], int | str]
) -> Callable[[Loc], int | str]:
    """Where a model's pieces are, for `show`: positions of its layers only."""
    nodes = [m.loc.node for m in kfile.models]
    nodes += [e.loc.node for m in kfile.models for e in m.layers]
    nodes += [n.element.loc.node for m in kfile.models for n in m.graph.nodes]  # graph views
    positions = node_ranges(module, nodes)
    return lambda loc: line_name(positions[id(loc.node)][0][0])


def run_checks(kfile: KerasFile, codes: frozenset[str]) -> list[Diagnostic]:
    found = []
    for code in sorted(codes):
        found.extend(RULES[code].run(kfile))
    return found
