"""Code Python runs (or a notebook would) that LibCST alone refuses: linted
anyway, through the real CLI, with the original's lines and columns."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run

# CPython accepts this indentation (a tab is 8 columns: `\t    z` is deeper
# than `    if y:`); LibCST's tokenizer says "no matching outer block for dedent".
TABS = (
    "import keras\nif x:\n    if y:\n\t    z = 1\n    w = 2\nopt = keras.optimizers.Adam(lr=0.1)\n"
)
MAGICS = (
    "import keras\n%matplotlib inline\n!pip install keras\nopt = keras.optimizers.Adam(lr=0.1)\n"
)


def _found(result) -> list[tuple[str, int, int]]:
    return [
        (d["code"], d["location"]["row"], d["location"]["column"])
        for d in json.loads(result.stdout)
    ]


def test_mixed_tabs_python_accepts_are_linted_not_skipped(tmp_path: Path) -> None:
    compile(TABS, "tabs.py", "exec")  # Python itself runs it
    (tmp_path / "tabs.py").write_text(TABS)
    result = run("check", "tabs.py", "--output-format", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert _found(result) == [("KC401", 6, 29)]


def test_columns_on_a_tab_indented_line_are_the_files(tmp_path: Path) -> None:
    source = TABS.replace("\t    z = 1\n", "\t    z = keras.optimizers.SGD(lr=1)\n")
    (tmp_path / "tabs.py").write_text(source)
    result = run("check", "tabs.py", "--output-format", "text", cwd=tmp_path)
    assert result.stdout.startswith("tabs.py:4:31: KC401 ")
    assert "4 | \t    z = keras.optimizers.SGD(lr=1)\n" in result.stdout
    # Fixes are not offered on a rewritten text, so --fix leaves it alone.
    fixed = run("check", "--fix", "tabs.py", cwd=tmp_path)
    assert (tmp_path / "tabs.py").read_text() == source
    assert fixed.returncode == 1


def test_magics_in_a_py_file_are_one_kc001_and_the_rest_is_linted(tmp_path: Path) -> None:
    (tmp_path / "copied.py").write_text(MAGICS)
    result = run("check", "copied.py", "--output-format", "json", cwd=tmp_path)
    assert _found(result) == [("KC001", 2, 1), ("KC401", 4, 29)]
    kc001 = json.loads(result.stdout)[0]
    assert kc001["fix"]["message"] == (
        "`%matplotlib inline` is IPython syntax: it runs in a notebook or IPython, "
        "not in a .py file; remove it, or keep the code in a notebook"
    )


def test_every_kc001_has_a_help_line(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import keras\nmodel = keras.Sequential([\n")
    result = run("check", "broken.py", cwd=tmp_path)
    assert (
        "  = help: Python cannot run this code as written: fix the syntax here "
        "(kerascheck checks the code once it parses)\n"
    ) in result.stdout


def test_a_no_break_space_between_tokens_says_so_in_its_help(tmp_path: Path) -> None:
    # Pasted from a web page: CPython (and IPython) refuse it; the help names it.
    source = 'import keras\nlayer = keras.layers.Dense(32,\u00a0activation="relu")\n'
    (tmp_path / "pasted.py").write_text(source, encoding="utf-8")
    result = run("check", "pasted.py", "--output-format", "json", cwd=tmp_path)
    assert _found(result) == [("KC001", 2, 31)]
    kc001 = json.loads(result.stdout)[0]
    assert kc001["message"] == "Syntax error: invalid non-printable character U+00A0"
    assert kc001["fix"]["message"] == (
        "a no-break space (U+00A0, often pasted from a web page or a PDF) stands "
        "between tokens here: Python and IPython both refuse it; replace each one "
        "on this line with a plain space"
    )


def test_ignore_file_in_a_notebook_silences_a_broken_cell_too(tmp_path: Path) -> None:
    cells = ["# kerascheck: ignore-file\nimport keras\n", "def broken(:\n", "x = 1\n"]
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    result = run("check", "nb.ipynb", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_valid_python_libcst_cannot_parse_warns_and_does_not_fail_the_run(
    tmp_path: Path,
) -> None:
    # CPython takes 10,000 implicitly concatenated strings; LibCST's parser does not.
    (tmp_path / "strings.py").write_text("import keras\nx = " + " ".join(["'a'"] * 10_000) + "\n")
    (tmp_path / "model.py").write_text("import keras\nopt = keras.optimizers.Adam(lr=0.1)\n")
    alone = run("check", "strings.py", cwd=tmp_path)
    assert alone.returncode == 0
    assert alone.stderr.startswith(
        "kerascheck: warning: strings.py: cannot analyse: LibCST cannot parse this valid Python ("
    )
    both = run("check", ".", "--output-format", "json", cwd=tmp_path)
    assert both.returncode == 1  # model.py's KC401, not a failed run
    assert [d["code"] for d in json.loads(both.stdout)] == ["KC401"]
