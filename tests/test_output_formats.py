"""SARIF, GitHub annotations, --statistics, --color and stdin, as a user or a
CI system sees them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import NO_INPUT_SHAPE, RELU_OUTPUT, run

from kerascheck.report import github, sarif
from kerascheck.results import Located
from kerascheck.source.span import Span

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())

KC101_MESSAGE = (
    "Output activation `relu` with `categorical_crossentropy`: the loss expects "
    "probabilities, `relu` gives unbounded values and no gradient below 0"
)
KC101_HELP = (
    "use `activation='softmax'` on the output layer (or no activation and "
    "`from_logits=True` in the loss)"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(RELU_OUTPUT)
    (tmp_path / "src" / "my model.py").write_text(NO_INPUT_SHAPE)
    (tmp_path / "clean.py").write_text("import keras\n")
    return tmp_path


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_is_valid_and_points_at_the_code(project: Path) -> None:
    result = run("check", "--output-format", "sarif", cwd=project)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    validate(log)
    [the_run] = log["runs"]
    driver = the_run["tool"]["driver"]
    assert driver["name"] == "kerascheck"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted(rule_ids) and {"KC001", "KC101", "KC201"} <= set(rule_ids)
    assert the_run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}
    assert the_run["invocations"] == [{"executionSuccessful": True}]
    kc101, kc201 = the_run["results"]
    assert kc101 == {
        "ruleId": "KC101",
        "ruleIndex": rule_ids.index("KC101"),
        "level": "error",
        "message": {"text": f"{KC101_MESSAGE}\nhelp: {KC101_HELP}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "src/model.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 6, "startColumn": 5, "endLine": 6, "endColumn": 40},
                }
            }
        ],
        "relatedLocations": [
            {
                "id": 1,
                "message": {"text": 'loss `"categorical_crossentropy"`'},
                "physicalLocation": {
                    "artifactLocation": {"uri": "src/model.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 8, "startColumn": 38, "endLine": 8, "endColumn": 64},
                },
            }
        ],
    }
    assert kc201["ruleId"] == "KC201"
    # A URI, so the space is escaped.
    assert (
        kc201["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/my%20model.py"
    )


def test_sarif_clean_run_and_unreadable_file_are_valid(project: Path) -> None:
    clean = run("check", "clean.py", "--output-format", "sarif", cwd=project)
    assert clean.returncode == 0
    validate(json.loads(clean.stdout))
    assert json.loads(clean.stdout)["runs"][0]["results"] == []

    (project / "latin.py").write_bytes(b"x = '\xe9'\n")
    broken = run("check", "latin.py", "clean.py", "--output-format", "sarif", cwd=project)
    assert broken.returncode == 2
    log = json.loads(broken.stdout)
    validate(log)
    assert log["runs"][0]["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {
                        "text": "latin.py: line 1 is not valid utf-8; declare the encoding with a "
                        "`# -*- coding: ... -*-` line"
                    },
                }
            ],
        }
    ]


def test_sarif_for_a_notebook_cell() -> None:
    diagnostic = Located(
        "KC101",
        "Output activation `relu`",
        "nb.ipynb",
        Span(2, 5, 2, 40),
        help="use softmax",
        cell=3,
    )
    log = sarif.to_sarif([diagnostic], [])
    validate(log)
    [result] = log["runs"][0]["results"]
    assert result["message"] == {
        "text": "cell 3, line 2, column 5: Output activation `relu`\nhelp: use softmax"
    }
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert result["properties"] == {
        "cell": 3,
        "cellRegion": {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 40},
    }


def test_github_annotations(project: Path) -> None:
    result = run("check", "--output-format", "github", "src/model.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=src/model.py,line=6,col=5,endLine=6,endColumn=40,title=KC101::"
        f"{KC101_MESSAGE}%0Ahelp: {KC101_HELP}\n"
    )


def test_github_escapes_and_notebook_cells() -> None:
    odd = Located("KC107", "100% wrong,\nreally", "a,b:c.py", Span(1, 1, 1, 2))
    cell = Located("KC101", "relu", "nb.ipynb", Span(2, 5, 2, 9), cell=3)
    assert github.render([odd, cell], [], 2) == (
        "::error file=a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=2,title=KC107::"
        "100%25 wrong,%0Areally\n"
        "::error file=nb.ipynb,title=KC101::cell 3, line 2, column 5: relu\n"
    )


def test_statistics(project: Path) -> None:
    (project / "src" / "again.py").write_text(RELU_OUTPUT)
    text = run("check", "--statistics", cwd=project)
    assert text.returncode == 1
    assert text.stdout == "2\tKC101\trelu-output\n1\tKC201\tmissing-input-shape\n"
    as_json = run("check", "--statistics", "--output-format", "json", cwd=project)
    assert json.loads(as_json.stdout) == [
        {"code": "KC101", "name": "relu-output", "count": 2},
        {"code": "KC201", "name": "missing-input-shape", "count": 1},
    ]
    clean = run("check", "--statistics", "clean.py", cwd=project)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_color(project: Path) -> None:
    always = run("check", "src/model.py", "--color", "always", cwd=project)
    assert always.stdout.startswith(
        "\x1b[1msrc/model.py\x1b[0m:6:5: \x1b[31m\x1b[1mKC101\x1b[0m Output activation"
    )
    # Not a terminal: plain text, and --color never is plain everywhere.
    for args in ((), ("--color", "never")):
        plain = run("check", "src/model.py", *args, cwd=project)
        assert "\x1b[" not in plain.stdout
        assert plain.stdout.startswith(f"src/model.py:6:5: KC101 {KC101_MESSAGE}\n")


def test_stdin_with_and_without_a_filename(project: Path) -> None:
    named = run("check", "-", "--stdin-filename", "src/train.py", cwd=project, stdin=RELU_OUTPUT)
    assert named.returncode == 1
    assert named.stdout.startswith(f"src/train.py:6:5: KC101 {KC101_MESSAGE}\n")
    anonymous = run("check", "-", "--output-format", "json", cwd=project, stdin=RELU_OUTPUT)
    [diagnostic] = json.loads(anonymous.stdout)
    assert (diagnostic["filename"], diagnostic["code"]) == ("-", "KC101")
    clean = run("check", "-", cwd=project, stdin="import keras\n")
    assert (clean.returncode, clean.stdout) == (0, "All checks passed!\n")


def test_stdin_follows_the_config_of_its_filename(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        textwrap.dedent("""\
        [tool.kerascheck]
        extend-exclude = ["generated"]
        [tool.kerascheck.per-file-ignores]
        "tests/*" = ["KC101"]
    """)
    )
    ignored = run(
        "check", "-", "--stdin-filename", "tests/test_model.py", cwd=project, stdin=RELU_OUTPUT
    )
    assert ignored.returncode == 0
    excluded = run(
        "check",
        "-",
        "--stdin-filename",
        "generated/model.py",
        "--force-exclude",
        cwd=project,
        stdin=RELU_OUTPUT,
    )
    assert (excluded.returncode, excluded.stdout) == (0, "All checks passed!\n")


def test_stdin_encoding_error_is_one_line(project: Path) -> None:
    result = run("check", "-", "--stdin-filename", "x.py", cwd=project, stdin=b"x = '\xe9'\n")
    assert result.returncode == 2
    assert result.stderr == (
        b"kerascheck: error: x.py: line 1 is not valid utf-8; declare "
        b"the encoding with a `# -*- coding: ... -*-` line\n"
    )


def test_sarif_region_marks_the_code_inside_the_notebook_file() -> None:
    course = Path(__file__).parent / "notebooks" / "course.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "kerascheck", "check", str(course), "--output-format", "sarif"],
        capture_output=True,
        text=True,
    )
    log = json.loads(result.stdout)
    validate(log)
    lines = course.read_text(encoding="utf-8").split("\n")
    marked = {}
    for found in log["runs"][0]["results"]:
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == region["endLine"]
        line = lines[region["startLine"] - 1]
        marked[found["ruleId"]] = line[region["startColumn"] - 1 : region["endColumn"] - 1]
        assert found["properties"]["cell"] >= 1
    assert marked["KC101"].startswith("layers.Dense(")
    assert marked["KC301"] == "x_test, y_test"
