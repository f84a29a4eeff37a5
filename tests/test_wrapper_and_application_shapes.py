"""Static shapes of wrapped layers and Keras applications, checked against the
installed Keras: each snippet is built with real Keras and compared layer by
layer, and every application the catalog knows is built once."""

from __future__ import annotations

import os
import textwrap

import libcst as cst
import pytest

from kerascheck.catalog.applications import FEATURE_CHANNELS, FEATURE_PARAMS
from kerascheck.catalog.shape_facts import BIDIRECTIONAL_DEFAULT_MERGE, BIDIRECTIONAL_MERGES
from kerascheck.ir.extract.walker import extract
from kerascheck.ir.shapes import infer_file

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

SNIPPETS = {
    "wrappers": """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(20, 8)),
            layers.Bidirectional(layers.LSTM(16, return_sequences=True)),
            layers.TimeDistributed(layers.Dense(4)),
            layers.Bidirectional(layers.GRU(6), merge_mode="sum"),
            layers.Dense(1, activation="sigmoid"),
        ])
    """,
    "time_distributed_conv": """\
        import keras
        from keras import layers

        frames = keras.Input(shape=(5, 16, 16, 3))
        x = layers.TimeDistributed(layers.Conv2D(4, 3))(frames)
        x = layers.TimeDistributed(layers.GlobalAveragePooling2D())(x)
        x = layers.Bidirectional(layers.SimpleRNN(3), merge_mode="ave")(x)
        model = keras.Model(frames, x)
    """,
    "application_as_a_layer": """\
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(64, 64, 3))
        inputs = keras.Input(shape=(64, 64, 3))
        x = base(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_static_shapes_equal_keras(name: str) -> None:
    code = textwrap.dedent(SNIPPETS[name])
    models = extract(cst.parse_module(code)).models
    model = next(m for m in models if m.kind in ("sequential", "functional"))
    rows, _ = infer_file(models)[models.index(model)]
    namespace: dict = {}
    exec(compile(code, name, "exec"), namespace)  # the snippet itself, with real Keras
    built = namespace["model"]
    rows = rows[1:]  # the input is not compared: Keras lists none in a Sequential
    layers = built.layers[-len(rows) :]
    for row, layer in zip(rows, layers):
        keras_shape = tuple(layer.output.shape)
        # a None size is one kerascheck leaves unknown; every other size is Keras's
        assert len(row.shape) == len(keras_shape), (layer.name, row.shape, keras_shape)
        assert all(s in (None, k) for s, k in zip(row.shape, keras_shape)), (layer.name, row.shape)
        if isinstance(row.params, int):
            assert row.params == layer.count_params(), layer.name
    known = [row.shape for row in rows]
    assert known == EXPECTED[name]


EXPECTED = {
    "wrappers": [(None, 20, 32), (None, 20, 4), (None, 6), (None, 1)],
    "time_distributed_conv": [(None, 5, 14, 14, 4), (None, 5, 4), (None, 3)],
    # the application's spatial sizes are left unknown, its channels are not
    "application_as_a_layer": [(None, None, None, 1280), (None, 1280), (None, 3)],
}


_SMALLEST_SIDE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}


@pytest.mark.parametrize("name", sorted(FEATURE_CHANNELS))
def test_feature_channels_and_weights_are_keras_s(name: str) -> None:
    side = _SMALLEST_SIDE.get(name, 32)
    application = getattr(keras.applications, name)
    features = application(include_top=False, weights=None, input_shape=(side, side, 3))
    assert features.output.shape[-1] == FEATURE_CHANNELS[name]
    assert len(features.output.shape) == 4
    assert features.count_params() == FEATURE_PARAMS[name]


def test_pooling_and_classifier_outputs_are_keras_s() -> None:
    pooled = keras.applications.MobileNet(
        include_top=False, weights=None, input_shape=(32, 32, 3), pooling="max"
    )
    assert tuple(pooled.output.shape) == (None, 1024)
    classifier = keras.applications.MobileNet(weights=None, input_shape=(32, 32, 3), classes=7)
    assert tuple(classifier.output.shape) == (None, 7)


def test_bidirectional_merges_are_keras_s() -> None:
    import inspect

    default = inspect.signature(keras.layers.Bidirectional).parameters["merge_mode"].default
    assert default == BIDIRECTIONAL_DEFAULT_MERGE
    sequence = keras.Input(shape=(5, 3))
    for merge in BIDIRECTIONAL_MERGES:
        out = keras.layers.Bidirectional(keras.layers.SimpleRNN(4), merge_mode=merge)(sequence)
        assert tuple(out.shape) == ((None, 8) if merge == default else (None, 4)), merge
