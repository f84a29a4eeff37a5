"""Paths given on the command line -> the files to lint.

Inside directories: .py and .pyi files, less the excluded and the
.gitignored ones. A file named explicitly is always linted, unless
`force_exclude` is on (pre-commit names every staged file) and an exclude
pattern matches it. `-` is standard input; with `force_exclude` it is
skipped when its --stdin-filename is excluded.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

from kerascheck.project.gitignore import ignored_paths
from kerascheck.project.globs import Patterns
from kerascheck.project.settings import Settings

# Directories no one wants linted, as ruff and flake8 skip them.
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".kerascheck_cache",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
STDIN = "-"


@dataclass
class Discovered:
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def excludes(settings: Settings) -> Patterns:
    base = DEFAULT_EXCLUDES if settings.exclude is None else settings.exclude
    return Patterns((*base, *settings.extend_exclude), settings.root)


def discover(
    paths: list[str], settings: Settings = Settings(), stdin_filename: str | None = None
) -> Discovered:
    found = Discovered()
    seen: set[str] = set()
    patterns = excludes(settings)
    force = settings.force_exclude

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    def unreadable_directory(error: OSError) -> None:  # never skip a tree silently
        found.errors.append(f"{error.filename}: cannot read directory: {error.strerror or error}")

    for path in paths:
        if path == STDIN:
            if not (force and stdin_filename and patterns.match(stdin_filename)):
                found.files.append(STDIN)
            continue
        problem = _missing(path)
        if problem:
            found.errors.append(f"{path}: {problem}")
        elif os.path.isdir(path):
            if force and patterns.match(path):
                continue
            ignored = ignored_paths(path) if settings.respect_gitignore else set()
            for root, dirs, files in os.walk(path, onerror=unreadable_directory):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not patterns.match_entry(os.path.join(root, d))
                    and os.path.abspath(os.path.join(root, d)) not in ignored
                )
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if (
                        name.endswith(SOURCE_SUFFIXES)
                        and not patterns.match_entry(full)
                        and os.path.abspath(full) not in ignored
                    ):
                        add(full)
        elif force and patterns.match(path):
            continue
        else:
            add(path)
    return found


def _missing(path: str) -> str | None:
    """Why a path given on the command line cannot be used, or None."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if error.errno == errno.ENOENT and os.path.islink(path):
            return "broken symbolic link"
        if error.errno == errno.ENOENT:
            return "no such file or directory"
        return f"cannot read: {error.strerror or error}"
    except ValueError:  # an embedded NUL byte in the name
        return "invalid path"
    return None
