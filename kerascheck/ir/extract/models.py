"""Models being built: Sequential lists and `.add`, functional `Model(inputs,
outputs)`, and the method calls (compile, fit ...) made on them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.extract.graphs import chain_to
from kerascheck.ir.extract.infos import (
    History,
    Items,
    LayerValue,
    ModelBuilder,
    Tensor,
    flatten_infos,
    is_none,
)
from kerascheck.ir.model import Element, Layer, Loc, MethodCall, ModelKind, Opaque, Unknown
from kerascheck.ir.values import source_text


class Models:
    """The model half of the Extractor."""

    def _new_model(self, kind: ModelKind, node: cst.Call) -> ModelBuilder:
        model = ModelBuilder(kind=kind, name=None, loc=Loc(node), block=self._block)
        if self._replaying:  # a replay's models were recorded on the first walk
            model.origin = self._recorded_models.get(id(node))
        else:
            model.index = len(self.models)
            self.models.append(model)
            self._recorded_models[id(node)] = model
        return model

    def _sequential(self, node: cst.Call, arg_infos: list) -> ModelBuilder:
        model = self._new_model(ModelKind.SEQUENTIAL, node)
        layers_info = None
        for arg, info in zip(node.args, arg_infos):
            first_positional = arg.keyword is None and not arg.star and layers_info is None
            if first_positional or (arg.keyword is not None and arg.keyword.value == "layers"):
                layers_info = (arg, info)
            elif arg.star:
                model.elements.append(Opaque(source_text(arg), Loc(arg)))
        if layers_info is not None:
            arg, info = layers_info
            if isinstance(info, Items) and isinstance(arg.value, (cst.List, cst.Tuple)):
                for element, item in zip(arg.value.elements, info.items):
                    model.elements.append(self._element(element.value, item, False))
            elif not is_none(arg.value):
                model.elements.append(Opaque(source_text(arg.value), Loc(arg.value)))
        return model

    def _element(self, node: cst.CSTNode, info: Any, conditional: bool) -> Element:
        if isinstance(info, LayerValue) and isinstance(info.layer, Layer):
            layer = info.layer
            placed = None if node is layer.loc.node else Loc(node)
            if conditional or placed:
                layer = replace(layer, conditional=conditional, placed=placed)
            return layer
        if (
            isinstance(info, Tensor)
            and isinstance(info.element, Layer)
            and info.element.kind == "Input"
        ):
            return info.element
        if isinstance(info, ModelBuilder):
            info.used_as_block = True
            return Opaque(
                info.name or "model",
                Loc(node),
                is_model=True,
                conditional=conditional,
                model_index=info.index,
                made_by=info.made_by,
            )
        if isinstance(info, LayerValue) and info.layer.user_layer:
            return replace(info.layer, text=source_text(node), conditional=conditional)
        return Opaque(source_text(node), Loc(node), conditional=conditional)

    def _functional(self, node: cst.Call, arg_infos: list) -> ModelBuilder:
        model = self._new_model(ModelKind.FUNCTIONAL, node)
        outputs = inputs = None
        for index, (arg, info) in enumerate(zip(node.args, arg_infos)):
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "outputs" or (keyword is None and not arg.star and index == 1):
                outputs = info
            if keyword == "inputs" or (keyword is None and not arg.star and index == 0):
                inputs = info
        model.outputs, model.output_names = _tensors(outputs)
        model.inputs, _ = _tensors(inputs)
        if isinstance(outputs, Items) and len(outputs.items) == 1:
            outputs = outputs.items[0]
        if isinstance(outputs, Tensor):
            model.elements.extend(chain_to(outputs))
        else:
            model.elements.append(Opaque("outputs", Loc(node)))
        return model

    def _method_call(self, model: ModelBuilder, method: str, node: cst.Call) -> Any:
        arg_infos = [self._expr(arg.value) for arg in node.args]
        signature = api.METHOD_SIGNATURES.get(method, ())
        if self._replaying and model.index is not None:  # recorded on the first walk
            return None
        call = self._method(node, method, node.func, signature)
        model.calls.append(call)
        model.call_blocks[call.order] = (self._scope.function, self._block)
        if method == "fit":
            return History(model, call)
        if method == "add" and node.args:
            conditional = self._block[: len(model.block)] == model.block and len(self._block) > len(
                model.block
            )
            model.elements.append(self._element(node.args[0].value, arg_infos[0], conditional))
        return None

    def _method(
        self, node: cst.Call, method: str, func: cst.BaseExpression, signature: tuple
    ) -> MethodCall:
        args = self._args(node, signature, resolve=True)
        loss = None
        if method == "compile":
            loss_arg = args.get("loss")
            if loss_arg is not None:
                loss = self._loss(loss_arg.loc.node)
            elif args.has_star:
                loss = Unknown("**kwargs")
        attr = func.attr if isinstance(func, cst.Attribute) else func
        receiver = source_text(func.value) if isinstance(func, cst.Attribute) else ""
        return MethodCall(
            method=method,
            args=args,
            loc=Loc(node),
            attr_loc=Loc(attr),
            receiver=receiver,
            order=next(self._order),
            loss=loss,
        )


def _tensors(info: Any) -> tuple[list, tuple]:
    """The tensors a model's inputs or outputs argument names, and a dict's keys."""
    if isinstance(info, Items):
        nested = any(isinstance(i, Items) for i in info.items)
        items = list(flatten_infos(info.items)) if nested else info.items
        tensors = [i if isinstance(i, Tensor) else None for i in items]
        return tensors, () if nested else info.keys or ()
    return [info if isinstance(info, Tensor) else None], ()
