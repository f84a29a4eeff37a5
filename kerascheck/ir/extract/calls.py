"""Expressions and calls: what a call evaluates to (a model, a layer, a
tensor), the Keras calls recorded for API rules, and call arguments.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.extract.infos import (
    HARMLESS_CALLS,
    Alternatives,
    ClassInfo,
    Function,
    Imported,
    Items,
    LayerValue,
    ModelBuilder,
    Param,
    Tensor,
    flatten_infos,
    input_tensors,
    is_self,
    skipped,
    symbolic,
)
from kerascheck.ir.extract.params import (
    PARAM_METHODS,
    built_models,
    calls_in_helper,
    handed_over,
    note_model_params,
    slots,
)
from kerascheck.ir.extract.scopes import IN_PLACE_METHODS
from kerascheck.ir.extract.shadowing import COMPREHENSIONS
from kerascheck.ir.model import (
    KerasCall,
    Layer,
    Loc,
    ModelKind,
    Opaque,
    TensorOp,
)
from kerascheck.ir.values import children, source_text

# Literal tokens: no child an expression can be read from (half the nodes that
# reach _expr's generic walk over children).
_LEAVES = frozenset(
    (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.FormattedStringText, cst.Ellipsis)
)


class Calls:
    """The expression half of the Extractor."""

    def _keras_path(self, info: Any) -> str | None:
        if isinstance(info, Imported):
            return api.keras_path(info.qualname)
        return None

    def _expr(self, node: cst.CSTNode) -> Any:
        # Exact type checks: LibCST's classes answer isinstance through ABCMeta,
        # which costs more than the rest of this walk on a large file.
        kind = type(node)
        if kind is cst.Name:
            return self._name(node.value)
        if kind is cst.Attribute:
            if is_self(node.value) and self._class_attrs is not None:
                return self._self_attr(node.attr.value)
            base = self._expr(node.value)
            if isinstance(base, Imported):
                return Imported(f"{base.qualname}.{node.attr.value}")
            return None
        if kind is cst.Call:
            return self._call(node)
        if kind is cst.List or kind is cst.Tuple:
            return Items(tuple(self._expr(e.value) for e in node.elements))
        if kind is cst.Dict:
            return self._dict(node)
        if kind is cst.Subscript:
            return self._subscript(node)
        if kind is cst.Lambda:
            return self._lambda(node)
        if kind in COMPREHENSIONS:
            return self._comprehension(node)
        if kind in _LEAVES:  # a number or a plain string: nothing inside to evaluate
            return None
        tensors = []
        for child in children(node):
            if not skipped(type(child)):
                info = self._expr(child)
                if isinstance(info, Tensor):
                    tensors.append(info)
        if tensors and kind is not cst.IfExp:
            # `x + shortcut`, `x[:, 0]`: an operation kerascheck does not see
            # into keeps the graph connected as an opaque node.
            return Tensor(Opaque(source_text(node), Loc(node)), tuple(tensors))
        return None

    def _param_model(self, param: Param, node: cst.Call) -> ModelBuilder:
        if param.model is None:
            param.model = ModelBuilder(
                kind=ModelKind.PARAMETER, name=param.name, loc=Loc(node), block=self._block
            )
        return param.model

    def _call(self, node: cst.Call) -> Any:
        func = node.func
        if type(func) is cst.Attribute:
            if type(func.value) is cst.Name and func.attr.value in IN_PLACE_METHODS:
                self._note_changed_in_place(func.value.value)
            receiver = self._expr(func.value)
            if isinstance(receiver, Param) and func.attr.value in PARAM_METHODS:
                receiver = self._param_model(receiver, node)
            if isinstance(receiver, ModelBuilder):
                return self._method_call(receiver, func.attr.value, node)
            if isinstance(receiver, Alternatives):  # a model from each branch of an if/else
                for model in receiver.models:
                    self._method_call(model, func.attr.value, node)
                return None
            if isinstance(receiver, Tensor):  # `x.reshape(...)`: opaque, but connected
                tensors = list(flatten_infos(self._expr(a.value) for a in node.args))
                parents = (receiver, *(i for i in tensors if isinstance(i, Tensor)))
                return Tensor(Opaque(source_text(node), Loc(node)), parents)
            callee = (
                Imported(f"{receiver.qualname}.{func.attr.value}")
                if isinstance(receiver, Imported)
                else None
            )
        else:
            callee = self._expr(func)
        arg_infos = [self._expr(arg.value) for arg in node.args]
        if (
            _is_super_init(func)
            and self._current_class is not None
            and self._current_class.keras_base == "model"
        ):
            # `super().__init__(inputs, outputs)` in a Model subclass: a functional model.
            if any(isinstance(i, Tensor) for i in flatten_infos(arg_infos)):
                model = self._functional(node, arg_infos)
                model.name = self._current_class.name
                self._current_class.functional = model
            return None

        if isinstance(callee, Imported):
            return self._keras_or_library_call(node, callee, arg_infos)
        if isinstance(callee, (ModelBuilder, Alternatives)):  # a model called on a tensor
            models = callee.models if isinstance(callee, Alternatives) else (callee,)
            for model in models:
                model.used_as_block = True
                if not self._replaying:
                    model.calls.append(self._method(node, "__call__", func, ()))
            index = callee.index if isinstance(callee, ModelBuilder) else None
            element = Opaque(
                models[0].name or "model",
                Loc(node),
                is_model=True,
                model_index=index,
                made_by=models[0].made_by if len(models) == 1 else None,
            )
            return Tensor(element, input_tensors(arg_infos))
        if isinstance(callee, LayerValue):  # functional API: layer(tensor)
            return Tensor(callee.layer, input_tensors(arg_infos))
        if isinstance(callee, ClassInfo) and callee.keras_base == "model":
            if callee.functional is not None:  # super().__init__(inputs, outputs)
                return callee.functional
            model = self._new_model(ModelKind.SUBCLASS, node)
            model.own_methods, model.keras2 = callee.methods, callee.keras2
            return model
        if isinstance(callee, ClassInfo) and callee.keras_base == "layer":
            # Its call passes an input shape on to keras.layers.Layer, or may (**kwargs).
            shape_given = any(
                a.star or (a.keyword is not None and a.keyword.value in api.INPUT_SHAPE_ARGS)
                for a in node.args
            )
            return LayerValue(
                Opaque(callee.name, Loc(node), user_layer=True, shape_given=shape_given)
            )
        if isinstance(callee, Param) and not self._replaying:  # `model(batch)` in a helper
            model = self._param_model(callee, node)
            call = self._method(node, "__call__", func, ())
            model.calls.append(call)
            model.call_blocks[call.order] = (self._scope.function, self._block)
            return None
        if isinstance(callee, Function) and not self._replaying:
            note_model_params(callee, node, arg_infos)
        if isinstance(callee, Function):
            if callee.node is not None and any(
                isinstance(i, Tensor) for i in flatten_infos(arg_infos)
            ):
                returned = self._inline(callee, node, arg_infos)
                if isinstance(returned, ModelBuilder) and returned.origin is not None:
                    # `model = build(keras.Input(...))`: the caller's compile and fit
                    # apply to the model the builder's walk recorded.
                    return returned.origin
                return returned
            if callee.node is not None and any(map(symbolic, flatten_infos(callee.returns))):
                return self._inline(callee, node, arg_infos)  # `inputs = make_inputs()`
            returned = built_models(callee.returns)
            if returned is not None:
                if (
                    isinstance(returned, ModelBuilder)
                    and callee.node is not None
                    and (not self._replaying)
                ):
                    # A build function: replayed with this call's literal
                    # arguments; the model takes them if it is built once.
                    returned.replays.append(self._inline(callee, node, arg_infos))
                return returned
        if not (type(func) is cst.Name and func.value in HARMLESS_CALLS):
            for slot, info in slots(node, arg_infos):
                if isinstance(info, ModelBuilder):
                    info.escaped = True
                    what = handed_over(callee, slot)
                    if self._replaying:
                        continue
                    if what is not None:
                        info.calls.append(self._method(node, what, func, ()))
                    # What the function of the file does to it happens here.
                    for call in calls_in_helper(callee, slot):
                        info.calls.append(replace(call, order=next(self._order)))
        tensors = tuple(i for i in flatten_infos(arg_infos) if isinstance(i, Tensor))
        if tensors and not isinstance(callee, Function):
            # A call kerascheck does not see into, on tensors: an opaque node.
            return Tensor(Opaque(source_text(node), Loc(node)), tensors)
        return None

    def _keras_or_library_call(self, node: cst.Call, callee: Imported, arg_infos: list) -> Any:
        path = api.keras_path(callee.qualname)
        if path is None:
            qualname = callee.qualname
            if qualname.endswith((".from_preset", ".from_pretrained")) or qualname.startswith(
                api.KERAS_MODEL_LIBRARIES
            ):
                return self._new_model(ModelKind.EXTERNAL, node)
            if qualname.startswith(api.TUNER_PREFIX) and api.leaf(qualname) in api.TUNER_CLASSES:
                return self._new_model(ModelKind.TUNER, node)
            for info in flatten_infos(arg_infos):
                if isinstance(info, ModelBuilder):
                    info.escaped = True
            tensors = tuple(i for i in flatten_infos(arg_infos) if isinstance(i, Tensor))
            if tensors and qualname.startswith("tensorflow.") and any(map(symbolic, tensors)):
                self._record_tensor_op(node, qualname)
            if tensors:  # `tf.nn.relu(x)`: an opaque node that keeps the graph connected
                return Tensor(Opaque(source_text(node), Loc(node)), tensors)
            return None
        self.uses_keras = True
        model = self._keras_model(node, callee, path, arg_infos)
        if model is not None:
            model.keras2 = callee.qualname.startswith("tf_keras")
            return model
        self._record_keras_call(node, callee.qualname, path)
        if path in api.INPUT_PATHS:
            return Tensor(self._layer(node, "Input"), ())
        merge = (
            api.MERGE_FUNCTIONS.get(path.rsplit(".", 1)[-1]) if path.startswith("layers.") else None
        )
        if merge is not None and arg_infos:
            layer = self._layer(node, merge, ("inputs", *api.MERGE_SIGNATURES.get(merge, ())))
            return Tensor(layer, input_tensors(arg_infos))
        if api.is_layer_path(path):
            layer = self._layer(node, api.LAYER_ALIASES.get(api.leaf(path), api.leaf(path)))
            if layer.kind in api.WRAPPER_LAYERS:
                layer = replace(layer, wrapped=_wrapped(node, arg_infos))
            for info in flatten_infos(arg_infos):  # a model wrapped by a layer
                if isinstance(info, ModelBuilder):
                    info.used_as_block = True
            return LayerValue(layer)
        return None

    def _keras_model(
        self, node: cst.Call, callee: Imported, path: str, arg_infos: list
    ) -> ModelBuilder | None:
        """The model a Keras call builds or loads, if it is one."""
        if path in api.SEQUENTIAL_PATHS:
            return self._sequential(node, arg_infos)
        if path in api.MODEL_PATHS:
            self._record_keras_call(node, callee.qualname, path)  # for its arguments (KC409)
            return self._functional(node, arg_infos)
        if path.startswith(api.EXTERNAL_MODEL_PREFIXES) or path.endswith(
            (".from_preset", ".from_pretrained")
        ):
            self._record_keras_call(node, callee.qualname, path)
            model = self._new_model(ModelKind.EXTERNAL, node)
            model.made_by = self._keras_call(node)  # in a replay too: its output shape
            return model
        return None

    def _record_tensor_op(self, node: cst.Call, qualname: str) -> None:
        """A TensorFlow function on a symbolic Keras tensor (once, even when a
        helper that holds it is replayed for several calls)."""
        if any(op.loc.node is node for op in self.tensor_ops):
            return
        args = self._args(node, ())
        self.tensor_ops.append(TensorOp(qualname, args, Loc(node), Loc(node.func)))

    def _record_keras_call(self, node: cst.Call, qualname: str, path: str) -> None:
        signature = (
            api.LAYER_SIGNATURES.get(api.LAYER_ALIASES.get(api.leaf(path), api.leaf(path)), ())
            if api.is_layer_path(path)
            else ()
        )
        if self._replaying:  # recorded when the helper or loop was first walked
            return
        self.calls.append(
            KerasCall(
                qualname=qualname,
                path=path,
                args=self._args(node, signature),
                loc=Loc(node),
                func_loc=Loc(node.func),
            )
        )


def _is_super_init(func: cst.BaseExpression) -> bool:
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "__init__"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    )


def _wrapped(node: cst.Call, arg_infos: list) -> Layer | None:
    """The Keras layer a wrapper is given, first or as `layer=`."""
    for index, (arg, info) in enumerate(zip(node.args, arg_infos)):
        keyword = arg.keyword.value if arg.keyword is not None else None
        if arg.star or (keyword is None and index > 0):
            return None
        if keyword in (None, "layer"):
            if isinstance(info, LayerValue) and isinstance(info.layer, Layer):
                return info.layer
            return None
    return None
