"""The command line. It parses options and hands over: nothing else lives here."""

from __future__ import annotations

import sys

import click

from . import __version__
from .discover import discover
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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="How to print diagnostics.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Rules to enable (codes, prefixes like KC1, or names); replaces the defaults.")
@click.option("--extend-select", multiple=True, metavar="CODES",
              help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint N files at a time in parallel processes  [default: all cores]")
@click.option("--no-cache", is_flag=True,
              help="Lint every file again; neither read nor write .kerascheck_cache/.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], jobs: int | None,
          no_cache: bool) -> None:
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

    # Imported here, not above: they load LibCST, which `--version` and
    # `--help` do not need.
    from .cache import Cache, cacheable
    from .runner import run

    found = discover(list(paths) or ["."])
    cache = Cache.for_settings(settings) if cacheable(settings) and not no_cache else None
    errors = list(found.errors)
    diagnostics = []
    for result in run(found.files, settings, jobs=jobs, cache=cache):
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


@main.command()
def clean() -> None:
    """Remove the cache (.kerascheck_cache/ in the current directory)."""
    from .cache import clean as remove_cache

    removed = remove_cache()
    click.echo(f"Removed {removed}" if removed else "No cache to remove.")
