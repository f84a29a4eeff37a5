"""The real CLI, run as a user runs it: a subprocess on real files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import RELU_OUTPUT, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(RELU_OUTPUT)
    (tmp_path / "clean.py").write_text("import keras\nprint(keras.__version__)\n")
    return tmp_path


def test_text_output_shows_line_caret_and_help(project: Path) -> None:
    result = run("check", "model.py", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == textwrap.dedent("""\
        model.py:6:5: KC101 Output activation `relu` with `categorical_crossentropy`: the loss expects probabilities, `relu` gives unbounded values and no gradient below 0
          |
        6 |     layers.Dense(10, activation="relu"),
          |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = note: line 8: loss `"categorical_crossentropy"`
          = help: use `activation='softmax'` on the output layer (or no activation and `from_logits=True` in the loss)

        Found 1 problem in 1 checked file.
        No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).
        """)


def test_clean_file_exits_zero(project: Path) -> None:
    result = run("check", "clean.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_json_output_is_ruff_shaped(project: Path) -> None:
    result = run("check", ".", "--output-format", "json", cwd=project)
    assert result.returncode == 1
    [diagnostic] = json.loads(result.stdout)
    assert diagnostic == {
        "cell": None,
        "code": "KC101",
        "end_location": {"column": 40, "row": 6},
        "filename": str(project / "model.py"),
        "fix": {
            "applicability": "unsafe",
            "edits": [
                {
                    "content": '"softmax"',
                    "end_location": {"column": 39, "row": 6},
                    "location": {"column": 33, "row": 6},
                }
            ],
            "message": "use `activation='softmax'` on the output layer "
            "(or no activation and `from_logits=True` in the loss)",
        },
        "location": {"column": 5, "row": 6},
        "message": "Output activation `relu` with `categorical_crossentropy`: the loss "
        "expects probabilities, `relu` gives unbounded values and no gradient below 0",
        "noqa_row": 6,
        "url": "https://github.com/kerascheck/kerascheck/blob/main/rules/KC101.md",
    }


def test_syntax_error_is_kc001_and_other_files_are_still_linted(project: Path) -> None:
    (project / "broken.py").write_text("import keras\nmodel = keras.Sequential([\n")
    result = run("check", ".", "--output-format", "json", cwd=project)
    assert result.returncode == 1
    found = [
        (Path(d["filename"]).name, d["code"], d["location"]["row"], d["message"])
        for d in json.loads(result.stdout)
    ]
    assert found == [
        ("broken.py", "KC001", 2, "Syntax error: '[' was never closed"),
        ("model.py", "KC101", 6, found[1][3]),
    ]


def test_missing_path_is_one_line_and_exit_2(project: Path) -> None:
    result = run("check", "model.py", "nope.py", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "kerascheck: error: nope.py: no such file or directory\n"
    assert "KC101" in result.stdout  # the existing file is still linted


def test_bad_encoding_is_one_line_and_exit_2(project: Path) -> None:
    (project / "latin.py").write_bytes(b"x = '\xe9'\n")
    result = run("check", "latin.py", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "kerascheck: error: latin.py: line 1 is not valid utf-8; declare the "
        "encoding with a `# -*- coding: ... -*-` line\n"
    )


def test_select_and_ignore(project: Path) -> None:
    assert run("check", "model.py", "--ignore", "KC101", cwd=project).returncode == 0
    assert run("check", "model.py", "--select", "KC2", cwd=project).returncode == 0
    assert run("check", "model.py", "--select", "relu-output", cwd=project).returncode == 1
    bad = run("check", "model.py", "--select", "KC9", cwd=project)
    assert bad.returncode == 2
    assert bad.stderr.startswith("kerascheck: error: unknown rule selector 'KC9'")


def test_version_and_module_entry_point() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("kerascheck, version ")


def test_static_path_never_imports_tensorflow_or_keras() -> None:
    code = (
        "import sys, kerascheck.cli, kerascheck.run.engine;"
        "print(sorted(m for m in ('tensorflow', 'keras', 'tf_keras') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


def test_bundled_examples_report_their_mistakes() -> None:
    examples = Path(__file__).parent.parent / "examples"
    result = run("check", str(examples), "--output-format", "json")
    assert result.returncode == 1
    found = sorted(
        (Path(d["filename"]).name, d["location"]["row"], d["code"])
        for d in json.loads(result.stdout)
    )
    assert found == [
        ("churn_functional.py", 12, "KC105"),
        ("churn_functional.py", 19, "KC103"),
        ("legacy_keras2.py", 4, "KC405"),
        ("legacy_keras2.py", 12, "KC202"),
        ("legacy_keras2.py", 14, "KC203"),
        ("legacy_keras2.py", 15, "KC407"),
        ("legacy_keras2.py", 17, "KC401"),
        ("legacy_keras2.py", 18, "KC407"),
        ("mnist_classifier.py", 15, "KC201"),
        ("mnist_classifier.py", 17, "KC101"),
        ("mnist_classifier.py", 20, "KC301"),
        ("review_sentiment.py", 14, "KC102"),
    ]


def test_fix_rewrites_the_bundled_examples_as_the_rule_pages_promise(tmp_path: Path) -> None:
    examples = Path(__file__).parent.parent / "examples"
    for source in examples.glob("*.py"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    result = run("check", "--fix", ".", cwd=tmp_path)
    assert result.returncode == 1  # the model mistakes have no mechanical fix
    assert "Fixed 6 problems.\n" in result.stdout
    for source in examples.glob("*.py"):
        if source.name != "legacy_keras2.py":
            assert (tmp_path / source.name).read_bytes() == source.read_bytes()
    legacy = (examples / "legacy_keras2.py").read_text()
    for before, after in [
        ("from keras.layers.core import", "from keras.layers import"),  # KC405
        ("input_shape=(10),", "input_shape=(10,),"),  # KC202
        (", input_shape=(32,)))", "))"),  # KC203
        ('init="glorot_uniform"', 'kernel_initializer="glorot_uniform"'),  # KC407
        ("Adam(lr=0.001)", "Adam(learning_rate=0.001)"),  # KC401
        ("nb_epoch=5", "epochs=5"),  # KC407
    ]:
        assert legacy.count(before) == 1
        legacy = legacy.replace(before, after)
    assert (tmp_path / "legacy_keras2.py").read_text() == legacy
    again = run("check", "--diff", ".", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")
