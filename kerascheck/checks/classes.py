"""KC109: the output layer's units differ from the number of classes the
fitted labels certainly hold.

The classes come from the extractor (ir/extract/labels.py): `to_categorical`
with a literal count, or a Keras dataset loader, followed through names in
source order. The units come from the output `Dense` (ir/facts.py). Any doubt
on either side, and the rule is silent.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import output_of
from kerascheck.ir.model import LAYERED, Classes, KerasFile, Loss, MethodCall, Model, ModelKind

_FITS = ("fit", "fit_generator", "train_on_batch")
_CLASSIFYING = api.PROBABILITY_FAMILIES


def _classifies(model: Model, fit: MethodCall, activation: object) -> bool:
    """A classification head: its activation or its loss says so."""
    compile_call = model.compile_in_force(fit)
    loss = compile_call.loss if compile_call is not None else None
    family = loss.family if isinstance(loss, Loss) else None
    return activation in ("softmax", "sigmoid") or family in _CLASSIFYING


def _fits(units: int, classes: Classes) -> bool:
    if classes.binary:
        return units in (1, 2)
    return units == classes.count


def _single_unit_categorical(model: Model, fit: MethodCall, activation: object) -> bool:
    """One unit with softmax or a categorical loss: KC103 and KC104 say it."""
    compile_call = model.compile_in_force(fit)
    loss = compile_call.loss if compile_call is not None else None
    family = loss.family if isinstance(loss, Loss) else None
    return activation == "softmax" or family in ("categorical", "sparse_categorical")


@rule(
    "KC109",
    "class-count-mismatch",
    "The output's units differ from the number of classes in the labels",
    severity=Severity.ERROR,
)
def class_count_mismatch(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.kind not in LAYERED or model.is_block:
            continue
        if model.kind == ModelKind.FUNCTIONAL and len(model.graph.outputs) != 1:
            continue
        output = output_of(model)
        if output is None or not isinstance(output.units, int):
            continue
        units = output.units
        reported: set[int] = set()
        for fit in model.calls_named(*_FITS):
            labels = fit.args.get("y")
            classes = labels.classes if labels is not None else None
            if classes is None or fit.args.has_star or _fits(units, classes):
                continue
            if not _classifies(model, fit, output.activation) or classes.count in reported:
                continue
            if units == 1 and _single_unit_categorical(model, fit, output.activation):
                continue
            reported.add(classes.count)
            wanted = "1 or 2 units" if classes.binary else f"{classes.count} units"
            kinds = "two classes" if classes.binary else f"{classes.count} classes"
            yield Finding(
                f"`{model.name}`'s output layer has {units} units, but the labels it is "
                f"fitted on hold {kinds} ({classes.source})",
                output.loc,
                f"give the output layer {wanted}, one per class",
                ((classes.loc, kinds), (labels.loc, "the labels fitted")),
            )
