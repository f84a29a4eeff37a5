"""Static shape inference over a model: its chain of layers and its graph.

Output shapes and parameter counts computed from the literal arguments alone,
the way Keras computes them (channels_last; the rules are in layer_shapes.py
and more_shapes.py). A layer no rule covers, or an argument that is not
literal, makes the shape Unknown with the reason, and every layer after it
inherits that reason: `show` prints it, runtime mode (real Keras) fills in what
is left. A size may be None (not known) while the rank is known.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kerascheck.catalog import api
from kerascheck.catalog.buildable import BUILDABLE, INPUT_KINDS
from kerascheck.catalog.shape_facts import BIDIRECTIONAL_DEFAULT_MERGE, BIDIRECTIONAL_MERGES
from kerascheck.ir import layer_shapes, more_shapes
from kerascheck.ir.applications import application_output
from kerascheck.ir.input_shape import Skip, input_shape
from kerascheck.ir.layer_shapes import (
    NotKnown,
    Refused,
    Shape,
    format_shape,
    params_without_shape,
    times,
    value_of,
)
from kerascheck.ir.model import Element, Layer, Model, ModelKind, Node, Opaque, Unknown

__all__ = ["Row", "format_shape", "infer", "infer_graph"]

STEPS = {**layer_shapes.INFER, **more_shapes.INFER}
MERGES = more_shapes.MERGES


@dataclass(frozen=True)
class Row:
    """One layer of a model (or one node of its graph) as `show` prints it."""

    shape: Shape | Unknown
    params: int | Unknown
    # Keras certainly refuses to build this layer on its input (KC211).
    refused: bool = False


def _step(element: Layer, inputs: list[Shape]) -> tuple[Shape, int | None]:
    """One layer's output shape and parameters from its input shapes."""
    if element.kind in MERGES:
        return MERGES[element.kind](element, inputs)
    if len(inputs) != 1:
        raise NotKnown(f"`{element.kind}` called on {len(inputs)} tensors is left to Keras")
    if element.kind in api.WRAPPER_LAYERS:
        return _wrapper(element, inputs[0])
    step = STEPS.get(element.kind)
    if step is None and element.kind in BUILDABLE:
        raise NotKnown(f"the shape of `{element.kind}` is computed only by Keras (use --runtime)")
    if step is None:
        raise NotKnown(f"the shape of `{element.kind}` is unknown: runtime mode never builds it")
    return step(element, inputs[0])


def _wrapper(element: Layer, shape: Shape) -> tuple[Shape, int | None]:
    """`TimeDistributed` applies its layer to every step; `Bidirectional` runs
    its recurrent layer both ways and merges the two outputs."""
    inner = element.wrapped
    if inner is None:
        raise NotKnown(f"the layer `{element.kind}` wraps is not one kerascheck sees")
    inner = _mapped(inner)
    if element.kind == "TimeDistributed":
        if len(shape) < 3:
            raise NotKnown("`TimeDistributed` on an input without a time axis is left to Keras")
        step, params = _step(inner, [(shape[0], *shape[2:])])
        return (shape[0], shape[1], *step[1:]), params
    merge = value_of(element, "merge_mode", BIDIRECTIONAL_DEFAULT_MERGE)
    if (
        inner.kind not in api.RECURRENT_LAYERS
        or value_of(inner, "return_state", False) is not False
        or value_of(element, "backward_layer", None) is not None
        or merge not in BIDIRECTIONAL_MERGES
    ):
        raise NotKnown("this `Bidirectional` is left to Keras")
    out, params = _step(inner, [shape])
    if merge == BIDIRECTIONAL_DEFAULT_MERGE:
        out = (*out[:-1], times(out[-1], 2))
    return out, times(params, 2)


def _mapped(layer: Layer) -> Layer:
    """Positional arguments mapped through the longer signature some layers need."""
    args = layer.args
    if len(args.positional) > len(args.signature):
        more = api.MORE_LAYER_SIGNATURES.get(layer.kind)
        if more is not None and len(args.positional) <= len(more):
            return replace(layer, args=replace(args, signature=more))
        raise NotKnown(f"`{layer.kind}` has positional arguments kerascheck does not map")
    return layer


def _apply(element: Layer, inputs: list[Shape]) -> tuple[Row, str | None]:
    try:
        element = _mapped(element)
        shape, params = _step(element, inputs)
        if params is None:  # the output's rank is known, a size it counts is not
            why = _size_not_known(element)
            return Row(shape, Unknown(why)), why
        return Row(shape, params), None
    except (NotKnown, ArithmeticError, TypeError, ValueError) as unknown:
        why = (
            unknown.reason
            if isinstance(unknown, NotKnown)
            else f"the arguments of `{element.kind}` are left to Keras"
        )
        refused = isinstance(unknown, Refused)
        return Row(Unknown(why), params_without_shape(element), refused), why


# The arguments that set a size of a layer's output or weights.
_SIZE_ARGUMENTS = ("units", "filters", "input_dim", "output_dim")


def _size_not_known(layer: Layer) -> str:
    """Why a layer's parameters are not known: a size argument of its own or of
    the layer it wraps (`Bidirectional(LSTM(units))`), else its input's."""
    for owner in (layer, layer.wrapped) if layer.wrapped is not None else (layer,):
        for name in _SIZE_ARGUMENTS:
            arg = owner.args.get(name)
            if arg is not None and isinstance(arg.value, Unknown):
                return f"`{name}={arg.text}` of `{owner.kind}` is not a literal"
    return f"the input of `{layer.kind}` has a last dimension kerascheck does not know"


def infer(
    model: Model, given: Shape | None = None, models: tuple[Model, ...] = (), depth: int = 0
) -> tuple[list[Row], str | None]:
    """One Row per element of `model.layers`, and the first reason a shape is unknown.

    `given`: the shape of the tensor a block is called on, where it has none of
    its own; `models`: the file's models, for a block among the elements."""
    rows: list[Row] = []
    shape: Shape | Unknown = Unknown("")
    reason: str | None = None
    start = input_shape(model, partial=True) if model.layers else Skip("no layers")
    first = model.layers[0] if model.layers else None
    if isinstance(start, Skip) and given is not None and isinstance(first, Layer):
        start = given if first.kind not in INPUT_KINDS else start
    if isinstance(start, Skip):
        reason = start.reason
    else:
        shape = start
    for index, element in enumerate(model.layers):
        if not isinstance(element, Layer):
            if isinstance(shape, tuple):
                row, why = _through_opaque(element, shape, models, depth)
            else:
                why = f"`{element.text}` is not a layer kerascheck sees into"
                row = Row(Unknown(why), Unknown(why))
            reason = reason or why
            shape = row.shape
            rows.append(row)
            continue
        if element.kind in INPUT_KINDS and index == 0:
            rows.append(Row(shape, 0))
            continue
        if isinstance(shape, Unknown):
            rows.append(Row(shape, params_without_shape(element)))
            continue
        row, why = _apply(element, [shape])
        reason = reason or why
        shape = row.shape
        rows.append(row)
    return rows, reason


def infer_graph(
    model: Model, models: tuple[Model, ...] = (), given: Shape | None = None, depth: int = 0
) -> tuple[list[Row], str | None]:
    """One Row per node of `model.graph`, and the first reason a shape is unknown.

    `models` are the file's models: a block of the file called as a layer takes
    its input shape from the tensor it is called on (`given`, for a block)."""
    graph = model.graph
    if model.kind == ModelKind.SEQUENTIAL:
        return infer(model, given, models, depth)
    if not graph.nodes:
        return [], "the outputs are tensors kerascheck did not follow"
    rows: list[Row] = []
    reason: str | None = None
    first_inputs: dict[int, list] = {}  # a layer's input shapes on its first call
    for index, node in enumerate(graph.nodes):
        inputs = [None if i is None else rows[i].shape for i in node.inputs]
        override = given if len(graph.inputs) == 1 and index in graph.inputs else None
        if first_inputs.setdefault(id(node.element), inputs) != inputs:
            # A shared layer's weights were made for its first input: whether
            # another shape fits them is left to Keras.
            why = f"`{_kind(node.element)}` called again on another shape is left to Keras"
            rows.append(Row(Unknown(why), Unknown(why)))
            reason = reason or why
            continue
        row, why = _node(node, inputs, models, depth, override)
        reason = reason or why
        rows.append(row)
    return rows, reason


def _kind(element: Element) -> str:
    return element.kind if isinstance(element, Layer) else " ".join(element.text.split())[:60]


def _node(
    node: Node, inputs: list, models: tuple[Model, ...], depth: int, given: Shape | None
) -> tuple[Row, str | None]:
    element = node.element
    if isinstance(element, Layer) and element.kind in INPUT_KINDS and not node.inputs:
        start = input_shape(
            Model(ModelKind.FUNCTIONAL, "", element.loc, layers=(element,)), partial=True
        )
        if isinstance(start, Skip):
            if given is not None:
                return Row(given, 0), None
            return Row(Unknown(start.reason), 0), start.reason
        return Row(start, 0), None
    known = [s for s in inputs if isinstance(s, tuple)]
    if not isinstance(element, Layer):
        if len(known) == 1 == len(inputs):
            return _through_opaque(element, known[0], models, depth)
        why = f"`{element.text}` is not a layer kerascheck sees into"
        return Row(Unknown(why), Unknown(why)), why
    if len(known) != len(inputs) or not inputs:
        if None in inputs or not inputs:
            why = f"the input of `{element.kind}` is a tensor kerascheck did not follow"
            return Row(Unknown(why), params_without_shape(element)), why
        why = next(s.text for s in inputs if isinstance(s, Unknown))
        return Row(Unknown(why), params_without_shape(element)), None
    return _apply(element, known)


def _through_opaque(
    element: Opaque, shape: Shape, models: tuple[Model, ...], depth: int
) -> tuple[Row, str | None]:
    """A model of the file or a Keras application, used as a layer."""
    block = _block(element, models)
    if block is not None and depth < 4:
        return _through_block(block, shape, models, depth)
    if element.made_by is not None:
        try:
            output = application_output(element.made_by, shape)
        except NotKnown as unknown:
            return Row(Unknown(unknown.reason), Unknown(unknown.reason)), unknown.reason
        weights = output.params
        if weights is None:
            weights = Unknown(f"the weights of `{element.text}` are left to Keras")
        return Row(output.shape, weights), output.unknown_size
    why = f"`{element.text}` is not a layer kerascheck sees into"
    return Row(Unknown(why), Unknown(why)), why


def _block(element: Element, models: tuple[Model, ...]) -> Model | None:
    index = getattr(element, "model_index", None)
    if index is None or index >= len(models):
        return None
    block = models[index]
    graph = block.graph
    if block.kind == ModelKind.SEQUENTIAL or (
        block.kind == ModelKind.FUNCTIONAL and len(graph.inputs) == 1 and len(graph.outputs) == 1
    ):
        return block
    return None


def _through_block(
    block: Model, shape: Shape, models: tuple[Model, ...], depth: int
) -> tuple[Row, str | None]:
    """A block on a tensor of known shape: its output and parameters."""
    rows, _ = infer_graph(block, models, shape, depth + 1)
    out = len(rows) - 1 if block.kind == ModelKind.SEQUENTIAL else block.graph.outputs[0]
    if not fully_known(rows) or out is None:
        why = f"`{block.name}` holds a layer whose shape kerascheck does not know"
        return Row(Unknown(why), Unknown(why)), why
    params = [r.params for r in rows]
    total = sum(params) if all(isinstance(p, int) for p in params) else Unknown("params")
    return Row(rows[out].shape, total), None


def block_inputs(models: tuple[Model, ...]) -> dict[int, Shape]:
    """The input shape of each block of the file, from the tensors it is
    called on in the file's functional models (when every call agrees)."""
    seen: dict[int, set] = {}
    for model in models:
        if model.kind != ModelKind.FUNCTIONAL:
            continue
        rows, _ = infer_graph(model, models)
        for node in model.graph.nodes:
            index = getattr(node.element, "model_index", None)
            if index is None or len(node.inputs) != 1 or node.inputs[0] is None:
                continue
            shape = rows[node.inputs[0]].shape
            seen.setdefault(index, set()).add(shape if isinstance(shape, tuple) else None)
    return {
        i: shapes.pop() for i, shapes in seen.items() if len(shapes) == 1 and None not in shapes
    }


def infer_file(models: tuple[Model, ...]) -> list[tuple[list[Row], str | None]]:
    """Rows and first reason for every model of a file, blocks included.

    Several rules ask for the same file's shapes in turn: the last file's are
    kept (its models tuple is held, so its identity is not reused meanwhile).
    The rows are shared, so callers only read them."""
    global _last_inferred
    last = _last_inferred  # one read: another thread may replace it meanwhile
    if last[0] is models:
        return last[1]
    given = block_inputs(models)
    inferred = [infer_graph(m, models, given.get(i)) for i, m in enumerate(models)]
    _last_inferred = (models, inferred)
    return inferred


_last_inferred: tuple = (None, None)


def fully_known(rows: list[Row]) -> bool:
    """Every output shape known."""
    return bool(rows) and all(isinstance(row.shape, tuple) for row in rows)
