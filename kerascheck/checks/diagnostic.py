"""What a rule reports: a finding still pointing at IR locations, and the
edits of its fix."""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.ir.model import Loc


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
