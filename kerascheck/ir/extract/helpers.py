"""Tensors through helper functions and loops of the same file.

`x = conv_block(x, 64)` replays the helper's body with its parameters bound to
the call's tensors and literal arguments; `for _ in range(3): x = block(x)`
replays the loop body three times, and so does a loop over a literal list
(`for filters in [64, 128, 256]`). A replay only follows tensors: the Keras
calls, imports and models it meets were recorded when the code was first walked,
and are not recorded twice. Anything uncertain (a `*args` call, a return in a
branch, a `break`) leaves the result unknown.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.ir.extract.infos import (
    Binding,
    Function,
    Scope,
    Tensor,
    literal_expr,
    symbolic,
)
from kerascheck.ir.model import Loc, Opaque
from kerascheck.ir.values import children, literal

# Replays nest (a helper calling a helper in a loop): bounded so that a file
# full of helpers cannot make the walk explode.
_MAX_DEPTH = 6
_MAX_REPLAYS = 2000
_MAX_UNROLL = 64


class Helpers:
    """The replaying half of the Extractor."""

    def _inline(self, function: Function, node: cst.Call, arg_infos: list) -> Any:
        definition = function.node
        if self._replay_depth >= _MAX_DEPTH or self._replays >= _MAX_REPLAYS:
            return None
        params = definition.params
        positional = [*params.posonly_params, *params.params]
        by_name = {p.name.value: p for p in [*positional, *params.kwonly_params]}
        bound: dict[str, tuple[Any, cst.BaseExpression | None]] = {}
        for index, (arg, info) in enumerate(zip(node.args, arg_infos)):
            if arg.star:
                return None
            if arg.keyword is None:
                if index >= len(positional):
                    return None
                name = positional[index].name.value
            else:
                name = arg.keyword.value
                if name not in by_name:
                    return None
            bound[name] = (info, literal_expr(literal(arg.value, self._bound_expr)))
        for name, param in by_name.items():
            if name not in bound:
                if param.default is None:
                    return None
                bound[name] = (None, param.default)
        scope = Scope("function", function.scope, function=Function(function.name))
        outer_scope, outer_attrs = self._scope, self._class_attrs
        outer_replaying = self._replaying
        self._scope, self._class_attrs, self._replaying = scope, None, True
        self._replay_depth += 1
        self._replays += 1
        try:
            for name, (info, expr) in bound.items():
                self._bind_name(name, info, expr)
            self._suite(definition.body)
        finally:
            self._scope, self._class_attrs = outer_scope, outer_attrs
            self._replaying = outer_replaying
            self._replay_depth -= 1
        returns = scope.function.returns
        return returns[0] if len(returns) == 1 and _returns_once(definition) else None

    def _loop_result(self, node: cst.For | cst.While, before: dict[str, int]) -> None:
        """After a loop that is not replayed (`for size in sizes[:-1]`): a name
        bound to a symbolic tensor before it and rebound only to symbolic
        tensors in it is still a symbolic tensor, of a graph not known. It
        becomes an opaque, conditional node fed by each of them, so that
        KC410 still sees a Keras tensor and the graph rules see nothing."""
        for name, bindings in self._scope.bindings.items():
            mark = before.get(name, 0)
            if mark == 0 or len(bindings) <= mark:
                continue
            prior = bindings[mark - 1]
            if self._block[: len(prior.block)] != prior.block:
                continue  # not in force before the loop either
            candidates = (prior.info, *(b.info for b in bindings[mark:]))
            if all(isinstance(c, Tensor) and symbolic(c) for c in candidates):
                element = Opaque(f"{name} after a loop", Loc(node), conditional=True)
                bindings.append(Binding(Tensor(element, candidates), None, self._block))

    def _unroll(self, node: cst.For, before: dict[str, int]) -> bool:
        """After a loop over a literal range or a literal list was walked once
        (as a block that may not run), replay it to follow the tensors it
        rebinds. False when it is not replayed."""
        count = _literal_items(node.iter, self._bound_expr)
        if count is None or not isinstance(node.target, cst.Name) or node.orelse is not None:
            return False
        scope = self._scope
        rebound = [
            name
            for name, bindings in scope.bindings.items()
            if len(bindings) > before.get(name, 0) and isinstance(bindings[-1].info, Tensor)
        ]
        if not rebound or _jumps(node.body) or self._replay_depth >= _MAX_DEPTH:
            return False
        if self._replays + len(count) > _MAX_REPLAYS:
            return False
        # The replay starts from the bindings in force before the loop: the
        # first walk's (uncertain) ones are set aside and restored afterwards.
        first_walk = {}
        for name, bindings in scope.bindings.items():
            mark = before.get(name, 0)
            first_walk[name] = bindings[mark:]
            del bindings[mark:]
        outer_replaying = self._replaying
        self._replaying = True
        self._replay_depth += 1
        try:
            for value in count:
                self._replays += 1
                self._bind_name(node.target.value, None, value)
                self._suite(node.body)
        finally:
            self._replaying = outer_replaying
            self._replay_depth -= 1
        # Keep the replay's last tensor (or literal) for each name the loop
        # rebinds; forget everything else it bound (its first walk stands).
        for name, bindings in list(scope.bindings.items()):
            mark = before.get(name, 0)
            last = bindings[-1] if len(bindings) > mark else None
            del bindings[mark:]
            bindings.extend(first_walk.get(name, ()))
            if last is None:
                pass
            elif name in rebound and isinstance(last.info, Tensor):
                bindings.append(Binding(last.info, None, self._block))
            elif last.info is None and last.expr is not None and name != node.target.value:
                # `filters *= 2` in the loop: certain after a loop that surely ran.
                bindings.append(Binding(None, last.expr, self._block))
            if not bindings:
                del scope.bindings[name]
        return True


def _literal_items(node: cst.BaseExpression, bound_expr: Any) -> list | None:
    """What a loop over `range(3)` or over a literal list or tuple
    (`[256, 512, 728]`, a name bound once to one) binds its target to, as
    expressions; None when any of it is not certain."""
    values = _literal_range(node, bound_expr)
    if values is None and not isinstance(node, cst.Call):
        values = literal(node, bound_expr)
    if not isinstance(values, (range, list, tuple)) or not 0 < len(values) <= _MAX_UNROLL:
        return None
    items = [literal_expr(value) for value in values]  # `-2` too: not a cst.Integer
    return None if any(item is None for item in items) else items


def _literal_range(node: cst.BaseExpression, bound_expr: Any) -> range | None:
    if not (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "range"
        and bound_expr("range") is None
        and 1 <= len(node.args) <= 3
        and not any(a.star or a.keyword for a in node.args)
    ):
        return None
    values = [literal(a.value, bound_expr) for a in node.args]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return None
    count = range(*values)
    return count if 0 < len(count) <= _MAX_UNROLL else None


def _jumps(suite: cst.BaseSuite) -> bool:
    """A break, continue or return in a loop body (not in a function defined
    there): the replay would be a guess."""
    stack: list[cst.CSTNode] = [suite]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Break or kind is cst.Continue or kind is cst.Return:
            return True
        if kind is not cst.FunctionDef:
            stack.extend(children(current))
    return False


def _returns_once(definition: cst.FunctionDef) -> bool:
    """The body's one return is its last statement, outside any block."""
    body = definition.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    last = body.body[-1]
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)
