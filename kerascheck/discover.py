"""Paths given on the command line -> the files to lint."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Directories no one wants linted, as ruff and flake8 skip them.
DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".kerascheck_cache", "__pycache__", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})
SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


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

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDES)
                for name in sorted(files):
                    if name.endswith(SOURCE_SUFFIXES):
                        add(os.path.join(root, name))
        elif os.path.exists(path):
            add(path)
        elif os.path.islink(path):
            found.errors.append(f"{path}: broken symbolic link")
        else:
            found.errors.append(f"{path}: no such file or directory")
    return found
