"""Lint one file: source -> parse -> extract -> checks -> located diagnostics.

This is the unit that runs per file and the Python API:
`lint_text(text, filename)` returns what a run would report for that text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .checks import RULES
from .diagnostics import Diagnostic, Located
from .edits import LineTable, resolve
from .extract import extract
from .ir import KerasFile, Span
from .noqa import Suppressions, ignores_file
from .notebook import NotebookError, is_notebook, lint_notebook, read_notebook
from .settings import Settings, codes_for_file
from .source import SourceError, read_source, read_stdin


@dataclass
class FileResult:
    filename: str
    diagnostics: list[Located] = field(default_factory=list)
    error: str | None = None  # the file could not be linted at all
    notes: list[str] = field(default_factory=list)  # for --verbose: models runtime skipped


def lint_file(path: str, settings: Settings = Settings()) -> FileResult:
    if is_notebook(path):
        return _lint_notebook_file(path, settings)
    try:
        source = read_source(path)
    except SourceError as error:
        return FileResult(path, error=str(error))
    return lint_text(source.text, path, settings)


def _lint_notebook_file(path: str, settings: Settings) -> FileResult:
    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        return FileResult(path, error=str(error))
    return FileResult(path, lint_notebook(
        notebook, lambda text: lint_text(text, path, settings).diagnostics))


def lint_stdin(name: str, settings: Settings = Settings()) -> FileResult:
    try:
        source = read_stdin(name)
    except SourceError as error:
        return FileResult(name, error=str(error))
    return lint_text(source.text, name, settings)


def parse(text: str) -> cst.Module:
    return cst.parse_module(text)


def lint_text(text: str, filename: str, settings: Settings = Settings()) -> FileResult:
    if ignores_file(text):  # `# kerascheck: ignore-file`
        return FileResult(filename)
    codes = codes_for_file(settings, filename)
    try:
        module = parse(text)
    except cst.ParserSyntaxError as error:
        result = FileResult(filename)
        if "KC001" in codes:
            result.diagnostics.append(_syntax_error(text, filename, error))
        return result
    kfile = extract(module)
    runtime_error, notes = None, []
    if settings.runtime and any(code.startswith("KC5") for code in codes):
        from .runtime.results import attach  # runtime mode only: it spawns the worker
        kfile, runtime_error, notes = attach(kfile)
    diagnostics = locate(run_checks(kfile, codes), module, text, filename)
    error = f"{filename}: {runtime_error}" if runtime_error else None
    return FileResult(filename, diagnostics, error=error, notes=notes)


def run_checks(kfile: KerasFile, codes: frozenset[str]) -> list[Diagnostic]:
    found = []
    for code in sorted(codes):
        check = RULES[code].check
        if check is not None:
            found.extend(check(kfile))
    return found


def locate(diagnostics: list[Diagnostic], module: cst.Module, text: str,
           filename: str) -> list[Located]:
    """Place diagnostics in the file. Positions are computed only here, once,
    and only for files that have something to report."""
    if not diagnostics:
        return []
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    lines = text.splitlines()
    suppressions = Suppressions(text, module, positions)
    table = LineTable(text)

    def span(loc) -> Span:
        code_range = positions[loc.node]
        return Span(code_range.start.line, code_range.start.column + 1,
                    code_range.end.line, code_range.end.column + 1)

    def offsets(loc) -> tuple[int, int]:
        code_range = positions[loc.node]
        return (table.offset(code_range.start.line, code_range.start.column),
                table.offset(code_range.end.line, code_range.end.column))

    located, seen = [], set()
    for diagnostic in diagnostics:
        where = span(diagnostic.loc)
        key = (diagnostic.code, where, diagnostic.message)
        if key in seen:  # one model reached twice (a builder called twice)
            continue
        seen.add(key)
        if suppressions.suppresses(diagnostic.code, where.line):  # `# noqa`
            continue
        located.append(Located(
            code=diagnostic.code, message=diagnostic.message, filename=filename,
            span=where, help=diagnostic.help,
            related=tuple((span(loc), note) for loc, note in diagnostic.related),
            source_line=lines[where.line - 1] if where.line <= len(lines) else "",
            fix=resolve(diagnostic.fix, offsets, text, table) if diagnostic.fix else None,
        ))
    located.sort(key=lambda d: d.sort_key)
    return located


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def _syntax_error(text: str, filename: str, error: cst.ParserSyntaxError) -> Located:
    """KC001 at the error, with CPython's wording when it has one (it is the
    message users know)."""
    message = error.message
    line, column = error.raw_line, error.raw_column + 1
    found = _LIBCST_POSITION.search(error.message)
    if found:
        line, column = int(found.group(1)), int(found.group(2)) + 1
    try:
        ast.parse(text)
    except SyntaxError as py_error:
        message = py_error.msg
        if py_error.lineno:
            line, column = py_error.lineno, py_error.offset or 1
    except (ValueError, RecursionError, MemoryError):
        pass
    lines = text.splitlines()
    line = max(1, min(line, len(lines) or 1))
    source_line = lines[line - 1] if lines else ""
    column = max(1, min(column, len(source_line) + 1))
    return Located("KC001", f"Syntax error: {message}", filename,
                   Span(line, column, line, column + 1), source_line=source_line)
