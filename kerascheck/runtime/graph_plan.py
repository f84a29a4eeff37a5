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
from kerascheck.ir.model import Layer, Model
from kerascheck.runtime.plan import (
    BUILDABLE,
    INPUT_KINDS,
    NEVER_BUILT,
    Plan,
    Skip,
    input_shape,
    layer_config,
    plan,
    short,
)

# The merge layers, called on a list of tensors; built only in a graph plan.
MERGE_KINDS = frozenset(api.MERGE_FUNCTIONS.values())
GRAPH_BUILDABLE = BUILDABLE | MERGE_KINDS


@dataclass(frozen=True)
class GraphStep:
    """One node: an input (its shape), or a call of layer `layer` on `inputs`."""

    node: int  # index in model.graph.nodes
    layer: int | None = None  # index in GraphPlan.layers; None for an input
    inputs: tuple[int, ...] = ()
    shape: tuple | None = None  # an input's shape, batch axis first
    merge: bool = False  # called on a list of tensors

    def to_json(self) -> dict:
        if self.layer is None:
            return {"input": list(self.shape)}
        return {"layer": self.layer, "inputs": list(self.inputs), "merge": self.merge}


@dataclass(frozen=True)
class GraphPlan:
    layers: tuple[tuple[str, dict], ...]  # (class, config), one per layer object
    steps: tuple[GraphStep, ...]  # one per node, in the graph's order
    outputs: tuple[int, ...]
    output_names: tuple[str, ...] | None  # a dict of outputs: its keys

    @property
    def input_shape(self) -> tuple | None:
        """The first input's shape (what a chain's KC501 help reads)."""
        shapes = [s.shape for s in self.steps if s.layer is None]
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
    shape = input_shape(Model("functional", "", layer.loc, layers=(layer,)))
    if isinstance(shape, Skip):
        return shape
    return GraphStep(index, shape=shape)


def graph_plan(model: Model) -> GraphPlan | Skip:
    """How to rebuild a functional model's graph, or why it cannot be rebuilt."""
    graph = model.graph
    if not graph.nodes:
        return Skip("the outputs are tensors kerascheck did not follow")
    if not graph.outputs or None in graph.outputs:
        return Skip("an output is a tensor kerascheck did not follow")
    layers: list[tuple[str, dict]] = []
    built: dict[int, int] = {}  # id(layer object) -> its index in layers
    steps: list[GraphStep] = []
    for index, node in enumerate(graph.nodes):
        element = node.element
        if not isinstance(element, Layer):
            what = "a nested model" if element.is_model else "an element"
            return Skip(f"{what} kerascheck cannot see into: `{short(element.text)}`")
        if element.conditional:
            return Skip(f"`{element.kind}` is added inside an if/for/while/try")
        if None in node.inputs:
            return Skip(f"the input of `{element.kind}` is a tensor kerascheck did not follow")
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
        if id(element) not in built:  # a shared layer: built once, called again
            config = _layer_config(element)
            if isinstance(config, Skip):
                return config
            built[id(element)] = len(layers)
            layers.append((element.kind, config))
        steps.append(GraphStep(index, built[id(element)], tuple(node.inputs), merge=merge))
    if not any(step.layer is None for step in steps):
        return Skip("no `Input` with a literal shape")
    names = graph.output_names
    keyed = bool(names) and all(isinstance(n, str) for n in names)
    if names and any(n is not None for n in names) and not keyed:
        return Skip("a dict of outputs whose keys are not all literal")
    return GraphPlan(tuple(layers), tuple(steps), tuple(graph.outputs), names if keyed else None)


def plan_for(model: Model) -> Plan | GraphPlan | Skip:
    """A functional model's graph plan; any other model's chain plan."""
    if model.kind == "functional":
        return graph_plan(model)
    return plan(model)
