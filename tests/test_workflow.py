"""The workflow a new user (or an editor, or pre-commit) goes through, run
through the real CLI: configs in a monorepo, stdin, the cache and `clean`,
and the options ruff and flake8 users reach for."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from cli_helpers import RELU_OUTPUT, run

LR = "import keras\nopt = keras.optimizers.Adam(lr=0.1)\n"
LR_FIXED = "import keras\nopt = keras.optimizers.Adam(learning_rate=0.1)\n"
# KC106 (a warning) and KC101 (an error) in one file.
ACCURACY_ON_MSE = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
""")


def _codes(result) -> list[tuple[str, str]]:
    return sorted((Path(d["filename"]).name, d["code"]) for d in json.loads(result.stdout))


# -- configuration: the nearest one, per file ---------------------------------------


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    for name, ignored in (("a", "KC4"), ("b", "KC1")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(
            f'[tool.kerascheck]\nignore = ["{ignored}"]\n'
        )
        (tmp_path / name / "x.py").write_text(RELU_OUTPUT + LR)
    return tmp_path


def test_each_file_honours_its_own_nearest_config(monorepo: Path) -> None:
    one = run("check", "a/x.py", "--output-format", "json", cwd=monorepo)
    both = run("check", "a/x.py", "b/x.py", "--output-format", "json", cwd=monorepo)
    tree = run("check", ".", "--output-format", "json", cwd=monorepo)
    assert _codes(one) == [("x.py", "KC101")]
    expected = [("x.py", "KC101"), ("x.py", "KC401")]
    assert _codes(both) == _codes(tree) == expected
    by_dir = {Path(d["filename"]).parent.name: d["code"] for d in json.loads(both.stdout)}
    assert by_dir == {"a": "KC101", "b": "KC401"}


def test_config_option_applies_one_file_to_every_path(monorepo: Path) -> None:
    (monorepo / "strict.toml").write_text('select = ["KC401"]\n')
    result = run("check", ".", "--config", "strict.toml", "--output-format", "json", cwd=monorepo)
    assert _codes(result) == [("x.py", "KC401"), ("x.py", "KC401")]
    missing = run("check", ".", "--config", "nowhere.toml", cwd=monorepo)
    assert missing.returncode == 2
    assert missing.stderr == "kerascheck: error: --config nowhere.toml: no such file\n"


def test_show_settings_names_the_config_and_the_rules_of_a_file(monorepo: Path) -> None:
    result = run("check", "--show-settings", "b/x.py", cwd=monorepo)
    assert result.returncode == 0
    assert f"  config file: {monorepo / 'b' / 'pyproject.toml'}\n" in result.stdout
    assert "  ignore: KC1\n" in result.stdout
    assert "    KC401 optimizer-lr\n" in result.stdout
    assert "KC101" not in result.stdout


def test_show_files_lists_what_would_be_linted(monorepo: Path) -> None:
    (monorepo / "a" / "notes.txt").write_text("not python\n")
    result = run("check", "--show-files", ".", cwd=monorepo)
    assert (result.returncode, result.stdout) == (0, "./a/x.py\n./b/x.py\n")


# -- standard input, as editors use it ----------------------------------------------


def test_stdin_fix_prints_the_fixed_source_on_stdout(tmp_path: Path) -> None:
    result = run("check", "--fix", "-", "--stdin-filename", "t.py", cwd=tmp_path, stdin=LR)
    assert (result.returncode, result.stdout) == (0, LR_FIXED)
    assert "Fixed 1 problem." in result.stderr
    unchanged = run("check", "--fix", "-", cwd=tmp_path, stdin="import keras\n")
    assert (unchanged.returncode, unchanged.stdout) == (0, "import keras\n")


def test_stdin_fix_reports_what_remains_on_stderr(tmp_path: Path) -> None:
    result = run("check", "--fix", "-", cwd=tmp_path, stdin=RELU_OUTPUT)
    assert result.returncode == 1
    assert result.stdout == RELU_OUTPUT
    assert result.stderr.startswith("-:6:5: KC101 ")


def test_stdin_diff_prints_the_diff(tmp_path: Path) -> None:
    result = run("check", "--diff", "-", "--stdin-filename", "t.py", cwd=tmp_path, stdin=LR)
    assert result.returncode == 1
    assert (
        "-opt = keras.optimizers.Adam(lr=0.1)\n+opt = keras.optimizers.Adam(learning_rate=0.1)\n"
        in (result.stdout)
    )
    assert result.stderr == "Would fix 1 problem.\n"
    clean = run("check", "--diff", "-", cwd=tmp_path, stdin="import keras\n")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_stdin_filename_alone_reads_stdin(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text(RELU_OUTPUT)  # must not be linted
    result = run("check", "--stdin-filename", "t.py", cwd=tmp_path, stdin=LR)
    assert result.returncode == 1
    assert result.stdout.startswith("t.py:2:29: KC401 ")
    assert "other.py" not in result.stdout


def test_stdin_fix_only_prints_the_fixed_source_alone(tmp_path: Path) -> None:
    result = run("check", "--fix-only", "-", cwd=tmp_path, stdin=RELU_OUTPUT + LR)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        RELU_OUTPUT + LR_FIXED,
        "",
    )


# -- the cache and `clean` ----------------------------------------------------------


def test_cache_lives_at_the_project_root_not_the_working_directory(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.kerascheck]\n")
    (project / "src" / "train.py").write_text(RELU_OUTPUT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("check", str(project / "src" / "train.py"), cwd=elsewhere)
    assert result.returncode == 1
    assert list(elsewhere.iterdir()) == []
    assert (project / ".kerascheck_cache" / "CACHEDIR.TAG").is_file()


def test_cache_without_config_lives_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(RELU_OUTPUT)
    run("check", "m.py", cwd=tmp_path / "pkg")
    assert not (tmp_path / "pkg" / ".kerascheck_cache").exists()
    assert (tmp_path / ".kerascheck_cache").is_dir()


def test_clean_refuses_a_directory_kerascheck_did_not_make(tmp_path: Path) -> None:
    foreign = tmp_path / "dot-cache"
    (foreign / "pip").mkdir(parents=True)
    (foreign / "notes.txt").write_text("keep me\n")
    env = {**os.environ, "KERASCHECK_CACHE_DIR": str(foreign)}
    result = run("clean", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "was not made by kerascheck" in result.stderr
    assert (foreign / "pip").is_dir() and (foreign / "notes.txt").is_file()
    # Linting with it does not claim it either.
    (tmp_path / "m.py").write_text(RELU_OUTPUT)
    run("check", "m.py", cwd=tmp_path, env=env)
    assert not (foreign / "CACHEDIR.TAG").exists()
    assert run("clean", cwd=tmp_path, env=env).returncode == 2
    assert (foreign / "notes.txt").is_file()


def test_clean_removes_the_cache_it_made(tmp_path: Path) -> None:
    made = tmp_path / "made-here"
    env = {**os.environ, "KERASCHECK_CACHE_DIR": str(made)}
    (tmp_path / "m.py").write_text(RELU_OUTPUT)
    run("check", "m.py", cwd=tmp_path, env=env)
    assert (
        (made / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    result = run("clean", cwd=tmp_path, env=env)
    assert (result.returncode, result.stdout) == (0, f"Removed {made}\n")
    assert not made.exists()


def test_fix_and_diff_of_many_files_in_parallel(tmp_path: Path) -> None:
    for number in range(12):
        (tmp_path / f"m{number}.py").write_text(LR if number % 2 else "import keras\n")
    run("check", ".", cwd=tmp_path)  # warms the cache
    diff = run("check", "--diff", ".", "-j", "2", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.count("+++ ") == 6
    assert diff.stderr == "Would fix 6 problems.\n"
    fixed = run("check", "--fix", ".", "-j", "2", cwd=tmp_path)
    assert (fixed.returncode, fixed.stdout) == (0, "All checks passed!\nFixed 6 problems.\n")
    assert (tmp_path / "m1.py").read_text() == LR_FIXED
    assert (tmp_path / "m0.py").read_text() == "import keras\n"


# -- severities -------------------------------------------------------------------


def test_sarif_and_github_use_each_rules_severity(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(ACCURACY_ON_MSE + RELU_OUTPUT)
    sarif = json.loads(run("check", "m.py", "--output-format", "sarif", cwd=tmp_path).stdout)
    levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    assert levels == {"KC106": "warning", "KC101": "error"}
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["KC106"]["defaultConfiguration"]["level"] == "warning"
    github = run("check", "m.py", "--output-format", "github", cwd=tmp_path).stdout
    assert github.startswith("::warning file=m.py,line=5,")
    assert "\n::error file=m.py,line=11," in github


def test_rules_json_lists_every_rule_for_tools() -> None:
    rules = json.loads(run("rules", "--output-format", "json").stdout)
    by_code = {r["code"]: r for r in rules}
    assert by_code["KC101"]["severity"] == "error"
    assert by_code["KC106"]["severity"] == "warning"
    assert by_code["KC401"]["fix"] == "always" or by_code["KC401"]["applicabilities"] == ["safe"]
    assert set(by_code["KC406"]) == {
        "code",
        "name",
        "summary",
        "default",
        "severity",
        "fix",
        "applicabilities",
        "needs_runtime",
    }
    assert by_code["KC406"]["default"] is False
    assert by_code["KC501"]["needs_runtime"] is True


def test_a_nested_config_excludes_its_own_files_when_walked_from_above(
    monorepo: Path,
) -> None:
    (monorepo / "a" / "pyproject.toml").write_text(
        '[tool.kerascheck]\nignore = ["KC4"]\nextend-exclude = ["generated"]\n'
    )
    (monorepo / "a" / "generated").mkdir()
    (monorepo / "a" / "generated" / "g.py").write_text(RELU_OUTPUT)
    (monorepo / "build").mkdir()
    (monorepo / "build" / "b.py").write_text(RELU_OUTPUT)
    from_root = run("check", "--show-files", ".", cwd=monorepo)
    assert from_root.stdout == "./a/x.py\n./b/x.py\n"
    # A directory named on the command line is walked, as before.
    assert run("check", "--show-files", "build", cwd=monorepo).stdout == "build/b.py\n"
