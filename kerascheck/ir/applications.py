"""The output of a Keras application used as a layer, from the arguments of the
call that made it: its channels and weights are catalog facts; the size of a
feature map it keeps (no pooling) is left to Keras."""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.catalog.api import leaf
from kerascheck.catalog.applications import (
    DEFAULT_CLASSES,
    FEATURE_CHANNELS,
    FEATURE_PARAMS,
    POOLINGS,
)
from kerascheck.ir.layer_shapes import NotKnown, Shape
from kerascheck.ir.model import KerasCall

RGB = 3  # the catalogued weights are those of an RGB network


@dataclass(frozen=True)
class Application:
    shape: Shape
    params: int | None  # None: left to Keras (a classifier, or not RGB)
    # Why the shape holds a size kerascheck leaves unknown, if it does.
    unknown_size: str | None = None


def application_output(call: KerasCall, shape: Shape) -> Application:
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
            return Application((shape[0], classes), None)
        raise left
    pooling = args.value("pooling", None)
    if include_top is not False or pooling not in POOLINGS:
        raise left
    params = FEATURE_PARAMS[name] if shape[-1] == RGB else None
    if pooling is None:
        why = f"the size of `{name}`'s feature map is left to Keras"
        return Application((shape[0], None, None, channels), params, why)
    return Application((shape[0], channels), params)
