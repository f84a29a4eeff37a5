"""A functional model's graph (IR) -> a graph plan the worker rebuilds, or why not.

Pure Python, no Keras. Like a chain plan it is plain JSON: the layers to build
(a catalogued class and literal arguments each, built once even when the model
calls the layer twice) and the nodes that call them, each naming the nodes it
takes its inputs from. Inputs are `keras.Input(batch_shape=...)` nodes; the
outputs are a list or a dict, as the model returns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.catalog import api
from kerascheck.catalog.buildable import BUILDABLE, INPUT_KINDS, NEVER_BUILT
from kerascheck.ir.input_shape import Skip, input_shape
from kerascheck.ir.model import Layer, Model, ModelKind, Opaque
from kerascheck.runtime.plan import Plan, layer_config, plan, short

NO_INPUT = "input shape unknown: no `Input`, `input_shape` or `build()`"
# The merge layers, called on a list of tensors; built only in a graph plan.
MERGE_KINDS = frozenset(api.MERGE_FUNCTIONS.values())
GRAPH_BUILDABLE = BUILDABLE | MERGE_KINDS


@dataclass(frozen=True)
class GraphStep:
    """One node: an input (its shape), a call of layer `layer` on `inputs`, or
    a Sequential block's layers (`block`) called one after the other."""

    node: int  # index in model.graph.nodes
    layer: int | None = None  # index in GraphPlan.layers; None for an input
    inputs: tuple[int, ...] = ()
    shape: tuple | None = None  # an input's shape, batch axis first
    merge: bool = False  # called on a list of tensors
    block: tuple[int, ...] = ()

    def to_json(self) -> dict:
        if self.block:
            return {"block": list(self.block), "inputs": list(self.inputs)}
        if self.layer is None:
            return {"input": list(self.shape)}
        return {"layer": self.layer, "inputs": list(self.inputs), "merge": self.merge}


@dataclass(frozen=True)
class GraphPlan:
    layers: tuple[tuple[str, dict], ...]  # (class, config), one per layer object
    steps: tuple[GraphStep, ...]  # one per node, in the graph's order
    outputs: tuple[int, ...]
    output_names: tuple[str, ...] | None  # a dict of outputs: its keys
    # The IR layer of each entry of `layers`, to name the one Keras refuses
    # (never sent to the worker).
    elements: tuple[Layer, ...] = ()

    @property
    def input_shape(self) -> tuple | None:
        """The first input's shape (what a chain's KC501 help reads)."""
        shapes = [s.shape for s in self.steps if s.shape is not None]
        return shapes[0] if shapes else None

    def to_json(self) -> dict:
        return {
            "layers": [{"class": kind, "config": config} for kind, config in self.layers],
            "nodes": [step.to_json() for step in self.steps],
            "outputs": list(self.outputs),
            "output_names": None if self.output_names is None else list(self.output_names),
        }


def _merge_config(layer: Layer) -> dict | Skip:
    """A merge's arguments; the functional form's list of inputs is the node's."""
    args = layer.args
    if "inputs" in args.signature:  # `layers.add([a, b])`
        index = args.signature.index("inputs")
        positional = args.positional[:index] + args.positional[index + 1 :]
        signature = args.signature[:index] + args.signature[index + 1 :]
        keywords = tuple(a for a in args.keywords if a.keyword != "inputs")
        args = type(args)(positional, keywords, signature, args.has_star)
        layer = Layer(layer.kind, args, layer.loc)
    return layer_config(layer)


def _layer_config(layer: Layer) -> dict | Skip:
    if layer.kind not in GRAPH_BUILDABLE:
        if layer.kind in NEVER_BUILT:
            return Skip(f"`{layer.kind}` {NEVER_BUILT[layer.kind]}: never built")
        return Skip(f"`{layer.kind}` is not among the layers runtime mode builds")
    config = _merge_config(layer) if layer.kind in MERGE_KINDS else layer_config(layer)
    if not isinstance(config, Skip) and config.get("return_state"):
        return Skip(f"`{layer.kind}` returns its states: several tensors from one call")
    return config


def _input_step(index: int, layer: Layer) -> GraphStep | Skip:
    shape = input_shape(Model(ModelKind.FUNCTIONAL, "", layer.loc, layers=(layer,)))
    if isinstance(shape, Skip):
        return shape
    return GraphStep(index, shape=shape)


def _block(element: Opaque, models: tuple[Model, ...]) -> tuple[Layer, ...] | Skip:
    """The layers of a Sequential of the file called as a layer, when the plan
    can call them one after the other exactly as the block would."""
    index = element.model_index
    if not element.is_model or index is None or index >= len(models):
        what = "a nested model" if element.is_model else "an element"
        return Skip(f"{what} kerascheck cannot see into: `{short(element.text)}`")
    block = models[index]
    if block.kind != ModelKind.SEQUENTIAL or not block.layers:
        return Skip(f"a nested model kerascheck does not rebuild: `{block.name}`")
    for layer in block.layers:
        if not isinstance(layer, Layer):
            return Skip(f"`{block.name}` holds an element kerascheck cannot see into")
        if layer.conditional:
            return Skip(f"`{layer.kind}` is added to `{block.name}` inside an if/for/while/try")
        if layer.kind in MERGE_KINDS:
            return Skip(f"`{layer.kind}` in the nested `{block.name}`")
    own = input_shape(block)
    if not isinstance(own, Skip) or own.reason != NO_INPUT:
        # Keras would check the tensor against it; the plan does not say that.
        return Skip(f"the nested `{block.name}` has an input shape of its own")
    return block.layers


def graph_plan(model: Model, models: tuple[Model, ...] = ()) -> GraphPlan | Skip:
    """How to rebuild a functional model's graph, or why it cannot be rebuilt.
    `models`: the file's models, for Sequential blocks called as layers."""
    graph = model.graph
    if not graph.nodes:
        return Skip("the outputs are tensors kerascheck did not follow")
    if not graph.outputs or None in graph.outputs:
        return Skip("an output is a tensor kerascheck did not follow")
    layers: list[tuple[str, dict]] = []
    elements: list[Layer] = []
    built: dict[int, int] = {}  # id(layer object) -> its index in layers

    def number(layer: Layer) -> int | Skip:
        if id(layer) not in built:  # a shared layer: built once, called again
            config = _layer_config(layer)
            if isinstance(config, Skip):
                return config
            built[id(layer)] = len(layers)
            layers.append((layer.kind, config))
            elements.append(layer)
        return built[id(layer)]

    steps: list[GraphStep] = []
    for index, node in enumerate(graph.nodes):
        element = node.element
        kind = element.kind if isinstance(element, Layer) else f"`{short(element.text)}`"
        if None in node.inputs:
            return Skip(f"the input of `{kind}` is a tensor kerascheck did not follow")
        if isinstance(element, Opaque):
            block = _block(element, models)
            if isinstance(block, Skip):
                return block
            if len(node.inputs) != 1 or element.conditional:
                return Skip(f"the nested `{short(element.text)}` called on several tensors")
            numbers = [number(layer) for layer in block]
            skipped = next((n for n in numbers if isinstance(n, Skip)), None)
            if skipped is not None:
                return skipped
            steps.append(GraphStep(index, inputs=tuple(node.inputs), block=tuple(numbers)))
            continue
        if element.conditional:
            return Skip(f"`{element.kind}` is added inside an if/for/while/try")
        if element.kind in INPUT_KINDS:
            if node.inputs:
                return Skip(f"`{element.kind}` called on a tensor")
            step = _input_step(index, element)
            if isinstance(step, Skip):
                return step
            steps.append(step)
            continue
        merge = element.kind in MERGE_KINDS
        if not node.inputs or (len(node.inputs) != 1 and not merge):
            return Skip(f"`{element.kind}` called on {len(node.inputs)} tensors")
        layer = number(element)
        if isinstance(layer, Skip):
            return layer
        steps.append(GraphStep(index, layer, tuple(node.inputs), merge=merge))
    if not any(step.shape is not None for step in steps):
        return Skip("no `Input` with a literal shape")
    names = graph.output_names
    keyed = bool(names) and all(isinstance(n, str) for n in names)
    if names and any(n is not None for n in names) and not keyed:
        return Skip("a dict of outputs whose keys are not all literal")
    outputs = tuple(graph.outputs)
    return GraphPlan(
        tuple(layers), tuple(steps), outputs, names if keyed else None, tuple(elements)
    )


def plan_for(model: Model, models: tuple[Model, ...] = ()) -> Plan | GraphPlan | Skip:
    """A functional model's graph plan; any other model's chain plan."""
    if model.kind == ModelKind.FUNCTIONAL:
        return graph_plan(model, models)
    return plan(model)
