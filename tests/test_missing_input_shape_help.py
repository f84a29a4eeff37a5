"""KC201's help names the shape to give: for a Keras 2 `Embedding(...,
input_length=n)` first, that is `n`, which Keras 3 ignores."""

from __future__ import annotations

import textwrap

from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text

KC201 = Settings(select=("KC201",))


def _help(source: str) -> str:
    [diagnostic] = lint_text(textwrap.dedent(source), "t.py", KC201).diagnostics
    assert diagnostic.code == "KC201"
    return diagnostic.help


def test_an_embedding_with_input_length_gets_that_length_as_its_input_shape() -> None:
    source = """\
        import keras
        from keras import layers
        seq_len = 100
        model = keras.Sequential()
        model.add(layers.Embedding(10000, 8, input_length=seq_len))
        model.add(layers.Flatten())
        model.add(layers.Dense(1, activation="sigmoid"))
        model.compile(optimizer="rmsprop", loss="binary_crossentropy")
        """
    assert _help(source) == (
        "start the model with `keras.Input(shape=(seq_len,))`, before `Embedding`: "
        "Keras 3 ignores `input_length`"
    )


def test_an_embedding_without_input_length_keeps_the_generic_hint() -> None:
    source = """\
        import keras
        from keras import layers
        model = keras.Sequential([layers.Embedding(10000, 32), layers.LSTM(32),
                                  layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="rmsprop", loss="binary_crossentropy")
        """
    assert _help(source) == (
        "start the model with `keras.Input(shape=(sequence_length,))` (the shape of one "
        "sample, without the batch axis), before `Embedding`"
    )
