"""Exclude and per-file-ignores patterns, matched as ruff users expect."""

from __future__ import annotations

import pytest

from kerascheck.project.globs import Patterns

ROOT = "/project"


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        # No `/`: a file or directory name anywhere below the root.
        ("build", "/project/build/x.py", True),
        ("build", "/project/src/build", True),
        ("build", "/project/buildx/a.py", False),
        ("legacy_?.py", "/project/legacy_1.py", True),
        ("*.py", "/project/a/b.py", True),
        ("[!a]*.py", "/project/b.py", True),
        ("[!a]*.py", "/project/a.py", False),
        # Outside the root only the name counts, never the directories above it.
        ("build", "/elsewhere/build/x.py", False),
        ("x.py", "/elsewhere/x.py", True),
        # With `/`: a path from the root; a matched directory covers its contents.
        ("src/*.py", "/project/src/a.py", True),
        ("src/*.py", "/project/src/x/a.py", False),
        ("src/**/*.py", "/project/src/x/y/a.py", True),
        ("src/**/*.py", "/project/src/a.py", True),
        ("**/{tests,docs}/*", "/project/a/tests/t.py", True),
        ("**/{tests,docs}/*", "/project/a/tested/t.py", False),
        ("tests/", "/project/tests/a.py", True),
        ("./src/gen", "/project/src/gen/a.py", True),
        ("src/gen", "/project/lib/src/gen/a.py", False),
    ],
)
def test_match(pattern: str, path: str, expected: bool) -> None:
    assert Patterns((pattern,), ROOT).match(path) is expected


def test_match_entry_looks_at_the_entry_only() -> None:
    patterns = Patterns(("build", "src/gen"), ROOT)
    assert patterns.match_entry("/project/a/build")
    assert patterns.match_entry("/project/src/gen")
    assert not patterns.match_entry("/project/src/gen_utils")
    assert not patterns.match_entry("/project/src")
