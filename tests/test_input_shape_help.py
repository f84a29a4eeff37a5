"""KC201's help: the `keras.Input(...)` it suggests fits the model's first
layers (images behind a Rescaling, strings for a TextVectorization), and where
they do not tell the rank of a sample it gives no shape of its own."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_file

PER_SAMPLE = "(the shape of one sample, without the batch axis)"


def _help(layers: str) -> str:
    code = textwrap.dedent(f"""\
        import keras
        from keras import layers

        model = keras.Sequential([
            {layers}
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y)
        """)
    [found] = lint_file("m.py", Settings(select=("KC201",)), code.encode()).diagnostics
    return found.help


@pytest.mark.parametrize(
    "layers, wanted",
    [
        ("layers.Dense(4),", f"`keras.Input(shape=(n_features,))` {PER_SAMPLE}, before `Dense`"),
        (
            "layers.Rescaling(1 / 255), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(1),",
            f"`keras.Input(shape=(height, width, channels))` {PER_SAMPLE}, before `Rescaling`",
        ),
        (
            "layers.Normalization(), layers.Dense(1),",
            f"`keras.Input(shape=(n_features,))` {PER_SAMPLE}, before `Normalization`",
        ),
        (
            "layers.TextVectorization(max_tokens=100), layers.Embedding(100, 8),",
            '`keras.Input(shape=(), dtype="string")`, before `TextVectorization`',
        ),
        (
            "layers.Flatten(), layers.Dense(1),",
            f"`keras.Input(shape=...)` {PER_SAMPLE}, before `Flatten`",
        ),
        (
            "layers.Lambda(lambda t: t[:, -1:]), layers.Dense(1),",
            f"`keras.Input(shape=...)` {PER_SAMPLE}, before `Lambda`",
        ),
    ],
)
def test_the_suggested_input_fits_the_first_layers(layers: str, wanted: str) -> None:
    assert _help(layers) == f"start the model with {wanted}"
