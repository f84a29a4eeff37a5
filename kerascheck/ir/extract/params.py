"""Models that reach a function of the file as a parameter.

`def train(model, ...): model.compile(...); model.fit(...)`: the parameter is a
model when the function compiles it with a Keras loss or optimizer, or when the
file calls the function with one of its models. And a model handed to a function
of the file is built (predicted on, called) or trained there first, which is
what KC201's order needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import libcst as cst

from kerascheck.ir.extract.infos import Function, ModelBuilder, Param, flatten_infos
from kerascheck.ir.model import HANDED_OVER, HANDED_OVER_BUILDS, HANDED_OVER_TRAINS, Loss

# Methods that make a parameter a model candidate (not `add`: no layers are built).
PARAM_METHODS = frozenset(
    {
        "compile",
        "fit",
        "evaluate",
        "predict",
        "summary",
        "fit_generator",
        "evaluate_generator",
        "train_on_batch",
    }
)
_BUILDING = {"build", "predict", "predict_on_batch", "__call__"}


def slots(node: cst.Call, arg_infos: list) -> Iterable[tuple[Any, Any]]:
    """(position or keyword, what the argument is) for each argument of a call;
    a slot of None after a `*args` (its position is not certain), and the items
    of a list or tuple argument share its slot."""
    position: int | None = 0
    for arg, info in zip(node.args, arg_infos):
        if arg.star:
            position = None
        slot = arg.keyword.value if arg.keyword is not None else position
        if arg.keyword is None and position is not None and not arg.star:
            position += 1
        for item in flatten_infos([info]):
            yield slot, item


def note_model_params(function: Function, node: cst.Call, arg_infos: list) -> None:
    """Remember which parameters a call hands a model to."""
    for slot, info in slots(node, arg_infos):
        if isinstance(info, ModelBuilder) and slot is not None:
            function.model_params.add(slot)


def handed_over(callee: Any, slot: Any) -> str | None:
    """What handing a model to `callee` in `slot` does to it, as far as the
    file shows: None when a function of the file leaves it alone."""
    if not isinstance(callee, Function):
        return HANDED_OVER
    param = next((p for p in callee.params if slot is not None and slot in (p.index, p.name)), None)
    if param is None:
        return HANDED_OVER  # *args, **kwargs: not followed
    if param.model is None:
        return None
    first = next((c for c in param.model.calls if c.method != "compile"), None)
    if first is None:
        return None
    return HANDED_OVER_BUILDS if first.method in _BUILDING else HANDED_OVER_TRAINS


def trained_as_keras(param: Param) -> bool:
    """A parameter the function compiles with a Keras loss or optimizer, or that
    a call of the function hands a model of the file to."""
    model = param.model
    if model is None:
        return False
    if param.name in param.function.model_params or param.index in param.function.model_params:
        return True
    for call in model.calls:
        if call.method != "compile":
            continue
        optimizer = call.args.get("optimizer")
        if (isinstance(call.loss, Loss) and call.loss.family is not None) or (
            optimizer is not None and optimizer.call is not None
        ):
            return True
    return False
