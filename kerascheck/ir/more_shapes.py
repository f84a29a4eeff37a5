"""Static shape rules of the resampling, separable and preprocessing layers,
and of the merge layers (several inputs).

Same contract as layer_shapes.py: a rule returns (output shape, parameters) or
raises NotKnown; a merge rule takes the list of its input shapes. Formulas follow
Keras 3 (channels_last) and are checked against it by tests/test_runtime.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kerascheck.ir.layer_shapes import (
    MISSING,
    NotKnown,
    Refused,
    Shape,
    channels_last,
    fmt,
    need_rank,
    padding_of,
    plus,
    positive_int,
    shrunk,
    size_arg,
    sizes,
    times,
    value_of,
    windowed,
)
from kerascheck.ir.model import Layer


def _refused(message: str) -> Refused:
    """A shape Keras would refuse (KC211)."""
    return Refused(message)


def _conv_transpose(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        if value_of(layer, "output_padding", None) is not None:
            raise NotKnown(f"`{layer.kind}` with output_padding is left to Keras")
        filters = size_arg(layer, "filters")
        kernel = sizes(layer, "kernel_size", rank, MISSING)
        strides = sizes(layer, "strides", rank, 1)
        dilation = sizes(layer, "dilation_rate", rank, 1)
        padding = padding_of(layer)
        out = []
        for size, k, s, d in zip(shape[1:-1], kernel, strides, dilation):
            k = (k - 1) * d + 1
            if size is None:
                out.append(None)
            elif padding == "valid":
                out.append((size - 1) * s + max(k, s))
            else:
                out.append(size * s)
        bias = filters if value_of(layer, "use_bias", True) else 0
        params = plus(times(math.prod(kernel), shape[-1], filters), bias)
        return (shape[0], *out, filters), params

    return infer


def _separable(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        filters = size_arg(layer, "filters")
        multiplier = positive_int(layer, "depth_multiplier", 1)
        kernel, out = windowed(layer, shape, rank)
        channels = shape[-1]
        bias = filters if value_of(layer, "use_bias", True) else 0
        depthwise = times(math.prod(kernel), channels, multiplier)
        params = plus(depthwise, times(channels, multiplier, filters), bias)
        return (shape[0], *out, filters), params

    return infer


def _depthwise(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        multiplier = positive_int(layer, "depth_multiplier", 1)
        kernel, out = windowed(layer, shape, rank)
        width = times(shape[-1], multiplier)
        bias = width if value_of(layer, "use_bias", True) else 0
        return (shape[0], *out, width), plus(times(math.prod(kernel), width), bias)

    return infer


def _upsampling(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        factor = sizes(layer, "size", rank, 2)
        out = tuple(None if s is None else s * f for s, f in zip(shape[1:-1], factor))
        return (shape[0], *out, shape[-1]), 0

    return infer


def _pairs(layer: Layer, name: str, rank: int, default: object) -> tuple:
    """`1`, `(1, 2)` (symmetric per axis) or `((1, 2), (3, 4))`, as pairs per axis."""
    value = value_of(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return ((value, value),) * rank
    if isinstance(value, (tuple, list)) and len(value) == rank:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return tuple((v, v) for v in value) if rank > 1 else ((value[0], value[0]),)
        if all(
            isinstance(v, (tuple, list))
            and len(v) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
            for v in value
        ):
            return tuple(tuple(v) for v in value)
    if (
        rank == 1
        and isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return (tuple(value),)
    raise NotKnown(f"`{name}` of `{layer.kind}` is not a literal size")


def _padding_layer(rank: int, sign: int, name: str, default: object) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        pairs = _pairs(layer, name, rank, default)
        out = tuple(
            None if s is None else s + sign * (a + b) for s, (a, b) in zip(shape[1:-1], pairs)
        )
        if any(s is not None and s <= 0 for s in out):
            raise Refused(shrunk(layer, shape))
        return (shape[0], *out, shape[-1]), 0

    return infer


def _resizing(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    need_rank(shape, layer, 4, refuse=False)  # a 3-D input is one unbatched image
    channels_last(layer)
    height, width = positive_int(layer, "height"), positive_int(layer, "width")
    return (shape[0], height, width, shape[-1]), 0


def _permute(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    dims = value_of(layer, "dims")
    if not isinstance(dims, (tuple, list)) or sorted(dims) != list(range(1, len(shape))):
        raise NotKnown("`dims` of `Permute` is not a literal permutation of the axes")
    return (shape[0], *(shape[d] for d in dims)), 0


def _prelu(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    if value_of(layer, "shared_axes", None) is not None:
        raise NotKnown("`PReLU` with shared_axes is left to Keras")
    if None in shape[1:]:
        raise NotKnown("`PReLU` on an input with an unknown size")
    return shape, math.prod(shape[1:])


def _normalization(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    if value_of(layer, "mean", None) is None and value_of(layer, "axis", -1) is None:
        return shape, 3  # one mean, one variance and the count, over everything
    if value_of(layer, "axis", -1) != -1 or value_of(layer, "mean", None) is not None:
        raise NotKnown("`Normalization` with an axis or a given mean is left to Keras")
    return shape, plus(times(2, shape[-1]), 1)


# -- merges: several inputs ----------------------------------------------------


def _elementwise(layer: Layer, shapes: list[Shape]) -> tuple[Shape, int]:
    if len(shapes) < 2:
        raise NotKnown(f"`{layer.kind}` needs at least two inputs")
    if layer.kind == "Subtract" and len(shapes) != 2:
        raise NotKnown("`Subtract` needs exactly two inputs")
    ranks = {len(s) for s in shapes}
    if len(ranks) != 1:
        raise NotKnown(f"`{layer.kind}` of inputs of different ranks is left to Keras")
    out = []
    for sizes_ in zip(*shapes):
        known = {s for s in sizes_ if s is not None}
        if len(known) > 1:
            if 1 in known:  # broadcasting: left to Keras
                raise NotKnown(f"`{layer.kind}` broadcasting is left to Keras")
            shown = " and ".join(fmt(s) for s in shapes)
            raise _refused(f"`{layer.kind}` of inputs of shapes {shown} that do not match")
        out.append(known.pop() if known else None)
    return tuple(out), 0


def _concatenate(layer: Layer, shapes: list[Shape]) -> tuple[Shape, int]:
    if len(shapes) < 2:
        raise NotKnown("`Concatenate` needs at least two inputs")
    rank = len(shapes[0])
    axis = value_of(layer, "axis", -1)
    if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
        raise NotKnown("`axis` of `Concatenate` is not a literal axis")
    axis %= rank
    if axis == 0:
        raise NotKnown("`Concatenate` along the batch axis is left to Keras")
    if any(len(s) != rank for s in shapes):
        shown = " and ".join(fmt(s) for s in shapes)
        raise _refused(f"`Concatenate` of inputs of shapes {shown}, which differ off axis {axis}")
    out = []
    for index, sizes_ in enumerate(zip(*shapes)):
        if index == axis:
            out.append(None if None in sizes_ else sum(sizes_))
            continue
        known = {s for s in sizes_ if s is not None}
        if len(known) > 1:
            shown = " and ".join(fmt(s) for s in shapes)
            raise _refused(
                f"`Concatenate` of inputs of shapes {shown}, which differ off axis {axis}"
            )
        out.append(known.pop() if known else None)
    return tuple(out), 0


def _dot(layer: Layer, shapes: list[Shape]) -> tuple[Shape, int]:
    """Keras's Dot.compute_output_shape, for two inputs of rank 2 or 3."""
    if len(shapes) != 2 or not all(len(s) in (2, 3) for s in shapes):
        raise NotKnown("`Dot` beyond two inputs of rank 2 or 3 is left to Keras")
    first, second = shapes
    axes = value_of(layer, "axes")
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = (axes % len(first), axes % len(second)) if axes < 0 else (axes, axes)
    if not (
        isinstance(axes, (tuple, list))
        and len(axes) == 2
        and all(isinstance(a, int) and not isinstance(a, bool) for a in axes)
        and 0 < axes[0] < len(first)
        and 0 < axes[1] < len(second)
    ):
        raise NotKnown("`axes` of `Dot` is not a literal pair of axes")
    left, right = first[axes[0]], second[axes[1]]
    if left != right:
        if left is None or right is None:
            raise NotKnown("`Dot` of a size not known is left to Keras")
        shown = " and ".join(fmt(s) for s in shapes)
        raise _refused(
            f"`Dot` of inputs of shapes {shown}: size {left} on axis {axes[0]} "
            f"against {right} on axis {axes[1]}"
        )
    out = [s for i, s in enumerate(first) if i != axes[0]]
    out += [s for i, s in enumerate(second) if i != axes[1]][1:]
    return tuple(out if len(out) > 1 else [*out, 1]), 0


INFER: dict[str, Callable] = {
    "Conv1DTranspose": _conv_transpose(1),
    "Conv2DTranspose": _conv_transpose(2),
    "Conv3DTranspose": _conv_transpose(3),
    "SeparableConv1D": _separable(1),
    "SeparableConv2D": _separable(2),
    "DepthwiseConv1D": _depthwise(1),
    "DepthwiseConv2D": _depthwise(2),
    "UpSampling1D": _upsampling(1),
    "UpSampling2D": _upsampling(2),
    "UpSampling3D": _upsampling(3),
    "ZeroPadding1D": _padding_layer(1, 1, "padding", 1),
    "ZeroPadding2D": _padding_layer(2, 1, "padding", 1),
    "ZeroPadding3D": _padding_layer(3, 1, "padding", 1),
    "Cropping1D": _padding_layer(1, -1, "cropping", 1),
    "Cropping2D": _padding_layer(2, -1, "cropping", 0),
    "Cropping3D": _padding_layer(3, -1, "cropping", 1),
    "Resizing": _resizing,
    "CenterCrop": _resizing,
    "Permute": _permute,
    "PReLU": _prelu,
    "Normalization": _normalization,
}
MERGES: dict[str, Callable] = {
    "Add": _elementwise,
    "Subtract": _elementwise,
    "Multiply": _elementwise,
    "Average": _elementwise,
    "Maximum": _elementwise,
    "Minimum": _elementwise,
    "Concatenate": _concatenate,
    "Dot": _dot,
}
