"""KC5xx: what real Keras says when it builds the model (runtime mode only).

These rules read the results runtime mode attached to the file; without
`--runtime` there are none and the rules stay silent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import rule
from kerascheck.checks.shape_errors import is_keras1, keras1_layer_calls, refusals
from kerascheck.ir.facts import judged_compiles, output_of
from kerascheck.ir.model import KerasFile, Layer, Loss, Model
from kerascheck.ir.shapes import format_shape
from kerascheck.runtime.errors import NDIM, plain_words
from kerascheck.runtime.plan import INPUT_KINDS
from kerascheck.runtime.results import ModelResult, results_of


def _runtime(kfile: KerasFile) -> Iterator[tuple[Model, ModelResult]]:
    results = results_of(kfile)
    if results:
        yield from zip(kfile.models, results)


def _n(count: int) -> str:
    return f"{count:,}"


# -- KC501 ----------------------------------------------------------------------


def _channels_help(
    model: Model, layer: Layer, message: str, input_shape: tuple | None
) -> str | None:
    """A Conv fed the model's input without a channels axis: suggest adding it."""
    found = NDIM.search(message)
    if not found or not layer.kind.startswith("Conv") or input_shape is None:
        return None
    wanted, got = int(found.group(2)), int(found.group(3))
    if wanted - got != 1 or len(input_shape) != got:
        return None
    first = model.layers[0]
    where = "shape" if first is not layer else "input_shape"
    shape = ", ".join(str(s) for s in input_shape[1:]) + ", 1"
    return f"give the input a channels axis: `{where}=({shape})` for one channel"


def _is_input(element) -> bool:
    return isinstance(element, Layer) and element.kind in INPUT_KINDS


def _fed_by_input(model: Model, result: ModelResult) -> bool:
    """Nothing but the model's Input runs before the layer Keras refused."""
    if result.error_node is not None:
        nodes = model.graph.nodes
        return all(_is_input(nodes[i].element) for i in nodes[result.error_node].inputs)
    return all(_is_input(e) for e in model.layers[: result.error_index])


@rule("KC501", "build-error", "The model does not build (runtime)", needs_runtime=True)
def build_error(kfile: KerasFile) -> Iterator[Finding]:
    results = list(_runtime(kfile))
    if not results:
        return
    # What static shapes already reported (KC211), or a Keras 1 argument
    # explains (KC407), is not said twice.
    found = list(refusals(kfile))
    refused = {id(model) for model, *_ in found}
    refused_layers = {layer.loc for _, layer, *_ in found}  # a layer two models share
    keras1_calls = keras1_layer_calls(kfile)
    for model, result in results:
        if result.status != "error" or id(model) in refused:
            continue
        layer = result.blamed(model)
        if not isinstance(layer, Layer) or layer.loc in refused_layers:
            continue
        if is_keras1(layer, keras1_calls):
            continue
        help_ = None
        if _fed_by_input(model, result):
            help_ = _channels_help(model, layer, result.message, result.input_shape)
        yield Finding(
            f"`{model.name}` does not build: {plain_words(layer.kind, result.message)}",
            layer.loc,
            help_,
        )


# -- KC502 ----------------------------------------------------------------------

_FLATTEN_SHARE = 0.5
_FLATTEN_MINIMUM = 1_000_000


def _before(model: Model, index: int) -> int | None:
    """The element before `index`, looking through dropout and noise."""
    index -= 1
    while (
        index >= 0
        and isinstance(model.layers[index], Layer)
        and model.layers[index].kind in api.PASS_THROUGH_LAYERS
    ):
        index -= 1
    return index if index >= 0 else None


def _shape_into(result: ModelResult, index: int) -> tuple | None:
    return result.shapes.get(index - 1) if index > 0 else result.input_shape


def _convolved(model: Model, index: int) -> bool:
    """A feature map made by convolutions: pooling it keeps what they found."""
    return any(isinstance(e, Layer) and "Conv" in e.kind for e in model.layers[:index])


@rule(
    "KC502",
    "flatten-parameter-explosion",
    "A Dense after Flatten holds most of the parameters (runtime)",
    needs_runtime=True,
)
def flatten_parameter_explosion(kfile: KerasFile) -> Iterator[Finding]:
    for model, result in _runtime(kfile):
        if result.status not in ("built", "too_large") or not result.total:
            continue
        for index, element in enumerate(model.layers):
            if not isinstance(element, Layer) or element.kind != "Dense":
                continue
            flatten = _before(model, index)
            if (
                flatten is None
                or not isinstance(model.layers[flatten], Layer)
                or model.layers[flatten].kind != "Flatten"
                or not _convolved(model, flatten)
            ):
                continue
            params = result.params.get(index)
            feature_map = _shape_into(result, flatten)
            out = result.shapes.get(index)
            if (
                params is None
                or feature_map is None
                or out is None
                or len(feature_map) < 3
                or None in feature_map[1:]
            ):
                continue
            if params < _FLATTEN_MINIMUM or params < _FLATTEN_SHARE * result.total:
                continue
            channels, units = feature_map[-1], out[-1]
            pooled = channels * units + (params - math.prod(feature_map[1:]) * units)
            pool = f"GlobalAveragePooling{len(feature_map) - 2}D"
            positions = "×".join(str(s) for s in feature_map[1:-1])
            yield Finding(
                f"`Dense` after `Flatten` holds {_n(params)} of `{model.name}`'s "
                f"{_n(result.total)} parameters ({params / result.total:.0%}): each of the "
                f"{positions} positions of the feature map gets its own weights",
                element.loc,
                f"use `{pool}()` instead of `Flatten()`: this `Dense` would hold "
                f"{_n(pooled)} parameters, {_n(params - pooled)} fewer",
                ((model.layers[flatten].loc, f"`Flatten` of {format_shape(feature_map)}"),),
            )


# -- KC503 ----------------------------------------------------------------------

_DECODER = ("Transpose", "UpSampling")


def _known_losses(model: Model) -> Iterator[Loss]:
    for compile_call in judged_compiles(model):
        loss = compile_call.loss
        if isinstance(loss, Loss) and loss.family is not None:
            yield loss


@rule(
    "KC503",
    "output-shape-loss-mismatch",
    "The output's rank or size does not fit the loss (runtime)",
    needs_runtime=True,
)
def output_shape_loss_mismatch(kfile: KerasFile) -> Iterator[Finding]:
    for model, result in _runtime(kfile):
        if result.status != "built" or model.is_block:
            continue
        shape = result.shapes.get(len(model.layers) - 1)
        if shape is None:
            continue
        computing = _before(model, len(model.layers))
        last = model.layers[computing] if computing is not None else None
        # A Dense on every position of a feature map, not a decoder's per-pixel head.
        spatial_dense = (
            len(shape) >= 4
            and isinstance(last, Layer)
            and last.kind == "Dense"
            and not any(isinstance(e, Layer) and e.kind.endswith(_DECODER) for e in model.layers)
        )
        output = output_of(model)
        # One unit that static analysis could not count (KC104 covers a Dense(1)).
        one_unit = (
            len(shape) == 2
            and shape[-1] == 1
            and output is not None
            and not isinstance(output.units, int)
        )
        for loss in _known_losses(model):
            note = ((loss.loc, f"loss `{loss.text}`"),)
            if spatial_dense:
                pool = f"GlobalAveragePooling{len(shape) - 2}D"
                yield Finding(
                    f"`{model.name}` outputs shape {format_shape(shape)}, but `{loss.name}` "
                    f"expects one prediction per sample: the `Dense` runs on every position "
                    f"of a {len(shape)}-D feature map",
                    last.loc,
                    f"add `Flatten()` or `{pool}()` before this `Dense`",
                    note,
                )
            elif one_unit and loss.family in ("categorical", "sparse_categorical"):
                yield Finding(
                    f"`{model.name}` outputs shape {format_shape(shape)}, a single unit, but "
                    f"`{loss.name}` needs one output per class: one unit can only ever "
                    f"predict one class",
                    output.loc,
                    "end the model with one unit per class and `softmax`, or use "
                    "`binary_crossentropy` with a sigmoid for two classes",
                    note,
                )


# -- KC504 ----------------------------------------------------------------------


@rule(
    "KC504",
    "model-too-large",
    "The model exceeds the runtime parameter budget (runtime)",
    needs_runtime=True,
)
def model_too_large(kfile: KerasFile) -> Iterator[Finding]:
    for model, result in _runtime(kfile):
        if result.status != "too_large" or result.total is None:
            continue
        gigabytes = result.total * 4 / 1e9
        related = ()
        # A graph's nodes cover every layer; a chain's elements are all there is.
        params = result.node_params or result.params
        if params:
            index = max(params, key=lambda i: params[i])
            nodes = model.graph.nodes
            biggest = nodes[index].element if result.node_params else model.layers[index]
            related = (
                (
                    biggest.loc,
                    f"the largest layer, `{biggest.kind}`, holds {_n(params[index])} parameters",
                ),
            )
        yield Finding(
            f"`{model.name}` has {_n(result.total)} parameters ({gigabytes:,.1f} GB of "
            f"float32 weights), over the runtime budget of {_n(result.budget)}: "
            f"it was not built",
            model.loc,
            "shrink the largest layers; raise KERASCHECK_PARAMETER_BUDGET if the size is intended",
            related,
        )
