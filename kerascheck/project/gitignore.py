"""What git ignores under a directory, asked of git itself: it alone knows
every rule (nested .gitignore files, negations, info/exclude, the global
excludes file). Outside a git work tree, or without git, nothing is ignored."""

from __future__ import annotations

import os
import subprocess


def ignored_paths(directory: str) -> set[str]:
    """Absolute paths of the ignored, untracked files and directories below
    `directory`. Tracked files are never ignored, as in git. A directory that
    is itself ignored was asked for by name: nothing in it is skipped."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"],
            cwd=directory,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if listed.returncode != 0:  # not a work tree
        return set()
    base = os.path.abspath(directory)
    ignored = set()
    for raw in listed.stdout.split(b"\0"):
        entry = os.fsdecode(raw).rstrip("/")
        if entry and entry != ".":
            ignored.add(os.path.normpath(os.path.join(base, entry)))
    return ignored
