"""What a rule reports, before and after the engine places it in the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ir import Loc, Span


@dataclass(frozen=True)
class Edit:
    """Replace the source of `loc` (through `end_loc`, if given) with `content`.

    `delete_argument` removes a call argument with its comma, so callers never
    count commas. `own_line` (an insertion before `loc`) puts `content` on a
    line of its own when `loc` starts its line; with `line_start_only` the
    whole fix is dropped when it does not (a statement cannot be inserted in
    the middle of a line). A "\n" in `content` is written as the file's own
    line ending.
    """

    loc: Loc
    content: str = ""
    end_loc: Loc | None = None
    insert_before: bool = False  # a zero-width edit at the start of `loc`
    delete_argument: bool = False
    own_line: bool = False
    line_start_only: bool = False


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    safe: bool  # safe: applied by --fix; unsafe: only with --unsafe-fixes


@dataclass(frozen=True)
class Diagnostic:
    """A rule's finding, still pointing at IR locations."""

    code: str
    message: str
    loc: Loc
    help: str | None = None
    # Other places that matter, e.g. the output layer of an activation/loss clash.
    related: tuple[tuple[Loc, str], ...] = ()
    fix: Fix | None = None  # a fix that does what `help` says, when it is mechanical


@dataclass(frozen=True)
class TextEdit:
    """An edit resolved to character offsets in the linted text."""

    start: int
    end: int
    content: str
    span: Span  # the same range in lines and columns, for JSON output


@dataclass(frozen=True)
class LocatedFix:
    applicability: str  # "safe" or "unsafe"
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
    notes: list[str] = field(default_factory=list)  # for --verbose: models runtime skipped
