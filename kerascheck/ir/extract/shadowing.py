"""Names that shadow the enclosing code's: a lambda's parameters and a
comprehension's targets. `dataset.map(lambda x: tf.reshape(x, ...))` is not
about the `x` of the functional model built above it.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.ir.extract.infos import Scope, Tensor
from kerascheck.ir.model import Loc, Opaque
from kerascheck.ir.values import source_text

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


class Shadowing:
    """The lambda and comprehension part of the Extractor."""

    def _lambda(self, node: cst.Lambda) -> None:
        """A lambda's parameters shadow the names outside it: `lambda x: tf.reshape(x)`
        is not about the `x` of the enclosing code."""
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None:
                self._expr(param.default)
        outer = self._scope
        self._scope = Scope("function", outer)
        try:
            for param in (*params.posonly_params, *params.params, *params.kwonly_params):
                self._bind_name(param.name.value, None, None)
            for param in (params.star_arg, params.star_kwarg):
                if isinstance(param, cst.Param):
                    self._bind_name(param.name.value, None, None)
            self._expr(node.body)
        finally:
            self._scope = outer

    def _comprehension(self, node: Any) -> Any:
        """A comprehension's targets shadow the names outside it, as a lambda's do;
        tensors in it keep the graph connected, as any expression's do."""
        outer = self._scope
        self._scope = Scope("function", outer)
        infos = []
        try:
            comp: Any = node.for_in
            while comp is not None:
                infos.append(self._expr(comp.iter))
                self._bind_target(comp.target, None, None)
                infos += [self._expr(condition.test) for condition in comp.ifs]
                comp = comp.inner_for_in
            if isinstance(node, cst.DictComp):
                infos += [self._expr(node.key), self._expr(node.value)]
            else:
                infos.append(self._expr(node.elt))
        finally:
            self._scope = outer
        tensors = tuple(i for i in infos if isinstance(i, Tensor))
        return Tensor(Opaque(source_text(node), Loc(node)), tensors) if tensors else None
