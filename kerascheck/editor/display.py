"""How the IPython extension shows a cell's diagnostics: one object with a
compact HTML form (Jupyter, Colab) and a text form (a terminal), so IPython's
own display machinery picks the right one for the front end."""

from __future__ import annotations

from html import escape

from kerascheck.checks import RULES
from kerascheck.checks.registry import Severity
from kerascheck.report import rule_url
from kerascheck.results import Located

_COLOURS = {Severity.ERROR: "#d73a49", Severity.WARNING: "#b08800"}


def severity(code: str) -> Severity:
    rule = RULES.get(code)
    return rule.severity if rule is not None else Severity.ERROR


class CellReport:
    """The diagnostics of one cell, before it runs."""

    def __init__(self, diagnostics: list[Located], cell: int, refused: bool = False) -> None:
        self.diagnostics = diagnostics
        self.cell = cell  # the cell about to run; others are earlier cells
        self.refused = refused  # strict mode: the cell will not run

    def _where(self, d: Located) -> str:
        place = f"line {d.span.line}:{d.span.column}"
        return place if d.cell == self.cell else f"an earlier cell, {place}"

    def _heading(self) -> str:
        count = len(self.diagnostics)
        what = f"{count} problem{'s' if count != 1 else ''} in this cell"
        if self.refused:
            return f"kerascheck: {what}; strict mode: the cell was not run"
        return f"kerascheck: {what}"

    def __repr__(self) -> str:
        lines = [self._heading()]
        for d in self.diagnostics:
            lines.append(f"  {self._where(d)}: {d.code} [{severity(d.code).value}] {d.message}")
            if d.source_line.strip():
                caret_width = max(
                    1, (d.span.end_column if d.span.end_line == d.span.line else 0) - d.span.column
                )
                lines.append(f"      {d.source_line}")
                lines.append("      " + " " * (d.span.column - 1) + "^" * caret_width)
            if d.help:
                lines.append(f"    help: {d.help}")
            lines.append(f"    see: {rule_url(d.code)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for d in self.diagnostics:
            level = severity(d.code)
            colour = _COLOURS[level]
            help_line = (
                f'<div style="margin-left:1.5em;color:#555">help: {escape(d.help)}</div>'
                if d.help
                else ""
            )
            rows.append(
                f'<div style="border-left:3px solid {colour};padding:2px 8px;margin:2px 0">'
                f'<a href="{escape(rule_url(d.code))}" target="_blank" '
                f'style="color:{colour};font-weight:bold">{d.code}</a> '
                f'<span style="color:#777">{escape(self._where(d))} '
                f"({level.value})</span> {escape(d.message)}{help_line}</div>"
            )
        return (
            '<div style="font-family:var(--jp-code-font-family,monospace);font-size:90%">'
            f"<div><b>{escape(self._heading())}</b></div>{''.join(rows)}</div>"
        )
