"""What a rule reports: a finding still pointing at IR locations, and the
edits of its fix."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kerascheck.ir.model import Loc
from kerascheck.results import Applicability


class EditKind(enum.Enum):
    REPLACE = "replace"  # the source of `loc` (through `end_loc`) becomes `content`
    REMOVE_ARGUMENT = "remove-argument"  # a call argument, with exactly one comma
    INSERT_LINE = "insert-line"  # before `loc`: on a line of its own, else inline + space
    INSERT_STATEMENT = "insert-statement"  # before `loc`, on a line of its own, or no fix


@dataclass(frozen=True)
class Edit:
    """One change of a fix, built with a named constructor. A "\\n" in
    `content` is written as the file's own line ending."""

    kind: EditKind
    loc: Loc
    content: str = ""
    end_loc: Loc | None = None

    @classmethod
    def replace(cls, loc: Loc, content: str, end: Loc | None = None) -> Edit:
        return cls(EditKind.REPLACE, loc, content, end)

    @classmethod
    def remove_argument(cls, loc: Loc) -> Edit:
        """Remove a call argument with its comma, so callers never count commas."""
        return cls(EditKind.REMOVE_ARGUMENT, loc)

    @classmethod
    def insert_line(cls, loc: Loc, content: str) -> Edit:
        """Insert before `loc`, on a line of its own when `loc` starts its line."""
        return cls(EditKind.INSERT_LINE, loc, content)

    @classmethod
    def insert_statement(cls, loc: Loc, content: str) -> Edit:
        """Insert a statement before `loc`; the whole fix is dropped when `loc`
        does not start its line (a statement cannot go mid-line)."""
        return cls(EditKind.INSERT_STATEMENT, loc, content)


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability

    @classmethod
    def safe(cls, *edits: Edit) -> Fix:
        return cls(edits, Applicability.SAFE)

    @classmethod
    def unsafe(cls, *edits: Edit) -> Fix:
        return cls(edits, Applicability.UNSAFE)


@dataclass(frozen=True)
class Finding:
    """What a rule's check yields; the rule stamps its code on it."""

    message: str
    loc: Loc
    help: str | None = None
    # Other places that matter, e.g. the output layer of an activation/loss clash.
    related: tuple[tuple[Loc, str], ...] = ()
    fix: Fix | None = None  # a fix that does what `help` says, when it is mechanical


@dataclass(frozen=True)
class Diagnostic:
    """A rule's finding with the rule's code, still pointing at IR locations."""

    code: str
    message: str
    loc: Loc
    help: str | None = None
    related: tuple[tuple[Loc, str], ...] = ()
    fix: Fix | None = None
