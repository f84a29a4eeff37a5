"""Models that reach a function of the file as a parameter.

`def train(model, ...): model.compile(...); model.fit(...)`: the parameter is a
model when the function compiles it with a Keras loss or optimizer, or when the
file calls the function with one of its models. And a model handed to a function
of the file is built (predicted on, called) or trained there first, which is
what KC201's order needs; the calls the function makes on it (its compile, its
fit) then apply to that model where the function is called.

The other way round, `model = build_model()` and `autoencoder, encoder =
build()` give the caller the models the builder returns (built_models).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import libcst as cst

from kerascheck.ir.extract.infos import (
    Alternatives,
    Function,
    Items,
    ModelBuilder,
    Param,
    flatten_infos,
)
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


def _param_in(callee: Any, slot: Any) -> Param | None:
    if not isinstance(callee, Function) or slot is None:
        return None
    return next((p for p in callee.params if slot in (p.index, p.name)), None)


def calls_in_helper(callee: Any, slot: Any) -> tuple:
    """The model calls (compile, fit ...) a function of the file makes on the
    parameter a model is handed to in `slot`: they apply to that model."""
    param = _param_in(callee, slot)
    if param is None or param.model is None:
        return ()
    model = param.model
    # `if binary: m.compile(...) else: m.compile(...)`: which call runs
    # depends on the arguments, and a function nested in the helper may never
    # run; then none of them is carried over.
    where = (param.function, param.function.block)
    if any(model.call_blocks.get(c.order) != where for c in model.calls):
        return ()
    return tuple(model.calls)


def built_models(returns: list) -> Any:
    """What calling a builder of the file gives: the model every `return`
    returns (`return model`), the models of each branch (Alternatives), or a
    tuple of models (`return autoencoder, encoder`) -- the same ones at every
    return; None when the returns disagree or return no model."""
    if not returns:
        return None
    first = returns[0]
    if isinstance(first, (ModelBuilder, Alternatives)):
        return first if all(r is first for r in returns) else None
    if not isinstance(first, Items) or first.keys is not None:
        return None
    if not any(isinstance(i, (ModelBuilder, Alternatives)) for i in first.items):
        return None
    width = len(first.items)
    for other in returns[1:]:
        if not isinstance(other, Items) or len(other.items) != width:
            return None
        if any(a is not b for a, b in zip(first.items, other.items)):
            return None
    # Only the models are carried over: a tensor or layer returned beside them
    # was followed for one walk of the body, not for each call.
    return Items(
        tuple(i if isinstance(i, (ModelBuilder, Alternatives)) else None for i in first.items)
    )


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
