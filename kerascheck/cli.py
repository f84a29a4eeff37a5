"""The command line. It parses options and hands over: nothing else lives here."""

from __future__ import annotations

import sys

import click

from . import __version__
from .discover import discover
from .engine import FileResult, lint_file
from .report import json as json_report
from .report import text as text_report
from .settings import Settings, SettingsError, enabled_codes

REPORTERS = {"text": text_report, "json": json_report}


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select KC1,KC2 --select KC3` -> ('KC1', 'KC2', 'KC3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


def _lint_isolated(path: str, settings: Settings) -> FileResult:
    """One file's crash is that file's error line, never the whole run's."""
    try:
        return lint_file(path, settings)
    except RecursionError:
        return FileResult(path, error=f"{path}: too deeply nested to analyse")
    except Exception as error:  # noqa: BLE001 - isolate, report, go on
        return FileResult(path, error=f"{path}: internal error: "
                          f"{type(error).__name__}: {error} (please report this)")


def _require_runtime() -> None:
    from .runtime.client import RuntimeUnavailable, check_available
    try:
        check_available()
    except RuntimeUnavailable as error:
        _error(str(error))
        sys.exit(2)
    from .runtime.results import session
    session().start()  # Keras imports in the worker while the files are parsed


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
@click.option("--runtime", is_flag=True,
              help="Also build each fully known model with real Keras (KC5xx; needs TensorFlow).")
@click.option("-v", "--verbose", is_flag=True,
              help="Say on stderr which models --runtime could not build, and why.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], runtime: bool,
          verbose: bool) -> None:
    """Lint Python files and directories (default: the current directory)."""
    settings = Settings(
        select=_selectors(select) or None,
        ignore=_selectors(ignore),
        extend_select=_selectors(extend_select),
        runtime=runtime,
    )
    try:
        enabled_codes(settings)
    except SettingsError as error:
        _error(str(error))
        sys.exit(2)
    if settings.runtime:
        _require_runtime()

    found = discover(list(paths) or ["."])
    errors = list(found.errors)
    diagnostics = []
    for path in found.files:
        result = _lint_isolated(path, settings)
        if result.error:
            errors.append(result.error)
        if verbose:
            for note in result.notes:
                click.echo(f"kerascheck: {path}: {note}", err=True)
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
@click.argument("file", type=click.Path())
@click.option("--runtime", is_flag=True, help="Take shapes and parameters from real Keras.")
def show(file: str, runtime: bool) -> None:
    """Print each model of FILE as a table of its layers and shapes."""
    from .show import ShowError, render
    if runtime:
        _require_runtime()
    try:
        text, failure = render(file, runtime=runtime)
    except ShowError as error:
        _error(str(error))
        sys.exit(2)
    click.echo(text, nl=False)
    if failure:
        _error(f"{file}: {failure}")
        sys.exit(2)
