"""Nesting CPython itself refuses, caught before LibCST sees it (and string
literals LibCST accepts undecoded, which CPython refuses).

LibCST's parser slows down steeply on very deep expression trees (measured:
a chain of 3,000 `+` takes ~20 s, 10,000 does not finish in minutes), while
CPython's own parser refuses such files at once. Asking CPython first bounds
what LibCST is given: anything that reaches it is nested no deeper than real,
runnable Python can be.

Three answers, cheapest first. A scan of the text (shallow.py) proves most
files far from every limit: they are not parsed here at all. Otherwise the
file's symbol table is built, which parses it without making Python objects of
the tree (half the cost of an `ast.parse`, and no garbage). Only a file it does
not accept at once (a syntax error, or nesting near the limits) is parsed with
`ast.parse`, whose answer decides as it always did.
"""

from __future__ import annotations

import ast
import symtable
import sys
import warnings

from kerascheck.source.shallow import surely_shallow

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

# Up to Python 3.11 both the AST's and the symbol table's depth limits are three
# times the recursion limit, counted from the caller's depth. The symbol table
# counts expressions and statements; the AST counts these and the nodes between
# them (a keyword, a comprehension, an except clause), at most one per bracket
# or indentation level: under 200 + 100 more. Asked under 850 (2,550 levels),
# the symbol table accepts only what the AST accepts under 1,000 (3,000). From
# 3.12 both limits are fixed by the C stack, so there the AST alone decides.
_QUICK_RECURSION_LIMIT = 850
_QUICK = sys.version_info < (3, 12)


def nesting_error(text: str) -> SyntaxError | None:
    """A SyntaxError if CPython refuses the file for its nesting depth (too
    many nested parentheses or indentation levels, or an expression too deep to
    compile) or for a string literal LibCST takes as it is, else None. Other
    syntax errors are left to the real parse."""
    if surely_shallow(text) or accepted_quickly(text):
        return None
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


def accepted_quickly(text: str) -> bool:
    """True when CPython certainly parses `text` (so it is neither nested too
    deeply nor holds an undecodable literal): its symbol table builds under a
    lower recursion limit. False says nothing: ask `ast.parse`."""
    if not _QUICK:
        return False
    old_limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(_QUICK_RECURSION_LIMIT)
    except RecursionError:  # already deeper than that: ask ast.parse
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            symtable.symtable(text, "<unknown>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    finally:
        sys.setrecursionlimit(old_limit)
    return True
