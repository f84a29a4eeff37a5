"""The name catalogs are checked against the installed Keras, so they cannot drift."""

from __future__ import annotations

import inspect
import os

import pytest

from kerascheck.catalog import api as keras_api
from kerascheck.catalog import names as keras_names

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

ABSTRACT = {"Loss", "Metric", "Optimizer", "LossScaleOptimizer", "Reduction"}


def accepted(get, name) -> bool:
    try:
        return get(name) is not None
    except (ValueError, TypeError, KeyError):
        return False


def public_names(module) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and name not in ABSTRACT
        and (inspect.isfunction(value) or inspect.isclass(value))
    }


CATALOGS = [
    ("losses", keras_names.KERAS3_LOSSES),
    ("metrics", keras_names.KERAS3_METRICS - {"acc"}),
    ("activations", keras_names.KERAS3_ACTIVATIONS),
]


@pytest.mark.parametrize("module, catalog", CATALOGS, ids=[c[0] for c in CATALOGS])
def test_every_catalogued_name_is_accepted_by_keras(module, catalog) -> None:
    get = getattr(keras, module).get
    assert sorted(n for n in catalog if not accepted(get, n)) == []


@pytest.mark.parametrize("module, catalog", CATALOGS, ids=[c[0] for c in CATALOGS])
def test_every_name_keras_accepts_is_catalogued(module, catalog) -> None:
    get = getattr(keras, module).get
    names = {n for n in public_names(getattr(keras, module)) if accepted(get, n)}
    assert sorted(names - catalog) == []


def test_optimizers_match_keras_case_insensitively() -> None:
    names = {n.lower() for n in public_names(keras.optimizers) if accepted(keras.optimizers.get, n)}
    assert names == set(keras_names.KERAS3_OPTIMIZERS)


def test_acc_is_accepted_by_compile() -> None:
    import numpy as np

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(loss="mse", metrics=["acc"])
    model.fit(np.zeros((2, 2)), np.zeros((2, 1)), verbose=0)


def test_every_loss_the_rules_know_is_a_loss_keras_knows() -> None:
    known = keras_names.LOSS_NAMES
    assert sorted(s for s in keras_api.LOSSES if s not in known) == []


def test_relu_family_and_layer_activations_are_keras_activations() -> None:
    names = keras_names.KERAS3_ACTIVATIONS
    assert names >= keras_api.RELU_FAMILY
    assert names >= keras_api.SIGMOID_FAMILY
    assert {a for a in keras_api.ACTIVATION_LAYERS.values() if a != "prelu"} <= names
