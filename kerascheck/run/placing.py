"""Diagnostics placed in the file: spans, source lines, noqa, fixes in offsets."""

from __future__ import annotations

import libcst as cst

from kerascheck.checks.diagnostic import Diagnostic
from kerascheck.checks.suppressions import UNUSED_NOQA
from kerascheck.fixes.apply import LineTable, resolve
from kerascheck.results import Located
from kerascheck.run.unused_noqa import unused_noqa
from kerascheck.source.locate import node_ranges
from kerascheck.source.noqa import Suppressions
from kerascheck.source.read import source_lines
from kerascheck.source.span import Span


def locate(
    diagnostics: list[Diagnostic],
    module: cst.Module,
    text: str,
    filename: str,
    codes: frozenset[str] = frozenset(),
) -> list[Located]:
    """Place diagnostics in the file. Positions are computed only here, only
    for files that have something to report, and only for the reported nodes.
    With KC801 among `codes`, the noqa comments that silenced nothing too."""
    unused_wanted = UNUSED_NOQA in codes and "noqa" in text.lower()
    if not diagnostics and not unused_wanted:
        return []
    positions = node_ranges(module, [loc.node for d in diagnostics for loc in _locs(d)])
    lines = source_lines(text)
    suppressions = Suppressions(text, module)
    table = LineTable(text)

    def span(loc) -> Span:
        (line, column), (end_line, end_column) = positions[id(loc.node)]
        return Span(line, column + 1, end_line, end_column + 1)

    def offsets(loc) -> tuple[int, int]:
        (line, column), (end_line, end_column) = positions[id(loc.node)]
        return table.offset(line, column), table.offset(end_line, end_column)

    located, seen = [], set()
    for diagnostic in diagnostics:
        where = span(diagnostic.loc)
        key = (diagnostic.code, where, diagnostic.message)
        if key in seen:  # one model reached twice (a builder called twice)
            continue
        seen.add(key)
        if suppressions.suppresses(diagnostic.code, where.line):  # a noqa comment
            continue
        located.append(
            Located(
                code=diagnostic.code,
                message=diagnostic.message,
                filename=filename,
                span=where,
                help=diagnostic.help,
                related=tuple((span(loc), note) for loc, note in diagnostic.related),
                source_line=lines[where.line - 1] if where.line <= len(lines) else "",
                fix=resolve(diagnostic.fix, offsets, text, table) if diagnostic.fix else None,
            )
        )
    if unused_wanted:
        located += unused_noqa(text, filename, suppressions, codes)
    located.sort(key=lambda d: d.sort_key)
    return located


def _locs(diagnostic: Diagnostic):
    """Every place a diagnostic needs positions for: itself, its notes, its edits."""
    yield diagnostic.loc
    for loc, _ in diagnostic.related:
        yield loc
    for edit in diagnostic.fix.edits if diagnostic.fix else ():
        yield edit.loc
        if edit.end_loc is not None:
            yield edit.end_loc
