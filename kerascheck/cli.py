"""The command line. It parses options and hands over: nothing else lives here."""

from __future__ import annotations

import os
import sys

import click

from kerascheck import __version__
from kerascheck.checks import RULES
from kerascheck.checks.pages import find_rule, page
from kerascheck.project.config import resolve
from kerascheck.project.discover import STDIN, discover
from kerascheck.project.settings import Settings, SettingsError, TargetVersion, enabled_codes
from kerascheck.report import github as github_report
from kerascheck.report import json as json_report
from kerascheck.report import sarif as sarif_report
from kerascheck.report import statistics as statistics_report
from kerascheck.report import text as text_report
from kerascheck.report.fix_summary import diff_summary, fix_summary
from kerascheck.run.guard import isolated, run_deep

REPORTERS = {
    "text": text_report,
    "json": json_report,
    "sarif": sarif_report,
    "github": github_report,
}


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select KC1,KC2 --select KC3` -> ('KC1', 'KC2', 'KC3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


def _fix_isolated(path: str, settings: Settings, unsafe: bool, write: bool):
    """--fix or --diff on one file; a crash is that file's error line."""
    from kerascheck.run.fixing import FixedFile, fix_file

    outcome = isolated(path, lambda: run_deep(fix_file, path, settings, unsafe, write))
    return outcome if isinstance(outcome, FixedFile) else FixedFile(outcome)


def _use_color(choice: str) -> bool | None:
    """None lets click decide: colour on a terminal, plain text elsewhere."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def _require_runtime() -> None:
    from kerascheck.runtime.client import RuntimeUnavailable, check_available

    try:
        check_available()
    except RuntimeUnavailable as error:
        _error(str(error))
        sys.exit(2)
    from kerascheck.runtime.results import session

    session().start()  # Keras imports in the worker while the files are parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kerascheck")
def main() -> None:
    """kerascheck: find the mistakes that make Keras models silently wrong."""


@main.command()
# readable=False: an unreadable path is that path's error line, not the run's end.
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option(
    "--output-format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Rules to enable (codes, prefixes like KC1, or names); replaces the defaults.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="CODES",
    help="Rules to enable on top of the selection.",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="Also apply (or show) fixes that may change behaviour."
)
@click.option(
    "--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any)."
)
@click.option(
    "--statistics", is_flag=True, help="Print how often each rule fired instead of the diagnostics."
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (auto: on a terminal).",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The name to report for `-` (standard input); config applies as to that path.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude settings to paths given explicitly too (for pre-commit).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=True,
    show_default=True,
    help="Skip files that .gitignore ignores.",
)
@click.option("--isolated", is_flag=True, help="Ignore every pyproject.toml.")
@click.option(
    "--runtime",
    is_flag=True,
    help="Also build each fully known model with real Keras (KC5xx; needs TensorFlow).",
)
@click.option(
    "--target-version",
    type=click.Choice([v.value for v in TargetVersion]),
    default=None,
    help="The Keras the code runs on; keras2 turns off the rules about Keras 3  [default: keras3]",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say on stderr which models --runtime could not build, and why.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Lint N files at a time in parallel processes  [default: all cores]",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Lint every file again; neither read nor write .kerascheck_cache/.",
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    statistics: bool,
    color: str,
    stdin_filename: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    isolated: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    runtime: bool,
    target_version: str | None,
    verbose: bool,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Lint Python files and directories (default: the current directory).
    `-` reads standard input."""
    targets = list(paths) or ["."]
    stdin_name = stdin_filename or STDIN
    command_line = Settings(
        select=_selectors(select) or None,
        ignore=_selectors(ignore),
        extend_select=_selectors(extend_select),
        force_exclude=force_exclude,
        respect_gitignore=respect_gitignore,
        runtime=runtime,
        target_version=TargetVersion(target_version) if target_version else None,
    )
    config_for = [stdin_name if p == STDIN and stdin_filename else p for p in targets]
    try:
        settings = resolve(config_for, command_line, use_config=not isolated)
        enabled_codes(settings)
    except SettingsError as error:
        _error(str(error))
        sys.exit(2)
    if settings.runtime:
        _require_runtime()

    # Imported here, not above: they load LibCST, which `--version` and
    # `--help` do not need.
    from kerascheck.project.cache import Cache, cacheable
    from kerascheck.run.guard import lint_stdin_isolated
    from kerascheck.run.runner import run

    found = discover(targets, settings, stdin_filename)
    errors = list(found.errors)
    diagnostics, diffs, fixed = [], [], 0
    files = [path for path in found.files if path != STDIN]
    if fix or diff:
        outcomes = [_fix_isolated(path, settings, unsafe_fixes, write=not diff) for path in files]
        results = [outcome.result for outcome in outcomes]
        fixed = sum(outcome.fixed for outcome in outcomes)
        diffs = [outcome.diff for outcome in outcomes]
    else:
        cache = Cache.for_settings(settings) if cacheable(settings) and not no_cache else None
        # Runtime mode has one Keras worker per run: lint in this process.
        results = run(files, settings, jobs=1 if settings.runtime else jobs, cache=cache)
    if STDIN in found.files:
        results.append(lint_stdin_isolated(stdin_name, settings))
    for result in results:
        if result.error:
            errors.append(result.error)
        diagnostics.extend(result.diagnostics)
        if verbose:
            for note in result.notes:
                click.echo(f"kerascheck: {result.filename}: {note}", err=True)
    diagnostics.sort(key=lambda d: d.sort_key)

    for message in errors:
        _error(message)
    if diff:
        click.echo("".join(diffs), nl=False)
        click.echo(diff_summary(fixed, diagnostics, unsafe_fixes), nl=False, err=True)
        sys.exit(2 if errors else 1 if fixed else 0)
    if statistics:
        output = statistics_report.render(diagnostics, as_json=output_format == "json")
    else:
        output = REPORTERS[output_format].render(diagnostics, errors, len(found.files))
    click.echo(output, nl=False, color=_use_color(color))
    if output_format == "text" and not statistics:  # machine formats carry `fix`
        click.echo(fix_summary(fixed if fix else None, diagnostics, unsafe_fixes), nl=False)
    if errors:
        sys.exit(2)
    sys.exit(1 if diagnostics else 0)


@main.command()
def rules() -> None:
    """List every rule: code, name, whether it is on by default, its fix."""
    rows = [("code", "name", "default", "fix", "summary")]
    for code in sorted(RULES):
        rule = RULES[code]
        rows.append(
            (code, rule.name, "on" if rule.default else "off", rule.fix_label, rule.summary)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's page: what it finds, why it matters, how to fix it."""
    found = find_rule(rule)
    if found is None:
        _error(f"unknown rule {rule!r} (see `kerascheck rules`)")
        sys.exit(2)
    text = page(found.code)
    if text is None:
        _error(f"no page for {found.code} in this installation")
        sys.exit(2)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--runtime", is_flag=True, help="Take shapes and parameters from real Keras.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "mermaid", "dot"]),
    default="text",
    show_default=True,
    help="A table, JSON for tools, or the graph as mermaid or Graphviz dot.",
)
def show(paths: tuple[str, ...], runtime: bool, fmt: str) -> None:
    """Print each model of PATHS (files or directories) as a table of its layers and shapes."""
    from kerascheck.commands.show import show_paths

    if runtime:
        _require_runtime()

    def echo(text: str) -> None:
        click.echo(text, nl=False)

    status = show_paths(list(paths), runtime, echo, _error, fmt)
    sys.exit(status)


@main.command()
def server() -> None:
    """Run the language server on stdin/stdout, for editors (needs the lsp extra)."""
    from kerascheck.editor.server import serve

    serve()


@main.command()
def clean() -> None:
    """Remove the cache (.kerascheck_cache/ in the current directory)."""
    from kerascheck.project.cache import clean as remove_cache

    removed = remove_cache()
    click.echo(f"Removed {removed}" if removed else "No cache to remove.")
