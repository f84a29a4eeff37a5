"""A call's arguments as the IR holds them: each one's literal value and place,
and for model methods what it is followed through names to."""

from __future__ import annotations

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.model import Arg, CallArgs, KerasCall, Loc
from kerascheck.ir.values import data_names, literal


class Arguments:
    """The argument-reading half of the Extractor."""

    def _args(self, node: cst.Call, signature: tuple, resolve: bool = False) -> CallArgs:
        positional, keywords, has_star = [], [], False
        for arg in node.args:
            if arg.star:
                has_star = True
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            item = self._arg(arg.value, keyword, arg, resolve)
            (keywords if keyword else positional).append(item)
        return CallArgs(tuple(positional), tuple(keywords), signature, has_star)

    def _arg(
        self, value: cst.BaseExpression, keyword: str | None, whole: cst.CSTNode, resolve: bool
    ) -> Arg:
        items, call, classes = (), None, None
        if resolve:
            classes = self._classes_of(value)
            target = self._follow(value)
            if type(target) is cst.List or type(target) is cst.Tuple:
                items = tuple(
                    self._arg(e.value, None, e, True)
                    for e in target.elements
                    if isinstance(e, cst.Element)
                )
            elif isinstance(target, cst.Call):
                call = self._keras_call(target)
        return Arg(
            value=literal(value, self._bound_expr),
            loc=Loc(value),
            keyword=keyword,
            arg_loc=Loc(whole),
            names=data_names(value) if resolve else (),
            items=items,
            call=call,
            classes=classes,
        )

    def _follow(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """The expression a name is certainly bound to, through a few names."""
        for _ in range(5):
            if type(node) is not cst.Name:
                break
            bound = self._bound_expr(node.value)
            if bound is None:
                break
            node = bound
        return node

    def _keras_call(self, node: cst.Call) -> KerasCall | None:
        qualname = self._qualname(node.func)
        path = api.keras_path(qualname) if qualname else None
        if path is None:
            return None
        return KerasCall(
            qualname=qualname,
            path=path,
            args=self._args(node, ()),
            loc=Loc(node),
            func_loc=Loc(node.func),
        )
