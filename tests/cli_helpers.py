"""What the CLI tests share: running the real CLI, and the snippets they lint."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def run(
    *args: str,
    cwd: Path | None = None,
    stdin: str | bytes | None = None,
    env: dict | None = None,
    timeout: int = 120,
) -> subprocess.CompletedProcess:
    """`python -m kerascheck ARGS` as a user runs it (no terminal on stdin)."""
    return subprocess.run(
        [sys.executable, "-m", "kerascheck", *args],
        cwd=cwd,
        env=env,
        timeout=timeout,
        input=stdin,
        capture_output=True,
        text=not isinstance(stdin, bytes),
        **({} if stdin is not None else {"stdin": subprocess.DEVNULL}),
    )


RELU_OUTPUT = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(10, activation="relu"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
""")
NO_INPUT_SHAPE = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
""")
