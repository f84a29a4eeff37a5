"""KC211: a model Keras would refuse to build, seen from static shapes alone.

Shapes come from ir/shapes.py over the model's graph; a layer's shape rule
raises Refused only where Keras certainly raises (a rank its InputSpec or kernel
rejects, a size that becomes zero or less, a Reshape that cannot hold its input,
merge inputs that do not match), checked against Keras by
tests/test_shape_errors.py. Anything uncertain on the way (an element added in
an `if`, a Keras 1 argument whose meaning changed, a value that is not literal)
leaves the shape unknown, and the rule silent.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.catalog.buildable import INPUT_KINDS
from kerascheck.checks.channels import channels_first_inputs
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.input_shape import input_shape
from kerascheck.ir.model import LAYERED, KerasFile, Layer, Loc, Model, ModelKind, Unknown
from kerascheck.ir.shapes import Row, infer_file


def keras1_layer_calls(kfile: KerasFile) -> set[Loc]:
    """Layers written `Convolution2D(32, 3, 3)`: Keras 1 positions (KC407's
    business), whose shapes are not what the author meant. With at most two
    positional arguments (filters, kernel size) the Keras 2 alias means what
    it says."""
    return {
        call.loc
        for call in kfile.calls
        if api.leaf(call.path) in api.KERAS1_CONVOLUTIONS
        and (len(call.args.positional) > 2 or call.args.has_star)
    }


def is_keras1(layer: Layer, keras1_calls: set[Loc]) -> bool:
    """Written with Keras 1 arguments, or wrapping a layer that is
    (`TimeDistributed(Convolution2D(16, 3, 3))`)."""
    if layer.wrapped is not None and is_keras1(layer.wrapped, keras1_calls):
        return True
    return layer.loc in keras1_calls or any(
        arg.keyword in api.KERAS1_SHAPE_ARGUMENTS for arg in layer.args.keywords
    )


def refusals(kfile: KerasFile) -> Iterator[tuple[Model, Layer, str, str | None]]:
    """(model, layer Keras would blame, why, help) for each model that does not build;
    a layer two models share is reported once."""
    seen: set[Loc] = set()
    keras1_calls = keras1_layer_calls(kfile)
    for model, (rows, _) in zip(kfile.models, infer_file(kfile.models)):
        if model.kind not in LAYERED:
            continue
        found = _first_refusal(model, rows, keras1_calls)
        if found is not None and found[0].loc not in seen:
            seen.add(found[0].loc)
            yield model, *found


def _first_refusal(
    model: Model, rows: list[Row], keras1_calls: set[Loc]
) -> tuple[Layer, str, str | None] | None:
    nodes = model.graph.nodes
    for index, (node, row) in enumerate(zip(nodes, rows)):
        element = node.element
        if (
            not isinstance(element, Layer)
            or element.conditional
            or is_keras1(element, keras1_calls)
        ):
            return None  # what follows rests on something uncertain
        if row.refused and isinstance(row.shape, Unknown):
            if index == 0:  # a first layer's own input_shape
                fed, where = input_shape(model), "input_shape"
            else:
                source = node.inputs[0] if len(node.inputs) == 1 else None
                feeder = nodes[source].element if source is not None else None
                fed, where = None, ""
                if isinstance(feeder, Layer) and feeder.kind in INPUT_KINDS:
                    # The shape as written: a size the source does not pin
                    # down (`shape=(frames, 64, 64, 3)`) is no batch axis.
                    fed = input_shape(Model(ModelKind.FUNCTIONAL, "", feeder.loc, layers=(feeder,)))
                    where = "shape"
            return element, row.shape.text, _channels_help(element, fed, where)
    return None


def _channels_help(layer: Layer, fed: object, where: str) -> str | None:
    """A convolution fed the model's input without its channels axis, or with
    the batch axis written into the shape (`input_shape=(None, 28, 28, 1)`)."""
    rank = _CONV_RANKS.get(layer.kind[-2:]) if layer.kind.startswith(_CONVOLUTIONS) else None
    if rank is None or not where or not isinstance(fed, tuple):
        return None
    if len(fed) == rank - 1:
        shape = ", ".join(str(s) for s in fed[1:]) + ", 1"
        return f"give the input a channels axis: `{where}=({shape})` for one channel"
    if len(fed) == rank + 1 and fed[1] is None and None not in fed[2:]:
        shape = ", ".join(str(s) for s in fed[2:])
        return f"`{where}` leaves out the batch axis, which Keras adds itself: `{where}=({shape})`"
    return None


_CONVOLUTIONS = ("Conv", "SeparableConv", "DepthwiseConv")
_CONV_RANKS = {"1D": 3, "2D": 4, "3D": 5}


@rule(
    "KC211",
    "shape-error",
    "Keras would refuse to build the model: shapes that do not fit",
    severity=Severity.ERROR,
)
def shape_error(kfile: KerasFile) -> Iterator[Finding]:
    # A channels-first input is KC208's: it says why the shapes do not fit.
    channels_first = {reader.loc for _, _, reader in channels_first_inputs(kfile)}
    for model, layer, why, help_ in refusals(kfile):
        if layer.loc in channels_first:
            continue
        yield Finding(
            f"`{model.name}` does not build: {why}",
            layer.place,
            help_ or "Keras raises a ValueError when it builds this layer: fix the shape it gets",
        )
