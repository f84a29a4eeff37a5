"""KC3xx: how the model is trained and evaluated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kerascheck.catalog import training
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import logged_names, single_output, validates
from kerascheck.ir.model import LAYERED, KerasFile, Loss, MethodCall, Model

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TEST_WORDS = {"test", "testing", "xtest", "ytest", "testx", "testy"}


def is_test_name(identifier: str) -> bool:
    """`x_test`, `X_test_norm`, `test_ds`, `testX`, `xTest`; not `latest`."""
    return any(word.lower() in _TEST_WORDS for word in _WORDS.findall(identifier))


@rule("KC301", "test-set-validation", "Validation data is the test set", severity=Severity.WARNING)
def test_set_validation(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        for fit in model.calls_named("fit", "fit_generator", "search"):
            validation = fit.args.get("validation_data")
            if validation is None:
                continue
            test_name = next((n for n in validation.names if is_test_name(n)), None)
            if test_name is None:
                continue
            yield Finding(
                f"`validation_data` uses the test set (`{test_name}`): tuning on it makes "
                f"the final test score optimistic",
                validation.loc,
                f"validate on data held out from training ({_hold_out(fit.args)}) and use "
                f"`{test_name}` once, in `evaluate()`",
            )


def _hold_out(args) -> str:
    """How to hold out validation data from what `fit` trains on: arrays split,
    a dataset or generator (no `y`) does not take `validation_split`."""
    x = args.get("x")
    train = x.text if x is not None and x.text.isidentifier() else "x_train"
    if args.get("y") is not None:
        return f"`validation_split=0.2`, or split `{train}` with `train_test_split`"
    if args.has_star:
        return "a split of the training data"
    return "split the training data with `.take(n)` / `.skip(n)` before batching it"


_NEEDS_COMPILE = ("fit", "evaluate", "train_on_batch", "test_on_batch")


@rule(
    "KC302",
    "fit-before-compile",
    "fit or evaluate on a model never compiled before",
    severity=Severity.ERROR,
)
def fit_before_compile(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        # Only models built here: a loaded or subclassed model may arrive
        # compiled, and one handed to a helper may be compiled there.
        if model.kind not in LAYERED or model.escaped:
            continue
        first_compile = min((c.order for c in model.compiles), default=None)
        for call in model.calls_named(*_NEEDS_COMPILE):
            if first_compile is None or call.order < first_compile:
                yield Finding(
                    f"`{model.name}.{call.method}()` before `{model.name}.compile()`: Keras "
                    f'raises "You must call `compile()` before using the model"',
                    call.attr_loc,
                    f"call `{model.name}.compile(optimizer=..., loss=...)` before "
                    f"`{call.method}()`",
                )
                break


# Callbacks that watch `val_loss` unless told otherwise (ModelCheckpoint only
# when it keeps the best model), and what they silently do without it.
_WATCH_VAL_LOSS = {
    "EarlyStopping": "never stops training early",
    "ReduceLROnPlateau": "never lowers the learning rate",
    "ModelCheckpoint": "saves every epoch instead of the best model",
}


def _monitored(callback) -> str | None:
    """The `val_*` quantity a Keras callback watches, or None."""
    kind = callback.path.rsplit(".", 1)[-1]
    if not callback.path.startswith("callbacks.") or kind not in _WATCH_VAL_LOSS:
        return None
    monitor = callback.args.value("monitor", "val_loss")
    if kind == "ModelCheckpoint" and callback.args.value("save_best_only", False) is not True:
        return None
    if isinstance(monitor, str) and monitor.startswith("val_"):
        return monitor
    return None


def _callbacks_without_validation(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        for fit in model.calls_named("fit"):
            callbacks = fit.args.get("callbacks")
            if callbacks is None or fit.args.has_star or validates(fit):
                continue
            for item in callbacks.items:
                monitor = _monitored(item.call) if item.call else None
                if monitor is None:
                    continue
                kind = item.call.path.rsplit(".", 1)[-1]
                yield Finding(
                    f"`{kind}` monitors `{monitor}`, but this `fit()` has no validation "
                    f"data: the callback {_WATCH_VAL_LOSS[kind]}",
                    item.loc,
                    "pass `validation_data=` or `validation_split=0.2` to `fit()`, or "
                    "monitor a training quantity such as `monitor='loss'`",
                    ((fit.attr_loc, "the `fit()` call"),),
                )


@rule(
    "KC303",
    "monitor-without-validation",
    "A callback monitors val_* but fit has no validation",
    severity=Severity.WARNING,
)
def monitor_without_validation(kfile: KerasFile) -> Iterator[Finding]:
    yield from _callbacks_without_validation(kfile)
    yield from _history_without_validation(kfile)


def _history_without_validation(kfile: KerasFile) -> Iterator[Finding]:
    """`history.history["val_loss"]` from a fit without validation data."""
    for model in kfile.models:
        fits = {call.order: call for call in model.calls_named("fit")}
        for read in model.history_reads:
            fit = fits.get(read.fit_order)
            if fit is None or fit.args.has_star or validates(fit):
                continue
            if not read.key.startswith("val_"):
                continue
            yield Finding(
                f"`{read.key}` is read from the history of a `fit()` without validation "
                f"data: Keras never logs it, so this raises `KeyError` after training",
                read.loc,
                "pass `validation_data=` or `validation_split=0.2` to `fit()`"
                + _training_value(model, fit, read.key[len("val_") :]),
                ((fit.attr_loc, "the `fit()` call"),),
            )


def _training_value(model: Model, fit: MethodCall, quantity: str) -> str:
    """`, or read `loss``: offered only when the model certainly logs it
    (`val_acc` of a model compiled with `metrics=["accuracy"]` has no `acc`)."""
    if quantity == training.LOGGED_LOSS:  # every model logs its loss
        return f", or read `{quantity}`"
    compile_call = model.compile_in_force(fit)
    logged = logged_names(compile_call) if compile_call is not None else None
    if logged is None or quantity not in logged or not single_output(model):
        return ""
    return f", or read `{quantity}`"


def _one_hot(arg) -> bool:
    return (
        arg is not None
        and arg.call is not None
        and arg.call.path.rsplit(".", 1)[-1] == "to_categorical"
    )


@rule(
    "KC304",
    "one-hot-sparse-loss",
    "One-hot labels with sparse categorical cross-entropy",
    severity=Severity.ERROR,
)
def one_hot_sparse_loss(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        for fit in model.calls_named("fit"):
            if not _one_hot(fit.args.get("y")):
                continue
            compile_call = model.compile_in_force(fit)
            loss = compile_call.loss if compile_call else None
            if isinstance(loss, Loss) and loss.family == "sparse_categorical":
                yield Finding(
                    f"`{loss.name}` expects integer class labels, but `fit()` gets one-hot "
                    f"labels from `to_categorical`",
                    loss.loc,
                    "use `loss='categorical_crossentropy'` with one-hot labels, or drop "
                    "`to_categorical` and keep the integer labels",
                    ((fit.args.get("y").loc, "one-hot labels"),),
                )
