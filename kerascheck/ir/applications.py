"""The output shape of a Keras application used as a layer, from the
arguments of the call that made it (the channels are a catalog fact); the
spatial sizes are left unknown, and so are the weights."""

from __future__ import annotations

from kerascheck.catalog.api import leaf
from kerascheck.catalog.applications import DEFAULT_CLASSES, FEATURE_CHANNELS, POOLINGS
from kerascheck.ir.layer_shapes import NotKnown, Shape
from kerascheck.ir.model import KerasCall


def application_output(call: KerasCall, shape: Shape) -> Shape:
    """What `applications.X(...)` gives on an image batch of `shape`."""
    name = leaf(call.path)
    channels = FEATURE_CHANNELS.get(name)
    args = call.args
    left = NotKnown(f"the output of `{name}` is left to Keras")
    if channels is None or args.positional or len(shape) != 4:
        raise left
    if args.value("alpha", 1.0) != 1.0:  # a narrower MobileNet has fewer channels
        raise left
    include_top = args.value("include_top", True)
    if include_top is True:
        classes = args.value("classes", DEFAULT_CLASSES)
        if isinstance(classes, int) and not isinstance(classes, bool) and classes > 0:
            return (shape[0], classes)
        raise left
    pooling = args.value("pooling", None)
    if include_top is not False or pooling not in POOLINGS:
        raise left
    if pooling is None:
        return (shape[0], None, None, channels)
    return (shape[0], channels)
