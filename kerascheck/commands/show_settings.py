"""`check --show-settings PATH`: which config applies to a file, and what it enables."""

from __future__ import annotations

import os

import click

from kerascheck.checks import RULES
from kerascheck.commands.options import ExitCode
from kerascheck.project.cache import directory, project_root
from kerascheck.project.config import Resolver
from kerascheck.project.discover import STDIN
from kerascheck.project.settings import codes_for_file


def show_settings(path: str, stdin_name: str, resolver: Resolver) -> ExitCode:
    shown = stdin_name if path == STDIN else path
    where = shown if shown != STDIN else os.curdir
    settings = resolver.for_path(where)
    codes = codes_for_file(settings, shown)
    lines = [
        f"Settings for {shown}",
        f"  config file: {settings.config or '(none: the defaults)'}",
        f"  project root: {settings.root}",
        f"  cache: {directory(project_root(settings, where))}",
        f"  select: {_listed(settings.select) if settings.select is not None else '(default)'}",
        f"  extend-select: {_listed(settings.extend_select)}",
        f"  ignore: {_listed(settings.ignore)}",
        f"  per-file-ignores: {_listed(f'{p} = {list(c)}' for p, c in settings.per_file_ignores)}",
        f"  extend-exclude: {_listed(settings.extend_exclude)}",
        f"  fix: {str(settings.fix).lower()}",
        f"  unsafe-fixes: {str(settings.unsafe_fixes).lower()}",
        f"  unfixable: {_listed(settings.unfixable)}",
        f"  runtime: {str(settings.runtime).lower()}",
        f"  rules enabled for this file ({len(codes)}):",
        *(f"    {code} {RULES[code].name}" for code in sorted(codes)),
    ]
    click.echo("\n".join(lines))
    return ExitCode.OK


def _listed(values) -> str:
    values = list(values)
    return ", ".join(values) if values else "(none)"
