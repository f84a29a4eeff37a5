"""The command line. It parses options and hands over: nothing else lives here."""

from __future__ import annotations

import sys

import click

from . import __version__
from .discover import discover
from .engine import FileResult, lint_file
from .fixes import FixedFile, diff_summary, fix_file, fix_summary
from .report import json as json_report
from .report import text as text_report
from .settings import Settings, SettingsError, enabled_codes

REPORTERS = {"text": text_report, "json": json_report}


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select KC1,KC2 --select KC3` -> ('KC1', 'KC2', 'KC3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


def _lint_isolated(path: str, settings: Settings, fix: bool = False,
                   unsafe: bool = False, write: bool = False) -> FixedFile:
    """One file's crash is that file's error line, never the whole run's."""
    try:
        if fix:
            return fix_file(path, settings, unsafe, write)
        return FixedFile(lint_file(path, settings))
    except RecursionError:
        return FixedFile(FileResult(path, error=f"{path}: too deeply nested to analyse"))
    except Exception as error:  # noqa: BLE001 - isolate, report, go on
        return FixedFile(FileResult(path, error=f"{path}: internal error: "
                         f"{type(error).__name__}: {error} (please report this)"))


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
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply (or show) fixes that may change behaviour.")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff; write nothing (exit 1 if any).")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], fix: bool,
          unsafe_fixes: bool, diff: bool) -> None:
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
    diagnostics, diffs, fixed = [], [], 0
    for path in found.files:
        outcome = _lint_isolated(path, settings, fix or diff, unsafe_fixes, write=not diff)
        if outcome.result.error:
            errors.append(outcome.result.error)
        diagnostics.extend(outcome.result.diagnostics)
        fixed += outcome.fixed
        diffs.append(outcome.diff)
    diagnostics.sort(key=lambda d: d.sort_key)

    for message in errors:
        _error(message)
    if diff:
        click.echo("".join(diffs), nl=False)
        click.echo(diff_summary(fixed, diagnostics, unsafe_fixes), nl=False, err=True)
        sys.exit(2 if errors else 1 if fixed else 0)
    reporter = REPORTERS[output_format]
    click.echo(reporter.render(diagnostics, errors, len(found.files)), nl=False)
    if output_format == "text":  # machine formats carry `fix` per diagnostic
        click.echo(fix_summary(fixed if fix else None, diagnostics, unsafe_fixes), nl=False)
    if errors:
        sys.exit(2)
    sys.exit(1 if diagnostics else 0)
