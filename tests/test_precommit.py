"""The pre-commit hooks, run by the real pre-commit: `pre-commit try-repo`
against this repository installs kerascheck into a fresh hook environment
(pip, from this checkout) and runs it on the files staged in a scratch repo."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUGGY = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(10, activation="relu"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
""")
CLEAN = BUGGY.replace('activation="relu"', 'activation="softmax"')

# CI must run this test; elsewhere it may be skipped when a tool is missing.
missing = [
    name
    for name, found in (
        ("git", shutil.which("git")),
        ("pre-commit", importlib.util.find_spec("pre_commit")),
    )
    if not found
]
needs_tools = pytest.mark.skipif(
    bool(missing) and not os.environ.get("CI"), reason=f"needs {', '.join(missing)}"
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, stdin=subprocess.DEVNULL
    )


def try_repo(cwd: Path, home: Path, hook: str = "kerascheck"):
    # try-repo installs into a store of its own each time (about 10-30 s, most
    # of it pip): two runs are the least that shows both outcomes.
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        # try-repo commits a dirty checkout into a shadow repo: it needs a name.
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )


@needs_tools
def test_pre_commit_hook_fails_on_a_buggy_file_and_passes_on_a_clean_one(tmp_path: Path) -> None:
    scratch = tmp_path / "project"
    scratch.mkdir()
    git("init", "-q", cwd=scratch)
    (scratch / "model.py").write_text(BUGGY)
    (scratch / "notes.txt").write_text("not python\n")
    git("add", "model.py", "notes.txt", cwd=scratch)

    failed = try_repo(scratch, tmp_path / "pre-commit-home")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "kerascheck...." in output and "Failed" in output, output
    assert (
        "model.py:6:5: KC101 Output activation `relu` with `categorical_crossentropy`" in output
    ), output

    (scratch / "model.py").write_text(CLEAN)
    git("add", "model.py", cwd=scratch)
    passed = try_repo(scratch, tmp_path / "pre-commit-home")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "kerascheck...." in output and "Passed" in output, output


@needs_tools
def test_hook_manifest_is_valid() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"kerascheck", "kerascheck-runtime"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi", "jupyter"]
    assert hooks["kerascheck"]["entry"] == "kerascheck check --force-exclude"
    assert hooks["kerascheck-runtime"]["entry"] == "kerascheck check --runtime --force-exclude"
    assert hooks["kerascheck-runtime"]["require_serial"] is True
