"""Property: on generated Keras snippets, fixing gives code that compiles, and
fixing it again changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerascheck.project.settings import Settings
from kerascheck.run.fixing import fix_text

ALL = Settings(select=("ALL",))

IMPORTS = [
    "import keras",
    "from keras import layers, optimizers",
    "from keras import backend as K",
    "from keras.layers.core import Dense, Dropout",
    "from keras.utils import np_utils",
    "from keras.layers import Convolution2D, LSTM, Embedding",
    "from keras.models import Sequential",
]
KINDS = [
    "layers.Dense",
    "Dense",
    "layers.Conv2D",
    "Convolution2D",
    "LSTM",
    "Embedding",
    "keras.layers.Dense",
]
KEYWORDS = [
    "input_shape=(10)",
    "input_shape=(8,)",
    "input_dim=4",
    "batch_input_shape=(3)",
    'init="uniform"',
    'activation="relu"',
    'border_mode="same"',
    "output_dim=3",
    'kernel_initializer="zeros"',
    "W_regularizer=None",
    "subsample=(2, 2)",
    "input_shape = ( 5 )",
    "units=2",
]
SEPARATORS = [", ", ",\n        ", " , ", ",  # note\n        ", ",\\\n        "]

positional = st.lists(st.sampled_from(["32", "3", "(3, 3)", "n"]), max_size=3)
keywords = st.lists(
    st.sampled_from(KEYWORDS), unique_by=lambda k: k.split("=")[0].strip(), max_size=4
)


@st.composite
def layer(draw) -> str:
    args = draw(positional) + draw(keywords)
    parts = [args[0]] if args else []
    for arg in args[1:]:
        parts.append(draw(st.sampled_from(SEPARATORS)) + arg)
    trailing = "," if args and draw(st.booleans()) else ""
    return f"{draw(st.sampled_from(KINDS))}({''.join(parts)}{trailing})"


@st.composite
def snippet(draw) -> str:
    lines = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, unique=True))
    elements = draw(st.lists(layer(), min_size=1, max_size=4))
    if draw(st.booleans()):
        lines.append("model = keras.Sequential([")
        lines += [f"    {e}," for e in elements]
        lines.append("])")
    else:
        lines.append("model = Sequential()")
        lines += [f"model.add({e})" for e in elements]
    optimizer_args = draw(
        st.lists(
            st.sampled_from(["lr=0.1", "decay=1e-6", "momentum=0.9", "learning_rate=0.2"]),
            unique=True,
            max_size=3,
        )
    )
    lines.append(
        f"model.compile(optimizer=optimizers.SGD({', '.join(optimizer_args)}), loss='mse')"
    )
    lines += draw(
        st.lists(
            st.sampled_from(
                [
                    "model.fit(x, y, nb_epoch=3)",
                    "model.fit_generator(gen, nb_epoch=2, steps_per_epoch=4)",
                    "p = model.predict_proba(x)",
                    "m = K.mean(K.square(x), axis=1)",
                    "y = keras.utils.np_utils.to_categorical(labels)",
                    "inp = keras.Input((7))",
                ]
            ),
            max_size=4,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return ("\n".join(lines) + "\n").replace("\n", newline)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=snippet(), unsafe=st.booleans())
def test_fixing_twice_equals_fixing_once_and_compiles(text: str, unsafe: bool) -> None:
    compile(text, "generated.py", "exec")  # the generator writes valid Python
    once = fix_text(text, "generated.py", ALL, unsafe)
    assert once.error is None, once.error
    compile(once.text, "fixed.py", "exec")
    twice = fix_text(once.text, "generated.py", ALL, unsafe)
    assert (twice.text, twice.fixed, twice.error) == (once.text, 0, None)
    if "\r\n" in text:  # line endings are the file's own
        assert "\n" not in once.text.replace("\r\n", "")
