"""The command line. It parses options and hands over: nothing else lives here."""

from __future__ import annotations

import sys

import click

from . import __version__
from .discover import discover
from .guard import lint_isolated
from .report import json as json_report
from .report import text as text_report
from .settings import Settings, SettingsError, enabled_codes

REPORTERS = {"text": text_report, "json": json_report}


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select KC1,KC2 --select KC3` -> ('KC1', 'KC2', 'KC3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kerascheck")
def main() -> None:
    """kerascheck: find the mistakes that make Keras models silently wrong."""


@main.command()
# readable=False: an unreadable path is that path's error line, not the run's end.
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--output-format", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="How to print diagnostics.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Rules to enable (codes, prefixes like KC1, or names); replaces the defaults.")
@click.option("--extend-select", multiple=True, metavar="CODES",
              help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Lint Python files and directories (default: the current directory)."""
    settings = Settings(
        select=_selectors(select) or None,
        ignore=_selectors(ignore),
        extend_select=_selectors(extend_select),
    )
    try:
        enabled_codes(settings)
    except SettingsError as error:
        _error(str(error))
        sys.exit(2)

    found = discover(list(paths) or ["."])
    errors = list(found.errors)
    diagnostics = []
    for path in found.files:
        result = lint_isolated(path, settings)
        if result.error:
            errors.append(result.error)
        diagnostics.extend(result.diagnostics)
    diagnostics.sort(key=lambda d: d.sort_key)

    for message in errors:
        _error(message)
    reporter = REPORTERS[output_format]
    click.echo(reporter.render(diagnostics, errors, len(found.files)), nl=False)
    if errors:
        sys.exit(2)
    sys.exit(1 if diagnostics else 0)
