"""GitHub Actions workflow commands: each diagnostic becomes an annotation on
the pull request's diff.

    ::error file=model.py,line=6,col=5,endLine=6,endColumn=40,title=KC101::Output ...

A notebook diagnostic annotates the notebook as a whole (its JSON lines are not
the cell's lines); the message starts with the cell and line.
"""

from __future__ import annotations

from kerascheck.report import level
from kerascheck.report.locations import display_path, full_message
from kerascheck.results import Located


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_diagnostic(diagnostic: Located) -> str:
    properties = [("file", display_path(diagnostic.filename))]
    if diagnostic.cell is None:
        span = diagnostic.span
        properties += [
            ("line", span.line),
            ("col", span.column),
            ("endLine", span.end_line),
            ("endColumn", span.end_column),
        ]
    properties.append(("title", diagnostic.code))
    joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
    return f"::{level(diagnostic.code)} {joined}::{_escape_data(full_message(diagnostic))}"


def render(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    return "".join(format_diagnostic(d) + "\n" for d in diagnostics)
