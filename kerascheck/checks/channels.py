"""KC208: a channels-first input shape fed to a channels-last convolution."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.catalog.buildable import INPUT_KINDS
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.model import LAYERED, Arg, KerasFile, Layer, Loc, Model

# Layers that read the last axis as channels by default (channels_last).
_SPATIAL_2D = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose")
_POOLING_2D = ("MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D")
# 1 (grey) or 3 (RGB) channels first, then a map much larger than that.
_CHANNELS = (1, 3)
_SHAPE_ARGS = ("shape", "input_shape", "batch_shape", "batch_input_shape")


def _shape_arg(layer: Layer) -> tuple[Arg, tuple] | None:
    for name in _SHAPE_ARGS:
        arg = layer.args.get(name)
        if arg is None:
            continue
        value = arg.value
        if name.startswith("batch") and isinstance(value, (tuple, list)):
            value = value[1:]
        if isinstance(value, (tuple, list)) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return arg, tuple(value)
        return None
    return None


def _channels_first(shape: tuple) -> bool:
    return len(shape) == 3 and shape[0] in _CHANNELS and shape[1] > 4 * shape[0] < shape[2]


def _channels_last(layer: Layer) -> bool:
    fmt = layer.args.value("data_format", None)
    return not layer.args.has_star and fmt in (None, "channels_last")


def _fed(model: Model) -> Iterator[tuple[Layer, Layer]]:
    """(the layer that holds the input shape, the first layer that reads it)."""
    graph = model.graph
    for index, node in enumerate(graph.nodes):
        element = node.element
        if not isinstance(element, Layer) or element.conditional:
            continue
        if not node.inputs and element.kind not in INPUT_KINDS:
            yield element, element  # a first layer with its own input_shape
            continue
        if len(node.inputs) == 1 and node.inputs[0] is not None:
            source = graph.nodes[node.inputs[0]].element
            if isinstance(source, Layer) and source.kind in INPUT_KINDS and index:
                yield source, element


def _sets_data_format(kfile: KerasFile) -> bool:
    """`keras.backend.set_image_data_format("channels_first")` changes the default."""
    return any(
        api.leaf(call.path) in ("set_image_data_format", "set_image_dim_ordering")
        for call in kfile.calls
    )


def channels_first_inputs(kfile: KerasFile) -> Iterator[tuple[Arg, tuple, Layer]]:
    """(the shape argument, its value, the channels-last layer that reads it)."""
    if _sets_data_format(kfile):
        return
    seen: set[Loc] = set()
    for model in kfile.models:
        if model.kind not in LAYERED:
            continue
        for holder, reader in _fed(model):
            if reader.kind not in _SPATIAL_2D + _POOLING_2D or not _channels_last(reader):
                continue
            found = _shape_arg(holder)
            if found is None or not _channels_first(found[1]) or found[0].loc in seen:
                continue
            seen.add(found[0].loc)
            yield found[0], found[1], reader


@rule(
    "KC208",
    "channels-first-input",
    "A channels-first input shape feeding a channels-last convolution or pooling",
    severity=Severity.ERROR,
)
def channels_first_input(kfile: KerasFile) -> Iterator[Finding]:
    for arg, shape, reader in channels_first_inputs(kfile):
        channels, height, width = shape
        yield Finding(
            f"`{shape}` looks channels-first, but `{reader.kind}` reads the last axis as "
            f"channels: it sees {width} channels of {channels}x{height} images",
            arg.loc,
            f"put the channels last: `{(height, width, channels)}`, and arrange the data "
            "to match (`np.moveaxis(x, 1, -1)`)",
            related=((reader.loc, f"`{reader.kind}` is channels_last"),),
        )
