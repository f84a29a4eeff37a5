"""Names and what they are bound to: the binding in force at each point.

A name bound more than once is known only where the binding in force is
certain: a binding made in a block (if, loop, try) the reader is not inside is
uncertain, and so is a module global a function reads after it was rebound.
A list, dict or set literal changed in place (`sizes.pop()`, `sizes[0] = 3`)
is no longer the name's value: its literal is not read after that.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import libcst as cst

from kerascheck.catalog import api
from kerascheck.ir.extract.infos import (
    UNCERTAIN,
    Binding,
    Imported,
    Items,
    ModelBuilder,
    flatten_infos,
    is_self,
    literal_expr,
)
from kerascheck.ir.model import Loc, VariableAttribute
from kerascheck.ir.values import children, literal

# Exact types: LibCST's classes answer isinstance through ABCMeta, which is slow.
_SEQUENCES = (cst.Tuple, cst.List)
# Literals a method or an item assignment can change in place (`sizes.pop()`):
# once that happens, the literal the name was bound to is no longer its value.
_MUTABLE_LITERALS = (cst.List, cst.Dict, cst.Set)
IN_PLACE_METHODS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update"}
)


class Scopes:
    """The binding half of the Extractor."""

    def _bind_target(
        self, target: cst.BaseExpression, info: Any, expr: cst.BaseExpression | None
    ) -> None:
        if type(target) is cst.Name:
            self._bind_name(target.value, info, expr)
        elif type(target) in _SEQUENCES:
            values = _unpacked(target, expr)
            items = info.items if isinstance(info, Items) else ()
            # `rows, cols = 28, 28`: each name gets its value as it was when
            # the whole right side ran, before any name is bound (`a, b = b, a`).
            exprs = (
                [literal_expr(literal(v, self._bound_expr)) for v in values]
                if values is not None
                else [None] * len(target.elements)
            )
            for index, element in enumerate(target.elements):
                if values is None:
                    # `autoencoder, encoder = build()`: a builder's tuple of models.
                    item = _unpacked_item(target, items, index)
                else:
                    item = items[index] if index < len(items) else None
                self._bind_target(element.value, item, exprs[index])
        elif isinstance(target, cst.Attribute):
            self._expr(target.value)
            if is_self(target.value) and self._class_attrs is not None and not self._replaying:
                self._class_attrs.setdefault(target.attr.value, []).append(
                    Binding(info, expr, self._block)
                )
                if isinstance(info, ModelBuilder):
                    info.used_as_block = True
                self._note_variable_attribute(target.attr.value, expr)
        elif isinstance(target, cst.Subscript):
            if type(target.value) is cst.Name:
                self._note_changed_in_place(target.value.value)  # `sizes[0] = 5`
            self._store_item(target, info)

    def _note_variable_attribute(self, attr: str, expr: cst.BaseExpression | None) -> None:
        """`self.x = tf.Variable(...)` in a Keras 3 Layer or Model subclass (KC411)."""
        cls = self._current_class
        if (
            cls is None
            or not cls.keras_layer
            or cls.keras2
            or not isinstance(expr, cst.Call)
            or self._qualname(expr.func) != "tensorflow.Variable"
        ):
            return
        args = self._args(expr, ("initial_value", "trainable"))
        self.variable_attributes.append(
            VariableAttribute(attr, cls.name, Loc(expr), Loc(expr.func), args)
        )

    def _note_assigned_variables(self, node: cst.ClassDef, first: int) -> None:
        """Mark the class's `tf.Variable` attributes that it updates itself with
        `self.<attr>.assign(...)`: state (a schedule, a probability), not a weight."""
        if len(self.variable_attributes) == first:
            return  # no tf.Variable attribute in this class: nothing to look for
        assigned = _assigned_self_attributes(node)
        for i in range(first, len(self.variable_attributes)):
            found = self.variable_attributes[i]
            if found.class_name == node.name.value and found.attr in assigned:
                self.variable_attributes[i] = replace(found, assigned=True)

    def _bind_name(self, name: str, info: Any, expr: cst.BaseExpression | None) -> None:
        if isinstance(info, ModelBuilder) and info.name is None:
            info.name = name
        self._scope.bindings.setdefault(name, []).append(Binding(info, expr, self._block))

    def _lookup(self, name: str) -> Binding | object | None:
        """The binding in force: a Binding, None if never bound, UNCERTAIN."""
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
                    return UNCERTAIN
                latest = bindings[-1]
                if self._block[: len(latest.block)] == latest.block:
                    return latest
                return UNCERTAIN
            scope = scope.parent
        return None

    def _note_changed_in_place(self, name: str) -> None:
        """`name.append(...)`, `name[0] = ...`: its literal, and that of a name
        it is another name for (`widths = sizes`), is not its value any more."""
        for _ in range(5):
            self._mutated.add(name)
            binding = self._lookup(name)
            if not isinstance(binding, Binding) or type(binding.expr) is not cst.Name:
                return
            name = binding.expr.value

    def _bound_expr(self, name: str) -> cst.BaseExpression | None:
        binding = self._lookup(name)
        if not isinstance(binding, Binding):
            return None
        if type(binding.expr) in _MUTABLE_LITERALS and name in self._mutated:
            return None  # `sizes = [5, 5, 5]` then `sizes.pop()`: not [5, 5, 5]
        return binding.expr

    def _name(self, name: str) -> Any:
        binding = self._lookup(name)
        if isinstance(binding, Binding):
            return binding.info
        if binding is UNCERTAIN:
            for candidate in self._all_bindings(name):
                for info in flatten_infos([candidate.info]):  # Alternatives: each model
                    if isinstance(info, ModelBuilder):
                        info.escaped = True
            return None
        return self._unbound(name)

    def _all_bindings(self, name: str) -> list:
        scope = self._scope
        while scope is not None:
            if name in scope.bindings:
                return scope.bindings[name]
            scope = scope.parent
        return []

    def _unbound(self, name: str) -> Imported | None:
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
                return Imported(f"{keras_stars[-1]}.{name}")
            return None
        if name in api.SNIPPET_MODULES:
            return Imported(api.SNIPPET_MODULES[name])
        if name in api.SNIPPET_TOP_LEVEL:
            return Imported(f"keras.{name}")
        if name in api.SNIPPET_LAYERS:
            return Imported(f"keras.layers.{name}")
        return None

    def _self_attr(self, attr: str) -> Any:
        if self._class_attrs is None:
            return None
        bindings = self._class_attrs.get(attr)
        if not bindings:
            return None
        if len(bindings) > 1:
            for binding in bindings:
                for info in flatten_infos([binding.info]):
                    if isinstance(info, ModelBuilder):
                        info.escaped = True
            return None
        return bindings[0].info

    def _qualname(self, node: cst.BaseExpression) -> str | None:
        """The import path an expression names, without recording anything."""
        if type(node) is cst.Name:
            binding = self._lookup(node.value)
            info = (
                binding.info
                if isinstance(binding, Binding)
                else (self._unbound(node.value) if binding is None else None)
            )
            return info.qualname if isinstance(info, Imported) else None
        if isinstance(node, cst.Attribute):
            base = self._qualname(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None


def _unpacked(target: cst.Tuple | cst.List, expr: cst.BaseExpression | None) -> list | None:
    """The right side's elements, one per name, when both sides are plain lists."""
    if not isinstance(expr, (cst.Tuple, cst.List)) or len(expr.elements) != len(target.elements):
        return None
    elements = [*target.elements, *expr.elements]
    if any(isinstance(e, cst.StarredElement) for e in elements):
        return None
    return [e.value for e in expr.elements]


def _unpacked_item(target: cst.Tuple | cst.List, items: tuple, index: int) -> Any:
    """What a name unpacked from a tuple of known width is bound to."""
    if len(items) != len(target.elements):
        return None
    if any(isinstance(e, cst.StarredElement) for e in target.elements):
        return None
    return items[index]


_ASSIGN_METHODS = frozenset({"assign", "assign_add", "assign_sub"})


def _assigned_self_attributes(node: cst.ClassDef) -> frozenset[str]:
    """Names `x` of every `self.x.assign(...)` (or `assign_add`/`assign_sub`) in a class.

    Walked over the fields (values.children): LibCST's own visit rebuilds
    every node it passes, which costs more than parsing the class."""
    names: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Call:
            method = current.func
            if (
                type(method) is cst.Attribute
                and method.attr.value in _ASSIGN_METHODS
                and type(method.value) is cst.Attribute
                and is_self(method.value.value)
            ):
                names.add(method.value.attr.value)
        stack.extend(children(current))
    return frozenset(names)
