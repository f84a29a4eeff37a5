"""Path patterns as in ruff's `exclude` and `per-file-ignores`.

A pattern without a `/` names a file or directory anywhere (`build`,
`legacy_*.py`); a pattern with one is a path relative to the project root
(`src/gen/*.py`, `notebooks/**/*.ipynb`). `*` and `?` stay within one path
component, `**` spans any number of them, `[ab]` and `{x,y}` work as in a
shell. Matching a directory matches everything below it.
"""

from __future__ import annotations

import os
import re
from functools import cache


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_translate(pattern.strip().rstrip("/").removeprefix("./")) + r"\Z")


def _translate(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(r".*")
            i += 2
            continue
        if char == "*":
            out.append(r"[^/]*")
        elif char == "?":
            out.append(r"[^/]")
        elif char == "[" and pattern.find("]", i + 2) != -1:
            end = pattern.find("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif char == "{" and "}" in pattern[i:]:
            end = pattern.index("}", i)
            options = pattern[i + 1 : end].split(",")
            out.append("(?:" + "|".join(_translate(o) for o in options) + ")")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def relative(path: str, root: str) -> str | None:
    """`path` relative to `root` with `/` separators; None when outside it."""
    rel = os.path.relpath(os.path.abspath(path), root)
    if rel == os.curdir:
        return ""
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


class Patterns:
    """A set of patterns, compiled once, matched against many paths."""

    def __init__(self, patterns, root: str) -> None:
        self.root = os.path.abspath(root)
        cleaned = [self._anchor(p) for p in patterns if p.strip().rstrip("/")]
        self.names = [compile_pattern(p) for p in cleaned if "/" not in p]
        self.paths = [compile_pattern(p) for p in cleaned if "/" in p]

    def _anchor(self, pattern: str) -> str:
        """A leading `/` anchors a pattern at the project root, as in
        .gitignore (`/build` is the root's build/, not every build/); an
        absolute path inside the project is made relative to it. Both are
        path patterns, matched from the root."""
        pattern = pattern.strip().rstrip("/")
        if not pattern.startswith("/"):
            return pattern
        inside = relative(pattern, self.root) if os.path.isabs(pattern) else None
        if inside and os.path.exists(pattern):
            return "./" + inside if "/" not in inside else inside
        return "./" + pattern.lstrip("/")

    def match_entry(self, path: str) -> bool:
        """A file or directory met while walking (its parents already passed)."""
        name = os.path.basename(path)
        if any(regex.match(name) for regex in self.names):
            return True
        if self.paths:
            rel = relative(path, self.root)
            return bool(rel) and any(regex.match(rel) for regex in self.paths)
        return False

    def match(self, path: str) -> bool:
        """`path` itself or one of the directories above it, up to the root."""
        rel = relative(path, self.root)
        if rel is None:  # outside the project: its name only
            return any(regex.match(os.path.basename(path)) for regex in self.names)
        parts = rel.split("/") if rel else []
        if any(regex.match(part) for part in parts for regex in self.names):
            return True
        prefixes = ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]
        return any(regex.match(prefix) for prefix in prefixes for regex in self.paths)
