"""`kerascheck check`: lint, fix or diff the files; report; choose the exit code.

Each file is linted with its own settings (the nearest config, see
project.config.Resolver), from the cache of its project when unchanged.
Fixing starts from that same lint: only the files that have something to fix
are fixed, in parallel.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial

import click

from kerascheck.commands.options import CheckOptions, ExitCode, OutputFormat
from kerascheck.fixes.apply import applicable
from kerascheck.project.config import Resolver
from kerascheck.project.discover import STDIN, discover, excludes
from kerascheck.project.settings import Settings, SettingsError, enabled_codes
from kerascheck.report import concise as concise_report
from kerascheck.report import github as github_report
from kerascheck.report import json as json_report
from kerascheck.report import sarif as sarif_report
from kerascheck.report import statistics as statistics_report
from kerascheck.report import text as text_report
from kerascheck.report.fix_summary import diff_summary, fix_summary
from kerascheck.results import FileResult, Located

REPORTERS = {
    OutputFormat.TEXT: text_report,
    OutputFormat.CONCISE: concise_report,
    OutputFormat.JSON: json_report,
    OutputFormat.SARIF: sarif_report,
    OutputFormat.GITHUB: github_report,
}


def error(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"kerascheck: warning: {message}", err=True)


@dataclass
class Outcome:
    """What the run found and did, over all files."""

    results: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    files: int = 0
    fix_ran: bool = False  # some file was fixed (or asked to be): the summary says how many
    unsafe: bool = False  # unsafe fixes were on for some file: none is "hidden"


def run(options: CheckOptions) -> ExitCode:
    targets = list(options.paths) or ([STDIN] if options.stdin_filename else ["."])
    resolver = Resolver(options.settings, use_config=not options.isolated, config=options.config)
    stdin_name = options.stdin_filename or STDIN
    try:
        if options.config is not None and not os.path.isfile(options.config):
            raise SettingsError(f"--config {options.config}: no such file")
        by_target = {t: resolver.for_path(_config_path(t, options)) for t in targets}
        for settings in by_target.values():
            enabled_codes(settings)
    except SettingsError as problem:
        error(str(problem))
        return ExitCode.ERROR

    if options.show_settings:
        from kerascheck.commands.show_settings import show_settings

        return show_settings(targets[0], stdin_name, resolver)

    files, errors, origin = _discover(targets, by_target, options.stdin_filename)
    try:
        settings_of = {path: resolver.for_path(_config_path(path, options)) for path in files}
        for settings in set(settings_of.values()):
            enabled_codes(settings)
    except SettingsError as problem:
        error(str(problem))
        return ExitCode.ERROR
    # A directory was walked with the excludes of its own config; a config
    # deeper down (a monorepo's package) excludes its own files too.
    files = [
        p
        for p in files
        if settings_of[p].config == by_target[origin[p]].config
        or not excludes(settings_of[p]).match(p)
    ]
    if not files and not errors and STDIN not in targets:  # stdin excluded is not a surprise
        warning("no Python files found under the given paths")
    if options.show_files:
        for path in files:
            click.echo(stdin_name if path == STDIN else path)
        return ExitCode.OK
    if any(s.runtime for s in settings_of.values()):
        from kerascheck.commands.runtime import require_runtime

        if not require_runtime():
            return ExitCode.ERROR

    outcome = Outcome(errors=errors, files=len(files))
    _lint_files([p for p in files if p != STDIN], settings_of, options, outcome)
    if STDIN in files:
        from kerascheck.commands.stdin import check_stdin

        handled = check_stdin(stdin_name, settings_of[STDIN], options, outcome)
        if handled is not None:
            return handled
    if options.add_noqa:
        from kerascheck.commands.add_noqa import add_noqa

        return add_noqa(outcome.results, outcome.errors)
    return report(outcome, options)


def _config_path(target: str, options: CheckOptions) -> str:
    """The path whose nearest config applies: stdin's is its --stdin-filename."""
    if target == STDIN:
        return options.stdin_filename or os.curdir
    return target


def _discover(
    targets: list[str], by_target: dict[str, Settings], stdin_filename: str | None
) -> tuple[list[str], list[str], dict[str, str]]:
    """Each command-line path walked with its own settings (its excludes);
    the files, the errors, and which path each file was found under."""
    files, errors, origin, seen = [], [], {}, set()
    for target in targets:
        found = discover([target], by_target[target], stdin_filename)
        errors.extend(found.errors)
        for path in found.files:
            key = path if path == STDIN else os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
                origin[path] = target
    return files, errors, origin


def _lint_files(
    files: list[str],
    settings_of: dict[str, Settings],
    options: CheckOptions,
    outcome: Outcome,
) -> None:
    """Lint (from the cache where it can), then fix what has fixes to apply."""
    from kerascheck.project.cache import Cache, cacheable, directory, lint_settings, project_root
    from kerascheck.run.runner import map_paths
    from kerascheck.run.runner import run as lint_many

    groups: dict[tuple[Settings, str], list[str]] = {}
    for path in files:
        settings = settings_of[path]
        groups.setdefault((settings, project_root(settings, path)), []).append(path)
    results: dict[str, FileResult] = {}
    for (settings, root), paths in groups.items():
        linting = lint_settings(settings)
        cache = None
        if cacheable(linting) and not options.no_cache:
            cache = Cache.for_settings(linting, directory(root), read_only=options.fixing(settings))
        jobs = 1 if settings.runtime else options.jobs  # one Keras worker per run
        for path, result in zip(paths, lint_many(paths, linting, jobs=jobs, cache=cache)):
            results[path] = _without_unfixable(result, settings)
    to_fix = [
        p
        for p in files
        if options.fixing(settings_of[p])
        and any(applicable(d, settings_of[p].unsafe_fixes) for d in results[p].diagnostics)
    ]
    outcome.fix_ran = any(options.fixing(settings_of[p]) for p in files)
    outcome.unsafe = any(settings_of[p].unsafe_fixes for p in files)
    if to_fix:
        fix_one = partial(_fix_one, settings_of=settings_of, write=not options.diff)
        for path, fixed in zip(to_fix, map_paths(fix_one, to_fix, options.jobs)):
            results[path] = _without_unfixable(fixed.result, settings_of[path])
            outcome.fixed += fixed.fixed
            if fixed.diff:
                outcome.diffs.append(fixed.diff)
    outcome.results.extend(results[path] for path in files)


def _fix_one(path: str, settings_of: dict[str, Settings], write: bool):
    """--fix or --diff on one file, in a worker; a crash is that file's error."""
    from kerascheck.run.fixing import FixedFile, fix_file
    from kerascheck.run.guard import isolated, run_deep

    settings = settings_of[path]
    outcome = isolated(
        path, lambda: run_deep(fix_file, path, settings, settings.unsafe_fixes, write)
    )
    return outcome if isinstance(outcome, FixedFile) else FixedFile(outcome)


def _without_unfixable(result: FileResult, settings: Settings) -> FileResult:
    """`unfixable` rules report as if they had no fix."""
    if not settings.unfixable:
        return result
    from kerascheck.project.settings import fixable

    kept = [
        d if d.fix is None or fixable(settings, d.code) else replace(d, fix=None)
        for d in result.diagnostics
    ]
    return replace(result, diagnostics=kept)


def report(outcome: Outcome, options: CheckOptions) -> ExitCode:
    """Print what was found (stdout, or --output-file) and choose the exit code."""
    diagnostics: list[Located] = []
    errors = list(outcome.errors)
    for result in outcome.results:
        if result.error and result.python_runs:  # valid Python: never a failed run
            warning(result.error)
        elif result.error:
            errors.append(result.error)
        diagnostics.extend(result.diagnostics)
        if options.verbose:
            for note in result.notes:
                click.echo(f"kerascheck: {result.filename}: {note}", err=True)
    diagnostics.sort(key=lambda d: d.sort_key)
    for message in errors:
        error(message)
    unsafe = outcome.unsafe or options.settings.unsafe_fixes
    if options.diff:
        written = _emit("".join(outcome.diffs), options)
        click.echo(diff_summary(outcome.fixed, diagnostics, unsafe), nl=False, err=True)
        if errors or not written:
            return ExitCode.ERROR
        return ExitCode.FOUND if outcome.fixed else ExitCode.OK
    if options.fix_only:
        if not options.quiet:
            summary = f"Fixed {outcome.fixed} problem{'' if outcome.fixed == 1 else 's'}.\n"
            if not _emit(summary, options):
                return ExitCode.ERROR
        return _exit(errors, [], outcome.fixed, options)
    text_like = options.output_format in (OutputFormat.TEXT, OutputFormat.CONCISE)
    if options.statistics:
        output = statistics_report.render(
            diagnostics, as_json=options.output_format is OutputFormat.JSON
        )
    elif options.quiet and text_like:  # the diagnostics, nothing else
        reporter = REPORTERS[options.output_format]
        separator = "\n\n" if options.output_format is OutputFormat.TEXT else "\n"
        output = "".join(reporter.format_diagnostic(d) + separator for d in diagnostics)
    else:
        output = REPORTERS[options.output_format].render(diagnostics, errors, outcome.files)
    if text_like and not options.statistics and not options.quiet:
        fixed = outcome.fixed if outcome.fix_ran or options.settings.fix else None
        output += fix_summary(fixed, diagnostics, unsafe)
        if _interactive(options):
            output += text_report.explain_hint(diagnostics)
    if not _emit(output, options):
        return ExitCode.ERROR
    return _exit(errors, diagnostics, outcome.fixed, options)


def _interactive(options: CheckOptions) -> bool:
    """A person reads the output: it goes to a terminal."""
    if options.output_file is not None or options.report_to_stderr:
        return False
    try:
        return click.get_text_stream("stdout").isatty()
    except (AttributeError, ValueError):
        return False


def _emit(output: str, options: CheckOptions) -> bool:
    """Print the report, or write it to --output-file; False (said on stderr)
    when the file cannot be written."""
    if options.output_file is None:
        click.echo(output, nl=False, color=options.color, err=options.report_to_stderr)
        return True
    try:
        directory = os.path.dirname(options.output_file)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(options.output_file, "w", encoding="utf-8") as handle:
            handle.write(click.unstyle(output))
    except OSError as problem:
        error(f"{options.output_file}: cannot write the report: {problem.strerror or problem}")
        return False
    return True


def _exit(
    errors: list[str], diagnostics: list[Located], fixed: int, options: CheckOptions
) -> ExitCode:
    if errors:
        return ExitCode.ERROR
    if options.exit_non_zero_on_fix and fixed:
        return ExitCode.FOUND
    if options.exit_zero or not diagnostics:
        return ExitCode.OK
    return ExitCode.FOUND
