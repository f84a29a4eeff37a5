"""Notebooks: cells joined and linted, diagnostics placed in cells, fixes
written back into the changed cells only."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kerascheck.engine import lint_file, lint_text
from kerascheck.notebook import NotebookError, is_notebook, lint_notebook, load_notebook
from kerascheck.settings import Settings

IMPORTS = "import keras\nfrom keras import layers\n"
MODEL = textwrap.dedent("""\
    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(10, activation="relu"),
    ])
""")
COMPILE = 'model.compile(optimizer="adam", loss="categorical_crossentropy")\n'


def code(source: str, outputs: list | None = None, as_string: bool = False) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {},
            "outputs": outputs or [],
            "source": source if as_string else source.splitlines(keepends=True)}


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)}


def notebook(*cells: dict, language: str | None = "python", indent: int = 1) -> str:
    """A notebook as Jupyter writes it: one-space indent, UTF-8, final newline."""
    metadata = {"kernelspec": {"display_name": "Python 3", "language": language,
                               "name": "python3"}} if language else {}
    document = {"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def lint(text: str, select: tuple[str, ...] = ("ALL",)):
    nb = load_notebook(text.encode("utf-8"), "nb.ipynb")
    settings = Settings(select=select)
    return lint_notebook(nb, lambda python: lint_text(python, "nb.ipynb", settings).diagnostics)


def found(text: str, select: tuple[str, ...] = ("ALL",)) -> list[tuple[int, int, int, str]]:
    return [(d.cell, d.span.line, d.span.column, d.code) for d in lint(text, select)]


def run(*args: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "kerascheck", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- reading cells


def test_model_split_across_cells_is_reported_in_its_cell() -> None:
    text = notebook(code(IMPORTS), markdown("## The model"), code(MODEL), code(COMPILE))
    [diagnostic] = lint(text)
    assert (diagnostic.cell, diagnostic.span.line, diagnostic.span.column) == (3, 3, 5)
    assert diagnostic.code == "KC101"
    assert diagnostic.source_line == '    layers.Dense(10, activation="relu"),'
    # The loss the message names is in the next cell.
    assert diagnostic.related_cells == (4,)
    assert diagnostic.related[0][0].line == 1


def test_magics_and_shell_escapes_are_masked_never_reported() -> None:
    text = notebook(
        code("%matplotlib inline\n!pip install -q keras\n%load_ext autoreload\n" + IMPORTS),
        code("%%time\n" + MODEL),  # a Python cell magic: its body is linted
        code("files = !ls data\nlayers.Dense?\n?keras.Sequential\nmodel.fit??\n"),
        code("%%writefile train.py\ndef broken(:\n"),  # not Python for the kernel: skipped
        code("%%bash\nfor f in *; do echo $f; done\n"),
        code("for i in range(3):\n    !echo {i}\n    %time print(i)\n" + COMPILE),
    )
    assert found(text) == [(2, 4, 5, "KC101")]


def test_magic_like_lines_inside_strings_and_brackets_stay_python() -> None:
    cell = textwrap.dedent('''\
        template = """
        %d layers
        !important
        """
        shape = (20,
                 )
        ''') + MODEL.replace("(20,)", "shape") + COMPILE
    text = notebook(code(IMPORTS + cell))
    assert found(text) == [(1, 11, 5, "KC101")]
    view = load_notebook(text.encode(), "nb.ipynb").python()
    assert "%d layers\n!important\n" in view.text


def test_indented_cell_is_dedented_and_columns_are_the_cells() -> None:
    indented = textwrap.indent(IMPORTS + MODEL + COMPILE, "    ")
    [diagnostic] = lint(notebook(code(indented)))
    assert (diagnostic.cell, diagnostic.span.line, diagnostic.span.column) == (1, 5, 9)
    assert diagnostic.source_line == '        layers.Dense(10, activation="relu"),'


def test_a_cell_that_does_not_parse_is_its_kc001_and_the_rest_is_linted() -> None:
    text = notebook(code(IMPORTS), code("def broken(:\n    pass\n"), code(MODEL + COMPILE))
    assert found(text) == [(2, 1, 12, "KC001"), (3, 3, 5, "KC101")]


def test_no_break_space_in_code_is_a_kc001_in_string_it_is_fine() -> None:
    text = notebook(code(IMPORTS + 'name = "a\u00a0b"\n'),
                    code("if True:\n\u00a0   x = 1\n"), code(MODEL + COMPILE))
    diagnostics = lint(text)
    assert [(d.cell, d.span.line, d.code) for d in diagnostics] == [(2, 2, "KC001"), (3, 3, "KC101")]
    assert diagnostics[0].message == "Syntax error: invalid non-printable character U+00A0"


def test_top_level_await_is_fine_in_a_notebook() -> None:
    assert found(notebook(code("import asyncio\nawait asyncio.sleep(0)\n"))) == []


@pytest.mark.parametrize("text", [
    notebook(),
    notebook(markdown("# Only prose\n\n`model.fit(x_test)` in a sentence")),
    notebook(code(""), code("   \n\n")),
], ids=["no cells", "markdown only", "empty code cells"])
def test_notebooks_with_nothing_to_lint(text: str) -> None:
    assert lint(text) == []


def test_a_notebook_whose_kernel_is_not_python_is_skipped() -> None:
    r_code = "model <- keras_model_sequential()\nfit(model, x_test)\n"
    assert lint(notebook(code(r_code), language="R")) == []
    # Python-looking code in an R notebook is still R's.
    assert lint(notebook(code(IMPORTS + MODEL + COMPILE), language="R")) == []
    julia = json.loads(notebook(code(IMPORTS + MODEL + COMPILE), language=None))
    julia["metadata"]["language_info"] = {"name": "julia"}
    assert lint(json.dumps(julia)) == []


def test_no_kernel_information_means_python() -> None:
    assert found(notebook(code(IMPORTS + MODEL + COMPILE), language=None)) == [(1, 5, 5, "KC101")]


def test_source_as_one_string_is_read_too() -> None:
    text = notebook(code(IMPORTS + MODEL + COMPILE, as_string=True))
    assert found(text) == [(1, 5, 5, "KC101")]


@pytest.mark.parametrize(("data", "message"), [
    (b'{"cells": [],\n "metadata": {},\n}', "nb.ipynb: not valid JSON: trailing comma at "
                                            "line 2 column 16 (Jupyter cannot open it either)"),
    (b"{cells}", "nb.ipynb: not valid JSON: Expecting property name enclosed in double "
                 "quotes at line 1 column 2"),
    (b"", "nb.ipynb: not a notebook: the file is empty"),
    (b'{"cells": [], "x": "\xff"}', "nb.ipynb: not a notebook: line 1 is not valid UTF-8"),
    (b"[1, 2]", 'nb.ipynb: not a Jupyter notebook (no "cells" list)'),
    (b'{"cells": [1]}', "nb.ipynb: not a Jupyter notebook (cell 1 is not an object)"),
    (b'{"cells": [{"cell_type": "code", "source": 3}]}',
     'nb.ipynb: cell 1 has an invalid "source"'),
    (b'{"worksheets": [{"cells": []}], "nbformat": 3}',
     "nb.ipynb: nbformat 3 notebooks are not supported; open and save it in Jupyter "
     "to upgrade it"),
])
def test_bad_notebooks_get_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(NotebookError) as error:
        load_notebook(data, "nb.ipynb")
    assert str(error.value) == message


def test_is_notebook() -> None:
    assert is_notebook("a/b.ipynb") and not is_notebook("a/b.py")


# ---------------------------------------------------------------- the command line


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "course.ipynb").write_text(
        notebook(code(IMPORTS), markdown("## Model"), code(MODEL), code(COMPILE)))
    (tmp_path / "clean.py").write_text("import keras\n")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "course-checkpoint.ipynb").write_text("{not json")
    return tmp_path


def test_cli_text_points_at_the_cell(project: Path) -> None:
    result = run("check", ".", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == textwrap.dedent("""\
        ./course.ipynb:cell 3:3:5: KC101 Output activation `relu` with `categorical_crossentropy`: the loss expects probabilities, `relu` gives unbounded values and no gradient below 0
          |
        3 |     layers.Dense(10, activation="relu"),
          |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = note: cell 4, line 1: loss `"categorical_crossentropy"`
          = help: use `activation='softmax'` on the output layer (or no activation and `from_logits=True` in the loss)

        Found 1 problem in 2 checked files.
        """)


def test_cli_json_carries_the_cell_and_cell_rows(project: Path) -> None:
    result = run("check", "course.ipynb", "--output-format", "json", cwd=project)
    [diagnostic] = json.loads(result.stdout)
    assert (diagnostic["cell"], diagnostic["location"], diagnostic["end_location"],
            diagnostic["noqa_row"], diagnostic["filename"]) == (
        3, {"row": 3, "column": 5}, {"row": 3, "column": 40}, 3, str(project / "course.ipynb"))


def test_cli_bad_notebook_is_one_error_line_and_the_rest_is_linted(project: Path) -> None:
    (project / "broken.ipynb").write_text('{"cells": [\n],\n}\n')
    (project / "data.ipynb").write_text('{"rows": [1, 2]}')
    result = run("check", ".", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "kerascheck: error: ./broken.ipynb: not valid JSON: trailing comma at line 2 "
        "column 2 (Jupyter cannot open it either)\n"
        'kerascheck: error: ./data.ipynb: not a Jupyter notebook (no "cells" list)\n')
    assert result.stdout.startswith("./course.ipynb:cell 3:3:5: KC101 ")


def test_lint_file_reads_notebooks(project: Path) -> None:
    result = lint_file(str(project / "course.ipynb"))
    assert [(d.cell, d.span.line, d.code) for d in result.diagnostics] == [(3, 3, "KC101")]
