"""KC1xx: the output activation must fit the loss."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kerascheck.catalog import api, training
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import Output, compiled_outputs, judged_compiles, output_of
from kerascheck.ir.model import LAYERED, KerasFile, Layer, Loss, Unknown
from kerascheck.results import Applicability

# What the output should be, by loss family.
_WANTED = {
    "binary": "`activation='sigmoid'`",
    "categorical": "`activation='softmax'`",
    "sparse_categorical": "`activation='softmax'`",
    "regression": "a linear output (`activation=None`)",
}


def _pairs(kfile: KerasFile, need_loss: bool = True) -> Iterator[tuple[Output, Loss]]:
    """Output rules apply to a model compiled with a known loss."""
    for model in kfile.models:
        for output, loss in compiled_outputs(model):
            if loss is not None or not need_loss:
                yield output, loss


def _activation_fix(layer: Layer, new: str) -> Fix | None:
    """Unsafe (it changes what the model computes): set the output layer's
    activation, when written as a string literal, to `new`."""
    arg = layer.args.get("activation")
    if (
        arg is None
        or not isinstance(arg.value, str)
        or arg.text[:1] not in "'\""
        or arg.text[-1:] != arg.text[:1]
    ):
        return None
    quote = arg.text[0]
    return Fix.unsafe(Edit.replace(arg.loc, f"{quote}{new}{quote}"))


def _output_note(output: Output) -> tuple:
    return ((output.loc, f"output layer `{output.layer.kind}` applies `{output.activation}`"),)


def _loss_note(loss: Loss) -> tuple:
    return ((loss.loc, f"loss `{loss.text}`"),)


_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LOSS_FUNCTION = re.compile(r"[A-Za-z_][\w.]*(\(\))?")


def _overlap_losses(kfile: KerasFile) -> Iterator[tuple[Output, Unknown]]:
    """(relu output, loss) where the loss is a function kerascheck does not know
    whose name says it is an overlap loss: `dice_loss`, `sm.losses.JaccardLoss()`."""
    for model in kfile.models:
        if model.kind not in LAYERED:
            continue
        output = output_of(model)
        if output is None or output.activation not in api.RELU_FAMILY:
            continue
        for compile_call in judged_compiles(model):
            loss = compile_call.loss
            if not isinstance(loss, Unknown) or not _LOSS_FUNCTION.fullmatch(loss.text):
                continue
            words = {w.lower() for w in _WORDS.findall(loss.text.rsplit(".", 1)[-1])}
            if words & training.OVERLAP_LOSS_WORDS:
                yield output, loss


@rule(
    "KC101",
    "relu-output",
    "Output activation is relu-family",
    fixes=(Applicability.UNSAFE,),
    severity=Severity.ERROR,
)
def relu_output(kfile: KerasFile) -> Iterator[Finding]:
    for output, loss in _overlap_losses(kfile):
        act = output.activation
        yield Finding(
            f"Output activation `{act}` with `{loss.text}`: an overlap loss compares "
            f"probabilities in [0, 1] with the mask, `{act}` gives unbounded values",
            output.loc,
            "use `activation='sigmoid'` (one mask per class) or `'softmax'` (one class per "
            "pixel) on the output layer",
            (),
            _activation_fix(output.layer, "sigmoid"),
        )
    for output, loss in _pairs(kfile):
        if output.activation not in api.RELU_FAMILY:
            continue
        act = output.activation
        fix = None
        if loss.family in api.PROBABILITY_FAMILIES:
            message = (
                f"Output activation `{act}` with `{loss.name}`: the loss expects "
                f"probabilities, `{act}` gives unbounded values and no gradient below 0"
            )
            help_ = f"use {_WANTED[loss.family]} on the output layer"
            if loss.family != "binary":
                help_ += " (or no activation and `from_logits=True` in the loss)"
            if loss.family != "binary" and output.units == 1:
                # softmax over this one unit would be constant 1.0 (KC103).
                help_ = (
                    "a categorical loss needs one output unit per class: "
                    "`Dense(n_classes, activation='softmax')`; for a yes/no target, "
                    "`activation='sigmoid'` with `loss='binary_crossentropy'`"
                )
            wanted = "sigmoid" if loss.family == "binary" else "softmax"
            # softmax over one unit is constant (KC103): only over known units.
            if wanted == "sigmoid" or (isinstance(output.units, int) and output.units > 1):
                fix = _activation_fix(output.layer, wanted)
        elif loss.family == "regression":
            continue  # deliberate for targets that cannot be negative (prices, counts)
        else:
            message = (
                f"Output activation `{act}`: the output cannot go below 0 and a "
                f"unit stuck at 0 stops learning"
            )
            help_ = "use the activation the loss expects, usually none, sigmoid or softmax"
        yield Finding(message, output.loc, help_, _loss_note(loss), fix)


@rule(
    "KC102",
    "softmax-binary-crossentropy",
    "Softmax output with binary cross-entropy",
    severity=Severity.ERROR,
)
def softmax_binary_crossentropy(kfile: KerasFile) -> Iterator[Finding]:
    for output, loss in _pairs(kfile):
        if output.activation != "softmax" or loss.family != "binary" or output.units == 1:
            continue
        yield Finding(
            f"`{loss.name}` with a `softmax` output: softmax makes the units compete, "
            f"binary cross-entropy scores each unit as an independent yes/no",
            loss.loc,
            "one label per sample: use `loss='categorical_crossentropy'` (one-hot labels) "
            "or `'sparse_categorical_crossentropy'` (integer labels); several labels per "
            "sample: use `activation='sigmoid'`",
            _output_note(output),
        )


@rule(
    "KC103",
    "single-unit-softmax",
    "Softmax over a single unit",
    fixes=(Applicability.UNSAFE,),
    severity=Severity.ERROR,
)
def single_unit_softmax(kfile: KerasFile) -> Iterator[Finding]:
    # Whatever the loss, softmax over one unit is constant: a compile is enough.
    for output, loss in _pairs(kfile, need_loss=False):
        if output.activation != "softmax" or output.units != 1:
            continue
        binary = loss is not None and loss.family == "binary"
        yield Finding(
            "`softmax` over a single unit always outputs 1.0: the model cannot learn",
            output.loc,
            "use `activation='sigmoid'`: with `binary_crossentropy` it gives the "
            "probability of the positive class"
            if binary
            else "use `activation='sigmoid'` for a binary output, with "
            "`loss='binary_crossentropy'`",
            _loss_note(loss) if loss else (),
            _activation_fix(output.layer, "sigmoid") if binary else None,
        )


@rule(
    "KC104",
    "categorical-loss-mismatch",
    "Categorical cross-entropy with a one-unit or sigmoid output",
    severity=Severity.ERROR,
)
def categorical_loss_mismatch(kfile: KerasFile) -> Iterator[Finding]:
    for output, loss in _pairs(kfile):
        if loss.family not in ("categorical", "sparse_categorical"):
            continue
        if output.units == 1:
            message = (
                f"`{loss.name}` needs one output unit per class, but the output "
                f"layer has 1 unit: "
                + (
                    "the loss is always 0 and nothing is learned"
                    if loss.family == "categorical"
                    else "there is only one class to predict"
                )
            )
            help_ = (
                "for a binary target use `Dense(1, activation='sigmoid')` with "
                "`loss='binary_crossentropy'`; for N classes use "
                "`Dense(N, activation='softmax')`"
            )
        elif output.activation in api.SIGMOID_FAMILY:
            message = (
                f"`{loss.name}` with a `{output.activation}` output: the loss expects "
                f"class probabilities that sum to 1"
            )
            help_ = (
                "one label per sample: use `activation='softmax'`; several labels per "
                "sample: use `loss='binary_crossentropy'`"
            )
        else:
            continue
        yield Finding(message, loss.loc, help_, _output_note(output))


@rule(
    "KC105",
    "logits-mismatch",
    "Output activation disagrees with from_logits",
    severity=Severity.ERROR,
)
def logits_mismatch(kfile: KerasFile) -> Iterator[Finding]:
    for output, loss in _pairs(kfile):
        if loss.family not in api.PROBABILITY_FAMILIES:
            continue
        if output.activation == "linear" and loss.from_logits is False:
            wanted = "sigmoid" if loss.family == "binary" else "softmax"
            cls = {
                "binary": "BinaryCrossentropy",
                "categorical": "CategoricalCrossentropy",
                "sparse_categorical": "SparseCategoricalCrossentropy",
            }[loss.family]
            yield Finding(
                f"The output layer is linear (it outputs logits) but `{loss.name}` expects "
                f"probabilities (`from_logits=False`)",
                loss.loc,
                f"use `loss=keras.losses.{cls}(from_logits=True)`, or add "
                f"`activation='{wanted}'` to the output layer",
                _output_note(output),
            )
        elif loss.from_logits is True and (
            output.activation == "softmax" or output.activation in api.SIGMOID_FAMILY
        ):
            yield Finding(
                f"`from_logits=True` but the output layer already applies "
                f"`{output.activation}`: the loss applies it a second time",
                loss.loc,
                f"remove `from_logits=True`, or remove `activation='{output.activation}'` "
                f"from the output layer",
                _output_note(output),
            )


_ACCURACY = {"accuracy", "acc"}


@rule(
    "KC106",
    "accuracy-on-regression",
    "Accuracy metric with a regression loss",
    severity=Severity.WARNING,
)
def accuracy_on_regression(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        output = output_of(model) if model.kind in LAYERED else None
        if output is not None and output.activation in ("sigmoid", "softmax"):
            continue  # a classifier trained with a regression loss: its accuracy counts
        for compile_call in judged_compiles(model):
            loss = compile_call.loss
            metrics = compile_call.args.get("metrics")
            if not isinstance(loss, Loss) or loss.family != "regression" or metrics is None:
                continue
            for item in metrics.items:  # a flat list: one output, one loss
                if isinstance(item.value, str) and item.value.lower() in _ACCURACY:
                    yield Finding(
                        f"`{item.value}` with the regression loss `{loss.name}`: Keras turns "
                        f"it into binary accuracy (a prediction rounded at 0.5 must equal the "
                        f"target) or, with several output units, categorical accuracy (arg-max): "
                        f"neither measures how close real-valued predictions are",
                        item.loc,
                        "use a regression metric: `metrics=['mae']` (or 'mse', "
                        "`keras.metrics.RootMeanSquaredError()`)",
                        _loss_note(loss),
                    )


@rule(
    "KC108",
    "softmax-regression-loss",
    "Softmax output trained with a regression loss",
    severity=Severity.ERROR,
)
def softmax_regression_loss(kfile: KerasFile) -> Iterator[Finding]:
    for output, loss in _pairs(kfile):
        if output.activation != "softmax" or loss.family != "regression" or output.units == 1:
            continue
        yield Finding(
            f"`{loss.name}` with a `softmax` output: a classifier trained as a regressor "
            f"learns slowly and gives poorly calibrated probabilities",
            loss.loc,
            "for class labels, use `loss='categorical_crossentropy'` (one-hot labels) or "
            "`'sparse_categorical_crossentropy'` (integer labels); for real-valued targets "
            "(a forecast, a regression), drop the softmax: its outputs always sum to 1",
            _output_note(output),
        )
