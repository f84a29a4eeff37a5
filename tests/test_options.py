"""The options ruff and flake8 users reach for, and the small things a new
user trips over, through the real CLI."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import RELU_OUTPUT, run

from kerascheck.checks import RULES

LR = "import keras\nopt = keras.optimizers.Adam(lr=0.1)\n"
LR_FIXED = "import keras\nopt = keras.optimizers.Adam(learning_rate=0.1)\n"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(RELU_OUTPUT)
    (tmp_path / "lr.py").write_text(LR)
    return tmp_path


def test_exit_zero_reports_but_exits_zero(project: Path) -> None:
    result = run("check", "model.py", "--exit-zero", cwd=project)
    assert result.returncode == 0
    assert "KC101" in result.stdout


def test_exit_non_zero_on_fix(project: Path) -> None:
    plain = run("check", "--fix", "lr.py", cwd=project)
    assert plain.returncode == 0
    (project / "lr.py").write_text(LR)
    strict = run("check", "--fix", "--exit-non-zero-on-fix", "lr.py", cwd=project)
    assert strict.returncode == 1
    assert (project / "lr.py").read_text() == LR_FIXED


def test_quiet_prints_the_diagnostics_only(project: Path) -> None:
    result = run("check", "-q", "--output-format", "concise", "model.py", "lr.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "lr.py:2:29: KC401 [*] `Adam(lr=0.1)`: Keras 3 removed `lr` and raises "
        "\"Argument(s) not recognized: {'lr': 0.1}\"\n"
        "model.py:6:5: KC101 Output activation `relu` with `categorical_crossentropy`: the loss "
        "expects probabilities, `relu` gives unbounded values and no gradient below 0\n"
    )
    clean = run("check", "-q", "lr.py", "--ignore", "KC401", cwd=project)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_output_file_receives_the_report(project: Path) -> None:
    result = run(
        "check", "model.py", "-o", "out/report.json", "--output-format", "json", cwd=project
    )
    assert (result.returncode, result.stdout) == (1, "")
    report = json.loads((project / "out" / "report.json").read_text())
    assert [d["code"] for d in report] == ["KC101"]


def test_concise_format_is_one_line_per_diagnostic(project: Path) -> None:
    result = run("check", "--output-format", "concise", "lr.py", cwd=project)
    assert result.stdout == (
        "lr.py:2:29: KC401 [*] `Adam(lr=0.1)`: Keras 3 removed `lr` and raises "
        "\"Argument(s) not recognized: {'lr': 0.1}\"\n"
        "Found 1 problem in 1 checked file.\n"
        "[*] 1 fixable with the `--fix` option.\n"
    )


def test_fix_only_fixes_and_reports_nothing_else(project: Path) -> None:
    result = run("check", "--fix-only", ".", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Fixed 1 problem.\n")
    assert (project / "lr.py").read_text() == LR_FIXED


def test_unfixable_keeps_a_rule_from_being_fixed(project: Path) -> None:
    result = run("check", "--fix", "--unfixable", "KC401", "lr.py", cwd=project)
    assert result.returncode == 1
    assert (project / "lr.py").read_text() == LR
    assert "[*]" not in result.stdout


def test_fix_and_unfixable_from_the_config(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.kerascheck]\nfix = true\n")
    result = run("check", "lr.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\nFixed 1 problem.\n")
    assert (project / "lr.py").read_text() == LR_FIXED
    (project / "lr.py").write_text(LR)
    (project / "pyproject.toml").write_text(
        '[tool.kerascheck]\nfix = true\nunfixable = ["optimizer-lr"]\n'
    )
    assert run("check", "lr.py", cwd=project).returncode == 1
    assert (project / "lr.py").read_text() == LR


def test_unsafe_fixes_from_the_config(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.kerascheck]\nunsafe-fixes = true\n")
    result = run("check", "--diff", "model.py", cwd=project)
    assert result.returncode == 1
    assert '+    layers.Dense(10, activation="softmax"),' in result.stdout


def test_extend_exclude_on_the_command_line_and_anchored(tmp_path: Path) -> None:
    for folder in ("build_old", "src/build_old"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "m.py").write_text(RELU_OUTPUT)
    anywhere = run("check", "--show-files", "--extend-exclude", "build_old", cwd=tmp_path)
    assert anywhere.stdout == ""
    anchored = run("check", "--show-files", "--extend-exclude", "/build_old", cwd=tmp_path)
    assert anchored.stdout == "./src/build_old/m.py\n"
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nextend-exclude = ["/build_old"]\n')
    config = run("check", "--show-files", cwd=tmp_path)
    assert config.stdout == "./src/build_old/m.py\n"


def test_empty_directory_warns_that_no_files_were_found(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", "empty", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == "kerascheck: warning: no Python files found under the given paths\n"


def test_select_suggests_the_rule_meant() -> None:
    result = run("check", "--select", "relu_output", "-")
    assert result.returncode == 2
    assert result.stderr == (
        "kerascheck: error: unknown rule selector 'relu_output' "
        "(did you mean 'relu-output' (KC101)?)\n"
    )


def test_caret_lines_up_under_wide_characters(tmp_path: Path) -> None:
    """A CJK character takes two columns of a terminal: the caret counts so."""
    source = RELU_OUTPUT.replace(
        '    keras.Input(shape=(20,)),\n    layers.Dense(10, activation="relu"),',
        '    keras.Input(shape=(20,), name="入力"), layers.Dense(10, name="出力", activation="relu"),',
    )
    (tmp_path / "wide.py").write_text(source)
    result = run("check", "wide.py", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[2] == (
        '5 |     keras.Input(shape=(20,), name="入力"), '
        'layers.Dense(10, name="出力", activation="relu"),'
    )
    # 41 characters before the layer, two of them wide: 43 columns; the
    # layer's 46 characters, two wide: 48 carets.
    assert lines[3] == "  | " + " " * 43 + "^" * 48


def test_help_shows_examples_exit_codes_config_and_environment() -> None:
    text = run("check", "--help").stdout
    for expected in (
        "Examples:",
        "kerascheck check --fix .",
        "Exit codes:",
        "  2  a file could not be linted",
        "[tool.kerascheck] in the nearest pyproject.toml",
        "KERASCHECK_CACHE_DIR",
        "KERASCHECK_PARAMETER_BUDGET",
        "--exit-non-zero-on-fix",
        "--add-noqa",
    ):
        assert expected in text


def test_terminal_footer_points_at_explain(project: Path) -> None:
    """At a terminal (a person reading), the footer says how to learn more."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kerascheck", "check", "model.py", "--color", "never"],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = output.decode().replace("\r\n", "\n")
    assert text.endswith(
        "Run `kerascheck explain KC101` to learn what a rule finds and how to fix it.\n"
    )
    piped = run("check", "model.py", cwd=project)
    assert "kerascheck explain" not in piped.stdout


def test_add_noqa_silences_every_reported_line(tmp_path: Path) -> None:
    source = (
        RELU_OUTPUT
        + LR.replace("import keras\n", "")
        + textwrap.dedent('''\
        doc = """a string
        """; model.fit_generator(x)  # noqa: E501
    ''')
    )
    (tmp_path / "m.py").write_text(source)
    before = run("check", "m.py", "--output-format", "json", cwd=tmp_path)
    assert sorted(d["code"] for d in json.loads(before.stdout)) == ["KC101", "KC401", "KC403"]
    result = run("check", "--add-noqa", "m.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "Added 3 noqa directives.\n")
    text = (tmp_path / "m.py").read_text()
    assert '    layers.Dense(10, activation="relu"),  # noqa: KC101\n' in text
    assert "opt = keras.optimizers.Adam(lr=0.1)  # noqa: KC401\n" in text
    assert '"""; model.fit_generator(x)  # noqa: E501, KC403\n' in text
    after = run("check", "m.py", cwd=tmp_path)
    assert (after.returncode, after.stdout) == (0, "All checks passed!\n")
    again = run("check", "--add-noqa", "m.py", cwd=tmp_path)
    assert again.stdout == "Added 0 noqa directives.\n"


def test_add_noqa_leaves_a_line_inside_a_string_alone(tmp_path: Path) -> None:
    source = textwrap.dedent('''\
        import keras
        opt = keras.optimizers.Adam(lr=0.1, name="""x
        """)
    ''')
    (tmp_path / "m.py").write_text(source)
    result = run("check", "--add-noqa", "m.py", cwd=tmp_path)
    assert result.stdout == "Added 1 noqa directive.\n"
    fixed = (tmp_path / "m.py").read_text()
    compile(fixed, "m.py", "exec")
    assert '"""x\n""")  # noqa: KC401\n' in fixed  # on the statement's last line
    assert run("check", "m.py", cwd=tmp_path).returncode == 0


def test_readme_rule_table_equals_kerascheck_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (KC\d{3}) \| ([a-z0-9-]+) \|", readme, re.M)
    listed = json.loads(run("rules", "--output-format", "json").stdout)
    assert rows == [(rule["code"], rule["name"]) for rule in listed]
    assert [code for code, _ in rows] == sorted(RULES)


def test_readme_documents_every_check_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = run("check", "--help").stdout
    options = set(re.findall(r"^  (?:-\w, )?(--[a-z-]+)", text, re.M)) - {"--help"}
    missing = sorted(o for o in options if f"`{o}" not in readme)
    assert missing == []


@pytest.mark.parametrize("value", ["lots", "-5", "1e9x"])
def test_a_bad_parameter_budget_is_an_error(project: Path, value: str) -> None:
    env = {**os.environ, "KERASCHECK_PARAMETER_BUDGET": value}
    result = run("check", "--runtime", "model.py", cwd=project, env=env)
    assert result.returncode == 2
    assert result.stderr == (
        f"kerascheck: error: KERASCHECK_PARAMETER_BUDGET={value!r}: expected a positive number\n"
    )


def _help_of(result, code: str) -> str:
    [found] = [d for d in json.loads(result.stdout) if d["code"] == code]
    return found["fix"]["message"]


def test_one_unit_relu_with_a_categorical_loss_does_not_suggest_softmax(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(RELU_OUTPUT.replace("Dense(10,", "Dense(1,"))
    result = run("check", "m.py", "--output-format", "json", cwd=tmp_path)
    assert _help_of(result, "KC101") == (
        "a categorical loss needs one output unit per class: "
        "`Dense(n_classes, activation='softmax')`; for a yes/no target, "
        "`activation='sigmoid'` with `loss='binary_crossentropy'`"
    )


def test_predict_proba_help_gives_its_own_reason(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(RELU_OUTPUT + "p = model.predict_proba(x)\n")
    result = run("check", "m.py", "--output-format", "json", cwd=tmp_path)
    assert _help_of(result, "KC403") == (
        "use `model.predict()`: it returns the model's output, the probabilities "
        "when the output layer is a softmax or a sigmoid"
    )


def test_unused_noqa_is_reported_and_fixed_through_the_cli(tmp_path: Path) -> None:
    source = (
        RELU_OUTPUT.replace(
            'layers.Dense(10, activation="relu"),',
            'layers.Dense(10, activation="relu"),  # noqa: KC101',
        )
        + "x = 1  # noqa: E501, KC401\n"
    )
    (tmp_path / "m.py").write_text(source)
    assert run("check", "m.py", cwd=tmp_path).returncode == 0  # off by default
    result = run(
        "check", "m.py", "--extend-select", "KC801", "--output-format", "concise", cwd=tmp_path
    )
    assert result.stdout.startswith(
        "m.py:9:8: KC801 [*] Unused `noqa` directive: `KC401` reports nothing on this line\n"
    )
    fixed = run("check", "m.py", "--extend-select", "KC801", "--fix", cwd=tmp_path)
    assert fixed.returncode == 0
    assert (tmp_path / "m.py").read_text() == source.replace("# noqa: E501, KC401", "# noqa: E501")


def test_an_output_file_that_cannot_be_written_is_an_error(project: Path) -> None:
    (project / "taken").write_text("a file, not a directory\n")
    result = run("check", "model.py", "-o", "taken/report.txt", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("kerascheck: error: taken/report.txt: cannot write the report")
