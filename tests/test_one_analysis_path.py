"""`check`, `show`, notebooks and stdin all go through one engine function:
the same guards, the same diagnostics, nothing dropped on the way."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import RELU_OUTPUT, run

from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_file

# A sum of 3,000 terms: CPython refuses it, and LibCST would recurse 3,000 deep.
DEEP_SUM = "import keras\nx = " + "+".join(["1"] * 3000) + "\n"


def notebook(*cells: str) -> str:
    document = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": source,
            }
            for source in cells
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


RELU_NOTEBOOK = notebook(
    "import keras\nfrom keras import layers\n",
    "model = keras.Sequential([\n    keras.Input(shape=(20,)),\n"
    "    layers.Dense(10, activation='relu'),\n])\n",
    "model.compile(optimizer='adam', loss='categorical_crossentropy')\n",
)


def test_show_walks_a_directory_like_check(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(RELU_OUTPUT)
    (tmp_path / "pkg" / "nb.ipynb").write_text(RELU_NOTEBOOK)
    (tmp_path / "pkg" / "notes.txt").write_text("not Python\n")
    shown = run("show", "pkg", cwd=tmp_path)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout.splitlines() == [
        "pkg/model.py:",
        "",
        "line 4: `model` (Sequential)",
        "  line  layer  units  activation  output shape  params",
        "     5  Input                     (None, 20)         0",
        "     6  Dense  10     relu        (None, 10)       210",
        "  total: 210 parameters (static shape inference)",
        "",
        "pkg/nb.ipynb:",
        "",
        "cell 2:1: `model` (Sequential)",
        "      line  layer  units  activation  output shape  params",
        "  cell 2:2  Input                     (None, 20)         0",
        "  cell 2:3  Dense  10     relu        (None, 10)       210",
        "  total: 210 parameters (static shape inference)",
    ]


def test_show_on_code_too_deep_to_parse_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "deep.py").write_text(DEEP_SUM)
    (tmp_path / "model.py").write_text(RELU_OUTPUT)
    shown = run("show", ".", cwd=tmp_path)
    assert shown.returncode == 2
    assert shown.stderr == (
        "kerascheck: error: ./deep.py: cannot parse: Syntax error: too deeply nested: "
        "Python cannot compile this file (line 1)\n"
    )
    assert shown.stdout.startswith("./model.py:\n")
    checked = run("check", "deep.py", "--output-format", "json", cwd=tmp_path)
    assert [d["code"] for d in json.loads(checked.stdout)] == ["KC001"]


def test_a_notebook_on_stdin_is_linted_like_the_file(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(RELU_NOTEBOOK)
    on_disk = run("check", "nb.ipynb", "--output-format", "json", "--no-cache", cwd=tmp_path)
    piped = run(
        "check",
        "-",
        "--stdin-filename",
        "nb.ipynb",
        "--output-format",
        "json",
        cwd=tmp_path,
        stdin=RELU_NOTEBOOK,
    )
    assert piped.returncode == on_disk.returncode == 1
    assert json.loads(piped.stdout) == json.loads(on_disk.stdout)
    assert [(d["code"], d["cell"], d["location"]["row"]) for d in json.loads(piped.stdout)] == [
        ("KC101", 2, 3),
    ]


def test_a_broken_notebook_on_stdin_is_one_clear_line(tmp_path: Path) -> None:
    piped = run("check", "-", "--stdin-filename", "nb.ipynb", cwd=tmp_path, stdin='{"cells": [}')
    assert piped.returncode == 2
    assert piped.stderr.startswith("kerascheck: error: nb.ipynb: not valid JSON")


def test_a_notebook_keeps_the_error_of_code_libcst_cannot_parse() -> None:
    # 10,000 implicitly concatenated strings: valid Python that LibCST refuses.
    source = "import keras\nx = (" + " ".join(['"a"'] * 10_000) + ")\n"
    result = lint_file("nb.ipynb", Settings(), notebook(source).encode())
    assert result.diagnostics == []
    # Kept, not dropped (the position in it is LibCST's, in the joined cells).
    assert result.error.startswith(
        "nb.ipynb: cannot analyse: LibCST cannot parse this valid Python (parser error: "
    )
