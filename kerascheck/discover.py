"""Paths given on the command line -> the files to lint."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

# Directories no one wants linted, as ruff and flake8 skip them.
DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".kerascheck_cache", "__pycache__", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})
SOURCE_SUFFIXES = (".py", ".pyi")


@dataclass
class Discovered:
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def discover(paths: list[str]) -> Discovered:
    found = Discovered()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    def unreadable_directory(error: OSError) -> None:  # never skip a tree silently
        found.errors.append(f"{error.filename}: cannot read directory: "
                            f"{error.strerror or error}")

    for path in paths:
        problem = _missing(path)
        if problem:
            found.errors.append(f"{path}: {problem}")
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path, onerror=unreadable_directory):
                dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDES)
                for name in sorted(files):
                    if name.endswith(SOURCE_SUFFIXES):
                        add(os.path.join(root, name))
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
