"""Messages that quote a Keras error quote what Keras prints (the value it received),
and name every way out: found by reading each diagnostic on code nobody here wrote
(the Hands-On ML 2 notebooks and six Keras tutorial repositories)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from cli_helpers import run


def _messages(tmp_path: Path, source: str, *options: str) -> list[tuple[int, str, str, str]]:
    (tmp_path / "code.py").write_text(textwrap.dedent(source))
    result = run(
        "check",
        "--no-cache",
        "--isolated",
        "--output-format",
        "json",
        *options,
        "code.py",
        cwd=tmp_path,
    )
    return [
        (d["location"]["row"], d["code"], d["message"], (d["fix"] or {}).get("message", ""))
        for d in json.loads(result.stdout)
    ]


def test_an_lr_held_in_a_variable_is_quoted_by_value_or_not_at_all(tmp_path: Path) -> None:
    found = _messages(
        tmp_path,
        """\
        import keras
        from keras.optimizers import SGD
        rate = 0.01
        a = SGD(lr=rate)
        b = SGD(lr=1e-3)
        c = SGD(lr=rate_from_config)
        """,
    )
    assert [(row, code, message) for row, code, message, _ in found] == [
        (
            4,
            "KC401",
            "`SGD(lr=rate)`: Keras 3 removed `lr` and raises "
            "\"Argument(s) not recognized: {'lr': 0.01}\"",
        ),
        (
            5,
            "KC401",
            "`SGD(lr=1e-3)`: Keras 3 removed `lr` and raises "
            "\"Argument(s) not recognized: {'lr': 0.001}\"",
        ),
        (
            6,
            "KC401",
            "`SGD(lr=rate_from_config)`: Keras 3 removed `lr` and raises "
            "\"Argument(s) not recognized: {'lr': …}\"",
        ),
    ]


def test_a_shape_read_from_an_array_is_not_quoted_as_keras_would_print_it(
    tmp_path: Path,
) -> None:
    found = _messages(tmp_path, "import keras\ninputs = keras.Input(shape=x.shape[-1])\n")
    assert found == [
        (
            2,
            "KC202",
            "`shape=x.shape[-1]` is an int, not a shape (a shape is a tuple): "
            "Keras raises \"Cannot convert '…' to a shape\"",
            "write `shape=(x.shape[-1],)`: the trailing comma makes a one-element tuple",
        ),
    ]


def test_batch_input_shape_is_rejected_not_warned_about(tmp_path: Path) -> None:
    source = """\
        import keras
        from keras import layers
        model = keras.Sequential([layers.GRU(8, batch_input_shape=[32, None, 4]), layers.Dense(1)])
        """
    found = _messages(tmp_path, source, "--select", "KC406,KC409")
    assert [(row, code, message) for row, code, message, _ in found] == [
        (
            3,
            "KC406",
            '`batch_input_shape=` on a layer: Keras 3 rejects it ("Unrecognized '
            'keyword arguments") and prefers an `Input` as the first element of the model',
        ),
        (
            3,
            "KC409",
            '`GRU(batch_input_shape=...)`: Keras 3 raises "Unrecognized keyword '
            'arguments passed to GRU"',
        ),
    ]


def test_softmax_regression_help_names_dropping_the_softmax(tmp_path: Path) -> None:
    source = """\
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input((None, 1)), layers.Conv1D(10, 1, activation="softmax")])
        model.compile(loss="mse", optimizer="adam")
        """
    found = _messages(tmp_path, source)
    assert found == [
        (
            4,
            "KC108",
            "`mean_squared_error` with a `softmax` output: a classifier trained as "
            "a regressor learns slowly and gives poorly calibrated probabilities",
            "for class labels, use `loss='categorical_crossentropy'` (one-hot labels) or "
            "`'sparse_categorical_crossentropy'` (integer labels); for real-valued targets "
            "(a forecast, a regression), drop the softmax: its outputs always sum to 1",
        ),
    ]
