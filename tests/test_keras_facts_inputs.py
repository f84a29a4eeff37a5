"""The inputs KC201 suggests, built with the installed Keras."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")


def test_a_string_input_of_one_string_per_sample_builds_a_text_vectorization_model() -> None:
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(np.array(["the cat sat", "a dog ran far"]))
    model = keras.Sequential(
        [
            keras.Input(shape=(), dtype="string"),
            vectorize,
            keras.layers.Embedding(20, 3),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    assert model.built and model.output_shape == (None, 1)
