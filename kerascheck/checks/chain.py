"""KC204-KC207: the layer chain itself. These apply to blocks too, except
KC206, which needs to know where the output is."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import keeps_probabilities, only_call, output_of
from kerascheck.ir.model import Graph, KerasFile, Layer, Model, ModelKind, Opaque


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What perturbs values during training (ActivityRegularization only adds a loss term).
_PERTURBING = api.PASS_THROUGH_LAYERS - {"ActivityRegularization"}


def _plain_layers(model: Model) -> list:
    """The chain with conditional elements marked unknown."""
    return [e if isinstance(e, Layer) and not e.conditional else None for e in model.layers]


@rule(
    "KC204",
    "stacked-linear-layers",
    "Two Dense layers with nothing nonlinear between",
    severity=Severity.WARNING,
)
def stacked_linear_layers(kfile: KerasFile) -> Iterator[Finding]:
    seen: set = set()  # a block's layers sit in the models that use it too
    # An encoder's linear embedding that a classifier head builds on: removing
    # it, or adding a nonlinearity to it, changes the encoder's output.
    outputs = _graph_outputs(kfile)
    for model in kfile.models:
        for layer, following, first_dense in _linear_then_dense(model):
            if layer.loc in seen or layer.loc in outputs:
                continue
            seen.add(layer.loc)
            units = layer.args.value("units")
            next_units = following.args.value("units")
            if not (_is_int(units) and _is_int(next_units)):
                continue
            if units == 1 and next_units > 1 and first_dense:
                # A rank-1 bottleneck in front of a classifier: one number is all the
                # next layer ever sees. (Later in a chain it may be a 1-D code.)
                yield Finding(
                    "`Dense(1)` without activation feeds a wider `Dense`: every sample is "
                    "squeezed to one number, so the layers after it can only rescale it",
                    layer.loc,
                    "widen this layer and give it `activation='relu'`, or if it is meant "
                    "as the output, move it to the end",
                    ((following.loc, "the next `Dense`"),),
                )
                continue
            if units < next_units:
                continue  # a deliberate bottleneck (autoencoder code)
            yield Finding(
                "`Dense` without activation feeds another `Dense`: two linear maps in a "
                "row collapse into one, so this layer adds parameters but no capacity",
                layer.loc,
                "add a nonlinearity, e.g. `activation='relu'`, or remove this layer",
                ((following.loc, "the next `Dense`"),),
            )


def _graph_outputs(kfile: KerasFile) -> set:
    """Where the file's functional models end: the layers their outputs come from."""
    return {
        model.graph.nodes[index].element.loc
        for model in kfile.models
        for index in model.graph.outputs
        if index is not None and model.kind == ModelKind.FUNCTIONAL
    }


def _linear(element) -> bool:
    return (
        isinstance(element, Layer)
        and not element.conditional
        and element.kind == "Dense"
        and element.activation == "linear"
    )


def _linear_then_dense(model: Model) -> Iterator[tuple[Layer, Layer, bool]]:
    """(a linear Dense, the Dense it feeds through pass-through layers only,
    whether no Dense comes before it). A functional model's every head is
    followed through its graph; any other model's chain of layers."""
    if model.kind == ModelKind.FUNCTIONAL and model.graph.nodes:
        yield from _graph_pairs(model.graph)
        return
    chain = _plain_layers(model)
    for index, layer in enumerate(chain):
        if not _linear(layer):
            continue
        after = index + 1
        while (
            after < len(chain)
            and chain[after] is not None
            and chain[after].kind in api.PASS_THROUGH_LAYERS
        ):
            after += 1
        following = chain[after] if after < len(chain) else None
        if following is not None and following.kind == "Dense":
            first_dense = not any(e is not None and e.kind == "Dense" for e in chain[:index])
            yield layer, following, first_dense


def _graph_pairs(graph: Graph) -> Iterator[tuple[Layer, Layer, bool]]:
    """In a graph: the linear Dense's output goes, through pass-through layers
    that each feed one layer, into one Dense and nowhere else (not into a skip
    connection, another head or the model's outputs)."""
    nodes = graph.nodes
    for index, node in enumerate(nodes):
        layer = node.element
        if not _linear(layer) or index in graph.outputs:
            continue
        if not only_call(graph, index):
            continue  # a shared layer: each call is not the whole story
        current = index
        while True:
            consumers = graph.consumers(current)
            if len(consumers) != 1:
                break
            current = consumers[0]
            element = nodes[current].element
            if (
                not isinstance(element, Layer)
                or element.conditional
                or element.kind not in api.PASS_THROUGH_LAYERS
                or current in graph.outputs
            ):
                break
        following = nodes[current].element
        if current == index or not isinstance(following, Layer) or following.kind != "Dense":
            continue
        if len(nodes[current].inputs) != 1 or following.conditional:
            continue
        yield layer, following, not _dense_upstream(graph, index)


def _dense_upstream(graph: Graph, index: int) -> bool:
    """A Dense (or a node kerascheck does not see) feeds this node, however far back."""
    stack, seen = list(graph.nodes[index].inputs), set()
    while stack:
        source = stack.pop()
        if source is None:
            return True
        if source in seen:
            continue
        seen.add(source)
        element = graph.nodes[source].element
        if not isinstance(element, Layer) or element.kind == "Dense":
            return True
        stack.extend(graph.nodes[source].inputs)
    return False


@rule("KC205", "hidden-softmax", "Softmax on a hidden layer", severity=Severity.WARNING)
def hidden_softmax(kfile: KerasFile) -> Iterator[Finding]:
    seen: set = set()  # a block's layers sit in the models that use it too
    for model in kfile.models:
        for layer, weighted in _softmax_then_weighted(model):
            if layer.loc in seen:
                continue
            seen.add(layer.loc)
            yield Finding(
                "`softmax` on a hidden layer squashes its outputs to sum to 1, starving "
                "the next layers of signal",
                layer.activation_loc or layer.loc,
                "use `activation='relu'` here and keep `softmax` for the output layer",
                ((weighted.loc, f"followed by `{weighted.kind}`"),),
            )


def _weighted(element: Layer) -> bool:
    """A layer that does more with a probability vector than keep it one."""
    return not keeps_probabilities(element) and (
        element.activation is not None
        or element.kind not in (api.PASS_THROUGH_LAYERS | api.RESHAPING_LAYERS)
    )


def _softmax_then_weighted(model: Model) -> Iterator[tuple[Layer, Layer]]:
    """(a softmax layer, the first layer after it that does not keep a
    probability vector). A functional model's every head is followed through
    its graph, along a path with no branch or merge (a softmax feeding a
    merge is attention weights, not a hidden layer); any other model's chain."""
    if model.kind == ModelKind.FUNCTIONAL and model.graph.nodes:
        yield from _graph_softmax(model.graph)
        return
    chain = model.layers
    for index, layer in enumerate(chain):
        if not isinstance(layer, Layer) or layer.activation != "softmax":
            continue
        rest = chain[index + 1 :]
        if any(not isinstance(e, Layer) or e.conditional for e in rest):
            continue  # what follows is not certain
        weighted = [e for e in rest if _weighted(e)]
        if weighted:
            yield layer, weighted[0]


def _graph_softmax(graph: Graph) -> Iterator[tuple[Layer, Layer]]:
    nodes = graph.nodes
    for index, node in enumerate(nodes):
        layer = node.element
        if not isinstance(layer, Layer) or layer.activation != "softmax" or layer.conditional:
            continue
        current = index
        while current not in graph.outputs:
            consumers = graph.consumers(current)
            if len(consumers) != 1 or len(nodes[consumers[0]].inputs) != 1:
                break  # a branch or a merge: not a plain hidden layer
            current = consumers[0]
            element = nodes[current].element
            if not isinstance(element, Layer) or element.conditional:
                break
            if _weighted(element):
                yield layer, element
                break


@rule(
    "KC206",
    "layer-after-output",
    "Dropout or noise after the output layer",
    severity=Severity.ERROR,
)
def layer_after_output(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.is_block or not model.compiles or output_of(model) is None:
            continue
        chain = model.layers
        first_trailing = None
        for index in range(len(chain) - 1, -1, -1):
            element = chain[index]
            if isinstance(element, Layer) and element.kind in _PERTURBING:
                first_trailing = element
            else:
                break
        if first_trailing is None:
            continue
        yield Finding(
            f"`{first_trailing.kind}` after the output layer perturbs the predictions "
            f"themselves during training",
            first_trailing.loc,
            f"remove this `{first_trailing.kind}`, or move it before the output layer",
        )


@rule(
    "KC207", "duplicate-layer-name", "Two layers of one model share a name", severity=Severity.ERROR
)
def duplicate_layer_name(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        first_seen: dict[str, Layer] = {}
        for element in model.layers:
            if isinstance(element, Opaque) or element.conditional:
                continue
            name = element.args.value("name")
            if not isinstance(name, str):
                continue
            earlier = first_seen.setdefault(name, element)
            if earlier is element or earlier.loc == element.loc:
                continue  # a shared layer called twice is one layer
            yield Finding(
                f"Layer name {name!r} is already used in this model: Keras raises "
                f"`ValueError` when it builds the model",
                element.args.get("name").loc,
                f"give this layer a unique name, e.g. {name + '_2'!r}",
                ((earlier.loc, f"first layer named {name!r}"),),
            )
