"""IPython syntax that is not Python and is not marked with `%` or `!`:
automagics, line magics typed without their `%` (IPython's `automagic` is on
by default), such as `ls data/`, `cd ..` or `pip install keras`."""

from __future__ import annotations

import ast
import re

# Line magics (and the POSIX aliases IPython defines) that notebooks type bare.
AUTOMAGICS = frozenset(
    {
        "cat",
        "cd",
        "conda",
        "cp",
        "env",
        "history",
        "less",
        "load_ext",
        "ls",
        "matplotlib",
        "mkdir",
        "mv",
        "pip",
        "pwd",
        "reload_ext",
        "rm",
        "rmdir",
        "run",
        "set_env",
        "tensorboard",
        "time",
        "timeit",
        "who",
        "whos",
    }
)
# The magic's name, then its arguments: not `ls = ...`, `cd(...)`, `x[0]`.
_AUTOMAGIC = re.compile(r"(\w+)(?:\s+[^\s=(\[,:;][^\n]*)?")


def _parses(statement: str) -> bool:
    try:
        ast.parse(statement)
    except (SyntaxError, ValueError):
        return False
    except (RecursionError, MemoryError):
        return True
    return True


def is_assignment_target(text: str) -> bool:
    """`files`, `out[0]`, `a, b`: what may stand left of `= !ls`. The left side
    of `"x = %s" % x` inside a call (`print("x`) is no target: that line is Python."""
    return _parses(f"{text} = None")


def is_automagic(stripped: str) -> bool:
    """A statement (stripped) that is a bare line magic and no Python: Python
    that happens to start with a magic's name (`ls = []`, `pwd`) stays Python."""
    found = _AUTOMAGIC.fullmatch(stripped)
    return bool(found) and found.group(1) in AUTOMAGICS and not _parses(stripped)
