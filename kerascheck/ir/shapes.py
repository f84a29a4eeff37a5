"""Static shape inference for the simple layers: Dense, Conv, pooling, Flatten ...

Output shapes and parameter counts computed from the literal arguments alone,
the way Keras computes them (channels_last). A layer this module does not know,
or an argument that is not literal, makes the shape Unknown with the reason, and
every layer after it inherits that reason: `show` prints it, runtime mode (real
Keras) fills in what is left.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kerascheck.ir.model import Layer, Model, Unknown
from kerascheck.runtime.plan import BUILDABLE, INPUT_KINDS, Skip, input_shape

Shape = tuple  # with the batch axis; None for an unknown size


@dataclass(frozen=True)
class Row:
    """One layer of a model as `show` prints it."""

    shape: Shape | Unknown
    params: int | Unknown


class _Unknown(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_MISSING = Unknown("missing")


def _value(layer: Layer, name: str, default: Any = _MISSING) -> Any:
    """A literal argument (or the default); _Unknown saying which value is not known."""
    arg = layer.args.get(name)
    value = arg.value if arg is not None else layer.args.value(name, default)
    if value is _MISSING:
        raise _Unknown(f"`{layer.kind}` has no `{name}`")
    if isinstance(value, Unknown):
        shown = arg.text if arg is not None else "**kwargs"
        raise _Unknown(f"`{name}={shown}` of `{layer.kind}` is not a literal")
    return value


def _int(layer: Layer, name: str, default: Any = _MISSING) -> int:
    """A literal positive int: units, filters, sizes."""
    value = _value(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise _Unknown(f"`{name}={value!r}` of `{layer.kind}` is not a positive int")


def _tuple(layer: Layer, name: str, rank: int, default: Any) -> tuple:
    value = _value(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if (
        isinstance(value, (tuple, list))
        and len(value) == rank
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return tuple(value)
    raise _Unknown(f"`{name}` of `{layer.kind}` is not a literal size")


def _last(shape: Shape, layer: Layer) -> int:
    if shape[-1] is None:
        raise _Unknown(f"the input of `{layer.kind}` has no known last dimension")
    return shape[-1]


def _channels_last(layer: Layer) -> None:
    if _value(layer, "data_format", None) not in (None, "channels_last"):
        raise _Unknown(f"`{layer.kind}` with data_format='channels_first' is left to Keras")


def _need_rank(shape: Shape, layer: Layer, rank: int) -> None:
    if len(shape) != rank:
        raise _Unknown(f"`{layer.kind}` expects {rank}-D input, gets {len(shape)}-D {_fmt(shape)}")


def _spatial(
    size: int | None, window: int, stride: int, padding: str, dilation: int = 1
) -> int | None:
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    effective = (window - 1) * dilation + 1
    return (size - effective) // stride + 1


def _padding(layer: Layer) -> str:
    padding = _value(layer, "padding", "valid")
    if padding not in ("valid", "same"):
        raise _Unknown(f"padding={padding!r} of `{layer.kind}` is left to Keras")
    return padding


def _dense(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    units = _int(layer, "units")
    bias = units if _value(layer, "use_bias", True) else 0
    return shape[:-1] + (units,), _last(shape, layer) * units + bias


def _conv(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        _need_rank(shape, layer, rank + 2)
        _channels_last(layer)
        filters = _int(layer, "filters")
        kernel = _tuple(layer, "kernel_size", rank, _MISSING)
        strides = _tuple(layer, "strides", rank, 1)
        dilation = _tuple(layer, "dilation_rate", rank, 1)
        groups = _int(layer, "groups", 1)
        padding = _padding(layer)
        spatial = tuple(
            _spatial(s, k, st, padding, d)
            for s, k, st, d in zip(shape[1:-1], kernel, strides, dilation)
        )
        if any(s is not None and s <= 0 for s in spatial):
            raise _Unknown(f"`{layer.kind}` would give a size of zero or less: Keras refuses it")
        bias = filters if _value(layer, "use_bias", True) else 0
        params = math.prod(kernel) * (_last(shape, layer) // groups) * filters + bias
        return (shape[0], *spatial, filters), params

    return infer


def _pool(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        _need_rank(shape, layer, rank + 2)
        _channels_last(layer)
        pool = _tuple(layer, "pool_size", rank, 2)
        strides_value = _value(layer, "strides", None)
        strides = pool if strides_value is None else _tuple(layer, "strides", rank, None)
        padding = _padding(layer)
        spatial = tuple(_spatial(s, p, st, padding) for s, p, st in zip(shape[1:-1], pool, strides))
        if any(s is not None and s <= 0 for s in spatial):
            raise _Unknown(f"`{layer.kind}` would give a size of zero or less: Keras refuses it")
        return (shape[0], *spatial, shape[-1]), 0

    return infer


def _global_pool(rank: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        _need_rank(shape, layer, rank + 2)
        _channels_last(layer)
        if _value(layer, "keepdims", False):
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
        if _value(layer, "axis", -1) != -1:
            raise _Unknown(f"`{layer.kind}` over axis other than the last is left to Keras")
        params = per_channel * _last(shape, layer)
        if per_channel == 2 and not (
            _value(layer, "center", True) and _value(layer, "scale", True)
        ):
            raise _Unknown(f"`{layer.kind}` without center or scale is left to Keras")
        return shape, params

    return infer


def _reshape(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    target = _value(layer, "target_shape")
    if not isinstance(target, (tuple, list)) or not all(
        isinstance(t, int) and not isinstance(t, bool) for t in target
    ):
        raise _Unknown("`target_shape` of `Reshape` is not a literal shape")
    target = tuple(target)
    if -1 in target:
        known_size = math.prod(t for t in target if t != -1)
        if None in shape[1:] or known_size == 0:
            return (shape[0], *(None if t == -1 else t for t in target)), 0
        target = tuple(math.prod(shape[1:]) // known_size if t == -1 else t for t in target)
    elif None not in shape[1:] and math.prod(target) != math.prod(shape[1:]):
        raise _Unknown(f"`Reshape` to {target} cannot hold {_fmt(shape)}: Keras refuses it")
    return (shape[0], *target), 0


def _embedding(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    vocabulary = _int(layer, "input_dim")
    width = _int(layer, "output_dim")
    return shape + (width,), vocabulary * width


def _recurrent(gates: int, extra_bias: int) -> Callable:
    def infer(layer: Layer, shape: Shape) -> tuple[Shape, int]:
        _need_rank(shape, layer, 3)
        units = _int(layer, "units")
        features = _last(shape, layer)
        bias_units = units * (1 + extra_bias) if _value(layer, "use_bias", True) else 0
        if layer.kind == "GRU" and not _value(layer, "reset_after", True):
            bias_units = units if bias_units else 0
        params = gates * (units * (features + units) + bias_units)
        if _value(layer, "return_sequences", False):
            return (shape[0], shape[1], units), params
        return (shape[0], units), params

    return infer


def _repeat(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    _need_rank(shape, layer, 2)
    return (shape[0], _int(layer, "n"), shape[1]), 0


_SAME_SHAPE = (
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
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
    **dict.fromkeys(_SAME_SHAPE, _same),
}


def infer(model: Model) -> tuple[list[Row], str | None]:
    """One Row per element of `model`, and the first reason a shape is unknown."""
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
        params: int | Unknown = Unknown(reason or "")
        if isinstance(shape, Unknown):
            params = _params_without_shape(element)
        else:
            step = INFER.get(element.kind)
            try:
                if step is None and element.kind in BUILDABLE:
                    raise _Unknown(
                        f"the shape of `{element.kind}` is computed only by Keras (use --runtime)"
                    )
                if step is None:
                    raise _Unknown(
                        f"the shape of `{element.kind}` is unknown: runtime mode never builds it"
                    )
                shape, params = step(element, shape)
            except (_Unknown, ArithmeticError, TypeError, ValueError) as unknown:
                why = (
                    unknown.reason
                    if isinstance(unknown, _Unknown)
                    else f"the arguments of `{element.kind}` are left to Keras"
                )
                reason = reason or why
                shape = Unknown(why)
                params = _params_without_shape(element)
        rows.append(Row(shape, params))
    return rows, reason


def _params_without_shape(layer: Layer) -> int | Unknown:
    """Layers whose parameter count does not depend on their input."""
    if (
        layer.kind in _SAME_SHAPE
        or layer.kind in ("Flatten", "Reshape", "RepeatVector")
        or layer.kind.startswith(("MaxPooling", "AveragePooling", "Global"))
    ):
        return 0
    if layer.kind == "Embedding":
        try:
            return _embedding(layer, (None,))[1]
        except _Unknown as unknown:
            return Unknown(unknown.reason)
    return Unknown("input shape")


def parameter_floor(model: Model) -> int:
    """The parameters statically known: a lower bound of the model's count."""
    rows, _ = infer(model)
    return sum(row.params for row in rows if isinstance(row.params, int))


def _fmt(shape: Shape) -> str:
    return format_shape(shape)


def format_shape(shape: Shape | Unknown) -> str:
    if isinstance(shape, Unknown):
        return "?"
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
