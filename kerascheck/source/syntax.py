"""Parsing: LibCST's tree, behind the nesting guard."""

from __future__ import annotations

import libcst as cst

from kerascheck.source.nesting import nesting_error


def parse(text: str) -> cst.Module:
    """LibCST's tree; raises ParserSyntaxError, or SyntaxError where CPython
    refuses what LibCST would take minutes over or accept (see nesting.py)."""
    too_deep = nesting_error(text)
    if too_deep is not None:
        raise too_deep
    return cst.parse_module(text)
