"""What a rule reports, before and after the engine places it in the file."""

from __future__ import annotations

from dataclasses import dataclass

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
    # Notebooks: `span` and `related` are in cell `cell` (1-based, markdown cells
    # counted) and cells `related_cells`; `file_span` and `related_file_spans`
    # are the same places in the .ipynb file's own JSON text, for tools that
    # show the file itself (SARIF regions).
    cell: int | None = None
    related_cells: tuple[int, ...] = ()
    file_span: Span | None = None
    related_file_spans: tuple[Span, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.filename, self.cell or 0, self.span.line, self.span.column, self.code)
