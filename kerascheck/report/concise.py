"""`--output-format concise`: one line per diagnostic, as ruff prints it.

    model.py:6:5: KC101 [*] Output activation `relu` with ...

`[*]` marks a diagnostic `--fix` can fix; a notebook's place is its cell's.
"""

from __future__ import annotations

from kerascheck.report.text import footer
from kerascheck.results import Applicability, Located


def format_diagnostic(diagnostic: Located) -> str:
    span = diagnostic.span
    cell = "" if diagnostic.cell is None else f"cell {diagnostic.cell}:"
    fix = diagnostic.fix
    mark = "[*] " if fix and fix.edits and fix.applicability is Applicability.SAFE else ""
    return (
        f"{diagnostic.filename}:{cell}{span.line}:{span.column}: "
        f"{diagnostic.code} {mark}{diagnostic.message}"
    )


def render(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    lines = "".join(format_diagnostic(d) + "\n" for d in diagnostics)
    return lines + footer(diagnostics, errors, files_checked)
