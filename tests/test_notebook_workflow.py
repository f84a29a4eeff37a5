"""Notebooks the way editors and tools meet them: JSON edits in the cell's
own rows and columns (as ruff gives them), and a notebook fixed through
standard input."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run

CELLS = [
    "import keras\nfrom keras import layers\n",
    "# a markdown-free second cell\nx = 1\n",
    "model = keras.Sequential([\n    keras.Input(shape=(3,)),\n"
    '    layers.Dense(10, activation="relu"),\n])\n',
    "\n\nopt = keras.optimizers.Adam(lr=0.1)\n"
    'model.compile(optimizer=opt, loss="categorical_crossentropy")\n',
]


def _notebook(cells: list[str]) -> str:
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
            *(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": source.splitlines(keepends=True),
                }
                for source in cells
            ),
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def _apply_in_cells(cells: list[str], diagnostics: list[dict], unsafe: bool) -> list[str]:
    """What an editor does with ruff-style JSON: apply each fix's edits to the
    cell the diagnostic names, by row and column in that cell."""
    edited = list(cells)
    chosen = [
        d
        for d in diagnostics
        if d["fix"] and d["fix"]["edits"] and (unsafe or d["fix"]["applicability"] == "safe")
    ]
    for diagnostic in chosen:
        index = diagnostic["cell"] - 2  # cell 1 is markdown
        lines = edited[index].splitlines(keepends=True)
        # Edits from the end backwards, so earlier positions stay valid.
        for edit in sorted(
            diagnostic["fix"]["edits"],
            key=lambda e: (e["location"]["row"], e["location"]["column"]),
            reverse=True,
        ):
            text = "".join(lines)
            start, end = _offset(lines, edit["location"]), _offset(lines, edit["end_location"])
            lines = (text[:start] + edit["content"] + text[end:]).splitlines(keepends=True)
        edited[index] = "".join(lines)
    return edited


def _offset(lines: list[str], place: dict) -> int:
    return sum(len(line) for line in lines[: place["row"] - 1]) + place["column"] - 1


def test_json_edits_are_in_cell_coordinates(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook(CELLS))
    result = run("check", "nb.ipynb", "--output-format", "json", "--unsafe-fixes", cwd=tmp_path)
    diagnostics = json.loads(result.stdout)
    by_code = {d["code"]: d for d in diagnostics}
    assert by_code["KC401"]["cell"] == 5
    assert by_code["KC401"]["location"] == {"row": 3, "column": 29}
    [edit] = by_code["KC401"]["fix"]["edits"]
    assert (edit["location"]["row"], edit["content"]) == (3, "learning_rate=0.1")
    assert by_code["KC101"]["fix"]["edits"][0]["location"]["row"] == 3

    edited = _apply_in_cells(CELLS, diagnostics, unsafe=True)
    assert "opt = keras.optimizers.Adam(learning_rate=0.1)\n" in edited[3]
    assert 'layers.Dense(10, activation="softmax"),' in edited[2]
    fixed = run("check", "--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    cells = json.loads((tmp_path / "nb.ipynb").read_text())["cells"][1:]
    assert ["".join(cell["source"]) for cell in cells] == edited


def test_notebook_on_stdin_is_fixed_to_stdout(tmp_path: Path) -> None:
    text = _notebook(CELLS)
    result = run("check", "--fix", "-", "--stdin-filename", "nb.ipynb", cwd=tmp_path, stdin=text)
    assert result.returncode == 1  # KC101 remains (its fix is unsafe)
    fixed = json.loads(result.stdout)
    assert "".join(fixed["cells"][4]["source"]).count("learning_rate=0.1") == 1
    assert result.stdout == text.replace("Adam(lr=0.1)", "Adam(learning_rate=0.1)")
    assert "nb.ipynb:cell 4:3:5: KC101" in result.stderr
    diff = run("check", "--diff", "-", "--stdin-filename", "nb.ipynb", cwd=tmp_path, stdin=text)
    assert diff.returncode == 1
    assert "+opt = keras.optimizers.Adam(learning_rate=0.1)" in diff.stdout


def test_add_noqa_writes_into_the_cells(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook(CELLS))
    result = run("check", "--add-noqa", "nb.ipynb", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "Added 2 noqa directives.\n")
    cells = json.loads((tmp_path / "nb.ipynb").read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells[1:]]
    assert sources[0] == CELLS[0] and sources[1] == CELLS[1]
    assert '    layers.Dense(10, activation="relu"),  # noqa: KC101\n' in sources[2]
    assert "opt = keras.optimizers.Adam(lr=0.1)  # noqa: KC401\n" in sources[3]
    after = run("check", "nb.ipynb", cwd=tmp_path)
    assert (after.returncode, after.stdout) == (0, "All checks passed!\n")
