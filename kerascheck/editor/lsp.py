"""kerascheck's results in LSP's words: diagnostics, code actions, hover.

Pure conversions (lsprotocol types only, no server): a `Layout` knows which
document each place is in — the one text document, or the cell documents of a
notebook — and turns our 1-based line and column spans into the client's
0-based positions in the negotiated units (UTF-16 unless the client chose
otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from kerascheck.checks import RULES
from kerascheck.checks.pages import page
from kerascheck.checks.registry import Severity
from kerascheck.report import rule_url
from kerascheck.results import Applicability, Located
from kerascheck.source.noqa import CODE, NOQA
from kerascheck.source.span import Span

SOURCE = "kerascheck"
FIX_ALL_KIND = "source.fixAll.kerascheck"
# An LSP kind is hierarchical: a client asking for `source.fixAll` or `source`
# gets ours too.
CODE_ACTION_KINDS = (types.CodeActionKind.QuickFix, FIX_ALL_KIND)


@dataclass(frozen=True)
class Document:
    uri: str
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


class Layout:
    """Cell number (None: a plain document) -> the document it is in."""

    def __init__(self, documents: dict[int | None, Document], codec: PositionCodec) -> None:
        self.documents = documents
        self.codec = codec
        self._lines: dict[int | None, list[str]] = {}

    def document(self, cell: int | None) -> Document:
        return self.documents[cell] if cell in self.documents else self.documents[None]

    def lines(self, cell: int | None) -> list[str]:
        if cell not in self._lines:
            self._lines[cell] = self.document(cell).lines
        return self._lines[cell]

    def position(self, cell: int | None, line: int, column: int) -> types.Position:
        """1-based line and column (characters) -> the client's position."""
        lines = self.lines(cell)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        character = column - 1
        if not text.isascii():
            character = self.codec.impl.column_from_utf32(text, character)
        return types.Position(line=max(line - 1, 0), character=max(character, 0))

    def range(self, cell: int | None, span: Span) -> types.Range:
        return types.Range(
            start=self.position(cell, span.line, span.column),
            end=self.position(cell, span.end_line, span.end_column),
        )

    def location(self, cell: int | None, span: Span) -> types.Location:
        return types.Location(uri=self.document(cell).uri, range=self.range(cell, span))


def severity(code: str) -> types.DiagnosticSeverity:
    rule = RULES.get(code)
    if rule is not None and rule.severity is Severity.WARNING:
        return types.DiagnosticSeverity.Warning
    return types.DiagnosticSeverity.Error


def diagnostic(located: Located, layout: Layout) -> types.Diagnostic:
    message = located.message
    if located.help:
        message += f"\nhelp: {located.help}"
    cells = located.related_cells or (located.cell,) * len(located.related)
    related = [
        types.DiagnosticRelatedInformation(location=layout.location(cell, span), message=note)
        for cell, (span, note) in zip(cells, located.related)
    ]
    return types.Diagnostic(
        range=layout.range(located.cell, located.span),
        message=message,
        severity=severity(located.code),
        code=located.code,
        code_description=types.CodeDescription(href=rule_url(located.code)),
        source=SOURCE,
        related_information=related or None,
    )


def quick_fixes(located: Located, layout: Layout) -> Iterable[types.CodeAction]:
    """The rule's own fix (unsafe ones say so) and a noqa comment."""
    lsp_diagnostic = diagnostic(located, layout)
    uri = layout.document(located.cell).uri
    fix = located.fix
    if fix is not None and fix.applicability is not Applicability.DISPLAY_ONLY and fix.edits:
        safe = fix.applicability is Applicability.SAFE
        what = located.help or located.message
        yield types.CodeAction(
            title=f"Fix {located.code}: {what}" + ("" if safe else " (unsafe fix)"),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp_diagnostic],
            is_preferred=safe,
            edit=types.WorkspaceEdit(
                changes={
                    uri: [
                        types.TextEdit(
                            range=layout.range(located.cell, edit.span), new_text=edit.content
                        )
                        for edit in fix.edits
                    ]
                }
            ),
        )
    noqa = noqa_edit(located, layout)
    if noqa is not None:
        yield types.CodeAction(
            title=f"Silence {located.code} on this line with # noqa: {located.code}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp_diagnostic],
            edit=types.WorkspaceEdit(changes={uri: [noqa]}),
        )


def noqa_edit(located: Located, layout: Layout) -> types.TextEdit | None:
    """`  # noqa: KC101` at the end of the diagnostic's line, or `, KC101`
    added to the codes of a noqa comment already there; None where a comment
    cannot go (a line continued with a backslash)."""
    lines = layout.lines(located.cell)
    number = located.span.line
    if not 0 < number <= len(lines):
        return None
    line = lines[number - 1].rstrip("\r")
    if line.rstrip().endswith("\\"):
        return None
    found = NOQA.search(line)
    if found is not None and found.group("codes"):
        at, text = found.end("codes"), f", {located.code}"
    elif found is not None:
        return None  # a bare noqa silences everything already
    else:
        at, text = len(line.rstrip()), f"  # noqa: {located.code}"  # after any comment
    where = layout.position(located.cell, number, at + 1)
    return types.TextEdit(range=types.Range(start=where, end=where), new_text=text)


def whole_document_edit(layout: Layout, cell: int | None, new_text: str) -> types.TextEdit:
    """Replace a document's whole text (fix all): one edit, the client diffs it."""
    lines = layout.lines(cell)
    end = layout.position(cell, len(lines), len(lines[-1]) + 1)
    return types.TextEdit(
        range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=new_text
    )


def noqa_hover(line: str, character: int) -> types.Hover | None:
    """The rule page of the noqa code under the cursor (`character`: a
    0-based column in characters)."""
    found = NOQA.search(line)
    if found is None or not found.group("codes"):
        return None
    start = found.start("codes")
    for code in CODE.finditer(found.group("codes")):
        if start + code.start() <= character <= start + code.end():
            text = page(code.group().upper())
            if text is None:
                return None
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
            )
    return None
