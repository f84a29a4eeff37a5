"""What KC110, KC209, KC305 and KC402 say about Keras, checked against the
installed Keras (3.15.1) so that the messages cannot drift from it."""

from __future__ import annotations

import os
import warnings

import pytest

from kerascheck.catalog.training import USER_CODE_CALLBACKS

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")


def _constant_logit_model(logit: float):
    """One unit whose output is `logit` for every input."""
    return keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(
                1,
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(logit),
            ),
        ]
    )


def test_accuracy_on_logits_is_binary_accuracy_at_one_half() -> None:
    # KC110: logits 0.2 and 0.3 mean p > 0.5, class 1; "accuracy" counts them wrong.
    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    for logit in (0.2, 0.3):
        model = _constant_logit_model(logit)
        model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
        assert model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == 0.0
        model.compile(
            loss=keras.losses.BinaryCrossentropy(from_logits=True),
            metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
        )
        assert model.evaluate(x, y, verbose=0, return_dict=True)["binary_accuracy"] == 1.0


@pytest.mark.parametrize(
    "metric, logged",
    [
        ("accuracy", "accuracy"),
        ("acc", "acc"),
        ("mae", "mae"),
        ("mean_absolute_error", "mean_absolute_error"),
        ("AUC", "AUC"),
    ],
)
def test_a_metric_string_is_logged_under_that_string(metric: str, logged: str) -> None:
    # KC305: the logged names are the strings given to compile, plus val_ ones.
    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    model = _constant_logit_model(0.0)
    model.compile(loss="binary_crossentropy", metrics=[metric])
    history = model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
    assert set(history.history) == {"loss", "val_loss", logged, f"val_{logged}"}


def test_reading_a_name_never_logged_from_the_history_is_a_key_error() -> None:
    # KC308: the history is a plain dict of what was logged.
    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    model = _constant_logit_model(0.0)
    model.compile(loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, validation_split=0.5, epochs=1, verbose=0)
    with pytest.raises(KeyError):
        history.history["val_acc"]


@pytest.mark.parametrize("given", [{"validation_split": 0.0}, {"validation_data": None}])
def test_a_split_of_zero_or_no_validation_data_logs_no_val_quantity(given: dict) -> None:
    # facts.validates: written as none, the fit validates on nothing (KC303, not KC308).
    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    model = _constant_logit_model(0.0)
    model.compile(loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, verbose=0, **given)
    assert set(history.history) == {"loss", "accuracy"}


def test_a_callback_s_own_log_key_reaches_the_history() -> None:
    # KC308 stays silent beside a user's callback: it may write any key.
    class Scorer(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_auc"] = 0.5

    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    model = _constant_logit_model(0.0)
    model.compile(loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, validation_split=0.5, epochs=1, verbose=0, callbacks=[Scorer()])
    assert history.history["val_auc"] == [0.5]
    # training.USER_CODE_CALLBACKS: Keras's own callback for the user's functions
    (name,) = USER_CODE_CALLBACKS
    written = getattr(keras.callbacks, name)(on_epoch_end=lambda e, logs: logs.update(f1=1.0))
    history = model.fit(x, y, epochs=1, verbose=0, callbacks=[written])
    assert history.history["f1"] == [1.0]


def test_early_stopping_on_a_metric_never_logged_only_warns() -> None:
    x, y = np.zeros((4, 4), "float32"), np.ones((4, 1), "float32")
    model = _constant_logit_model(0.0)
    model.compile(loss="binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_acc", mode="max", patience=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, validation_data=(x, y), epochs=3, verbose=0, callbacks=[stop])
    assert len(history.history["loss"]) == 3  # never stopped
    assert any("val_acc" in str(w.message) for w in caught)


def test_a_constraint_is_accepted_as_a_regularizer_and_adds_the_weights_to_the_loss() -> None:
    layer = keras.layers.Dense(3, kernel_regularizer=keras.constraints.max_norm(3))
    model = keras.Sequential([keras.Input((4,)), layer])
    model(np.zeros((1, 4), "float32"))
    (penalty,) = model.losses
    assert tuple(penalty.shape) == (4, 3)  # the clipped kernel itself, not a scalar penalty
    assert "kernel_constraint" in keras.layers.Dense.__init__.__code__.co_varnames


def test_decay_zero_is_ignored_with_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer = keras.optimizers.SGD(decay=0.0)
    assert any("no longer supported and will be ignored" in str(w.message) for w in caught)
    assert not hasattr(optimizer, "decay")


# -- KC109: the class counts of Keras's dataset loaders ---------------------------

# What each loader's docstring says about its labels (no dataset is downloaded).
_DOCUMENTED = {
    "mnist": "of the 10 digits",
    "fashion_mnist": "of 10 fashion categories",
    "cifar10": "labeled over 10 categories",
    "cifar100": "labeled over 100 fine-grained classes",
    "reuters": "labeled over 46 topics",
    "imdb": "labeled by sentiment",
}


def test_dataset_class_counts_are_what_keras_documents() -> None:
    import inspect
    import re

    from kerascheck.catalog.training import (
        BINARY_DATASETS,
        CIFAR100_LABEL_MODES,
        DATASET_CLASSES,
    )

    assert set(DATASET_CLASSES) == set(_DOCUMENTED)
    for name, phrase in _DOCUMENTED.items():
        loader = getattr(keras.datasets, name).load_data
        doc = " ".join(inspect.getdoc(loader).split())
        assert phrase in doc, name
        count = re.search(r"(\d+) (?:digits|fashion|categories|fine-grained|topics)", phrase)
        if name in BINARY_DATASETS:
            assert "(positive/negative)" in doc and DATASET_CLASSES[name] == 2
        else:
            assert count is not None and int(count.group(1)) == DATASET_CLASSES[name], name
    cifar100 = keras.datasets.cifar100.load_data
    parameter = inspect.signature(cifar100).parameters["label_mode"]
    assert parameter.default == "fine" and CIFAR100_LABEL_MODES["fine"] == 100
    doc = " ".join(inspect.getdoc(cifar100).split())
    assert "grouped into 20 coarse-grained classes" in doc
    assert CIFAR100_LABEL_MODES["coarse"] == 20
    assert 'one of `"fine"`, `"coarse"`' in doc
