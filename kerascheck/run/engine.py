"""Lint one file: source -> parse -> extract -> checks -> located diagnostics.

This is the unit that runs per file and the Python API:
`lint_text(text, filename)` returns what a run would report for that text.
"""

from __future__ import annotations

import re

import libcst as cst

from kerascheck.checks import RULES
from kerascheck.checks.diagnostic import Diagnostic
from kerascheck.fixes.apply import LineTable, resolve
from kerascheck.ir.extract.walker import extract
from kerascheck.ir.model import KerasFile, Span
from kerascheck.notebooks.notebook import (
    NotebookError,
    is_notebook,
    lint_notebook,
    load_notebook,
    read_notebook,
)
from kerascheck.project.settings import Settings, codes_for_file
from kerascheck.results import FileResult, Located
from kerascheck.source.locate import node_ranges
from kerascheck.source.nesting import nesting_error, quiet_parse
from kerascheck.source.noqa import Suppressions, ignores_file
from kerascheck.source.prefilter import may_hold_keras
from kerascheck.source.read import SourceError, decode, read_source, read_stdin, source_lines


def lint_file(path: str, settings: Settings = Settings(), data: bytes | None = None) -> FileResult:
    """Lint the file at `path`; `data`, when given, is its content already read."""
    if is_notebook(path):
        return _lint_notebook_file(path, settings, data)
    try:
        source = read_source(path) if data is None else decode(data, path)
    except SourceError as error:
        return FileResult(path, error=str(error))
    return lint_text(source.text, path, settings)


def _lint_notebook_file(path: str, settings: Settings, data: bytes | None) -> FileResult:
    try:
        notebook = read_notebook(path) if data is None else load_notebook(data, path)
    except NotebookError as error:
        return FileResult(path, error=str(error))
    return FileResult(
        path, lint_notebook(notebook, lambda text: lint_text(text, path, settings).diagnostics)
    )


def lint_stdin(name: str, settings: Settings = Settings()) -> FileResult:
    try:
        source = read_stdin(name)
    except SourceError as error:
        return FileResult(name, error=str(error))
    return lint_text(source.text, name, settings)


def parse(text: str) -> cst.Module:
    """LibCST's tree; raises ParserSyntaxError, or SyntaxError where CPython
    refuses what LibCST would take minutes over or accept (see nesting.py)."""
    too_deep = nesting_error(text)
    if too_deep is not None:
        raise too_deep
    return cst.parse_module(text)


def lint_text(text: str, filename: str, settings: Settings = Settings()) -> FileResult:
    if ignores_file(text):  # `# kerascheck: ignore-file`
        return FileResult(filename)
    codes = codes_for_file(settings, filename)
    if not may_hold_keras(text):
        # Most files of a project: no LibCST tree, only CPython's own (C, ten
        # times faster) parser, so a syntax error is still a KC001.
        return FileResult(filename, _cpython_syntax_error(text, filename, codes))
    try:
        module = parse(text)
    except (cst.ParserSyntaxError, SyntaxError) as error:
        located = _syntax_error(text, filename, error)
        if located is None:
            return FileResult(
                filename,
                error=f"{filename}: cannot analyse: LibCST cannot "
                f"parse this valid Python ({error.message.splitlines()[-1]})",
            )
        return FileResult(filename, [located] if "KC001" in codes else [])
    kfile = extract(module)
    runtime_error, notes = None, []
    if settings.runtime and any(RULES[code].needs_runtime for code in codes):
        from kerascheck.runtime.results import attach  # runtime mode only: it spawns the worker

        kfile, runtime_error, notes = attach(kfile)
    diagnostics = locate(run_checks(kfile, codes), module, text, filename)
    error = f"{filename}: {runtime_error}" if runtime_error else None
    return FileResult(filename, diagnostics, error=error, notes=notes)


def run_checks(kfile: KerasFile, codes: frozenset[str]) -> list[Diagnostic]:
    found = []
    for code in sorted(codes):
        found.extend(RULES[code].run(kfile))
    return found


def locate(
    diagnostics: list[Diagnostic], module: cst.Module, text: str, filename: str
) -> list[Located]:
    """Place diagnostics in the file. Positions are computed only here, only
    for files that have something to report, and only for the reported nodes."""
    if not diagnostics:
        return []
    positions = node_ranges(module, [loc.node for d in diagnostics for loc in _locs(d)])
    lines = source_lines(text)
    suppressions = Suppressions(text, module)
    table = LineTable(text)

    def span(loc) -> Span:
        (line, column), (end_line, end_column) = positions[id(loc.node)]
        return Span(line, column + 1, end_line, end_column + 1)

    def offsets(loc) -> tuple[int, int]:
        (line, column), (end_line, end_column) = positions[id(loc.node)]
        return table.offset(line, column), table.offset(end_line, end_column)

    located, seen = [], set()
    for diagnostic in diagnostics:
        where = span(diagnostic.loc)
        key = (diagnostic.code, where, diagnostic.message)
        if key in seen:  # one model reached twice (a builder called twice)
            continue
        seen.add(key)
        if suppressions.suppresses(diagnostic.code, where.line):  # a noqa comment
            continue
        located.append(
            Located(
                code=diagnostic.code,
                message=diagnostic.message,
                filename=filename,
                span=where,
                help=diagnostic.help,
                related=tuple((span(loc), note) for loc, note in diagnostic.related),
                source_line=lines[where.line - 1] if where.line <= len(lines) else "",
                fix=resolve(diagnostic.fix, offsets, text, table) if diagnostic.fix else None,
            )
        )
    located.sort(key=lambda d: d.sort_key)
    return located


def _locs(diagnostic: Diagnostic):
    """Every place a diagnostic needs positions for: itself, its notes, its edits."""
    yield diagnostic.loc
    for loc, _ in diagnostic.related:
        yield loc
    for edit in diagnostic.fix.edits if diagnostic.fix else ():
        yield edit.loc
        if edit.end_loc is not None:
            yield edit.end_loc


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def _cpython_syntax_error(text: str, filename: str, codes: frozenset[str]) -> list[Located]:
    if "KC001" not in codes:
        return []
    try:
        too_deep = nesting_error(text)
        if too_deep is not None:
            raise too_deep
        quiet_parse(text)
    except SyntaxError as error:
        return [_syntax_error(text, filename, error)]
    except (ValueError, RecursionError, MemoryError):
        pass  # NUL bytes are a read error; deep nesting is not a syntax error
    return []


def _syntax_error(
    text: str, filename: str, error: cst.ParserSyntaxError | SyntaxError
) -> Located | None:
    """KC001 at the error, with CPython's wording when it has one (it is the
    message users know); None when CPython parses what LibCST could not (a
    limit of LibCST's, e.g. 10,000 implicitly concatenated strings, not the
    user's error)."""
    if isinstance(error, SyntaxError):  # CPython's own verdict already
        message, line, column = error.msg, error.lineno or 1, error.offset or 1
    else:
        message = error.message
        line, column = error.raw_line, error.raw_column + 1
        found = _LIBCST_POSITION.search(error.message)
        if found:
            line, column = int(found.group(1)), int(found.group(2)) + 1
        try:
            quiet_parse(text)
            return None
        except SyntaxError as py_error:
            message = py_error.msg
            if py_error.lineno:
                line, column = py_error.lineno, py_error.offset or 1
        except (ValueError, RecursionError, MemoryError):
            pass
    lines = source_lines(text)
    line = max(1, min(line, len(lines) or 1))
    source_line = lines[line - 1] if lines else ""
    column = max(1, min(column, len(source_line) + 1))
    return Located(
        "KC001",
        f"Syntax error: {message}",
        filename,
        Span(line, column, line, column + 1),
        source_line=source_line,
    )
