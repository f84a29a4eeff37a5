"""Statements, walked by hand in source order: imports, assignments, blocks,
function and class definitions. Walking by hand rather than with a generic
visitor keeps scopes and evaluation order explicit, and visits only what can
matter.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import libcst as cst

from kerascheck.catalog import api, migration
from kerascheck.ir.extract.infos import (
    Alternatives,
    ClassInfo,
    Function,
    Imported,
    ModelBuilder,
    Param,
    Scope,
    as_name,
    dotted_name,
    literal_expr,
)
from kerascheck.ir.model import ImportedName, ImportStatement, Loc
from kerascheck.ir.values import children, literal


class StatementWalk:
    """The statement half of the Extractor."""

    def _statements(self, statements: Iterable[cst.CSTNode]) -> None:
        for statement in statements:
            if type(statement) is cst.SimpleStatementLine:
                for small in statement.body:
                    self._small(small)
            else:
                self._compound(statement)

    def _suite(self, suite: cst.BaseSuite, conditional: bool = False) -> None:
        outer = self._block
        if conditional:
            self._block = outer + (next(self._block_ids),)
        try:
            if type(suite) is cst.SimpleStatementSuite:
                for small in suite.body:
                    self._small(small)
            else:
                self._statements(suite.body)
        finally:
            self._block = outer

    def _small(self, node: cst.BaseSmallStatement) -> None:
        kind = type(node)  # exact types: LibCST's isinstance goes through ABCMeta
        if kind is cst.Expr:
            self._expr(node.value)
        elif kind is cst.Assign:
            info = self._expr(node.value)
            labels = self._labels_of(node.value)  # before the names are rebound
            for target in node.targets:
                self._bind_target(target.target, info, node.value)
                self._note_labels(target.target, labels)
        elif kind is cst.AnnAssign:
            if node.value is not None:
                info = self._expr(node.value)
                self._bind_target(node.target, info, node.value)
        elif kind is cst.AugAssign:
            self._expr(node.value)
            self._bind_target(node.target, None, self._augmented(node))
        elif isinstance(node, cst.Return):
            info = self._expr(node.value) if node.value is not None else None
            if self._scope.function is not None:
                self._scope.function.returns.append(info)
        elif isinstance(node, cst.Import):
            self._record_import(node, None)
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if alias.asname is not None:
                    self._bind_name(as_name(alias.asname), Imported(dotted), None)
                else:
                    top = dotted.split(".", 1)[0]
                    self._bind_name(top, Imported(top), None)
                self._note_keras(dotted)
        elif isinstance(node, cst.ImportFrom):
            self._import_from(node)
        elif kind is cst.Del and type(node.target) is cst.Subscript:
            if type(node.target.value) is cst.Name:
                self._note_changed_in_place(node.target.value.value)  # `del sizes[0]`
            self._expr(node.target)
        elif isinstance(node, (cst.Raise, cst.Assert, cst.Del)):
            for child in children(node):
                self._expr(child)

    def _import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            if isinstance(node.names, cst.ImportStar):
                self._scope.star_modules.append(None)
            else:
                for alias in node.names:
                    self._bind_name(as_name(alias.asname) or dotted_name(alias.name), None, None)
            return
        module = dotted_name(node.module)
        self._note_keras(module)
        self._record_import(node, module)
        if isinstance(node.names, cst.ImportStar):
            self._scope.star_modules.append(module)
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            local = as_name(alias.asname) or name
            self._bind_name(local, Imported(f"{module}.{name}"), None)

    def _record_import(self, node: cst.Import | cst.ImportFrom, module: str | None) -> None:
        """Import statements as written, for rules about removed import paths."""
        if self._replaying:
            return
        names = (
            ()
            if isinstance(node.names, cst.ImportStar)
            else tuple(
                ImportedName(dotted_name(alias.name), as_name(alias.asname), Loc(alias))
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
            self._if(node)
        elif isinstance(node, (cst.For, cst.While)):
            before = {name: len(b) for name, b in self._scope.bindings.items()}
            if isinstance(node, cst.For):
                self._expr(node.iter)
                self._bind_target(node.target, None, None)
            else:
                self._expr(node.test)
            self._suite(node.body, conditional=True)
            if node.orelse is not None:
                self._suite(node.orelse.body, conditional=True)
            if not (isinstance(node, cst.For) and self._unroll(node, before)):
                self._loop_result(node, before)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._suite(node.body, conditional=True)
            for handler in node.handlers:
                if handler.name is not None:
                    self._bind_name(as_name(handler.name), None, None)
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

    def _if(self, node: cst.If) -> None:
        """An if/elif/else chain; a name every branch binds to a model of its
        own is bound, after it, to those alternatives (branch_models)."""
        branches = []  # per branch: name -> what the branch left it bound to
        complete = False
        branch: cst.If | cst.Else | None = node
        while branch is not None:
            if isinstance(branch, cst.If):
                self._expr(branch.test)
            before = {name: len(b) for name, b in self._scope.bindings.items()}
            self._suite(branch.body, conditional=True)
            branches.append(self._branch_bindings(before))
            if isinstance(branch, cst.Else):
                complete = True
                break
            branch = branch.orelse
        if complete:
            for name, models in branch_models(branches).items():
                self._bind_name(name, Alternatives(models), None)

    def _branch_bindings(self, before: dict) -> dict:
        """The names a branch just walked bound at its own top level (not in a
        block nested in it) as its last binding of them."""
        depth = len(self._block) + 1
        bound = {}
        for name, bindings in self._scope.bindings.items():
            if len(bindings) > before.get(name, 0) and len(bindings[-1].block) == depth:
                bound[name] = bindings[-1].info
        return bound

    def _function(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        function = Function(node.name.value, block=self._block)
        self._functions.append(function)
        self._bind_name(node.name.value, function, None)
        outer_scope = self._scope
        if outer_scope.kind != "class":  # a helper of the file, replayed on tensors
            function.node, function.scope = node, outer_scope
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
        self._scope = Scope("function", parent, function=function)
        positional = [*params.posonly_params, *params.params]
        for param in all_params:
            name = param.name.value
            index = positional.index(param) if param in positional else None
            candidate = None if name in ("self", "cls") else Param(function, name, index)
            if candidate is not None:
                self._params.append(candidate)
                function.params.append(candidate)
            self._bind_name(name, candidate, None)
        try:
            self._suite(node.body)
        finally:
            self._scope = outer_scope

    def _class(self, node: cst.ClassDef) -> None:
        keras_base, keras2, keras_layer = None, False, False
        inherited: set[str] | None = set()
        for base in node.bases:
            info = self._expr(base.value)
            path = self._keras_path(info)
            keras2 = keras2 or (isinstance(info, Imported) and migration.is_keras2(info.qualname))
            if path is not None:
                keras_layer = keras_layer or api.is_layer_path(path)
            elif isinstance(info, ClassInfo):
                keras_layer = keras_layer or info.keras_layer
            if path in api.MODEL_PATHS or path in api.SEQUENTIAL_PATHS:
                keras_base = "model"
            elif path in api.LAYER_BASE_PATHS and keras_base is None:
                keras_base = "layer"
            elif isinstance(info, ClassInfo) and info.keras_base:
                keras_base = info.keras_base
                keras2 = keras2 or info.keras2
            if isinstance(info, ClassInfo) and info.methods is not None and inherited is not None:
                inherited |= info.methods
            elif path is None:
                inherited = None  # a mixin or a library's class: it may define anything
        keras_layer = keras_layer or keras_base is not None
        defined = _defined_names(node)
        methods = None if inherited is None or defined is None else frozenset(inherited | defined)
        info = ClassInfo(
            node.name.value, keras_base, keras2=keras2, methods=methods, keras_layer=keras_layer
        )
        self._bind_name(node.name.value, info, None)
        outer_scope, outer_attrs, outer_class = self._scope, self._class_attrs, self._current_class
        self._scope = Scope("class", outer_scope)
        self._class_attrs = {}
        self._current_class = info
        first_variable = len(self.variable_attributes)
        try:
            self._suite(node.body)
            self._note_assigned_variables(node, first_variable)
        finally:
            self._scope, self._class_attrs = outer_scope, outer_attrs
            self._current_class = outer_class

    def _augmented(self, node: cst.AugAssign) -> cst.BaseExpression | None:
        """`filters *= 2` where filters is a literal: the new literal."""
        operator = _AUGMENTED.get(type(node.operator))
        if operator is None or not isinstance(node.target, cst.Name):
            return None
        combined = cst.BinaryOperation(left=node.target, operator=operator(), right=node.value)
        return literal_expr(literal(combined, self._bound_expr))


def _defined_names(node: cst.ClassDef) -> set[str] | None:
    """The methods and attributes a class body defines (`def save`, `save = ...`);
    None when a statement such as an `if` or `try` may define more."""
    names = set()
    for statement in node.body.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets = [small.target]
                names.update(t.value for t in targets if isinstance(t, cst.Name))
        else:
            return None
    return names


_AUGMENTED = {
    cst.AddAssign: cst.Add,
    cst.SubtractAssign: cst.Subtract,
    cst.MultiplyAssign: cst.Multiply,
    cst.FloorDivideAssign: cst.FloorDivide,
}


def branch_models(branches: list[dict]) -> dict[str, tuple]:
    """Names every branch binds to a model (a different one in each branch)."""
    found = {}
    for name in set.intersection(*(set(b) for b in branches)):
        models = []
        for bound in branches:
            info = bound[name]
            choices = info.models if isinstance(info, Alternatives) else (info,)
            if not all(isinstance(m, ModelBuilder) for m in choices):
                break
            models.extend(choices)
        else:
            if len({id(m) for m in models}) == len(models):
                found[name] = tuple(models)
    return found
