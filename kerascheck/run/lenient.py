"""Valid Python LibCST refuses, and notebook code saved as a .py file: lint a
rewritten copy, line for line, and report in the original's terms.

- Indentation that mixes tabs and spaces in a way CPython accepts but LibCST's
  tokenizer does not ("no matching outer block for dedent"): each line's
  leading whitespace is expanded to spaces as CPython reads it (tab stops
  every 8 columns). Python runs the file, so kerascheck must lint it.
- IPython magics (`%matplotlib inline`, `!pip install ...`) in a .py file
  (code copied out of a notebook): Python cannot run them (a KC001), and
  everything else is linted as the notebook cell would be, magics masked.

Both rewrites keep every line where it was; columns on a rewritten line are
mapped back. Fixes are dropped: their offsets are in the rewritten text.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, replace

from kerascheck.notebooks.notebook import mask_magics
from kerascheck.results import FileResult, Located
from kerascheck.source.read import source_lines
from kerascheck.source.span import Span

_LINE_ENDS = (tokenize.NEWLINE, tokenize.NL)
TAB_SIZE = 8  # CPython's tokenizer: a tab advances to the next multiple of 8


@dataclass(frozen=True)
class Rewrite:
    text: str  # the rewritten text: same lines, some of them changed
    original: str
    # Per changed line (1-based): (old prefix length, new prefix length) of
    # the rewritten start of the line; columns after it shift by the difference.
    prefixes: dict[int, tuple[int, int]]

    def restore(self, result: FileResult) -> FileResult:
        """Diagnostics of the rewritten text -> in the original's columns."""
        lines = source_lines(self.original)
        placed = [self._restore(d, lines) for d in result.diagnostics]
        return replace(result, diagnostics=placed)

    def _restore(self, diagnostic: Located, lines: list[str]) -> Located:
        line = diagnostic.span.line
        return replace(
            diagnostic,
            span=self._span(diagnostic.span),
            related=tuple((self._span(s), note) for s, note in diagnostic.related),
            source_line=lines[line - 1] if line <= len(lines) else diagnostic.source_line,
            fix=None,
        )

    def _span(self, span: Span) -> Span:
        return Span(
            span.line,
            self._column(span.line, span.column),
            span.end_line,
            self._column(span.end_line, span.end_column),
        )

    def _column(self, line: int, column: int) -> int:
        if line not in self.prefixes:
            return column
        old, new = self.prefixes[line]
        if column - 1 <= new:  # inside the rewritten prefix: its start or end
            return 1 if column - 1 < new else old + 1
        return column - new + old


def expanded_indentation(text: str) -> Rewrite | None:
    """The text with tabs in indentation expanded as CPython reads them, or
    None when there is nothing to expand or CPython refuses the text too."""
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    inside_strings = _lines_inside_strings(text)
    if inside_strings is None:
        return None
    lines = text.split("\n")
    prefixes = {}
    for number, line in enumerate(lines, start=1):
        if number in inside_strings:
            continue
        body = line.lstrip(" \t\f")
        prefix = line[: len(line) - len(body)]
        if "\t" not in prefix:
            continue
        expanded = prefix.replace("\f", "").expandtabs(TAB_SIZE)
        lines[number - 1] = expanded + body
        prefixes[number] = (len(prefix), len(expanded))
    if not prefixes:
        return None
    return Rewrite("\n".join(lines), text, prefixes)


def masked_magics(text: str) -> Rewrite | None:
    """The text with IPython magics masked as in a notebook cell, or None when
    it has none (or still does not parse)."""
    lines = text.split("\n")
    masked = mask_magics(lines)
    if masked == lines:
        return None
    rewritten = "\n".join(masked)
    try:
        ast.parse(rewritten)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    prefixes = {
        number: (0, 0) for number, (a, b) in enumerate(zip(lines, masked), start=1) if a != b
    }
    return Rewrite(rewritten, text, prefixes)


def magic_lines(rewrite: Rewrite) -> list[int]:
    return sorted(rewrite.prefixes)


def _lines_inside_strings(text: str) -> set[int] | None:
    """Lines that start inside a multi-line string: their whitespace is data."""
    inside = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            # A token over several lines is a string (or a piece of an f-string).
            if token.end[0] > token.start[0] and token.type not in _LINE_ENDS:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    return inside
