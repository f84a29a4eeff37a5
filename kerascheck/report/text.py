"""The human format: `path:line:col: CODE message`, the line, a caret, help.

Styles are always written; the CLI's echo strips them unless colour is on
(`--color`, a terminal), so there is one rendering to test."""

from __future__ import annotations

import unicodedata

from click import style

from kerascheck.results import Located


def _cells(char: str) -> int:
    """Terminal columns a character takes: two for wide (CJK, fullwidth)
    characters, none for combining marks, one otherwise."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _caret_line(diagnostic: Located) -> str:
    line = diagnostic.source_line
    start = diagnostic.span.column - 1
    if diagnostic.span.end_line == diagnostic.span.line:
        end = diagnostic.span.end_column - 1
    else:
        end = len(line.rstrip())
    width = max(1, sum(_cells(c) for c in line[start:end]))
    # Keep tabs so the caret lines up under tab-indented code.
    prefix = "".join(c if c == "\t" else " " * _cells(c) for c in line[:start])
    return prefix + "^" * width


def format_diagnostic(diagnostic: Located) -> str:
    span = diagnostic.span
    gutter = len(str(span.line))
    pad = " " * gutter
    bar = style("|", fg="blue", bold=True)
    cell = "" if diagnostic.cell is None else f"cell {diagnostic.cell}:"
    lines = [
        f"{style(diagnostic.filename, bold=True)}:{cell}{span.line}:{span.column}: "
        f"{style(diagnostic.code, fg='red', bold=True)} {diagnostic.message}",
        f"{pad} {bar}",
        f"{style(str(span.line), fg='blue', bold=True)} {bar} {diagnostic.source_line}",
        f"{pad} {bar} {style(_caret_line(diagnostic), fg='red', bold=True)}",
    ]
    for i, (related_span, note) in enumerate(diagnostic.related):
        cell = diagnostic.related_cells[i] if i < len(diagnostic.related_cells) else None
        where = (
            f"line {related_span.line}"
            if cell is None
            else f"cell {cell}, line {related_span.line}"
        )
        lines.append(f"{pad} = {style('note', bold=True)}: {where}: {note}")
    if diagnostic.help:
        lines.append(f"{pad} = {style('help', fg='cyan', bold=True)}: {diagnostic.help}")
    return "\n".join(lines)


def render(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    blocks = [format_diagnostic(d) for d in diagnostics]
    out = "\n\n".join(blocks)
    if blocks:
        out += "\n\n"
    return out + footer(diagnostics, errors, files_checked)


def footer(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    """`Found 2 problems in 1 checked file.`, or `All checks passed!`."""
    out = ""
    count = len(diagnostics)
    if count:
        noun = "problem" if count == 1 else "problems"
        out += (
            f"Found {count} {noun} in {files_checked} checked file"
            f"{'' if files_checked == 1 else 's'}.\n"
        )
    elif not errors:
        out += "All checks passed!\n"
    return out


def explain_hint(diagnostics: list[Located]) -> str:
    """For a reader at a terminal: how to learn more about what was found."""
    if not diagnostics:
        return ""
    code = min(d.code for d in diagnostics)
    return f"Run `kerascheck explain {code}` to learn what a rule finds and how to fix it.\n"
