"""`--add-noqa` in a notebook: the comments go into the cells' own lines."""

from __future__ import annotations

from kerascheck.results import FileResult


def add_noqa_notebook(result: FileResult) -> tuple[int, str | None]:
    return 0, f"{result.filename}: --add-noqa does not edit notebooks yet"
