"""The command line. It parses options and calls a command module
(kerascheck/commands/): nothing else lives here."""

from __future__ import annotations

import os
import sys
import textwrap

import click

from kerascheck import __version__
from kerascheck.commands.options import CheckOptions, OutputFormat
from kerascheck.project.config import KEYS as CONFIG_KEYS
from kerascheck.project.settings import Settings, TargetVersion

CHECK_EPILOG = """\b
Examples:
  kerascheck check                      lint the current directory
  kerascheck check train.py nb.ipynb    lint some files
  kerascheck check --fix .              apply the safe fixes
  kerascheck check --diff .             show the fixes, write nothing
  kerascheck check --select KC1 --ignore KC106 src/
  cat train.py | kerascheck check --stdin-filename train.py
  kerascheck check --output-format sarif -o kerascheck.sarif .
  kerascheck explain KC101              what a rule finds, and the fix

\b
Exit codes:
  0  nothing reported (or --exit-zero; or --fix-only)
  1  diagnostics remain; --diff would change a file;
     --exit-non-zero-on-fix and something was fixed
  2  a file could not be linted, or a bad option or config

\b
Configuration: [tool.kerascheck] in the nearest pyproject.toml above each
file (or the file --config names; --isolated ignores them all). Keys:
{keys}

\b
Environment:
  KERASCHECK_CACHE_DIR         the cache directory (default:
                               .kerascheck_cache/ at the project root)
  KERASCHECK_RUNTIME_TIMEOUT   seconds --runtime waits for one model
  KERASCHECK_PARAMETER_BUDGET  largest model --runtime builds (parameters)
  NO_COLOR, FORCE_COLOR        colour of the text output
"""


CHECK_EPILOG = CHECK_EPILOG.format(
    keys="\n".join(textwrap.wrap(", ".join(CONFIG_KEYS) + ".", width=74, break_on_hyphens=False))
)


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select KC1,KC2 --select KC3` -> ('KC1', 'KC2', 'KC3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


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
    from kerascheck.commands.runtime import require_runtime

    if not require_runtime():
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kerascheck")
def main() -> None:
    """kerascheck: find the mistakes that make Keras models silently wrong.

    Start with `kerascheck check`; `kerascheck check --help` lists its
    options, exit codes, configuration and environment variables."""


@main.command(epilog=CHECK_EPILOG)
# readable=False: an unreadable path is that path's error line, not the run's end.
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option(
    "--output-format",
    type=click.Choice([f.value for f in OutputFormat]),
    default="text",
    show_default=True,
    help="How to print diagnostics (concise: one line each).",
)
@click.option(
    "-o",
    "--output-file",
    metavar="PATH",
    help="Write the report to PATH instead of standard output.",
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
    "--fix-only",
    is_flag=True,
    help="Apply fixes and report only how many; exit 0 unless something failed.",
)
@click.option(
    "--unfixable", multiple=True, metavar="CODES", help="Rules whose fixes are never applied."
)
@click.option(
    "--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any)."
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: KCnnn` to every reported line (notebooks included).",
)
@click.option(
    "--statistics", is_flag=True, help="Print how often each rule fired instead of the diagnostics."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics are reported.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when --fix fixed something, even if nothing remains.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print the diagnostics only: no summary, no hints."
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
    help="Read standard input and report it as PATH (config applies as to that path).",
)
@click.option(
    "--config",
    "config_file",
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="Use this pyproject.toml (or kerascheck.toml) for every file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the config file and the rules that apply to the (first) path, and exit.",
)
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and exit.")
@click.option(
    "--extend-exclude",
    multiple=True,
    metavar="PATTERNS",
    help="Paths to skip on top of the configured excludes (`/x` is anchored at the root).",
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
def check(**given) -> None:
    """Lint Python files, notebooks and directories (default: the current
    directory). `-` reads standard input."""
    from kerascheck.commands.check import run

    settings = Settings(
        select=_selectors(given["select"]) or None,
        ignore=_selectors(given["ignore"]),
        extend_select=_selectors(given["extend_select"]),
        extend_exclude=_selectors(given["extend_exclude"]),
        force_exclude=given["force_exclude"],
        respect_gitignore=given["respect_gitignore"],
        runtime=given["runtime"],
        target_version=TargetVersion(given["target_version"]) if given["target_version"] else None,
        fix=given["fix"],
        unsafe_fixes=given["unsafe_fixes"],
        unfixable=_selectors(given["unfixable"]),
    )
    options = CheckOptions(
        paths=given["paths"],
        settings=settings,
        output_format=OutputFormat(given["output_format"]),
        statistics=given["statistics"],
        color=_use_color(given["color"]),
        stdin_filename=given["stdin_filename"],
        isolated=given["isolated"],
        config=given["config_file"],
        diff=given["diff"],
        fix_only=given["fix_only"],
        add_noqa=given["add_noqa"],
        show_settings=given["show_settings"],
        show_files=given["show_files"],
        exit_zero=given["exit_zero"],
        exit_non_zero_on_fix=given["exit_non_zero_on_fix"],
        quiet=given["quiet"],
        output_file=given["output_file"],
        verbose=given["verbose"],
        jobs=given["jobs"],
        no_cache=given["no_cache"],
    )
    sys.exit(run(options))


@main.command()
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object per rule, for tools.",
)
def rules(output_format: str) -> None:
    """List every rule: code, name, whether it is on by default, its fix."""
    from kerascheck.commands.rules import list_rules

    sys.exit(list_rules(as_json=output_format == "json"))


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's page: what it finds, why it matters, how to fix it."""
    from kerascheck.commands.rules import explain as explain_rule

    sys.exit(explain_rule(rule))


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
    """Remove the cache (.kerascheck_cache/ at the project root), only if
    kerascheck made it."""
    from kerascheck.commands.clean import clean_cache

    sys.exit(clean_cache())
