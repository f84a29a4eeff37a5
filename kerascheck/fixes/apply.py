"""Edits as character ranges of a text: resolving a rule's Edit, applying edits.

Pure text functions, no file access. Offsets count characters of the decoded
text (what LibCST's columns count), so they work the same for any encoding
and for a notebook's joined cells.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from kerascheck.checks.diagnostic import Edit, EditKind, Fix
from kerascheck.ir.model import Loc
from kerascheck.results import Applicability, Located, LocatedFix, TextEdit
from kerascheck.source.span import Span

# The line breaks Python's tokenizer knows (not str.splitlines's form feeds).
_NEWLINE = re.compile(r"\r\n|\r|\n")


def newline_of(text: str) -> str:
    """The file's line ending, as its first line break spells it."""
    found = _NEWLINE.search(text)
    return found.group() if found else "\n"


class LineTable:
    """1-based line, 0-based column <-> character offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def span(self, start: int, end: int) -> Span:
        def place(offset: int) -> tuple[int, int]:
            line = bisect.bisect_right(self.starts, offset)
            return line, offset - self.starts[line - 1] + 1

        return Span(*place(start), *place(end))


# loc -> (start offset, end offset) of the node's source.
RangeOf = Callable[[Loc], "tuple[int, int]"]


def resolve(fix: Fix, range_of: RangeOf, text: str, table: LineTable) -> LocatedFix | None:
    """The fix in offsets of `text`; None when it cannot be placed here."""
    newline = newline_of(text)
    edits = []
    for edit in fix.edits:
        placed = _resolve(edit, range_of, text)
        if placed is None:
            return None
        start, end, content = placed
        content = content.replace("\n", newline)
        edits.append(TextEdit(start, end, content, table.span(start, end)))
    edits.sort(key=lambda e: (e.start, e.end))
    return LocatedFix(fix.applicability, tuple(edits))


def _resolve(edit: Edit, range_of: RangeOf, text: str) -> tuple[int, int, str] | None:
    start, end = range_of(edit.loc)
    if edit.end_loc is not None:
        end = range_of(edit.end_loc)[1]
    if edit.kind is EditKind.REMOVE_ARGUMENT:
        start, end = _argument_with_comma(text, start, end)
        return start, end, ""
    if edit.kind is EditKind.REPLACE:
        return start, end, edit.content
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    if indent.strip() == "":  # `loc` starts its line: the insertion gets a line of its own
        return start, start, edit.content + "\n" + indent
    if edit.kind is EditKind.INSERT_STATEMENT:
        return None
    return start, start, edit.content + " "


def _argument_with_comma(text: str, start: int, end: int) -> tuple[int, int]:
    """The range that removes one argument and exactly one comma next to it.

    Followed by a comma: remove through the comma and the blank space after it
    (never into a comment). The last argument: remove back through the comma
    before it, but only across blank space, so no comment swallows a bracket.
    """
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
        while after < len(text) and text[after] in " \t\r\n\\":
            if text[after] == "\\" and text[after + 1 : after + 2] not in ("\n", "\r"):
                break
            after += 1
        if after < len(text) and text[after] == ")" and _comma_before(text, start) is not None:
            # `f(a, x=1,)`: keep the call's own trailing comma out of it.
            return _comma_before(text, start), end
        return start, after
    before = _comma_before(text, start)
    return (before, end) if before is not None else (start, end)


def _comma_before(text: str, start: int) -> int | None:
    before = start
    while before > 0 and text[before - 1] in " \t\r\n":
        before -= 1
    if before > 0 and text[before - 1] == ",":
        return before - 1
    return None


def overlaps(a: TextEdit, b: TextEdit) -> bool:
    """Touching counts: two edits at one point have no defined order."""
    return a.start <= b.end and b.start <= a.end


def choose(fixes: Iterable[LocatedFix]) -> list[LocatedFix]:
    """Fixes whose edits overlap no earlier chosen fix; the rest wait a round."""
    chosen: list[LocatedFix] = []
    taken: list[TextEdit] = []
    for fix in sorted(
        fixes, key=lambda f: (f.edits[0].start, f.edits[0].end) if f.edits else (0, 0)
    ):
        if not fix.edits or any(overlaps(e, t) for e in fix.edits for t in taken):
            continue
        if any(
            a.start < b.end and b.start < a.end
            for i, a in enumerate(fix.edits)
            for b in fix.edits[i + 1 :]
        ):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def apply(text: str, fixes: Iterable[LocatedFix]) -> str:
    """Apply non-overlapping fixes (see `choose`) to the text."""
    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: e.start, reverse=True)
    for edit in edits:
        text = text[: edit.start] + edit.content + text[edit.end :]
    return text


def applicable(diagnostic: Located, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` when `unsafe`) applies its fix."""
    fix = diagnostic.fix
    return (
        fix is not None and bool(fix.edits) and (fix.applicability is Applicability.SAFE or unsafe)
    )
