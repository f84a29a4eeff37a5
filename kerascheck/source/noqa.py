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
from libcst.metadata import MetadataWrapper, PositionProvider

FILE_IGNORE = re.compile(r"^[ \t\f]*#[ \t]*kerascheck:[ \t]*ignore-file\b", re.M | re.I)
NOQA = re.compile(r"#\s*noqa(?![\w-])(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
CODE = re.compile(r"[A-Z]+[0-9]+", re.I)
ALL = None  # a bare noqa comment


def ignores_file(text: str) -> bool:
    return "ignore-file" in text and FILE_IGNORE.search(text) is not None


def noqa_codes(line: str) -> frozenset[str] | bool | None:
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

    def __init__(self, text: str, module: cst.Module) -> None:
        self.module = module
        self.comments: dict[int, frozenset[str] | None] = {}
        self.used: set[tuple[int, str]] = set()  # (line, code) pairs that silenced something
        if re.search("noqa", text, re.I) is None:
            return
        for number, line in enumerate(text.splitlines(), start=1):
            codes = noqa_codes(line) if "noqa" in line.lower() else False
            if codes is not False:
                self.comments[number] = codes
        self._statements: dict[int, tuple[int, int]] | None = None

    def suppresses(self, code: str, line: int) -> bool:
        if not self.comments:
            return False
        if self._silences(line, code):
            return True
        if self._statements is None:
            # Rare (a diagnostic on a multi-line statement with a noqa around
            # it): worth every statement's position, computed once.
            positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(
                PositionProvider
            )
            self._statements = statement_index(self.module, positions)
        first, last = self._statements.get(line, (line, line))
        return self._silences(first, code) or self._silences(last, code)

    def _silences(self, line: int, code: str) -> bool:
        if line not in self.comments:
            return False
        codes = self.comments[line]
        if codes is ALL or code in codes:
            self.used.add((line, code))
            return True
        return False


def statement_index(module: cst.Module, positions) -> dict[int, tuple[int, int]]:
    """Every line that belongs to a statement -> that statement's first and
    last line. For a compound statement (`with`, `for`, `def` ...) the
    statement is its header; the lines of its body belong to their own
    statements. Built once per file, and only for a file that has both a
    diagnostic and a `noqa` comment."""
    index: dict[int, tuple[int, int]] = {}
    pending = list(_statements(module))
    while pending:
        statement = pending.pop()
        where = positions[statement]
        first, last = where.start.line, where.end.line
        if not isinstance(statement, cst.SimpleStatementLine):
            inner = list(_statements(statement))
            pending.extend(inner)
            if inner:
                last = max(first, min(positions[s].start.line for s in inner) - 1)
        for line in range(first, last + 1):
            index[line] = (first, last)
    return index


def _statements(node: cst.CSTNode):
    """The statements directly inside `node`, looking through blocks, `else`,
    `except` and `finally` clauses; never into expressions."""
    for child in node.children:
        if isinstance(child, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            yield child
        elif not isinstance(child, cst.BaseExpression):
            yield from _statements(child)
