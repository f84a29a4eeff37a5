"""What a layer's arguments mean: its effective activation and the loss a
compile names, followed through names bound to literals.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.model import Layer, Loc, Loss, Unknown
from kerascheck.ir.values import literal, source_text


class Constants:
    """The layer and loss half of the Extractor."""

    def _layer(self, node: cst.Call, kind: str, signature: tuple | None = None) -> Layer:
        if signature is None:
            signature = api.LAYER_SIGNATURES.get(kind, ())
        args = self._args(node, signature)
        activation, activation_loc = None, None
        if kind == "Activation":
            arg = args.get("activation")
            activation = self._activation(arg.loc.node) if arg else Unknown("activation")
            activation_loc = arg.loc if arg else None
        elif kind in api.ACTIVATION_LAYERS:
            activation = api.ACTIVATION_LAYERS[kind]
        elif kind in api.ACTIVATED_LAYERS:
            arg = args.get("activation")
            if arg is not None:
                activation, activation_loc = self._activation(arg.loc.node), arg.loc
            elif args.has_star:
                activation = Unknown("**kwargs")
            else:
                activation = api.DEFAULT_ACTIVATION.get(kind, "linear")
        return Layer(
            kind=kind,
            args=args,
            loc=Loc(node),
            activation=activation,
            activation_loc=activation_loc,
        )

    def _activation(self, node: cst.BaseExpression, depth: int = 0) -> Any:
        value = literal(node, self._bound_expr)
        if value is None or isinstance(value, str):
            return api.canonical_activation(value)
        if isinstance(node, cst.Name) and depth < 5:
            bound = self._bound_expr(node.value)
            if bound is not None:
                return self._activation(bound, depth + 1)
        target = node.func if isinstance(node, cst.Call) else node
        qualname = self._qualname(target)
        if qualname is not None:
            path = api.keras_path(qualname)
            if qualname.startswith("tensorflow.nn.") or (
                path is not None and path.startswith("activations.")
            ):
                return api.canonical_activation(api.leaf(qualname))
            if path is not None and api.leaf(path) in api.ACTIVATION_LAYERS:
                return api.ACTIVATION_LAYERS[api.leaf(path)]
        return Unknown.of(node)

    def _loss(
        self, node: cst.BaseExpression, origin: cst.BaseExpression | None = None, depth: int = 0
    ) -> Loss | Unknown:
        """The loss an expression names. It is reported where the compile names
        it (`origin`), even when a name leads to its definition."""
        origin = origin or node
        text = source_text(origin)
        value = literal(node, self._bound_expr)
        if isinstance(value, str):
            info = api.loss_info(value)
            return Loss(
                info[0] if info else None, info[1] if info else None, False, Loc(origin), text
            )
        if isinstance(node, cst.Name) and depth < 5:
            bound = self._bound_expr(node.value)
            if bound is not None:
                return self._loss(bound, origin, depth + 1)
        # One loss in a list or a one-key dict: the single output's loss. (With
        # more, which output gets which is not certain here.)
        if (
            isinstance(node, (cst.List, cst.Tuple))
            and len(node.elements) == 1
            and isinstance(node.elements[0], cst.Element)
        ):
            return self._loss(node.elements[0].value, node.elements[0].value, depth + 1)
        if (
            isinstance(node, cst.Dict)
            and len(node.elements) == 1
            and isinstance(node.elements[0], cst.DictElement)
        ):
            return self._loss(node.elements[0].value, node.elements[0].value, depth + 1)
        target = node.func if isinstance(node, cst.Call) else node
        qualname = self._qualname(target)
        path = api.keras_path(qualname) if qualname else None
        if path is None or not path.startswith(("losses.", "metrics.")):
            return Unknown(text)
        name = api.leaf(path)
        info = api.loss_info(name)
        if info is None:
            return Unknown(text)
        from_logits: Any = False
        if isinstance(node, cst.Call):
            signature = ("from_logits",) if name in api.FROM_LOGITS_FIRST else ()
            from_logits = self._args(node, signature).value("from_logits", False)
        return Loss(info[0], info[1], from_logits, Loc(origin), text)
