"""The KC001 a file that does not parse gets: CPython's wording and position
where it has them (the message users know)."""

from __future__ import annotations

import re

import libcst as cst

from kerascheck.results import Located
from kerascheck.source.nesting import accepted_quickly, nesting_error, quiet_parse
from kerascheck.source.read import source_lines
from kerascheck.source.span import Span

_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def cpython_syntax_error(text: str, filename: str) -> list[Located]:
    """KC001 from CPython's own (C, ten times faster) parser, for files that
    get no LibCST tree."""
    if accepted_quickly(text):  # parses: no syntax error (the common case, at half the cost)
        return []
    try:
        too_deep = nesting_error(text)
        if too_deep is not None:
            raise too_deep
        quiet_parse(text)
    except SyntaxError as error:
        return [syntax_error(text, filename, error)]
    except (ValueError, RecursionError, MemoryError):
        pass  # NUL bytes are a read error; deep nesting is not a syntax error
    return []


def syntax_error(
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
        help=syntax_help(source_line, message),
        source_line=source_line,
    )


# CPython's words for a no-break space between tokens: text pasted from a web page
# or a PDF (the DLwP second edition's last chapter has 7 such cells). IPython
# refuses the cell too (checked with IPython 9.18), so it is a real error in a
# notebook as well, and the fix is to retype the space.
_NO_BREAK_SPACE = "U+00A0"


def syntax_help(source_line: str, message: str = "") -> str:
    if _NO_BREAK_SPACE in message:
        return (
            "a no-break space (U+00A0, often pasted from a web page or a PDF) stands "
            "between tokens here: Python and IPython both refuse it; replace each one "
            "on this line with a plain space"
        )
    stripped = source_line.strip()
    if stripped[:1] in ("%", "!"):
        return (
            f"`{stripped}` is IPython syntax: it runs in a notebook or IPython, not in "
            f"a .py file; remove it, or keep the code in a notebook"
        )
    return (
        "Python cannot run this code as written: fix the syntax here "
        "(kerascheck checks the code once it parses)"
    )
