"""`kerascheck rules` (the catalog, as a table or JSON for tools) and
`kerascheck explain CODE` (a rule's page)."""

from __future__ import annotations

import json

import click

from kerascheck.checks import RULES
from kerascheck.checks.pages import find_rule, page
from kerascheck.commands.options import ExitCode


def catalog() -> list[dict]:
    """Every rule, as `rules --output-format json` prints it."""
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "summary": rule.summary,
            "default": rule.default,
            "severity": rule.severity.value,
            "fix": rule.fix.value,
            "applicabilities": [a.value for a in sorted(rule.applicabilities, key=_order)],
            "needs_runtime": rule.needs_runtime,
        }
        for rule in (RULES[code] for code in sorted(RULES))
    ]


def _order(applicability) -> int:
    return list(type(applicability)).index(applicability)


def list_rules(as_json: bool = False) -> ExitCode:
    if as_json:
        click.echo(json.dumps(catalog(), indent=2))
        return ExitCode.OK
    rows = [("code", "name", "default", "severity", "fix", "summary")]
    for code in sorted(RULES):
        rule = RULES[code]
        default = "on" if rule.default else "off"
        rows.append((code, rule.name, default, rule.severity.value, rule.fix_label, rule.summary))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[5])
    return ExitCode.OK


def explain(name: str) -> ExitCode:
    found = find_rule(name)
    if found is None:
        click.echo(f"kerascheck: error: unknown rule {name!r} (see `kerascheck rules`)", err=True)
        return ExitCode.ERROR
    text = page(found.code)
    if text is None:
        click.echo(f"kerascheck: error: no page for {found.code} in this installation", err=True)
        return ExitCode.ERROR
    click.echo(text, nl=not text.endswith("\n"))
    return ExitCode.OK
