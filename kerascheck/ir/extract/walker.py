"""LibCST module -> IR (KerasFile).

One walk over the statements, in source order, with a light abstract
interpretation of expressions: every expression evaluates to what kerascheck
knows about it (an import path, a model being built, a layer, a tensor of a
functional graph) or to None. Statements are walked by hand rather than with a
generic visitor: it keeps scopes and evaluation order explicit, and visits only
what can matter.

Precision rules live here: a name is Keras only if its import says so (or it is
used bare, as in a pasted snippet), and a name bound more than once is known only
where the binding in force is certain.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.extract.dataprep import data_steps
from kerascheck.ir.model import (
    HANDED_OVER,
    HANDED_OVER_BUILDS,
    HANDED_OVER_TRAINS,
    Arg,
    CallArgs,
    Element,
    HistoryRead,
    ImportedName,
    ImportStatement,
    KerasCall,
    KerasFile,
    Layer,
    Loc,
    Loss,
    MethodCall,
    Model,
    Opaque,
    Unknown,
)
from kerascheck.ir.values import children, clear_texts, data_names, literal, source_text

# Calls that look at a model without training or keeping it.
_HARMLESS_CALLS = {"print", "len", "str", "repr", "type", "isinstance", "id", "display"}

_SKIP_CHILDREN = (
    cst.BaseParenthesizableWhitespace,
    cst.Comma,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Dot,
    cst.BaseBinaryOp,
    cst.BaseUnaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.AssignEqual,
    cst.Colon,
)

_SKIPPED: dict[type, bool] = {}


def _skipped(kind: type) -> bool:
    """Punctuation and whitespace, decided once per node type (isinstance
    against LibCST's abstract classes is slow, and this runs for every node)."""
    skip = _SKIPPED.get(kind)
    if skip is None:
        skip = _SKIPPED[kind] = issubclass(kind, _SKIP_CHILDREN)
    return skip


# -- what an expression can evaluate to ---------------------------------------


@dataclass(frozen=True)
class _Import:
    qualname: str


@dataclass(eq=False)
class _ModelBuilder:
    kind: str
    name: str | None
    loc: Loc
    block: tuple
    elements: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    used_as_block: bool = False
    escaped: bool = False
    keras2: bool = False
    history_reads: list = field(default_factory=list)

    def freeze(self) -> Model:
        return Model(
            kind=self.kind,
            name=self.name or "model",
            loc=self.loc,
            layers=tuple(self.elements),
            calls=tuple(self.calls),
            used_as_block=self.used_as_block,
            escaped=self.escaped,
            keras2=self.keras2,
            history_reads=tuple(self.history_reads),
        )


@dataclass(frozen=True, eq=False)
class _LayerValue:
    layer: Layer


@dataclass(frozen=True, eq=False)
class _Tensor:
    element: Element
    parents: tuple  # of _Tensor | None (None: a tensor from somewhere unknown)


@dataclass(frozen=True, eq=False)
class _Items:
    items: tuple  # what each element of a list or tuple evaluates to


@dataclass(eq=False)
class _Function:
    name: str
    returns: list = field(default_factory=list)
    # Parameters (positions and names) some call of the function passes a model in.
    model_params: set = field(default_factory=set)
    params: list = field(default_factory=list)  # of _Param


@dataclass(eq=False)
class _Param:
    """A function's parameter: a model, if the function trains it like one."""

    function: _Function
    name: str
    index: int | None  # position, None for keyword-only
    model: _ModelBuilder | None = None


@dataclass(frozen=True, eq=False)
class _History:
    """What `model.fit(...)` returned."""

    model: _ModelBuilder
    fit: MethodCall


# Methods that make a parameter a model candidate (not `add`: no layers are built).
_PARAM_METHODS = {
    "compile",
    "fit",
    "evaluate",
    "predict",
    "summary",
    "fit_generator",
    "evaluate_generator",
    "train_on_batch",
}


@dataclass(frozen=True, eq=False)
class _Class:
    name: str
    keras_base: str | None  # "model", "layer" or None


@dataclass(eq=False)
class _Binding:
    info: Any  # what the bound expression evaluated to
    expr: cst.BaseExpression | None  # for literal reads; None if not a plain value
    block: tuple


_UNCERTAIN = object()


@dataclass(eq=False)
class _Scope:
    kind: str  # module, function, class
    parent: _Scope | None
    bindings: dict = field(default_factory=dict)  # name -> list[_Binding]
    star_modules: list = field(default_factory=list)
    function: _Function | None = None


class Extractor:
    def __init__(self) -> None:
        self.models: list[_ModelBuilder] = []
        self.calls: list[KerasCall] = []
        self.imports: list[ImportStatement] = []
        self.uses_keras = False
        self._block: tuple = ()
        self._block_ids = itertools.count()
        self._order = itertools.count()
        self._module_scope = _Scope("module", None)
        self._scope = self._module_scope
        self._class_attrs: dict | None = None  # self.* bindings of the enclosing class
        self._module_rebound: frozenset[str] = frozenset()
        self._params: list[_Param] = []

    # -- entry ----------------------------------------------------------------

    def extract(self, module: cst.Module) -> KerasFile:
        self._module_rebound = _rebound_at_top_level(module)
        self._statements(module.body)
        self.models.extend(p.model for p in self._params if _trained_as_keras(p))
        return KerasFile(
            models=tuple(m.freeze() for m in self.models),
            calls=tuple(self.calls),
            imports=tuple(self.imports),
            uses_keras=self.uses_keras,
        )

    # -- statements -------------------------------------------------------------

    def _statements(self, statements: Iterable[cst.CSTNode]) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small)
            else:
                self._compound(statement)

    def _suite(self, suite: cst.BaseSuite, conditional: bool = False) -> None:
        outer = self._block
        if conditional:
            self._block = outer + (next(self._block_ids),)
        try:
            if isinstance(suite, cst.SimpleStatementSuite):
                for small in suite.body:
                    self._small(small)
            else:
                self._statements(suite.body)
        finally:
            self._block = outer

    def _small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, cst.Expr):
            self._expr(node.value)
        elif isinstance(node, cst.Assign):
            info = self._expr(node.value)
            for target in node.targets:
                self._bind_target(target.target, info, node.value)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                info = self._expr(node.value)
                self._bind_target(node.target, info, node.value)
        elif isinstance(node, cst.AugAssign):
            self._expr(node.value)
            self._bind_target(node.target, None, None)
        elif isinstance(node, cst.Return):
            info = self._expr(node.value) if node.value is not None else None
            if self._scope.function is not None:
                self._scope.function.returns.append(info)
        elif isinstance(node, cst.Import):
            self._record_import(node, None)
            for alias in node.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    self._bind_name(_as_name(alias.asname), _Import(dotted), None)
                else:
                    top = dotted.split(".", 1)[0]
                    self._bind_name(top, _Import(top), None)
                self._note_keras(dotted)
        elif isinstance(node, cst.ImportFrom):
            self._import_from(node)
        elif isinstance(node, (cst.Raise, cst.Assert, cst.Del)):
            for child in children(node):
                self._expr(child)

    def _import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            if isinstance(node.names, cst.ImportStar):
                self._scope.star_modules.append(None)
            else:
                for alias in node.names:
                    self._bind_name(_as_name(alias.asname) or _dotted(alias.name), None, None)
            return
        module = _dotted(node.module)
        self._note_keras(module)
        self._record_import(node, module)
        if isinstance(node.names, cst.ImportStar):
            self._scope.star_modules.append(module)
            return
        for alias in node.names:
            name = _dotted(alias.name)
            local = _as_name(alias.asname) or name
            self._bind_name(local, _Import(f"{module}.{name}"), None)

    def _record_import(self, node: cst.Import | cst.ImportFrom, module: str | None) -> None:
        """Import statements as written, for rules about removed import paths."""
        names = (
            ()
            if isinstance(node.names, cst.ImportStar)
            else tuple(
                ImportedName(_dotted(alias.name), _as_name(alias.asname), Loc(alias))
                for alias in node.names
            )
        )
        module_loc = Loc(node.module) if module is not None else None
        self.imports.append(
            ImportStatement(
                module,
                names,
                Loc(node),
                module_loc,
                top_level=self._scope.kind == "module" and not self._block,
            )
        )

    def _note_keras(self, dotted: str) -> None:
        if api.keras_path(dotted) is not None or dotted == "tensorflow":
            self.uses_keras = True

    def _compound(self, node: cst.BaseCompoundStatement) -> None:
        if isinstance(node, cst.FunctionDef):
            self._function(node)
        elif isinstance(node, cst.ClassDef):
            self._class(node)
        elif isinstance(node, cst.If):
            self._expr(node.test)
            self._suite(node.body, conditional=True)
            orelse = node.orelse
            if isinstance(orelse, cst.If):
                self._compound(orelse)
            elif orelse is not None:
                self._suite(orelse.body, conditional=True)
        elif isinstance(node, (cst.For, cst.While)):
            if isinstance(node, cst.For):
                self._expr(node.iter)
                self._bind_target(node.target, None, None)
            else:
                self._expr(node.test)
            self._suite(node.body, conditional=True)
            if node.orelse is not None:
                self._suite(node.orelse.body, conditional=True)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._suite(node.body, conditional=True)
            for handler in node.handlers:
                if handler.name is not None:
                    self._bind_name(_as_name(handler.name), None, None)
                self._suite(handler.body, conditional=True)
            if node.orelse is not None:
                self._suite(node.orelse.body, conditional=True)
            if node.finalbody is not None:
                self._suite(node.finalbody.body)
        elif isinstance(node, cst.With):
            for item in node.items:
                info = self._expr(item.item)
                if item.asname is not None:
                    self._bind_target(item.asname.name, info, None)
            self._suite(node.body)
        elif isinstance(node, cst.Match):
            self._expr(node.subject)
            for case in node.cases:
                self._suite(case.body, conditional=True)

    def _function(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        function = _Function(node.name.value)
        self._bind_name(node.name.value, function, None)
        outer_scope = self._scope
        parent = self._module_scope if outer_scope.kind == "class" else outer_scope
        params = node.params
        all_params = list(
            itertools.chain(
                params.posonly_params,
                params.params,
                params.kwonly_params,
                [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)],
            )
        )
        for param in all_params:  # defaults run where the function is defined
            if param.default is not None:
                self._expr(param.default)
        self._scope = _Scope("function", parent, function=function)
        positional = [*params.posonly_params, *params.params]
        for param in all_params:
            name = param.name.value
            index = positional.index(param) if param in positional else None
            candidate = None if name in ("self", "cls") else _Param(function, name, index)
            if candidate is not None:
                self._params.append(candidate)
                function.params.append(candidate)
            self._bind_name(name, candidate, None)
        try:
            self._suite(node.body)
        finally:
            self._scope = outer_scope

    def _class(self, node: cst.ClassDef) -> None:
        keras_base = None
        for base in node.bases:
            info = self._expr(base.value)
            path = self._keras_path(info)
            if path in api.MODEL_PATHS or path in api.SEQUENTIAL_PATHS:
                keras_base = "model"
            elif path in api.LAYER_BASE_PATHS and keras_base is None:
                keras_base = "layer"
            elif isinstance(info, _Class) and info.keras_base:
                keras_base = info.keras_base
        self._bind_name(node.name.value, _Class(node.name.value, keras_base), None)
        outer_scope, outer_attrs = self._scope, self._class_attrs
        self._scope = _Scope("class", outer_scope)
        self._class_attrs = {}
        try:
            self._suite(node.body)
        finally:
            self._scope, self._class_attrs = outer_scope, outer_attrs

    # -- bindings ---------------------------------------------------------------

    def _bind_target(
        self, target: cst.BaseExpression, info: Any, expr: cst.BaseExpression | None
    ) -> None:
        if isinstance(target, cst.Name):
            self._bind_name(target.value, info, expr)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None, None)
        elif isinstance(target, cst.Attribute):
            self._expr(target.value)
            if _is_self(target.value) and self._class_attrs is not None:
                self._class_attrs.setdefault(target.attr.value, []).append(
                    _Binding(info, expr, self._block)
                )
                if isinstance(info, _ModelBuilder):
                    info.used_as_block = True
        elif isinstance(target, cst.Subscript):
            self._expr(target)

    def _bind_name(self, name: str, info: Any, expr: cst.BaseExpression | None) -> None:
        if isinstance(info, _ModelBuilder) and info.name is None:
            info.name = name
        self._scope.bindings.setdefault(name, []).append(_Binding(info, expr, self._block))

    def _lookup(self, name: str) -> _Binding | object | None:
        """The binding in force: a _Binding, None if never bound, _UNCERTAIN."""
        scope = self._scope
        while scope is not None:
            bindings = scope.bindings.get(name)
            if bindings:
                if (
                    scope is not self._scope
                    and scope is self._module_scope
                    and name in self._module_rebound
                ):
                    # A function body is walked where it is defined, but runs
                    # later: a global bound more than once may have changed.
                    return _UNCERTAIN
                latest = bindings[-1]
                if self._block[: len(latest.block)] == latest.block:
                    return latest
                return _UNCERTAIN
            scope = scope.parent
        return None

    def _bound_expr(self, name: str) -> cst.BaseExpression | None:
        binding = self._lookup(name)
        return binding.expr if isinstance(binding, _Binding) else None

    def _name(self, name: str) -> Any:
        binding = self._lookup(name)
        if isinstance(binding, _Binding):
            return binding.info
        if binding is _UNCERTAIN:
            for candidate in self._all_bindings(name):
                if isinstance(candidate.info, _ModelBuilder):
                    candidate.info.escaped = True
            return None
        return self._unbound(name)

    def _all_bindings(self, name: str) -> list:
        scope = self._scope
        while scope is not None:
            if name in scope.bindings:
                return scope.bindings[name]
            scope = scope.parent
        return []

    def _unbound(self, name: str) -> _Import | None:
        """A name nothing binds: a star import, or a pasted snippet's Keras name."""
        stars = []
        scope = self._scope
        while scope is not None:
            stars.extend(scope.star_modules)
            scope = scope.parent
        if stars:
            keras_stars = [m for m in stars if m is not None and api.keras_path(m) is not None]
            if len(keras_stars) == len(stars) and (
                name in api.SNIPPET_LAYERS or name in api.SNIPPET_TOP_LEVEL
            ):
                return _Import(f"{keras_stars[-1]}.{name}")
            return None
        if name in api.SNIPPET_MODULES:
            return _Import(api.SNIPPET_MODULES[name])
        if name in api.SNIPPET_TOP_LEVEL:
            return _Import(f"keras.{name}")
        if name in api.SNIPPET_LAYERS:
            return _Import(f"keras.layers.{name}")
        return None

    def _self_attr(self, attr: str) -> Any:
        if self._class_attrs is None:
            return None
        bindings = self._class_attrs.get(attr)
        if not bindings:
            return None
        if len(bindings) > 1:
            for binding in bindings:
                if isinstance(binding.info, _ModelBuilder):
                    binding.info.escaped = True
            return None
        return bindings[0].info

    # -- expressions --------------------------------------------------------------

    def _keras_path(self, info: Any) -> str | None:
        if isinstance(info, _Import):
            return api.keras_path(info.qualname)
        return None

    def _expr(self, node: cst.CSTNode) -> Any:
        # Exact type checks: LibCST's classes answer isinstance through ABCMeta,
        # which costs more than the rest of this walk on a large file.
        kind = type(node)
        if kind is cst.Name:
            return self._name(node.value)
        if kind is cst.Attribute:
            if _is_self(node.value) and self._class_attrs is not None:
                return self._self_attr(node.attr.value)
            base = self._expr(node.value)
            if isinstance(base, _Import):
                return _Import(f"{base.qualname}.{node.attr.value}")
            return None
        if kind is cst.Call:
            return self._call(node)
        if kind is cst.List or kind is cst.Tuple:
            return _Items(tuple(self._expr(e.value) for e in node.elements))
        if kind is cst.Subscript:
            self._history_read(node)
        for child in children(node):
            if not _skipped(type(child)):
                self._expr(child)
        return None

    def _call(self, node: cst.Call) -> Any:
        func = node.func
        if isinstance(func, cst.Attribute):
            receiver = self._expr(func.value)
            if isinstance(receiver, _Param) and func.attr.value in _PARAM_METHODS:
                receiver = self._param_model(receiver, node)
            if isinstance(receiver, _ModelBuilder):
                return self._method_call(receiver, func.attr.value, node)
            callee = (
                _Import(f"{receiver.qualname}.{func.attr.value}")
                if isinstance(receiver, _Import)
                else None
            )
        else:
            callee = self._expr(func)
        arg_infos = [self._expr(arg.value) for arg in node.args]

        if isinstance(callee, _Import):
            return self._keras_or_library_call(node, callee, arg_infos)
        if isinstance(callee, _ModelBuilder):  # a model called on a tensor
            callee.used_as_block = True
            callee.calls.append(self._method(node, "__call__", func, ()))
            return _Tensor(
                Opaque(callee.name or "model", Loc(node), is_model=True), _input_tensors(arg_infos)
            )
        if isinstance(callee, _LayerValue):  # functional API: layer(tensor)
            return _Tensor(callee.layer, _input_tensors(arg_infos))
        if isinstance(callee, _Class) and callee.keras_base == "model":
            return self._new_model("subclass", node)
        if isinstance(callee, _Function):
            _note_model_params(callee, node, arg_infos)
        if isinstance(callee, _Function) and callee.returns:
            first = callee.returns[0]
            if isinstance(first, _ModelBuilder) and all(r is first for r in callee.returns):
                return first
        if isinstance(callee, _Param):  # `model(batch)` inside a helper
            self._param_model(callee, node).calls.append(self._method(node, "__call__", func, ()))
            return None
        if not (isinstance(func, cst.Name) and func.value in _HARMLESS_CALLS):
            for slot, info in _slots(node, arg_infos):
                if isinstance(info, _ModelBuilder):
                    info.escaped = True
                    what = _handed_over(callee, slot)
                    if what is not None:
                        info.calls.append(self._method(node, what, func, ()))
        return None

    def _param_model(self, param: _Param, node: cst.Call) -> _ModelBuilder:
        if param.model is None:
            param.model = _ModelBuilder(
                kind="parameter", name=param.name, loc=Loc(node), block=self._block
            )
        return param.model

    def _history_read(self, node: cst.Subscript) -> None:
        """`history.history["val_loss"]`: a key read from a fit's history."""
        value = node.value
        if not (isinstance(value, cst.Attribute) and value.attr.value == "history"):
            return
        if not isinstance(value.value, cst.Name) or len(node.slice) != 1:
            return
        history = self._name(value.value.value)
        index = node.slice[0].slice
        if not isinstance(history, _History) or not isinstance(index, cst.Index):
            return
        key = literal(index.value, self._bound_expr)
        if isinstance(key, str):
            history.model.history_reads.append(HistoryRead(key, Loc(node), history.fit.order))

    def _keras_or_library_call(self, node: cst.Call, callee: _Import, arg_infos: list) -> Any:
        path = api.keras_path(callee.qualname)
        if path is None:
            qualname = callee.qualname
            if qualname.endswith((".from_preset", ".from_pretrained")) or qualname.startswith(
                api.KERAS_MODEL_LIBRARIES
            ):
                return self._new_model("external", node)
            if qualname.startswith(api.TUNER_PREFIX) and api.leaf(qualname) in api.TUNER_CLASSES:
                return self._new_model("tuner", node)
            for info in _flatten(arg_infos):
                if isinstance(info, _ModelBuilder):
                    info.escaped = True
            return None
        self.uses_keras = True
        model = self._keras_model(node, callee, path, arg_infos)
        if model is not None:
            model.keras2 = callee.qualname.startswith("tf_keras")
            return model
        self._record_keras_call(node, callee.qualname, path)
        if path in api.INPUT_PATHS:
            return _Tensor(self._layer(node, "Input"), ())
        if api.is_layer_path(path):
            layer = self._layer(node, api.LAYER_ALIASES.get(api.leaf(path), api.leaf(path)))
            for info in _flatten(arg_infos):  # a model wrapped by a layer
                if isinstance(info, _ModelBuilder):
                    info.used_as_block = True
            return _LayerValue(layer)
        return None

    def _keras_model(
        self, node: cst.Call, callee: _Import, path: str, arg_infos: list
    ) -> _ModelBuilder | None:
        """The model a Keras call builds or loads, if it is one."""
        if path in api.SEQUENTIAL_PATHS:
            return self._sequential(node, arg_infos)
        if path in api.MODEL_PATHS:
            return self._functional(node, arg_infos)
        if path.startswith(api.EXTERNAL_MODEL_PREFIXES) or path.endswith(
            (".from_preset", ".from_pretrained")
        ):
            self._record_keras_call(node, callee.qualname, path)
            return self._new_model("external", node)
        return None

    def _record_keras_call(self, node: cst.Call, qualname: str, path: str) -> None:
        signature = (
            api.LAYER_SIGNATURES.get(api.LAYER_ALIASES.get(api.leaf(path), api.leaf(path)), ())
            if api.is_layer_path(path)
            else ()
        )
        self.calls.append(
            KerasCall(
                qualname=qualname,
                path=path,
                args=self._args(node, signature),
                loc=Loc(node),
                func_loc=Loc(node.func),
            )
        )

    # -- models ---------------------------------------------------------------------

    def _new_model(self, kind: str, node: cst.Call) -> _ModelBuilder:
        model = _ModelBuilder(kind=kind, name=None, loc=Loc(node), block=self._block)
        self.models.append(model)
        return model

    def _sequential(self, node: cst.Call, arg_infos: list) -> _ModelBuilder:
        model = self._new_model("sequential", node)
        layers_info = None
        for arg, info in zip(node.args, arg_infos):
            first_positional = arg.keyword is None and not arg.star and layers_info is None
            if first_positional or (arg.keyword is not None and arg.keyword.value == "layers"):
                layers_info = (arg, info)
            elif arg.star:
                model.elements.append(Opaque(source_text(arg), Loc(arg)))
        if layers_info is not None:
            arg, info = layers_info
            if isinstance(info, _Items) and isinstance(arg.value, (cst.List, cst.Tuple)):
                for element, item in zip(arg.value.elements, info.items):
                    model.elements.append(self._element(element.value, item, False))
            elif not _is_none(arg.value):
                model.elements.append(Opaque(source_text(arg.value), Loc(arg.value)))
        return model

    def _element(self, node: cst.CSTNode, info: Any, conditional: bool) -> Element:
        if isinstance(info, _LayerValue):
            layer = info.layer
            placed = None if node is layer.loc.node else Loc(node)
            if conditional or placed:
                layer = replace(layer, conditional=conditional, placed=placed)
            return layer
        if (
            isinstance(info, _Tensor)
            and isinstance(info.element, Layer)
            and info.element.kind == "Input"
        ):
            return info.element
        if isinstance(info, _ModelBuilder):
            info.used_as_block = True
            return Opaque(info.name or "model", Loc(node), is_model=True, conditional=conditional)
        if isinstance(node, cst.Call):
            callee = self._expr(node.func) if isinstance(node.func, cst.Name) else None
            if isinstance(callee, _Class) and callee.keras_base == "layer":
                shape_given = any(
                    a.star or (a.keyword is not None and a.keyword.value in api.INPUT_SHAPE_ARGS)
                    for a in node.args
                )
                return Opaque(
                    source_text(node),
                    Loc(node),
                    conditional=conditional,
                    user_layer=True,
                    shape_given=shape_given,
                )
        return Opaque(source_text(node), Loc(node), conditional=conditional)

    def _functional(self, node: cst.Call, arg_infos: list) -> _ModelBuilder:
        model = self._new_model("functional", node)
        outputs = None
        for index, (arg, info) in enumerate(zip(node.args, arg_infos)):
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "outputs" or (keyword is None and not arg.star and index == 1):
                outputs = info
        if isinstance(outputs, _Items) and len(outputs.items) == 1:
            outputs = outputs.items[0]
        if isinstance(outputs, _Tensor):
            model.elements.extend(_chain(outputs))
        else:
            model.elements.append(Opaque("outputs", Loc(node)))
        return model

    def _method_call(self, model: _ModelBuilder, method: str, node: cst.Call) -> Any:
        arg_infos = [self._expr(arg.value) for arg in node.args]
        signature = api.METHOD_SIGNATURES.get(method, ())
        call = self._method(node, method, node.func, signature)
        model.calls.append(call)
        if method == "fit":
            return _History(model, call)
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

    # -- layers and arguments ------------------------------------------------------

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
        items, call = (), None
        if resolve:
            target = self._follow(value)
            if isinstance(target, (cst.List, cst.Tuple)):
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
        )

    def _follow(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """The expression a name is certainly bound to, through a few names."""
        for _ in range(5):
            if not isinstance(node, cst.Name):
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

    def _layer(self, node: cst.Call, kind: str) -> Layer:
        args = self._args(node, api.LAYER_SIGNATURES.get(kind, ()))
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

    def _qualname(self, node: cst.BaseExpression) -> str | None:
        """The import path an expression names, without recording anything."""
        if isinstance(node, cst.Name):
            binding = self._lookup(node.value)
            info = (
                binding.info
                if isinstance(binding, _Binding)
                else (self._unbound(node.value) if binding is None else None)
            )
            return info.qualname if isinstance(info, _Import) else None
        if isinstance(node, cst.Attribute):
            base = self._qualname(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None

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


# -- helpers ----------------------------------------------------------------------


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return source_text(node)


def _as_name(asname: cst.AsName | None) -> str | None:
    if asname is None:
        return None
    return _dotted(asname.name)


def _is_self(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "self"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _flatten(infos: Iterable[Any]) -> Iterable[Any]:
    for info in infos:
        if isinstance(info, _Items):
            yield from _flatten(info.items)
        else:
            yield info


def _input_tensors(arg_infos: list) -> tuple:
    if not arg_infos:
        return (None,)
    first = arg_infos[0]
    if isinstance(first, _Items):
        return tuple(i if isinstance(i, _Tensor) else None for i in first.items)
    return (first if isinstance(first, _Tensor) else None,)


def _chain(output: _Tensor) -> list[Element]:
    """The linear chain of layers that ends at a functional model's output."""
    chain: list[Element] = []
    tensor: _Tensor | None = output
    while tensor is not None:
        chain.append(tensor.element)
        if len(tensor.parents) != 1:
            if tensor.parents:  # a merge: what comes before is not one chain
                chain.append(Opaque("merge", tensor.element.loc))
            break
        tensor = tensor.parents[0]
        if tensor is None:
            chain.append(Opaque("tensor", chain[-1].loc))
    chain.reverse()
    return chain


def _slots(node: cst.Call, arg_infos: list) -> Iterable[tuple[Any, Any]]:
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
        for item in _flatten([info]):
            yield slot, item


def _note_model_params(function: _Function, node: cst.Call, arg_infos: list) -> None:
    """Remember which parameters a call hands a model to."""
    for slot, info in _slots(node, arg_infos):
        if isinstance(info, _ModelBuilder) and slot is not None:
            function.model_params.add(slot)


_BUILDING = {"build", "predict", "predict_on_batch", "__call__"}


def _handed_over(callee: Any, slot: Any) -> str | None:
    """What handing a model to `callee` in `slot` does to it, as far as the
    file shows: None when a function of the file leaves it alone."""
    if not isinstance(callee, _Function):
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


def _trained_as_keras(param: _Param) -> bool:
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


def _rebound_at_top_level(module: cst.Module) -> frozenset[str]:
    """Names a module's top-level statements assign more than once."""
    counts: dict[str, int] = {}
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets = [small.target]
                for target in targets:
                    if isinstance(target, cst.Name):
                        counts[target.value] = counts.get(target.value, 0) + 1
    return frozenset(name for name, count in counts.items() if count > 1)


def extract(module: cst.Module) -> KerasFile:
    try:
        kfile = Extractor().extract(module)
        steps = data_steps(module, kfile.imports)  # scikit-learn around the model, for KC307
        return replace(kfile, data_steps=steps) if steps else kfile
    finally:
        clear_texts()
