"""A model's input shape, from the source alone (an `Input`, `input_shape=`,
`build()`), or the reason it is unknown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerascheck.catalog.buildable import INPUT_KINDS
from kerascheck.ir.model import Layer, Model, Unknown


@dataclass(frozen=True)
class Skip:
    reason: str


def _shape(value: Any, partial: bool) -> tuple | None:
    """A literal shape (a tuple or list of positive ints or None), or None.

    With `partial`, an element the source does not pin down
    (`(maxlen, len(chars))`) is a size not known: the rank is certain, because
    the container is written out."""
    if isinstance(value, (tuple, list)) and all(
        v is None
        or (partial and isinstance(v, Unknown))
        or (isinstance(v, int) and not isinstance(v, bool) and v > 0)
        for v in value
    ):
        return tuple(None if isinstance(v, Unknown) else v for v in value)
    return None


def _describe(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.text
    return repr(value)


def input_shape(model: Model, partial: bool = False) -> tuple | Skip:
    """The model's input shape with its batch axis, from the source alone.

    `partial`: sizes the source does not pin down are None (static shapes know
    the rank); runtime mode builds only with the sizes the code states."""
    if not model.layers or not isinstance(model.layers[0], Layer):
        return Skip("input shape unknown: the first element is not a layer kerascheck sees")
    first = model.layers[0]
    args = first.args
    if first.kind in INPUT_KINDS:
        candidates = [
            ("batch_shape", True),
            ("batch_input_shape", True),
            ("shape", False),
            ("input_shape", False),
        ]
    else:
        candidates = [("batch_input_shape", True), ("batch_shape", True), ("input_shape", False)]
        if first.kind != "Embedding":  # there, input_dim is a vocabulary size
            candidates.append(("input_dim", False))
    for name, with_batch in candidates:
        arg = args.get(name)
        if arg is None:
            continue
        value = arg.value
        if name == "input_dim" and isinstance(value, int) and not isinstance(value, bool):
            value = (value,)
        shape = _shape(value, partial)
        if shape is None:
            return Skip(f"input shape unknown: `{name}={arg.text}` is not a literal shape")
        if with_batch:
            return shape
        batch = args.value("batch_size", None) if first.kind in INPUT_KINDS else None
        return (batch if isinstance(batch, int) else None,) + shape
    for call in model.calls_named("build"):
        value = call.args.value("input_shape", Unknown("build()"))
        shape = _shape(value, partial)
        if shape is not None and len(shape) >= 2:
            return shape
        return Skip(f"input shape unknown: `build({_describe(value)})` is not a literal shape")
    if first.kind in INPUT_KINDS:
        return Skip(f"input shape unknown: `{first.kind}` has no literal shape")
    return Skip("input shape unknown: no `Input`, `input_shape` or `build()`")
