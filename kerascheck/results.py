"""Diagnostics placed in a file, and what linting one file gave: what
reporters, the cache and the commands read."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kerascheck.source.span import Span


class Applicability(str, enum.Enum):
    """How sure a fix is (ruff's word): safe fixes are applied by `--fix`,
    unsafe ones only with `--unsafe-fixes`, display-only ones never."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True)
class TextEdit:
    """An edit resolved to character offsets in the linted text."""

    start: int
    end: int
    content: str
    span: Span  # the same range in lines and columns, for JSON output


@dataclass(frozen=True)
class LocatedFix:
    applicability: Applicability
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True)
class Located:
    """A diagnostic placed in a file: what reporters print."""

    code: str
    message: str
    filename: str
    span: Span
    help: str | None = None
    related: tuple[tuple[Span, str], ...] = ()
    source_line: str = ""
    # Notebooks: `span` and `related` are in cell `cell` (1-based, markdown cells
    # counted) and cells `related_cells`; `file_span` and `related_file_spans`
    # are the same places in the .ipynb file's own JSON text, for tools that
    # show the file itself (SARIF regions).
    cell: int | None = None
    related_cells: tuple[int, ...] = ()
    file_span: Span | None = None
    related_file_spans: tuple[Span, ...] = ()
    fix: LocatedFix | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.filename, self.cell or 0, self.span.line, self.span.column, self.code)


@dataclass
class FileResult:
    """What linting one file gave (kept here, not in engine, so that results
    read from the cache never load the parser)."""

    filename: str
    diagnostics: list[Located] = field(default_factory=list)
    error: str | None = None  # the file could not be linted at all
    # The error is a limit of kerascheck's (valid Python LibCST cannot parse),
    # not a fault of the file: the run warns and does not fail for it.
    python_runs: bool = False
    notes: list[str] = field(default_factory=list)  # for --verbose: models runtime skipped
