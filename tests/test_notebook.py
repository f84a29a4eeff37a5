"""Notebooks: cells joined and linted, diagnostics placed in cells, fixes
written back into the changed cells only."""

from __future__ import annotations

import codecs
import json
import textwrap
from pathlib import Path

import pytest
from cli_helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from kerascheck.notebooks.notebook import NotebookError, is_notebook
from kerascheck.notebooks.reading import load_notebook
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_file
from kerascheck.source.span import Span

IMPORTS = "import keras\nfrom keras import layers\n"
MODEL = textwrap.dedent("""\
    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(10, activation="relu"),
    ])
""")
COMPILE = 'model.compile(optimizer="adam", loss="categorical_crossentropy")\n'


def code(source: str, outputs: list | None = None, as_string: bool = False) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": outputs or [],
        "source": source if as_string else source.splitlines(keepends=True),
    }


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)}


def notebook(*cells: dict, language: str | None = "python", indent: int = 1) -> str:
    """A notebook as Jupyter writes it: one-space indent, UTF-8, final newline."""
    metadata = (
        {"kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"}}
        if language
        else {}
    )
    document = {"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def lint(text: str, select: tuple[str, ...] = ("ALL",)):
    chosen = Settings(select=select)
    return lint_file("nb.ipynb", chosen, text.encode("utf-8")).diagnostics


def found(text: str, select: tuple[str, ...] = ("ALL",)) -> list[tuple[int, int, int, str]]:
    return [(d.cell, d.span.line, d.span.column, d.code) for d in lint(text, select)]


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


def test_continued_shell_escapes_and_bare_automagics_are_ipython_not_kc001() -> None:
    text = notebook(
        code(IMPORTS + "!pip install -q tensorflow \\\n    keras-tuner \\\n    pandas\n"),
        code("ls data/\ncd ..\npwd\nrm -rf logs/\npip install keras\n"),
        code("  cd /content\n  ls -la\n"),
        code(MODEL + COMPILE),
    )
    assert found(text) == [(4, 3, 5, "KC101")]


def test_python_that_starts_with_a_magic_name_stays_python() -> None:
    cell = "ls = [1, 2]\ncd = len(ls)\ntime.sleep(0)\npwd\n"
    view = load_notebook(notebook(code(cell)).encode(), "nb.ipynb").python()
    assert "ls = [1, 2]\ncd = len(ls)\ntime.sleep(0)\npwd\n" in view.text
    # ... and a cell whose bare word is not a magic is still a syntax error.
    assert [d[3] for d in found(notebook(code("train model now\n")))] == ["KC001"]


def test_magic_like_lines_inside_strings_and_brackets_stay_python() -> None:
    cell = (
        textwrap.dedent('''\
        template = """
        %d layers
        !important
        """
        shape = (20,
                 )
        ''')
        + MODEL.replace("(20,)", "shape")
        + COMPILE
    )
    text = notebook(code(IMPORTS + cell))
    assert found(text) == [(1, 11, 5, "KC101")]
    view = load_notebook(text.encode(), "nb.ipynb").python()
    assert "%d layers\n!important\n" in view.text


def test_percent_formatting_after_an_equals_sign_in_a_string_stays_python() -> None:
    # `= %` inside a string is no `name = %magic`: these lines are Python, not KC001.
    cell = (
        'width = 3\nprint("width = %d" % width)\n'
        'print("rows = %d, "\n      "cols = %d\\n" % (width, width))\n'
        'label = "area = %s" % (width * width)\n'
    )
    text = notebook(code(IMPORTS + cell), code(MODEL + COMPILE))
    assert found(text) == [(2, 3, 5, "KC101")]
    view = load_notebook(text.encode(), "nb.ipynb").python()
    assert 'print("width = %d" % width)\n' in view.text
    # ... while an assignment from a magic is still masked.
    masked = load_notebook(notebook(code("out = %sx ls\nrows[0] = !wc -l\n")).encode(), "nb.ipynb")
    assert "out = get_ipython()" in masked.python().text
    assert "rows[0] = get_ipython()" in masked.python().text


def test_indented_cell_is_dedented_and_columns_are_the_cells() -> None:
    indented = textwrap.indent(IMPORTS + MODEL + COMPILE, "    ")
    [diagnostic] = lint(notebook(code(indented)))
    assert (diagnostic.cell, diagnostic.span.line, diagnostic.span.column) == (1, 5, 9)
    assert diagnostic.source_line == '        layers.Dense(10, activation="relu"),'


def test_a_cell_that_does_not_parse_is_its_kc001_and_the_rest_is_linted() -> None:
    text = notebook(code(IMPORTS), code("def broken(:\n    pass\n"), code(MODEL + COMPILE))
    assert found(text) == [(2, 1, 12, "KC001"), (3, 3, 5, "KC101")]


def test_no_break_space_in_code_is_a_kc001_in_string_it_is_fine() -> None:
    text = notebook(
        code(IMPORTS + 'name = "a\u00a0b"\n'),
        code("if True:\n\u00a0   x = 1\n"),
        code(MODEL + COMPILE),
    )
    diagnostics = lint(text)
    assert [(d.cell, d.span.line, d.code) for d in diagnostics] == [
        (2, 2, "KC001"),
        (3, 3, "KC101"),
    ]
    assert diagnostics[0].message == "Syntax error: invalid non-printable character U+00A0"
    assert diagnostics[0].help == (
        "a no-break space (U+00A0, often pasted from a web page or a PDF) stands "
        "between tokens here: Python and IPython both refuse it; replace each one "
        "on this line with a plain space"
    )


def test_top_level_await_is_fine_in_a_notebook() -> None:
    assert found(notebook(code("import asyncio\nawait asyncio.sleep(0)\n"))) == []


@pytest.mark.parametrize(
    "text",
    [
        notebook(),
        notebook(markdown("# Only prose\n\n`model.fit(x_test)` in a sentence")),
        notebook(code(""), code("   \n\n")),
    ],
    ids=["no cells", "markdown only", "empty code cells"],
)
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


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"cells": [],\n "metadata": {},\n}',
            "nb.ipynb: not valid JSON: trailing comma at "
            "line 2 column 16 (Jupyter cannot open it either)",
        ),
        (
            b"{cells}",
            "nb.ipynb: not valid JSON: Expecting property name enclosed in double "
            "quotes at line 1 column 2",
        ),
        (b"", "nb.ipynb: not a notebook: the file is empty"),
        (b'{"cells": [], "x": "\xff"}', "nb.ipynb: not a notebook: line 1 is not valid UTF-8"),
        (b"[1, 2]", 'nb.ipynb: not a Jupyter notebook (no "cells" list)'),
        (b'{"cells": [1]}', "nb.ipynb: not a Jupyter notebook (cell 1 is not an object)"),
        (
            b'{"cells": [{"cell_type": "code", "source": 3}]}',
            'nb.ipynb: cell 1 has an invalid "source"',
        ),
        (
            b'{"worksheets": [{"cells": []}], "nbformat": 3}',
            "nb.ipynb: nbformat 3 notebooks are not supported; open and save it in Jupyter "
            "to upgrade it",
        ),
    ],
)
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
        notebook(code(IMPORTS), markdown("## Model"), code(MODEL), code(COMPILE))
    )
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
        No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).
        """)


def test_cli_json_carries_the_cell_and_cell_rows(project: Path) -> None:
    result = run("check", "course.ipynb", "--output-format", "json", cwd=project)
    [diagnostic] = json.loads(result.stdout)
    assert (
        diagnostic["cell"],
        diagnostic["location"],
        diagnostic["end_location"],
        diagnostic["noqa_row"],
        diagnostic["filename"],
    ) == (3, {"row": 3, "column": 5}, {"row": 3, "column": 40}, 3, str(project / "course.ipynb"))


def test_cli_bad_notebook_is_one_error_line_and_the_rest_is_linted(project: Path) -> None:
    (project / "broken.ipynb").write_text('{"cells": [\n],\n}\n')
    (project / "data.ipynb").write_text('{"rows": [1, 2]}')
    result = run("check", ".", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "kerascheck: error: ./broken.ipynb: not valid JSON: trailing comma at line 2 "
        "column 2 (Jupyter cannot open it either)\n"
        'kerascheck: error: ./data.ipynb: not a Jupyter notebook (no "cells" list)\n'
    )
    assert result.stdout.startswith("./course.ipynb:cell 3:3:5: KC101 ")


def test_lint_file_reads_notebooks(project: Path) -> None:
    result = lint_file(str(project / "course.ipynb"))
    assert [(d.cell, d.span.line, d.code) for d in result.diagnostics] == [(3, 3, "KC101")]


# ---------------------------------------------------------------- writing back


def view_of(data: bytes):
    nb = load_notebook(data, "nb.ipynb")
    return nb, nb.python()


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """(old line, new line) pairs of the file: what a reviewer sees in git."""
    old, new = before.decode().split("\n"), after.decode().split("\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


LAYOUTS = {
    "jupyter": notebook(code(IMPORTS), markdown("# Model"), code(MODEL + COMPILE)).encode(),
    "indent 2": notebook(code(IMPORTS), code(MODEL + COMPILE), indent=2).encode(),
    "indent 4, no final newline": notebook(code(IMPORTS + MODEL + COMPILE), indent=4)
    .rstrip("\n")
    .encode(),
    "compact": json.dumps(json.loads(notebook(code(IMPORTS + MODEL + COMPILE)))).encode(),
    "CRLF": notebook(code(IMPORTS), code(MODEL + COMPILE)).replace("\n", "\r\n").encode(),
    "BOM": codecs.BOM_UTF8 + notebook(code(IMPORTS), code(MODEL + COMPILE)).encode(),
    "ASCII escapes": json.dumps(
        json.loads(notebook(code("# café\n" + IMPORTS + MODEL + COMPILE))),
        indent=1,
        ensure_ascii=True,
    ).encode(),
    "source strings": notebook(code(IMPORTS + MODEL + COMPILE, as_string=True)).encode(),
    "outputs and metadata": notebook(
        code(
            IMPORTS + MODEL + COMPILE,
            outputs=[
                {"name": "stdout", "output_type": "stream", "text": ["Epoch 1/5\n", "loss: 0.3\n"]},
                {
                    "data": {"image/png": "iVBORw0KGgo=\n", "text/plain": ["<Figure>"]},
                    "metadata": {"needs_background": "light"},
                    "output_type": "display_data",
                },
            ],
        )
    ).encode(),
}


@pytest.mark.parametrize("data", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_nothing_to_fix_gives_the_same_bytes(data: bytes) -> None:
    nb, view = view_of(data)
    assert nb.write_back(view, view.text) == data
    assert nb.diff(view, view.text) == ""


@pytest.mark.parametrize("data", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_a_fix_rewrites_only_its_line_in_the_file_layout(data: bytes) -> None:
    nb, view = view_of(data)
    fixed = nb.write_back(view, view.text.replace('activation="relu"', 'activation="softmax"'))
    assert fixed.startswith(codecs.BOM_UTF8) == data.startswith(codecs.BOM_UTF8)
    before, after = json.loads(data.decode("utf-8-sig")), json.loads(fixed.decode("utf-8-sig"))
    for cell in before["cells"]:
        source = cell["source"]
        if isinstance(source, list):
            cell["source"] = [line.replace('"relu"', '"softmax"') for line in source]
        else:
            cell["source"] = source.replace('"relu"', '"softmax"')
    assert after == before  # same structure, key order, outputs, and list-or-string form
    [(old, new)] = changed_lines(data.replace(b"\r\n", b"\n"), fixed.replace(b"\r\n", b"\n"))
    assert new == old.replace(r"\"relu\"", r"\"softmax\"")
    assert fixed.count(b"\r\n") == data.count(b"\r\n")


def test_added_and_removed_lines_keep_the_source_list_layout() -> None:
    data = notebook(code(IMPORTS), code(MODEL + COMPILE)).encode()
    nb, view = view_of(data)
    edited = view.text.replace("    keras.Input(shape=(20,)),\n", "").replace(
        "])\n", "    layers.Dense(3),\n])\n"
    )
    fixed = nb.write_back(view, edited).decode()
    assert fixed == data.decode().replace('    "    keras.Input(shape=(20,)),\\n",\n', "").replace(
        '    "])\\n",\n', '    "    layers.Dense(3),\\n",\n    "])\\n",\n'
    )


def test_one_line_cell_gets_jupyter_list_layout_when_it_grows() -> None:
    data = notebook(code(IMPORTS), code("model = keras.Sequential()")).encode()
    nb, view = view_of(data)
    fixed = nb.write_back(
        view,
        view.text.replace(
            "model = keras.Sequential()", "model = keras.Sequential()\nmodel.add(layers.Dense(3))"
        ),
    )
    assert (
        b'   "source": [\n    "model = keras.Sequential()\\n",\n'
        b'    "model.add(layers.Dense(3))"\n   ]' in fixed
    )


def test_magics_and_indentation_of_an_edited_cell_come_back_as_written() -> None:
    cell = (
        "%%time\n  %matplotlib inline\n  !pip install keras\n  "
        + "\n  ".join((IMPORTS + MODEL + COMPILE).splitlines())
        + "\n"
    )
    data = notebook(code(cell)).encode()
    nb, view = view_of(data)
    assert "pass  # %%time\npass  # %matplotlib inline\n" in view.text
    edited = view.text.replace('activation="relu"', 'activation="softmax"').replace(
        "pass  # !pip install keras\n", "pass  # !pip install keras\nimport numpy as np\n"
    )
    after = json.loads(nb.write_back(view, edited))
    assert "".join(after["cells"][0]["source"]) == cell.replace(
        'activation="relu"', 'activation="softmax"'
    ).replace("  !pip install keras\n", "  !pip install keras\n  import numpy as np\n")


def test_cells_without_final_newline_keep_none() -> None:
    data = notebook(code("import keras\nx = 1"), code("y = 2\n")).encode()
    nb, view = view_of(data)
    after = json.loads(
        nb.write_back(view, view.text.replace("x = 1", "x = 3").replace("y = 2", "y = 4"))
    )
    assert [c["source"] for c in after["cells"]] == [["import keras\n", "x = 3"], ["y = 4\n"]]


def test_non_ascii_in_other_cells_is_untouched() -> None:
    data = notebook(code("# données d’entraînement\nimport keras\n"), code("x = 1\n")).encode()
    nb, view = view_of(data)
    fixed = nb.write_back(view, view.text.replace("x = 1", "x = 2"))
    assert changed_lines(data, fixed) == [('    "x = 1\\n"', '    "x = 2\\n"')]


def test_broken_and_skipped_cells_are_never_rewritten() -> None:
    data = notebook(code("def broken(:\n"), code("%%bash\necho hi\n"), code("x = 1\n")).encode()
    nb, view = view_of(data)
    assert [c.cell for c in view.chunks] == [3]
    fixed = nb.write_back(view, view.text.replace("x = 1", "x = 2"))
    assert changed_lines(data, fixed) == [('    "x = 1\\n"', '    "x = 2\\n"')]


def test_edited_text_that_lost_its_cell_markers_is_refused() -> None:
    nb, view = view_of(notebook(code("x = 1\n"), code("y = 2\n")).encode())
    with pytest.raises(NotebookError) as error:
        nb.write_back(view, "x = 1\ny = 2\n")
    assert str(error.value) == (
        "nb.ipynb: the edited Python text no longer matches the "
        "notebook's cells (a cell marker line was changed)"
    )


def test_diff_shows_each_changed_cell_as_ruff_does() -> None:
    nb, view = view_of(notebook(code(IMPORTS), code(MODEL), code(COMPILE)).encode())
    edited = view.text.replace('"relu"', '"softmax"').replace("categorical_crossentropy", "mse")
    assert nb.diff(view, edited) == textwrap.dedent("""\
        --- nb.ipynb:cell 2
        +++ nb.ipynb:cell 2
        @@ -1,4 +1,4 @@
         model = keras.Sequential([
             keras.Input(shape=(20,)),
        -    layers.Dense(10, activation="relu"),
        +    layers.Dense(10, activation="softmax"),
         ])
        --- nb.ipynb:cell 3
        +++ nb.ipynb:cell 3
        @@ -1 +1 @@
        -model.compile(optimizer="adam", loss="categorical_crossentropy")
        +model.compile(optimizer="adam", loss="mse")
        """)


# ---------------------------------------------------------------- SARIF regions


def test_file_span_marks_the_characters_in_the_notebook_file() -> None:
    text = notebook(
        code(IMPORTS),
        code(MODEL),
        code(COMPILE.replace('"adam"', '"adam" or "\u00e9"') + "\n", as_string=True),
    )
    [diagnostic] = lint(text)
    region = diagnostic.file_span
    line = text.split("\n")[region.line - 1]
    assert (
        line[region.column - 1 : region.end_column - 1] == 'layers.Dense(10, activation=\\"relu\\")'
    )
    # The loss the note names, in a cell stored as one string after a non-ASCII character.
    [related] = diagnostic.related_file_spans
    line = text.split("\n")[related.line - 1]
    assert line[related.column - 1 : related.end_column - 1] == '\\"categorical_crossentropy\\"'


# ---------------------------------------------------------------- a course notebook

COURSE = Path(__file__).parent / "notebooks" / "course.ipynb"


def test_course_notebook_is_reported_cell_by_cell() -> None:
    result = run("check", COURSE.name, "--output-format", "json", cwd=COURSE.parent)
    assert result.returncode == 1
    assert [
        (d["cell"], d["location"]["row"], d["location"]["column"], d["code"])
        for d in json.loads(result.stdout)
    ] == [
        (6, 4, 5, "KC101"),  # relu output
        (8, 4, 38, "KC301"),  # validation on the test set, in a %%time cell
        (12, 7, 40, "KC102"),  # softmax with binary cross-entropy
    ]


def test_course_notebook_fixed_in_place_disturbs_nothing_else(tmp_path: Path) -> None:
    data = COURSE.read_bytes()
    nb, view = view_of(data)
    # What the fix engine will do: edit the Python text, hand it back.
    fixed_text = (
        view.text.replace(
            'layers.Dense(10, activation="relu")', 'layers.Dense(10, activation="softmax")'
        )
        .replace("validation_data=(x_test, y_test))", "validation_split=0.2)")
        .replace('loss="binary_crossentropy"', 'loss="sparse_categorical_crossentropy"')
    )
    fixed = nb.write_back(view, fixed_text)
    assert changed_lines(data, fixed) == [
        (
            '    "    layers.Dense(10, activation=\\"relu\\"),\\n",',
            '    "    layers.Dense(10, activation=\\"softmax\\"),\\n",',
        ),
        (
            '    "                    validation_data=(x_test, y_test))"',
            '    "                    validation_split=0.2)"',
        ),
        (
            '    "reviews.compile(optimizer=\\"adam\\", loss=\\"binary_crossentropy\\", '
            'metrics=[\\"accuracy\\"])\\n",',
            '    "reviews.compile(optimizer=\\"adam\\", loss=\\"sparse_categorical_crossentropy\\", '
            'metrics=[\\"accuracy\\"])\\n",',
        ),
    ]
    (tmp_path / "course.ipynb").write_bytes(fixed)
    result = run("check", "course.ipynb", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


# ---------------------------------------------------------------- any notebook

LINES = [
    "import keras",
    "x = 1",
    "%matplotlib inline",
    "!pip install x",
    "files = !ls",
    "model.fit?",
    "if x:",
    "    y = 2",
    "    !echo hi",
    "s = '''",
    "%d text",
    "'''",
    "z = (1,",
    "  3)",
    "",
    "   ",
    "# what?",
    "%%time",
    "%%bash",
    "\u00a0x = 1",
    "def f(:",
    "print('é \\' \"')",
    "t = 1 + \\",
    "  2",
    "w = [  # [",
    "]",
]
cells = st.lists(st.sampled_from(LINES), max_size=8).map("\n".join)
cell_lists = st.lists(
    st.tuples(st.sampled_from(["", "  ", "\t"]), cells, st.booleans(), st.booleans()), max_size=5
)


@settings(max_examples=150, deadline=None)
@given(cell_lists, st.data())
def test_any_notebook_maps_back_and_writes_back(specs, data) -> None:
    text = notebook(
        *(
            code(textwrap.indent(source, indent) + ("\n" if newline else ""), as_string=as_string)
            for indent, source, newline, as_string in specs
        )
    )
    nb, view = view_of(text.encode())
    assert nb.write_back(view, view.text) == text.encode()
    for chunk in view.chunks + view.broken:
        for raw, line, shift in zip(chunk.raw, chunk.lines, chunk.shift):
            if "pass  # " not in line and "get_ipython()  # " not in line:
                assert raw[shift:] == line
    editable = [
        (chunk, i)
        for chunk in view.chunks
        for i, line in enumerate(chunk.lines)
        if line.strip()
        and chunk.shift[i] == len(chunk.indent)
        and chunk.raw[i][chunk.shift[i] :] == line
    ]  # not a masked magic
    if not editable:
        return
    chunk, i = data.draw(st.sampled_from(editable))
    lines = view.text.split("\n")
    lines[chunk.start - 1 + i] += " # edited"
    after = json.loads(nb.write_back(view, "\n".join(lines)))
    source = after["cells"][chunk.cell - 1]["source"]
    raw = list(chunk.raw)
    raw[i] += " # edited"
    assert "".join(source) == "\n".join(raw) + ("\n" if chunk.trailing_newline else "")


def test_cell_span_maps_a_span_of_the_python_text_into_its_cell() -> None:
    _, view = view_of(
        notebook(code(IMPORTS), markdown("x"), code("    y = 1\n    z = 2\n")).encode()
    )
    assert view.text.split("\n")[5] == "z = 2"
    assert view.cell_span(Span(6, 1, 6, 6)) == (3, Span(2, 5, 2, 10))


def test_show_names_cells_in_a_notebook() -> None:
    course = Path(__file__).parent / "notebooks" / "course.ipynb"
    result = run("show", str(course))
    assert result.returncode == 0
    assert result.stdout.splitlines()[2:8] == [
        "cell 6:1: `model` (Sequential)",
        "      line  layer  units  activation  output shape   params",
        "  cell 6:2  Input                     (None, 784)         0",
        "  cell 6:3  Dense  128    relu        (None, 128)   100,480",
        "  cell 6:4  Dense  10     relu        (None, 10)      1,290",
        "  total: 101,770 parameters (static shape inference)",
    ]
