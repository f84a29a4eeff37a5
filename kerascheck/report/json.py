"""ruff's JSON shape, so tools that read ruff's output read ours."""

from __future__ import annotations

import json
import os

from kerascheck.report import rule_url
from kerascheck.results import Applicability, Located, TextEdit


def to_dict(diagnostic: Located) -> dict:
    span = diagnostic.span
    fix = None
    if diagnostic.fix is not None:
        fix = {
            "applicability": diagnostic.fix.applicability.value,
            "edits": [_edit(e) for e in diagnostic.fix.edits],
            "message": diagnostic.help,
        }
    elif diagnostic.help:
        fix = {
            "applicability": Applicability.DISPLAY_ONLY.value,
            "edits": [],
            "message": diagnostic.help,
        }
    return {
        "cell": diagnostic.cell,
        "code": diagnostic.code,
        "end_location": {"column": span.end_column, "row": span.end_line},
        # `-` is standard input, not a file in the working directory.
        "filename": diagnostic.filename
        if diagnostic.filename == "-"
        else os.path.abspath(diagnostic.filename),
        "fix": fix,
        "location": {"column": span.column, "row": span.line},
        "message": diagnostic.message,
        "noqa_row": span.line,
        "url": rule_url(diagnostic.code),
    }


def _edit(edit: TextEdit) -> dict:
    return {
        "content": edit.content,
        "end_location": {"column": edit.span.end_column, "row": edit.span.end_line},
        "location": {"column": edit.span.column, "row": edit.span.line},
    }


def render(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    return json.dumps([to_dict(d) for d in diagnostics], indent=2) + "\n"
