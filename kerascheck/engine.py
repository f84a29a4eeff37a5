"""Lint one file: source -> parse -> extract -> checks -> located diagnostics.

This is the unit that runs per file and the Python API:
`lint_text(text, filename)` returns what a run would report for that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .checks import RULES
from .diagnostics import Diagnostic, Located
from .extract import extract
from .ir import KerasFile, Span
from .nesting import nesting_error, quiet_parse
from .settings import Settings, enabled_codes
from .source import SourceError, read_source, source_lines


@dataclass
class FileResult:
    filename: str
    diagnostics: list[Located] = field(default_factory=list)
    error: str | None = None  # the file could not be linted at all


def lint_file(path: str, settings: Settings = Settings()) -> FileResult:
    try:
        source = read_source(path)
    except SourceError as error:
        return FileResult(path, error=str(error))
    return lint_text(source.text, path, settings)


def parse(text: str) -> cst.Module:
    """LibCST's tree; raises ParserSyntaxError, or SyntaxError where CPython
    refuses what LibCST would take minutes over or accept (see nesting.py)."""
    too_deep = nesting_error(text)
    if too_deep is not None:
        raise too_deep
    return cst.parse_module(text)


def lint_text(text: str, filename: str, settings: Settings = Settings()) -> FileResult:
    codes = enabled_codes(settings)
    try:
        module = parse(text)
    except (cst.ParserSyntaxError, SyntaxError) as error:
        located = _syntax_error(text, filename, error)
        if located is None:
            return FileResult(filename, error=f"{filename}: cannot analyse: LibCST cannot "
                              f"parse this valid Python ({error.message.splitlines()[-1]})")
        return FileResult(filename, [located] if "KC001" in codes else [])
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
    """Place diagnostics in the file. Positions are computed only here, once,
    and only for files that have something to report."""
    if not diagnostics:
        return []
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    lines = source_lines(text)

    def span(loc) -> Span:
        code_range = positions[loc.node]
        return Span(code_range.start.line, code_range.start.column + 1,
                    code_range.end.line, code_range.end.column + 1)

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


def _syntax_error(text: str, filename: str,
                  error: cst.ParserSyntaxError | SyntaxError) -> Located | None:
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
    return Located("KC001", f"Syntax error: {message}", filename,
                   Span(line, column, line, column + 1), source_line=source_line)
