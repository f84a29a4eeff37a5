"""What KC106 says about `metrics=["accuracy"]` with a regression loss, checked
against the installed Keras: binary accuracy on one output, categorical accuracy
on several, neither a measure of how close the predictions are. And KC301's help:
`validation_split` is refused for a dataset."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")


def _constant_model(*outputs: float):
    """A model whose outputs are `outputs` for every input."""
    return keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(
                len(outputs),
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(outputs),
            ),
        ]
    )


def _accuracy(model, y) -> float:
    model.compile(loss="mse", metrics=["accuracy"])
    x = np.zeros((len(y), 4), "float32")
    return model.evaluate(x, np.asarray(y, "float32"), verbose=0, return_dict=True)["accuracy"]


def test_one_output_gets_binary_accuracy_a_perfect_regressor_scores_zero() -> None:
    assert _accuracy(_constant_model(231.5), [[231.5], [231.5]]) == 0.0
    # ... while on 0/1 targets it is the share on the right side of 0.5.
    assert _accuracy(_constant_model(0.6), [[1.0], [1.0], [0.0], [0.0]]) == 0.5


def test_several_outputs_get_categorical_accuracy_by_arg_max() -> None:
    # Far off in every value, yet the largest output sits where the largest target does.
    assert _accuracy(_constant_model(0.0, 1.0, 0.0), [[0.1, 5.0, 0.2]]) == 1.0


def test_validation_split_is_refused_for_a_dataset() -> None:
    # KC301's help for a fit on a dataset: take/skip, not validation_split.
    tf = pytest.importorskip("tensorflow")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    data = tf.data.Dataset.from_tensor_slices((np.zeros((8, 2)), np.zeros((8, 1)))).batch(2)
    with pytest.raises(ValueError, match="only supported for tensors or NumPy arrays"):
        model.fit(data, validation_split=0.2, verbose=0)
