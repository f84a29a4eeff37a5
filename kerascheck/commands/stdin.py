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
    from kerascheck.run.fixing import fix_data
    from kerascheck.source.read import SourceError, read_stdin_bytes

    try:
        data = read_stdin_bytes()
    except SourceError as problem:
        outcome.results.append(FileResult(name, error=str(problem)))
        return None
    fixed = isolated(name, lambda: run_deep(fix_data, name, data, settings, settings.unsafe_fixes))
    if isinstance(fixed, FileResult):  # a crash: the source goes back unchanged
        outcome.results.append(fixed)
        new, count, diff = data, 0, ""
    else:
        new, count, diff = fixed.data, fixed.fixed, fixed.diff
        outcome.results.append(_without_unfixable(fixed.result, settings))
    outcome.fixed += count
    outcome.fix_ran = outcome.fix_ran or settings.fix
    outcome.unsafe = outcome.unsafe or settings.unsafe_fixes
    if options.diff:
        if diff:
            outcome.diffs.append(diff)
        return None  # the diff is reported with the files'
    stdout = click.get_binary_stream("stdout")
    stdout.write(new)  # the bytes as they came, when nothing was fixed
    stdout.flush()
    if options.fix_only:
        errors = [r.error for r in outcome.results if r.error] + outcome.errors
        for message in errors:
            error(message)
        return _exit(errors, [], outcome.fixed, options)
    # What remains goes to stderr: stdout is the fixed source.
    return report(outcome, replace(options, report_to_stderr=True))
