"""Facts about models that several rules share: what runs last, and which
compile a model is judged by."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kerascheck.catalog import api, training
from kerascheck.ir.model import (
    LAYERED,
    Graph,
    Layer,
    Loc,
    Loss,
    MethodCall,
    Model,
    ModelKind,
    Unknown,
)


@dataclass(frozen=True)
class Output:
    activation: Any  # canonical name, or Unknown
    layer: Layer  # the layer that applies it
    units: Any  # size of the axis the activation runs over, or Unknown

    @property
    def loc(self) -> Loc:
        return self.layer.loc


def _plain(element: Any) -> bool:
    return isinstance(element, Layer) and not element.conditional


def keeps_probabilities(layer: Layer) -> bool:
    """A layer whose output is a probability vector wherever its input is one:
    `Activation("linear", dtype="float32")` (the identity, there to cast a
    mixed-precision output) and nearest or bilinear upsampling."""
    if layer.kind == "Activation":
        return layer.activation == "linear"
    if layer.kind not in api.UPSAMPLING_LAYERS or layer.args.has_star:
        return False
    if layer.kind != "UpSampling2D":
        return True  # 1D and 3D only repeat
    if len(layer.args.positional) > 2:
        return False  # size, data_format, interpolation: not mapped here
    return layer.args.value("interpolation", "nearest") in api.CONVEX_INTERPOLATIONS


def output_of(model: Model) -> Output | None:
    """What runs last in a model, seen through dropout and reshapes.

    None when that is not certain: an opaque or conditional element, or a
    layer with no activation of its own (BatchNormalization, Lambda ...).
    """
    elements = model.layers
    index = len(elements) - 1
    reshaped = False
    while index >= 0 and _plain(elements[index]):
        kind = elements[index].kind
        if kind in api.PASS_THROUGH_LAYERS or keeps_probabilities(elements[index]):
            index -= 1
        elif kind in api.RESHAPING_LAYERS:
            reshaped = True
            index -= 1
        else:
            break
    if index < 0 or not _plain(elements[index]):
        return None
    layer = elements[index]
    if layer.activation is None:
        return None
    units_layer = layer
    if layer.kind == "Activation" or layer.kind in api.ACTIVATION_LAYERS:
        units_layer = None
        before = index - 1
        while before >= 0 and _plain(elements[before]):
            kind = elements[before].kind
            if kind in api.RESHAPING_LAYERS:
                reshaped = True
            elif kind not in api.PASS_THROUGH_LAYERS:
                units_layer = elements[before]
                break
            before -= 1
    units: Any = Unknown("units")
    if units_layer is not None and units_layer.kind == "Dense" and not reshaped:
        value = units_layer.args.value("units", Unknown("units"))
        if isinstance(value, int) and not isinstance(value, bool):
            units = value
    return Output(layer.activation, layer, units)


_FITS = ("fit", "fit_generator", "train_on_batch")


def judged_compiles(model: Model) -> Iterator[MethodCall]:
    """The compile in force at each fit; without a fit, the last compile.

    One pass in source order: a file that compiles and fits one model
    thousands of times must not cost fits x compiles (it took minutes)."""
    judged, in_force, fitted = [], None, False
    for call in sorted(model.calls, key=lambda c: c.order):
        if call.method == "compile":
            in_force = call
        elif call.method in _FITS:
            fitted = True
            if in_force is not None and (not judged or judged[-1] is not in_force):
                judged.append(in_force)
    if not fitted and in_force is not None:
        judged.append(in_force)
    yield from judged


def compiled_outputs(model: Model) -> Iterator[tuple[Output, Loss | None]]:
    """(output, loss) for each compile a model is judged by, where the output
    is known; loss is None when it is not a known loss.

    A model that is never compiled may be a block with no output of its own.
    """
    if model.kind not in LAYERED:
        return
    output = output_of(model)
    if output is None:
        return
    for compile_call in judged_compiles(model):
        loss = compile_call.loss
        known_loss = isinstance(loss, Loss) and loss.family is not None
        yield output, (loss if known_loss else None)


def validates(fit: MethodCall) -> bool:
    """The fit may be given validation data: Keras logs `val_*` quantities.
    Not when it is written as none (`validation_data=None`, `validation_split=0`):
    Keras validates only on data it is given and a split above zero."""
    for name in ("validation_data", "validation_split"):
        arg = fit.args.get(name)
        if arg is not None and not (arg.value is None or _is_zero(arg.value)):
            return True
    return False


def _is_zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


def single_output(model: Model) -> bool:
    """Metrics of a multi-output model are logged per output (`out_accuracy`)."""
    if model.kind == ModelKind.SEQUENTIAL:
        return True
    return (
        model.kind == ModelKind.FUNCTIONAL
        and bool(model.layers)
        and isinstance(model.layers[-1], Layer)
    )


def logged_names(compile_call: MethodCall) -> frozenset[str] | None:
    """The names a compile logs (without `val_`), or None when not certain."""
    args = compile_call.args
    if args.has_star or len(args.positional) > 2 or args.get("weighted_metrics") is not None:
        return None
    if not isinstance(compile_call.loss, Loss):
        return None  # a loss list or dict: names are prefixed per output
    metrics = args.get("metrics")
    if metrics is None:
        return frozenset({training.LOGGED_LOSS})
    value = metrics.value
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return None  # a metric object's name, or a metric per output
    return frozenset({training.LOGGED_LOSS, *value})


def only_call(graph: Graph, index: int) -> bool:
    """The node's layer is called nowhere else in the graph (a shared layer is not)."""
    element = graph.nodes[index].element
    return sum(node.element is element for node in graph.nodes) == 1
