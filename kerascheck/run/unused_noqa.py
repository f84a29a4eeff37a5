"""KC801: `# noqa: KCnnn` comments that silenced nothing in this run.

Only kerascheck's own codes are judged, and only rules enabled for the file (a
code turned off here may be needed under another config); other tools' codes
and a bare `# noqa` are left alone. Only real comments count (the tokenizer
says which): `"# noqa: KC101"` in a string is data. The fix removes the unused
codes, or the whole comment when none is left.
"""

from __future__ import annotations

import io
import re
import tokenize

from kerascheck.checks.suppressions import UNUSED_NOQA
from kerascheck.fixes.apply import LineTable
from kerascheck.results import Applicability, Located, LocatedFix, TextEdit
from kerascheck.source.noqa import ALL, NOQA, Suppressions, noqa_codes
from kerascheck.source.read import source_lines
from kerascheck.source.span import Span

_OURS = re.compile(r"KC\d{3}\Z")


def unused_noqa(
    text: str, filename: str, suppressions: Suppressions, enabled: frozenset[str]
) -> list[Located]:
    if not suppressions.comments:
        return []
    comments = _comments(text)
    lines = source_lines(text)
    table = LineTable(text)
    found = []
    for line, codes in sorted(suppressions.comments.items()):
        if codes is ALL or line not in comments:
            continue
        unused = sorted(
            code
            for code in codes
            if _OURS.match(code)
            and code in enabled
            and code != UNUSED_NOQA
            and (line, code) not in suppressions.used
        )
        if unused:
            found.append(_report(line, comments[line], unused, lines, table, filename))
    return found


def _comments(text: str) -> dict[int, tuple[int, str]]:
    """Line -> (column, text) of the comment on it."""
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = (token.start[1], token.string)
    except (tokenize.TokenError, SyntaxError):
        return {}
    return found


def _report(
    line: int,
    comment: tuple[int, str],
    unused: list[str],
    lines: list[str],
    table: LineTable,
    filename: str,
) -> Located:
    column, comment_text = comment
    match = NOQA.search(comment_text)
    start, end = column + match.start(), column + match.end()
    listed = noqa_codes(comment_text)
    kept = sorted(set(listed) - set(unused)) if listed else []
    source_line = lines[line - 1]
    if kept:
        content = f"# noqa: {', '.join(kept)}"
    else:
        # The directive goes, with the spaces before it when nothing follows
        # it; what else the comment says stays.
        content = ""
        rest = comment_text[match.end() :].strip()
        if not rest and match.start() == 0:
            while start > 0 and source_line[start - 1] in " \t":
                start -= 1
            end = len(source_line)
    span = Span(line, column + match.start() + 1, line, column + match.end() + 1)
    offset = table.offset(line, 0)
    edit = TextEdit(offset + start, offset + end, content, table.span(offset + start, offset + end))
    names = ", ".join(f"`{code}`" for code in unused)
    return Located(
        code=UNUSED_NOQA,
        message=f"Unused `noqa` directive: {names} "
        f"{'reports' if len(unused) == 1 else 'report'} nothing on this line",
        filename=filename,
        span=span,
        help="remove it" if not kept else f"keep only {', '.join(kept)}",
        source_line=source_line,
        fix=LocatedFix(Applicability.SAFE, (edit,)),
    )
