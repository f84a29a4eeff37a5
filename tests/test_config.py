"""[tool.kerascheck] in pyproject.toml, excludes and .gitignore, run through
the real CLI on real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_helpers import NO_INPUT_SHAPE, RELU_OUTPUT, run

from kerascheck.project.config import find_config, load, resolve
from kerascheck.project.settings import Settings, SettingsError, codes_for_file


def codes_by_file(result, root: Path) -> list[tuple[str, str]]:
    return sorted(
        (Path(d["filename"]).relative_to(root).as_posix(), d["code"])
        for d in json.loads(result.stdout)
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def pyproject(body: str) -> str:
    return "[project]\nname = 'demo'\n\n[tool.kerascheck]\n" + textwrap.dedent(body)


def test_select_ignore_and_per_file_ignores_from_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject("""\
            ignore = ["KC201"]
            [tool.kerascheck.per-file-ignores]
            "tests/*" = ["relu-output"]
            "legacy_*.py" = ["KC1"]
        """),
            "model.py": RELU_OUTPUT,
            "shape.py": NO_INPUT_SHAPE,
            "tests/test_model.py": RELU_OUTPUT,
            "pkg/legacy_model.py": RELU_OUTPUT,
        },
    )
    result = run("check", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert codes_by_file(result, tmp_path) == [("model.py", "KC101")]


def test_config_is_found_from_a_subdirectory_and_patterns_stay_relative_to_it(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject('extend-exclude = ["src/generated"]\n'),
            "src/generated/model.py": RELU_OUTPUT,
            "src/model.py": RELU_OUTPUT,
            # A pyproject.toml without our table is passed over, as ruff does.
            "src/pyproject.toml": "[project]\nname = 'inner'\n",
        },
    )
    result = run("check", ".", "--output-format", "json", cwd=tmp_path / "src")
    assert codes_by_file(result, tmp_path) == [("src/model.py", "KC101")]


def test_select_from_config_and_command_line_layers(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject('select = ["KC2"]\n'),
            "model.py": RELU_OUTPUT,
            "shape.py": NO_INPUT_SHAPE,
        },
    )
    only_kc2 = run("check", "--output-format", "json", cwd=tmp_path)
    assert codes_by_file(only_kc2, tmp_path) == [("shape.py", "KC201")]
    # --extend-select adds to the config's selection; --select starts afresh.
    extended = run("check", "--output-format", "json", "--extend-select", "KC101", cwd=tmp_path)
    assert codes_by_file(extended, tmp_path) == [("model.py", "KC101"), ("shape.py", "KC201")]
    fresh = run("check", "--output-format", "json", "--select", "KC101", cwd=tmp_path)
    assert codes_by_file(fresh, tmp_path) == [("model.py", "KC101")]
    isolated = run("check", "--output-format", "json", "--isolated", cwd=tmp_path)
    assert codes_by_file(isolated, tmp_path) == [("model.py", "KC101"), ("shape.py", "KC201")]


@pytest.mark.parametrize(
    "body, message",
    [
        ('selct = ["KC1"]\n', "unknown key 'selct' in [tool.kerascheck] (did you mean 'select'?)"),
        (
            'extend_select = ["KC1"]\n',
            "unknown key 'extend_select' in [tool.kerascheck] (did you mean 'extend-select'?)",
        ),
        ('select = "KC1"\n', "[tool.kerascheck] select: expected a list of strings, got 'KC1'"),
        (
            'ignore = ["KC9"]\n',
            "[tool.kerascheck] ignore: unknown rule selector 'KC9' (use a code like KC101, "
            "a prefix like KC1, or a rule name)",
        ),
        ('runtime = "yes"\n', "[tool.kerascheck] runtime: expected true or false, got 'yes'"),
        (
            'per-file-ignores = ["KC1"]\n',
            "[tool.kerascheck] per-file-ignores: expected a table of patterns to codes, "
            'like {"tests/*" = ["KC201"]}',
        ),
        (
            '[tool.kerascheck.per-file-ignores]\n"tests/*" = ["nope"]\n',
            "[tool.kerascheck] per-file-ignores 'tests/*': unknown rule selector 'nope' "
            "(use a code like KC101, a prefix like KC1, or a rule name)",
        ),
    ],
)
def test_bad_config_is_one_error_line_and_exit_2(tmp_path: Path, body: str, message: str) -> None:
    write(tmp_path, {"pyproject.toml": pyproject(body), "model.py": RELU_OUTPUT})
    result = run("check", "model.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"kerascheck: error: {tmp_path / 'pyproject.toml'}: {message}\n"


def test_invalid_toml_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.kerascheck]\nselect = [\n", "model.py": RELU_OUTPUT})
    result = run("check", "model.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"kerascheck: error: {tmp_path / 'pyproject.toml'}: invalid TOML: "
    )
    assert result.stderr.count("\n") == 1


def test_runtime_flag_is_read_and_validated(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": pyproject("runtime = true\n")})
    settings = load(str(tmp_path / "pyproject.toml"))
    assert settings.runtime is True
    assert resolve([str(tmp_path)], Settings()).runtime is True
    assert Settings().runtime is False


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject('select = ["KC1"]\n'),
            "sub/pyproject.toml": pyproject('select = ["KC2"]\n'),
        },
    )
    assert find_config(str(tmp_path / "sub" / "deeper")) == str(tmp_path / "sub" / "pyproject.toml")
    assert find_config(str(tmp_path)) == str(tmp_path / "pyproject.toml")
    assert resolve([str(tmp_path / "sub")], Settings()).select == ("KC2",)


def test_per_file_ignores_match_relative_to_the_config(tmp_path: Path) -> None:
    settings = Settings(per_file_ignores=(("notebooks/**/*.py", ("KC201",)),), root=str(tmp_path))
    assert "KC201" not in codes_for_file(settings, str(tmp_path / "notebooks/a/b/c.py"))
    assert "KC201" in codes_for_file(settings, str(tmp_path / "src/notebooks.py"))
    with pytest.raises(SettingsError):
        load(
            str(
                write(tmp_path, {"pyproject.toml": pyproject("exclude = [1]\n")}) / "pyproject.toml"
            )
        )


def test_exclude_replaces_the_defaults_and_force_exclude_covers_explicit_paths(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject('exclude = ["scratch"]\n'),
            "scratch/model.py": RELU_OUTPUT,
            "build/model.py": RELU_OUTPUT,  # no longer excluded: exclude replaced the defaults
        },
    )
    walked = run("check", "--output-format", "json", cwd=tmp_path)
    assert codes_by_file(walked, tmp_path) == [("build/model.py", "KC101")]
    # Named explicitly, an excluded file is linted (as in ruff) ...
    named = run("check", "scratch/model.py", "--output-format", "json", cwd=tmp_path)
    assert codes_by_file(named, tmp_path) == [("scratch/model.py", "KC101")]
    # ... unless --force-exclude, which the pre-commit hook passes.
    forced = run("check", "scratch/model.py", "--force-exclude", cwd=tmp_path)
    assert (forced.returncode, forced.stdout) == (0, "All checks passed!\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignored_paths_are_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "data/\nscratch_*.py\n",
            "model.py": RELU_OUTPUT,
            "data/model.py": RELU_OUTPUT,
            "scratch_model.py": RELU_OUTPUT,
            "pkg/scratch_model.py": RELU_OUTPUT,
        },
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run("check", "--output-format", "json", cwd=tmp_path)
    assert codes_by_file(result, tmp_path) == [("model.py", "KC101")]
    every = run("check", "--output-format", "json", "--no-respect-gitignore", cwd=tmp_path)
    assert len(json.loads(every.stdout)) == 4
    # A directory or file named on the command line is what the user asked for.
    named = run("check", "data", "scratch_model.py", "--output-format", "json", cwd=tmp_path)
    assert codes_by_file(named, tmp_path) == [
        ("data/model.py", "KC101"),
        ("scratch_model.py", "KC101"),
    ]
