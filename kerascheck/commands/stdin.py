"""Standard input (`-`), as editors use it.

Linting reports as for a file. With --fix or --fix-only the fixed source goes
to stdout, whether or not anything changed (an editor replaces its buffer with
it), and what remains is reported on stderr; with --diff, the diff goes to
stdout. This is ruff's behaviour, which editor integrations rely on.
"""

from __future__ import annotations

from dataclasses import replace

import click

from kerascheck.commands.options import CheckOptions, ExitCode
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult


def check_stdin(name: str, settings: Settings, options: CheckOptions, outcome) -> ExitCode | None:
    """Lint stdin into `outcome` (None: report it with the files), or fix it
    and finish the run here (the exit code)."""
    from kerascheck.run.guard import isolated, lint_stdin_isolated, run_deep

    if not options.fixing(settings):
        outcome.results.append(lint_stdin_isolated(name, settings))
        return None
    from kerascheck.commands.check import _exit, _without_unfixable, error, report
    from kerascheck.run.fixing import unified_diff
    from kerascheck.source.read import SourceError, read_stdin

    try:
        source = read_stdin(name)
    except SourceError as problem:
        outcome.results.append(FileResult(name, error=str(problem)))
        return None
    fixed = isolated(
        name, lambda: run_deep(_fix, source.text, name, settings, settings.unsafe_fixes)
    )
    if isinstance(fixed, FileResult):  # a crash: the source goes back unchanged
        outcome.results.append(fixed)
        text, count = source.text, 0
    else:
        text, count = fixed.text, fixed.fixed
        result = _without_unfixable(fixed.result, settings)
        if fixed.error:
            result.error = fixed.error
        outcome.results.append(result)
    outcome.fixed += count
    outcome.fix_ran = outcome.fix_ran or settings.fix
    outcome.unsafe = outcome.unsafe or settings.unsafe_fixes
    if options.diff:
        if text != source.text:
            outcome.diffs.append(unified_diff(name, source.text, text))
        return None  # the diff is reported with the files'
    click.echo(text, nl=False)
    if options.fix_only:
        errors = [r.error for r in outcome.results if r.error] + outcome.errors
        for message in errors:
            error(message)
        return _exit(errors, [], outcome.fixed, options)
    # What remains goes to stderr: stdout is the fixed source.
    return report(outcome, replace(options, report_to_stderr=True))


def _fix(text: str, name: str, settings: Settings, unsafe: bool):
    from kerascheck.run.fixing import fix_text

    return fix_text(text, name, settings, unsafe)
