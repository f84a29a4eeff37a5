"""Where a diagnostic is, as CI tools want it: a path relative to the working
directory (the repository root in CI) and, for notebooks, a cell label."""

from __future__ import annotations

import os

from kerascheck.results import Located


def display_path(filename: str) -> str:
    """Relative to the working directory with `/` separators when inside it,
    as given otherwise (stdin's `-`, a file elsewhere)."""
    if filename == "-":
        return filename
    absolute = os.path.abspath(filename)
    rel = os.path.relpath(absolute, os.getcwd())
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def cell_label(diagnostic: Located) -> str:
    """`cell 3, line 2`: a notebook's lines are counted within its cell, and
    the file's own lines (JSON) mean nothing to the reader."""
    return f"cell {diagnostic.cell}, line {diagnostic.span.line}, column {diagnostic.span.column}"


def full_message(diagnostic: Located) -> str:
    """The message with its help on a line of its own, and the cell first
    for a notebook."""
    text = diagnostic.message
    if diagnostic.cell is not None:
        text = f"{cell_label(diagnostic)}: {text}"
    if diagnostic.help:
        text += f"\nhelp: {diagnostic.help}"
    return text
