"""`kerascheck clean`: remove the cache of the project here, if kerascheck made it.

The cache is `.kerascheck_cache/` at the project root (beside the
pyproject.toml in force, or at the repository root), or $KERASCHECK_CACHE_DIR.
A directory without kerascheck's CACHEDIR.TAG is left alone, whatever its
name: the environment variable may point anywhere.
"""

from __future__ import annotations

import os

import click

from kerascheck.commands.options import ExitCode
from kerascheck.project.cache import CleanOutcome, clean, directory, project_root
from kerascheck.project.config import Resolver
from kerascheck.project.settings import Settings, SettingsError


def clean_cache() -> ExitCode:
    here = os.path.join(os.getcwd(), "-")  # the project of the working directory
    try:
        settings = Resolver(Settings()).for_path(here)
    except SettingsError:
        settings = Settings(root=os.getcwd())
    path = directory(project_root(settings, here))
    shown = os.path.relpath(path) if not os.environ.get("KERASCHECK_CACHE_DIR") else path
    outcome = clean(path)
    if outcome is CleanOutcome.REMOVED:
        click.echo(f"Removed {shown}")
    elif outcome is CleanOutcome.ABSENT:
        click.echo("No cache to remove.")
    else:
        click.echo(
            f"kerascheck: error: {shown} was not made by kerascheck (it has no kerascheck "
            f"CACHEDIR.TAG); left untouched",
            err=True,
        )
        return ExitCode.ERROR
    return ExitCode.OK
