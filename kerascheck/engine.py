"""Lint one file: source -> parse -> extract -> checks -> located diagnostics.

This is the unit that runs per file and the Python API:
`lint_text(text, filename)` returns what a run would report for that text.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from .checks import RULES
from .diagnostics import Diagnostic, FileResult, Located
from .extract import extract
from .ir import KerasFile, Span
from .locate import node_ranges
from .prefilter import may_hold_keras
from .settings import Settings, enabled_codes
from .source import SourceError, decode, read_source


def lint_file(path: str, settings: Settings = Settings(),
              data: bytes | None = None) -> FileResult:
    """Lint the file at `path`; `data`, when given, is its content already read."""
    try:
        source = read_source(path) if data is None else decode(data, path)
    except SourceError as error:
        return FileResult(path, error=str(error))
    return lint_text(source.text, path, settings)


def parse(text: str) -> cst.Module:
    return cst.parse_module(text)


def lint_text(text: str, filename: str, settings: Settings = Settings()) -> FileResult:
    codes = enabled_codes(settings)
    if not may_hold_keras(text):  # most files of a project: not even parsed
        return FileResult(filename)
    try:
        module = parse(text)
    except cst.ParserSyntaxError as error:
        result = FileResult(filename)
        if "KC001" in codes:
            result.diagnostics.append(_syntax_error(text, filename, error))
        return result
    kfile = extract(module)
    return FileResult(filename, locate(run_checks(kfile, codes), module, text, filename))


def run_checks(kfile: KerasFile, codes: frozenset[str]) -> list[Diagnostic]:
    found = []
    for code in sorted(codes):
        check = RULES[code].check
        if check is not None:
            found.extend(check(kfile))
    return found


def locate(diagnostics: list[Diagnostic], module: cst.Module, text: str,
           filename: str) -> list[Located]:
    """Place diagnostics in the file. Positions are computed only here, only
    for files that have something to report, and only for the reported nodes."""
    if not diagnostics:
        return []
    positions = node_ranges(module, [loc.node for d in diagnostics
                                     for loc in (d.loc, *(r[0] for r in d.related))])
    lines = text.splitlines()

    def span(loc) -> Span:
        (line, column), (end_line, end_column) = positions[id(loc.node)]
        return Span(line, column + 1, end_line, end_column + 1)

    located, seen = [], set()
    for diagnostic in diagnostics:
        where = span(diagnostic.loc)
        key = (diagnostic.code, where, diagnostic.message)
        if key in seen:  # one model reached twice (a builder called twice)
            continue
        seen.add(key)
        located.append(Located(
            code=diagnostic.code, message=diagnostic.message, filename=filename,
            span=where, help=diagnostic.help,
            related=tuple((span(loc), note) for loc, note in diagnostic.related),
            source_line=lines[where.line - 1] if where.line <= len(lines) else "",
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
