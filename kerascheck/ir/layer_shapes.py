"""Static shape rules of the simple layers: Dense, Conv, pooling, Flatten ...

Each rule takes a layer and its input shape (with the batch axis; None for a
size that is not known, so the rank is known when sizes are not) and returns
the output shape and the parameter count, computed from the literal arguments
alone the way Keras computes them (channels_last). A rule raises NotKnown with
the reason when an argument is not literal or the case is left to Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from kerascheck.catalog import api
from kerascheck.catalog.errors import plain_words
from kerascheck.ir.model import Layer, Unknown

Shape = tuple  # with the batch axis; None for a size that is not known


class NotKnown(Exception):
    """A shape kerascheck does not know, with the reason `show` prints."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Refused(NotKnown):
    """A shape Keras certainly refuses to build (KC211 reports it)."""


def shrunk(layer: Layer, shape: Shape) -> str:
    """A window larger than the map, in runtime mode's words."""
    keras_words = f"Computed output size would be zero or negative. inputs shape={fmt(shape)}"
    return plain_words(layer.kind, keras_words)


MISSING = Unknown("missing")


def value_of(layer: Layer, name: str, default: Any = MISSING) -> Any:
    """A literal argument (or the default); NotKnown saying which value is not known."""
    arg = layer.args.get(name)
    value = arg.value if arg is not None else layer.args.value(name, default)
    if value is MISSING:
        raise NotKnown(f"`{layer.kind}` has no `{name}`")
    if isinstance(value, Unknown):
        shown = arg.text if arg is not None else "**kwargs"
        raise NotKnown(f"`{name}={shown}` of `{layer.kind}` is not a literal")
    return value


def positive_int(layer: Layer, name: str, default: Any = MISSING) -> int:
    """A literal positive int: units, filters, sizes."""
    value = value_of(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise NotKnown(f"`{name}={value!r}` of `{layer.kind}` is not a positive int")


def sizes(layer: Layer, name: str, rank: int, default: Any) -> tuple:
    value = value_of(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if (
        isinstance(value, (tuple, list))
        and len(value) == rank
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return tuple(value)
    raise NotKnown(f"`{name}` of `{layer.kind}` is not a literal size")


def size_arg(layer: Layer, name: str, default: Any = MISSING) -> int | None:
    """A size the layer makes (units, filters): None when the source does not
    pin it down, for the rank of the output is known all the same."""
    arg = layer.args.get(name)
    value = arg.value if arg is not None else layer.args.value(name, default)
    if isinstance(value, Unknown) and value is not MISSING:
        return None
    return positive_int(layer, name, default)


def times(*factors: int | None) -> int | None:
    """A parameter count: not known when one of its factors is not."""
    return None if None in factors else math.prod(factors)


def plus(*terms: int | None) -> int | None:
    return None if None in terms else sum(terms)


def channels_last(layer: Layer) -> None:
    if value_of(layer, "data_format", None) not in (None, "channels_last"):
        raise NotKnown(f"`{layer.kind}` with data_format='channels_first' is left to Keras")


def need_rank(shape: Shape, layer: Layer, rank: int, refuse: bool = True) -> None:
    """Every layer that calls this checks its input's rank when it is built
    (an InputSpec or its kernel's rank; tests/test_shape_errors.py). Said in
    the words runtime mode uses for Keras's own error (the same message with
    or without --runtime)."""
    if len(shape) != rank:
        bound = "min_ndim" if len(shape) < rank and _min_ndim(layer.kind) else "ndim"
        keras_words = (
            f"expected {bound}={rank}, found ndim={len(shape)}. Full shape received: {fmt(shape)}"
        )
        raise (Refused if refuse else NotKnown)(plain_words(layer.kind, keras_words))


def _min_ndim(kind: str) -> bool:
    """Convolutions accept at least their rank (min_ndim); the rest exactly it."""
    return "Conv" in kind


def spatial_size(
    size: int | None, window: int, stride: int, padding: str, dilation: int = 1
) -> int | None:
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    effective = (window - 1) * dilation + 1
    return (size - effective) // stride + 1


def padding_of(layer: Layer) -> str:
    padding = value_of(layer, "padding", "valid")
    if padding not in ("valid", "same"):
        raise NotKnown(f"padding={padding!r} of `{layer.kind}` is left to Keras")
    return padding


def windowed(layer: Layer, shape: Shape, rank: int) -> tuple[tuple, tuple]:
    """A sliding window's kernel and the spatial sizes it leaves (convolutions,
    separable and depthwise ones); Refused where one becomes zero or less."""
    kernel = sizes(layer, "kernel_size", rank, MISSING)
    strides = sizes(layer, "strides", rank, 1)
    dilation = sizes(layer, "dilation_rate", rank, 1)
    padding = padding_of(layer)
    spatial = tuple(
        spatial_size(s, k, st, padding, d)
        for s, k, st, d in zip(shape[1:-1], kernel, strides, dilation)
    )
    if any(s is not None and s <= 0 for s in spatial):
        raise Refused(shrunk(layer, shape))
    return kernel, spatial


def _dense(layer: Layer, shape: Shape) -> tuple[Shape, int | None]:
    units = size_arg(layer, "units")
    bias = units if value_of(layer, "use_bias", True) else 0
    return shape[:-1] + (units,), plus(times(shape[-1], units), bias)


def _conv(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        filters = size_arg(layer, "filters")
        kernel, spatial = windowed(layer, shape, rank)
        groups = positive_int(layer, "groups", 1)
        bias = filters if value_of(layer, "use_bias", True) else 0
        channels = None if shape[-1] is None else shape[-1] // groups
        params = plus(times(math.prod(kernel), channels, filters), bias)
        return (shape[0], *spatial, filters), params

    return infer


def _pool(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        pool = sizes(layer, "pool_size", rank, 2)
        strides_value = value_of(layer, "strides", None)
        strides = pool if strides_value is None else sizes(layer, "strides", rank, None)
        padding = padding_of(layer)
        spatial = tuple(
            spatial_size(s, p, st, padding) for s, p, st in zip(shape[1:-1], pool, strides)
        )
        if any(s is not None and s <= 0 for s in spatial):
            raise Refused(shrunk(layer, shape))
        return (shape[0], *spatial, shape[-1]), 0

    return infer


def _global_pool(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, rank + 2)
        channels_last(layer)
        if value_of(layer, "keepdims", False):
            return (shape[0],) + (1,) * rank + (shape[-1],), 0
        return (shape[0], shape[-1]), 0

    return infer


def _flatten(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    rest = shape[1:]
    return (shape[0], None if None in rest else math.prod(rest)), 0


def _same(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    return shape, 0


def _normalization(per_channel: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        if value_of(layer, "axis", -1) != -1:
            raise NotKnown(f"`{layer.kind}` over axis other than the last is left to Keras")
        # beta and gamma exist only with center and scale; BatchNormalization
        # also keeps a moving mean and variance per channel.
        trained = [value_of(layer, name, True) for name in ("center", "scale")]
        if not all(isinstance(flag, bool) for flag in trained):
            raise NotKnown(f"`center` or `scale` of `{layer.kind}` is not True or False")
        return shape, times(per_channel - 2 + sum(trained), shape[-1])

    return infer


def _reshape(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    target = value_of(layer, "target_shape")
    if not isinstance(target, (tuple, list)) or not all(
        isinstance(t, int) and not isinstance(t, bool) for t in target
    ):
        raise NotKnown("`target_shape` of `Reshape` is not a literal shape")
    target = tuple(target)
    if -1 in target:
        known_size = math.prod(t for t in target if t != -1)
        if None in shape[1:] or known_size == 0:
            return (shape[0], *(None if t == -1 else t for t in target)), 0
        target = tuple(math.prod(shape[1:]) // known_size if t == -1 else t for t in target)
    elif None not in shape[1:] and math.prod(target) != math.prod(shape[1:]):
        raise Refused(
            plain_words("Reshape", f"Received: input_shape={fmt(shape)}, target_shape={target}")
        )
    return (shape[0], *target), 0


def _embedding(layer: Layer, shape: Shape) -> tuple[Shape, int | None]:
    vocabulary = size_arg(layer, "input_dim")
    width = size_arg(layer, "output_dim")
    return shape + (width,), times(vocabulary, width)


def _recurrent(gates: int, extra_bias: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        need_rank(shape, layer, 3)
        units = size_arg(layer, "units")
        features = shape[-1]
        bias_units = times(units, 1 + extra_bias) if value_of(layer, "use_bias", True) else 0
        if layer.kind == "GRU" and not value_of(layer, "reset_after", True):
            bias_units = units if bias_units != 0 else 0
        params = times(gates, plus(times(units, plus(features, units)), bias_units))
        if value_of(layer, "return_sequences", False):
            return (shape[0], shape[1], units), params
        return (shape[0], units), params

    return infer


def _repeat(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    need_rank(shape, layer, 2)
    return (shape[0], size_arg(layer, "n"), shape[1]), 0


SAME_SHAPE = (
    *sorted(api.PASS_THROUGH_LAYERS),
    "Activation",
    "Softmax",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Masking",
    "Rescaling",
    "UnitNormalization",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
)
INFER: dict[str, Callable] = {
    "Dense": _dense,
    "Conv1D": _conv(1),
    "Conv2D": _conv(2),
    "Conv3D": _conv(3),
    "MaxPooling1D": _pool(1),
    "MaxPooling2D": _pool(2),
    "MaxPooling3D": _pool(3),
    "AveragePooling1D": _pool(1),
    "AveragePooling2D": _pool(2),
    "AveragePooling3D": _pool(3),
    "GlobalMaxPooling1D": _global_pool(1),
    "GlobalMaxPooling2D": _global_pool(2),
    "GlobalMaxPooling3D": _global_pool(3),
    "GlobalAveragePooling1D": _global_pool(1),
    "GlobalAveragePooling2D": _global_pool(2),
    "GlobalAveragePooling3D": _global_pool(3),
    "GlobalAvgPool1D": _global_pool(1),
    "GlobalAvgPool2D": _global_pool(2),
    "GlobalAvgPool3D": _global_pool(3),
    "GlobalMaxPool1D": _global_pool(1),
    "GlobalMaxPool2D": _global_pool(2),
    "GlobalMaxPool3D": _global_pool(3),
    "Flatten": _flatten,
    "Reshape": _reshape,
    "RepeatVector": _repeat,
    "BatchNormalization": _normalization(4),
    "LayerNormalization": _normalization(2),
    "Embedding": _embedding,
    "SimpleRNN": _recurrent(1, 0),
    "LSTM": _recurrent(4, 0),
    "GRU": _recurrent(3, 1),
    **dict.fromkeys(SAME_SHAPE, _same),
}


def params_without_shape(layer: Layer) -> int | Unknown:
    """Layers whose parameter count does not depend on their input."""
    if (
        layer.kind in SAME_SHAPE
        or layer.kind in ("Flatten", "Reshape", "RepeatVector")
        or layer.kind.startswith(("MaxPooling", "AveragePooling", "Global"))
    ):
        return 0
    if layer.kind == "Embedding":
        try:
            params = _embedding(layer, (None,))[1]
        except NotKnown as unknown:
            return Unknown(unknown.reason)
        return Unknown("the vocabulary or the width") if params is None else params
    return Unknown("input shape")


def fmt(shape: Shape) -> str:
    return format_shape(shape)


def format_shape(shape: Shape | Unknown) -> str:
    if isinstance(shape, Unknown):
        return "?"
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
