"""What a rule reports, before and after the engine places it in the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ir import Loc, Span


@dataclass(frozen=True)
class Diagnostic:
    """A rule's finding, still pointing at IR locations."""

    code: str
    message: str
    loc: Loc
    help: str | None = None
    # Other places that matter, e.g. the output layer of an activation/loss clash.
    related: tuple[tuple[Loc, str], ...] = ()


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
    cell: int | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.filename, self.span.line, self.span.column, self.code)


@dataclass
class FileResult:
    """What linting one file gave (kept here, not in engine, so that results
    read from the cache never load the parser)."""

    filename: str
    diagnostics: list[Located] = field(default_factory=list)
    error: str | None = None  # the file could not be linted at all
