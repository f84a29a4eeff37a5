"""Static shape inference over a model: its chain of layers and its graph.

Output shapes and parameter counts computed from the literal arguments alone,
the way Keras computes them (channels_last; the rules are in layer_shapes.py
and more_shapes.py). A layer no rule covers, or an argument that is not
literal, makes the shape Unknown with the reason, and every layer after it
inherits that reason: `show` prints it, runtime mode (real Keras) fills in what
is left. A size may be None (not known) while the rank is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.ir import layer_shapes, more_shapes
from kerascheck.ir.layer_shapes import NotKnown, Shape, format_shape, params_without_shape
from kerascheck.ir.model import Element, Layer, Model, Node, Unknown
from kerascheck.runtime.plan import BUILDABLE, INPUT_KINDS, Skip, input_shape

__all__ = ["Row", "format_shape", "infer", "infer_graph"]

STEPS = {**layer_shapes.INFER, **more_shapes.INFER}
MERGES = more_shapes.MERGES


@dataclass(frozen=True)
class Row:
    """One layer of a model (or one node of its graph) as `show` prints it."""

    shape: Shape | Unknown
    params: int | Unknown


def _step(element: Layer, inputs: list[Shape]) -> tuple[Shape, int]:
    """One layer's output shape and parameters from its input shapes."""
    if element.kind in MERGES:
        return MERGES[element.kind](element, inputs)
    if len(inputs) != 1:
        raise NotKnown(f"`{element.kind}` called on {len(inputs)} tensors is left to Keras")
    step = STEPS.get(element.kind)
    if step is None and element.kind in BUILDABLE:
        raise NotKnown(f"the shape of `{element.kind}` is computed only by Keras (use --runtime)")
    if step is None:
        raise NotKnown(f"the shape of `{element.kind}` is unknown: runtime mode never builds it")
    return step(element, inputs[0])


def _apply(element: Layer, inputs: list[Shape]) -> tuple[Row, str | None]:
    try:
        shape, params = _step(element, inputs)
        return Row(shape, params), None
    except (NotKnown, ArithmeticError, TypeError, ValueError) as unknown:
        why = (
            unknown.reason
            if isinstance(unknown, NotKnown)
            else f"the arguments of `{element.kind}` are left to Keras"
        )
        return Row(Unknown(why), params_without_shape(element)), why


def infer(model: Model) -> tuple[list[Row], str | None]:
    """One Row per element of `model.layers`, and the first reason a shape is unknown."""
    rows: list[Row] = []
    shape: Shape | Unknown = Unknown("")
    reason: str | None = None
    start = input_shape(model) if model.layers else Skip("no layers")
    if isinstance(start, Skip):
        reason = start.reason
    else:
        shape = start
    for index, element in enumerate(model.layers):
        if not isinstance(element, Layer):
            reason = reason or f"`{element.text}` is not a layer kerascheck sees into"
            rows.append(Row(Unknown(reason), Unknown(reason)))
            shape = Unknown(reason)
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


def infer_graph(model: Model, models: tuple[Model, ...] = ()) -> tuple[list[Row], str | None]:
    """One Row per node of `model.graph`, and the first reason a shape is unknown.

    `models` are the file's models: a Sequential block of the file called as a
    layer takes its input shape from the tensor it is called on."""
    graph = model.graph
    if model.kind == "sequential" or not graph.nodes:
        return infer(model) if model.kind == "sequential" else ([], "no graph")
    rows: list[Row] = []
    reason: str | None = None
    for node in graph.nodes:
        inputs = [None if i is None else rows[i].shape for i in node.inputs]
        row, why = _node(node, inputs, models, depth=0)
        reason = reason or why
        rows.append(row)
    return rows, reason


def _node(
    node: Node, inputs: list, models: tuple[Model, ...], depth: int
) -> tuple[Row, str | None]:
    element = node.element
    if isinstance(element, Layer) and element.kind in INPUT_KINDS and not node.inputs:
        start = input_shape(Model("functional", "", element.loc, layers=(element,)))
        if isinstance(start, Skip):
            return Row(Unknown(start.reason), 0), start.reason
        return Row(start, 0), None
    known = [s for s in inputs if isinstance(s, tuple)]
    if not isinstance(element, Layer):
        block = _block(element, models)
        if block is not None and len(known) == 1 == len(inputs) and depth < 4:
            return _through_block(block, known[0], models, depth)
        why = f"`{element.text}` is not a layer kerascheck sees into"
        return Row(Unknown(why), Unknown(why)), why
    if len(known) != len(inputs) or not inputs:
        why = next((s.text for s in inputs if isinstance(s, Unknown) and s.text), "")
        why = why or f"the input of `{element.kind}` is not known"
        return Row(Unknown(why), params_without_shape(element)), None
    return _apply(element, known)


def _block(element: Element, models: tuple[Model, ...]) -> Model | None:
    index = getattr(element, "model_index", None)
    if index is None or index >= len(models):
        return None
    block = models[index]
    return block if block.kind == "sequential" else None


def _through_block(
    block: Model, shape: Shape, models: tuple[Model, ...], depth: int
) -> tuple[Row, str | None]:
    """A Sequential block on a tensor of known shape: its output and parameters."""
    total = 0
    for element in block.layers:
        if not isinstance(element, Layer) or element.conditional:
            why = f"`{block.name}` holds an element kerascheck does not see into"
            return Row(Unknown(why), Unknown(why)), why
        if element.kind in INPUT_KINDS:
            continue
        row, why = _apply(element, [shape])
        if not isinstance(row.shape, tuple) or not isinstance(row.params, int):
            return Row(Unknown(why or ""), Unknown(why or "")), why
        shape, total = row.shape, total + row.params
    return Row(shape, total), None


def fully_known(rows: list[Row]) -> bool:
    """Every output shape known."""
    return bool(rows) and all(isinstance(row.shape, tuple) for row in rows)
