"""The model a call site holds after a builder of the file, a helper that
trains it, or an if/else: which models the IR has and which calls each one
sees, in source order."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.ir.extract.walker import extract
from kerascheck.ir.model import HANDED_OVER_TRAINS, KerasFile
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text

HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def _ir(body: str) -> KerasFile:
    return extract(cst.parse_module(HEADER + textwrap.dedent(body)))


def _methods(kfile: KerasFile) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (m.kind, tuple(c.method for c in sorted(m.calls, key=lambda c: c.order)))
        for m in kfile.models
    ]


def test_a_builder_called_twice_is_one_model_with_both_stories_in_order():
    kfile = _ir(
        """
        def build():
            model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
            model.compile(loss="mse")
            return model

        first = build()
        first.fit(x, y)
        second = build()
        second.evaluate(x, y)
        """
    )
    assert _methods(kfile) == [("sequential", ("compile", "fit", "evaluate"))]


def test_a_tuple_of_models_unpacks_to_each_model():
    kfile = _ir(
        """
        def build():
            inputs = keras.Input((4,))
            code = layers.Dense(2)(inputs)
            autoencoder = keras.Model(inputs, layers.Dense(4)(code))
            encoder = keras.Model(inputs, code)
            return autoencoder, encoder

        autoencoder, encoder = build()
        autoencoder.compile(loss="mse")
        encoder.predict(x)
        """
    )
    assert _methods(kfile) == [("functional", ("compile",)), ("functional", ("predict",))]


def test_a_starred_unpacking_binds_no_model():
    kfile = _ir(
        """
        def build():
            a = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
            b = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
            return a, b

        *models, last = build()
        last.compile(loss="mse")
        """
    )
    assert _methods(kfile) == [("sequential", ()), ("sequential", ())]


def test_a_helper_that_trains_its_parameter_applies_its_calls_where_it_is_called():
    kfile = _ir(
        """
        def train(net):
            net.compile(loss="mse")
            net.fit(x, y)

        model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
        model.summary()
        train(model)
        model.evaluate(x, y)
        """
    )
    sequential = kfile.models[0]
    assert [c.method for c in sorted(sequential.calls, key=lambda c: c.order)] == [
        "summary",
        HANDED_OVER_TRAINS,
        "compile",
        "fit",
        "evaluate",
    ]
    # The copies are the helper's own calls (they point at its lines).
    helper_model = kfile.models[1]
    assert helper_model.kind == "parameter"
    assert sequential.calls_named("compile")[0].loc == helper_model.compiles[0].loc


def test_every_branch_gives_its_own_model_the_later_calls():
    kfile = _ir(
        """
        if wide:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(8)])
        elif deep:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])
        else:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
        model.compile(loss="mse")
        model.fit(x, y)
        """
    )
    assert _methods(kfile) == [("sequential", ("compile", "fit"))] * 3


def test_one_branch_only_leaves_the_model_unknown():
    kfile = _ir(
        """
        model = keras.Sequential([keras.Input((4,)), layers.Dense(8)])
        if retrain:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
        model.compile(loss="mse")
        """
    )
    assert _methods(kfile) == [("sequential", ()), ("sequential", ())]
    assert all(m.escaped for m in kfile.models)


def test_each_branch_model_is_reported_on_its_own_with_its_own_output():
    text = HEADER + textwrap.dedent(
        """
        if a:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="sigmoid")])
        else:
            model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu")])
        model.compile(loss="categorical_crossentropy")
        """
    )
    result = lint_text(text, "branches.py", Settings(select=("ALL",)))
    found = sorted((d.code, d.span.line, d.message) for d in result.diagnostics)
    assert found == [
        (
            "KC101",
            7,
            "Output activation `relu` with `categorical_crossentropy`: the loss expects "
            "probabilities, `relu` gives unbounded values and no gradient below 0",
        ),
        (
            "KC104",
            8,
            "`categorical_crossentropy` with a `sigmoid` output: the loss expects class "
            "probabilities that sum to 1",
        ),
    ]
