"""KC2xx: the model's input and layer chain."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.model import KerasFile, Layer, Model

# Calls that need (or show) the model's shape ...
_USES_SHAPE = (
    "compile",
    "fit",
    "evaluate",
    "summary",
    "fit_generator",
    "evaluate_generator",
    "train_on_batch",
)
# ... and calls after which Keras knows it.
_BUILDS = ("build", "predict", "predict_on_batch", "__call__", "predict_generator")

_SHAPE_HINT = {
    "Conv2D": "(height, width, channels)",
    "Conv1D": "(timesteps, channels)",
    "Conv3D": "(depth, height, width, channels)",
    "LSTM": "(timesteps, features)",
    "GRU": "(timesteps, features)",
    "SimpleRNN": "(timesteps, features)",
    "Embedding": "(sequence_length,)",
}


def _first_layer_without_shape(model: Model) -> Layer | None:
    if not model.layers:
        return None
    first = model.layers[0]
    if not isinstance(first, Layer) or first.conditional or first.args.has_star:
        return None
    if first.kind in ("Input", "InputLayer", "DenseFeatures"):
        return None  # DenseFeatures takes a dict of feature columns, not a shape
    shape_args = api.INPUT_SHAPE_ARGS
    if first.kind == "Embedding":  # input_dim is a vocabulary size, not a shape
        shape_args = tuple(a for a in shape_args if a != "input_dim")
    if any(first.args.get(name) is not None for name in shape_args):
        return None
    return first


@rule(
    "KC201",
    "missing-input-shape",
    "Sequential model without an input shape",
    severity=Severity.WARNING,
)
def missing_input_shape(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.kind != "sequential" or model.is_block:
            continue
        if not model.calls_named(*_USES_SHAPE) or model.calls_named(*_BUILDS):
            continue
        first = _first_layer_without_shape(model)
        if first is None:
            continue
        shape = _SHAPE_HINT.get(first.kind, "(n_features,)")
        yield Finding(
            f"`{model.name}` has no input shape: Keras builds it only when the first batch "
            f"arrives, so `summary()` shows no shapes or parameters and shape errors "
            f"surface only in `fit()`",
            first.place,
            f"start the model with `keras.Input(shape={shape})`, before `{first.kind}`",
        )
