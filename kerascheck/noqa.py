"""Suppression comments, as flake8 and ruff read them.

- `# noqa` on the reported line silences every rule there; `# noqa: KC101,
  KC102` only those codes (other tools' codes may stand beside ours).
- For a statement over several lines, the comment may also sit on its first
  or its last line.
- `# kerascheck: ignore-file` on a line of its own silences the whole file.

It costs nothing on the common path: files without diagnostics never get
here, and a file that never says "noqa" is not looked at further.
"""

from __future__ import annotations

import re

import libcst as cst

FILE_IGNORE = re.compile(r"^[ \t\f]*#[ \t]*kerascheck:[ \t]*ignore-file\b", re.M | re.I)
NOQA = re.compile(
    r"#\s*noqa(?::[\s]*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
CODE = re.compile(r"[A-Z]+[0-9]+", re.I)
ALL = None  # a bare `# noqa`


def ignores_file(text: str) -> bool:
    return "ignore-file" in text and FILE_IGNORE.search(text) is not None


def noqa_codes(line: str) -> frozenset[str] | None | bool:
    """The codes a line's `# noqa` names; ALL (None) for a bare one; False
    when the line has none."""
    found = NOQA.search(line)
    if found is None:
        return False
    if not found.group("codes"):
        return ALL
    return frozenset(code.upper() for code in CODE.findall(found.group("codes")))


class Suppressions:
    """Answers "is this diagnostic silenced?" for one file."""

    def __init__(self, text: str, module: cst.Module, positions) -> None:
        self.active = re.search("noqa", text, re.I) is not None
        self.lines = text.splitlines() if self.active else []
        self.module = module
        self.positions = positions

    def suppresses(self, code: str, line: int) -> bool:
        if not self.active:
            return False
        first, last = statement_lines(self.module, self.positions, line)
        for number in dict.fromkeys((line, first, last)):
            if 1 <= number <= len(self.lines):
                codes = noqa_codes(self.lines[number - 1])
                if codes is ALL or (codes and code in codes):
                    return True
        return False


def statement_lines(module: cst.Module, positions, line: int) -> tuple[int, int]:
    """First and last line of the innermost statement holding `line`. For a
    compound statement (`with`, `for`, `def` ...) that is its header."""
    found = (line, line)
    statements = list(_statements(module))
    while statements:
        for statement in statements:
            where = positions[statement]
            if where.start.line <= line <= where.end.line:
                break
        else:
            return found
        if isinstance(statement, cst.SimpleStatementLine):
            return where.start.line, where.end.line
        inner = list(_statements(statement))
        body_start = min((positions[s].start.line for s in inner), default=None)
        header_end = where.end.line if body_start is None else max(where.start.line,
                                                                  body_start - 1)
        found = (where.start.line, header_end)
        if line <= header_end:
            return found
        statements = inner
    return found


def _statements(node: cst.CSTNode):
    """The statements directly inside `node`, looking through blocks, `else`,
    `except` and `finally` clauses; never into expressions."""
    for child in node.children:
        if isinstance(child, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            yield child
        elif not isinstance(child, cst.BaseExpression):
            yield from _statements(child)
