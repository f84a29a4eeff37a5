"""KC501, KC504: what real Keras says when it builds the model (runtime mode only).

(KC502 and KC503 read shapes statically first: checks/shape_advice.py.)

These rules read the results runtime mode attached to the file; without
`--runtime` there are none and the rules stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog.buildable import INPUT_KINDS
from kerascheck.catalog.errors import NDIM, plain_words
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.checks.shape_errors import is_keras1, keras1_layer_calls, refusals
from kerascheck.ir.model import KerasFile, Layer, Model
from kerascheck.ir.verdicts import BuildStatus, ModelResult
from kerascheck.runtime.results import results_of


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


@rule(
    "KC501",
    "build-error",
    "The model does not build (runtime)",
    needs_runtime=True,
    severity=Severity.ERROR,
)
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
        if result.status is not BuildStatus.ERROR or id(model) in refused:
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


# -- KC504 ----------------------------------------------------------------------


@rule(
    "KC504",
    "model-too-large",
    "The model exceeds the runtime parameter budget (runtime)",
    needs_runtime=True,
    severity=Severity.WARNING,
)
def model_too_large(kfile: KerasFile) -> Iterator[Finding]:
    for model, result in _runtime(kfile):
        if result.status is not BuildStatus.TOO_LARGE or result.total is None:
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
