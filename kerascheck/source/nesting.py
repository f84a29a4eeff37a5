"""Nesting CPython itself refuses, caught before LibCST sees it (and string
literals LibCST accepts undecoded, which CPython refuses).

LibCST's parser slows down steeply on very deep expression trees (measured:
a chain of 3,000 `+` takes ~20 s, 10,000 does not finish in minutes), while
CPython's own parser refuses such files at once. Asking CPython first bounds
what LibCST is given: anything that reaches it is nested no deeper than real,
runnable Python can be. The check costs one `ast.parse`, about an eighth of
LibCST's parse.
"""

from __future__ import annotations

import ast
import sys
import warnings

# The recursion limit under which CPython's parser is asked whether it accepts
# the file's nesting: it bounds what reaches LibCST whatever limit is in force.
_PYTHON_RECURSION_LIMIT = 1000

# SyntaxErrors that are CPython's nesting limits rather than grammar (other
# syntax errors are left to LibCST, which knows newer syntax than some Pythons).
_NESTING_MESSAGES = ("too many nested parentheses", "too many levels of indentation")
# Errors in string literals, which LibCST does not decode: `'\\x4'`, `b'é'`.
# They are errors in every Python version, so reporting them is always right.
_LITERAL_MESSAGES = ("(unicode error)", "bytes can only contain ASCII literal characters")
TOO_DEEP = "too deeply nested: Python cannot compile this file"


def nesting_error(text: str) -> SyntaxError | None:
    """A SyntaxError if CPython refuses the file for its nesting depth (too
    many nested parentheses or indentation levels, or an expression too deep to
    compile) or for a string literal LibCST takes as it is, else None. Other
    syntax errors are left to the real parse."""
    old_limit = sys.getrecursionlimit()
    try:
        # In CPython 3.11 the AST depth limit follows the recursion limit, and
        # a deep thread has raised it: ask with the interpreter's usual limit.
        sys.setrecursionlimit(_PYTHON_RECURSION_LIMIT)
    except RecursionError:  # already deeper than that: just ask
        pass
    try:
        quiet_parse(text)
    except SyntaxError as error:
        if error.msg in _NESTING_MESSAGES or error.msg.startswith(_LITERAL_MESSAGES):
            return error
    except (RecursionError, MemoryError):
        return SyntaxError(TOO_DEEP)
    except ValueError:  # NUL bytes; source.py turns those away first
        pass
    finally:
        sys.setrecursionlimit(old_limit)
    return None


def quiet_parse(text: str) -> ast.Module:
    """ast.parse without its SyntaxWarnings (`"\\d"`, `1if x else y`): they
    would print stray `<unknown>:2: SyntaxWarning` lines on kerascheck's stderr,
    and under `-W error` turn into different syntax errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)
