"""KC2xx: the model's input and layer chain."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.layer_shapes import SAME_SHAPE
from kerascheck.ir.model import (
    HANDED_OVER,
    HANDED_OVER_BUILDS,
    HANDED_OVER_TRAINS,
    Arg,
    KerasFile,
    Layer,
    Model,
    ModelKind,
    Opaque,
)

# Calls that need (or show) the model's shape: the first of them is where a
# missing input shape shows ...
_USES_SHAPE = (
    "fit",
    "evaluate",
    "summary",
    "fit_generator",
    "evaluate_generator",
    "train_on_batch",
    HANDED_OVER_TRAINS,
)
# ... unless one of these came before it and gave Keras the shape (a function
# the model was handed to may have predicted on it).
_BUILDS = (
    "build",
    "predict",
    "predict_on_batch",
    "__call__",
    "predict_generator",
    HANDED_OVER,
    HANDED_OVER_BUILDS,
)

_SHAPE_HINT = {
    "Dense": "(n_features,)",
    "Conv2D": "(height, width, channels)",
    "Conv1D": "(timesteps, channels)",
    "Conv3D": "(depth, height, width, channels)",
    "LSTM": "(timesteps, features)",
    "GRU": "(timesteps, features)",
    "SimpleRNN": "(timesteps, features)",
    "Embedding": "(sequence_length,)",
}
# A layer that keeps its input's rank says nothing of it: the next one does
# (`Rescaling` before a `Conv2D` takes images).
_RANK_KEEPING = frozenset(SAME_SHAPE) | {
    "Normalization",
    "BatchNormalization",
    "LayerNormalization",
    "Resizing",
    "CenterCrop",
    "RandomCrop",
}
# TextVectorization reads one string per sample.
_TEXT_INPUT = 'keras.Input(shape=(), dtype="string")'


def _input_hint(model: Model, first: Layer) -> str | None:
    """The `keras.Input(...)` that fits the model's first layers, if they tell."""
    if first.kind == "TextVectorization":
        return _TEXT_INPUT
    for element in model.layers:
        if not isinstance(element, Layer) or element.conditional:
            return None
        if element.kind in _SHAPE_HINT:
            return f"keras.Input(shape={_SHAPE_HINT[element.kind]})"
        if element.kind not in _RANK_KEEPING:
            return None
    return None


def _built_before_use(model: Model) -> bool | None:
    """Whether something gave the model its shape before it was first needed;
    None when nothing needs the shape (a model only compiled is judged by any
    build at all)."""
    uses = [c.order for c in model.calls_named(*_USES_SHAPE)]
    builds = [c.order for c in model.calls_named(*_BUILDS)]
    if not uses:
        if not model.compiles:
            return None
        return bool(builds)
    return any(order < min(uses) for order in builds)


def _nested_without_shape(first: Opaque, models: tuple[Model, ...]) -> bool:
    """A Sequential block of this file, itself without an input shape and never
    built, placed first: `Sequential([encoder, decoder])`."""
    if first.model_index is None or first.model_index >= len(models):
        return False
    nested = models[first.model_index]
    if nested.kind != ModelKind.SEQUENTIAL or nested.escaped or nested.calls_named(*_BUILDS):
        return False
    return _first_element_without_shape(nested, models, depth=1) is not None


def _first_element_without_shape(model: Model, models: tuple[Model, ...], depth: int = 0):
    """The first element when it gives the model no input shape, else None."""
    if not model.layers:
        return None
    first = model.layers[0]
    if isinstance(first, Opaque):
        if first.conditional:
            return None
        if first.user_layer and not first.shape_given:
            return first  # a Layer subclass of the file, called without input_shape
        if first.is_model and depth < 3 and _nested_without_shape(first, models):
            return first
        return None
    return _first_layer_without_shape(first)


def _first_layer_without_shape(first: Layer) -> Layer | None:
    if first.conditional or first.args.has_star:
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
        if model.kind != ModelKind.SEQUENTIAL or model.is_block:
            continue
        if _built_before_use(model) is not False:
            continue
        first = _first_element_without_shape(model, kfile.models)
        if first is None:
            continue
        if isinstance(first, Opaque):
            hint, kind, place = None, first.text.split("(", 1)[0], first.loc
        else:
            hint, kind, place = _input_hint(model, first), first.kind, first.place
        if hint == _TEXT_INPUT:
            help_ = f"start the model with `{hint}`, before `{kind}`"
        else:  # a template: the names say what to fill in, or the layers do not tell
            help_ = (
                f"start the model with `{hint or 'keras.Input(shape=...)'}` (the shape of "
                f"one sample, without the batch axis), before `{kind}`"
            )
        length = _embedding_length(first)
        if length is not None:
            help_ = (
                f"start the model with `keras.Input(shape=({length.text},))`, before "
                f"`Embedding`: Keras 3 ignores `input_length`"
            )
        yield Finding(
            f"`{model.name}` has no input shape: Keras builds it only when the first batch "
            f"arrives, so `summary()` shows no shapes or parameters and shape errors "
            f"surface only in `fit()`",
            place,
            help_,
        )


def _embedding_length(first: Layer | Opaque) -> Arg | None:
    """The `input_length=` of a first Embedding: Keras 2 took the sequence length
    from it, Keras 3 ignores it, and it is the shape the `Input` needs."""
    if isinstance(first, Opaque) or first.kind != "Embedding":
        return None
    return first.args.get("input_length")
