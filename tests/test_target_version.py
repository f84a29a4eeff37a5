"""`target-version = "keras2"` (and `--target-version`): code that runs on Keras 2
is not told about Keras 3, through the real CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from cli_helpers import run

from kerascheck.checks import RULES
from kerascheck.project.settings import Settings, TargetVersion, enabled_codes

# A Keras 2 script with one model mistake (a relu output) and Keras 3 breakages.
KERAS2_SCRIPT = textwrap.dedent("""\
    import keras
    from keras import layers
    from keras.optimizers import Adam

    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10, activation="relu")])
    model.compile(optimizer=Adam(lr=0.01), loss="categorical_crossentropy", metrics="accuracy")
    model.fit_generator(batches, epochs=5)
    model.save_weights("weights.h5")
""")
KERAS3_RULES = {"KC401", "KC402", "KC403", "KC404", "KC405", "KC406", "KC408", "KC409"}
KERAS3_RULES |= {"KC410", "KC411"}


def codes(root: Path, *options: str) -> list[str]:
    result = run("check", "--no-cache", "--output-format", "json", *options, "train.py", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return sorted(d["code"] for d in json.loads(result.stdout))


def project(root: Path, table: str) -> Path:
    (root / "pyproject.toml").write_text(f"[tool.kerascheck]\n{table}\n")
    (root / "train.py").write_text(KERAS2_SCRIPT)
    return root


def test_the_rules_about_keras3_say_so_on_their_rule() -> None:
    assert {code for code, rule in RULES.items() if rule.keras3_only} == KERAS3_RULES


def test_keras2_turns_off_only_the_keras3_rules() -> None:
    everything = enabled_codes(Settings(select=("ALL",)))
    keras2 = enabled_codes(Settings(select=("ALL",), target_version=TargetVersion.KERAS2))
    assert everything - keras2 == KERAS3_RULES


def test_default_is_keras3(tmp_path: Path) -> None:
    project(tmp_path, "")
    assert codes(tmp_path) == ["KC101", "KC401", "KC403", "KC408", "KC409"]


def test_config_keras2(tmp_path: Path) -> None:
    project(tmp_path, 'target-version = "keras2"')
    assert codes(tmp_path) == ["KC101"]


def test_command_line_overrides_the_config(tmp_path: Path) -> None:
    project(tmp_path, 'target-version = "keras2"')
    assert codes(tmp_path, "--target-version", "keras3") == [
        "KC101",
        "KC401",
        "KC403",
        "KC408",
        "KC409",
    ]
    project(tmp_path, 'target-version = "keras3"')
    assert codes(tmp_path, "--target-version", "keras2") == ["KC101"]


def test_a_bad_target_version_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project(tmp_path, 'target-version = "keras4"')
    result = run("check", "train.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "[tool.kerascheck] target-version: expected one of 'keras2', 'keras3', got 'keras4'"
    )
    result = run("check", "--target-version", "keras4", "train.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "'keras4' is not one of 'keras2', 'keras3'" in result.stderr
