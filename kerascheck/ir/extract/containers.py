"""Dicts, lists and subscripts: `inputs = {"age": keras.Input(...)}`,
`inputs[name] = keras.Input(...)`, `inputs["age"]`, `pair[0]`, and the keys
read from a fit's history (`history.history["val_loss"]`, KC303)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from kerascheck.ir.extract.infos import History, Items, Tensor, symbolic
from kerascheck.ir.model import HistoryRead, Loc, Opaque
from kerascheck.ir.values import literal, source_text


class Containers:
    """The container half of the Extractor's expressions."""

    def _dict(self, node: cst.Dict) -> Items:
        keys, items = [], []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = literal(element.key, self._bound_expr)
                keys.append(key if isinstance(key, str) else None)
                items.append(self._expr(element.value))
            else:
                self._expr(element.value)
                keys.append(None)
                items.append(None)
        return Items(tuple(items), tuple(keys))

    def _subscript(self, node: cst.Subscript) -> Any:
        """`inputs["age"]`, `pair[0]`: the item where container and key are
        known; `inputs[name]` of a dict of Keras tensors only: one of them."""
        self._history_read(node)
        base, rest = self._expr(node.value), [self._expr(e) for e in node.slice]
        found = item_of(base, node.slice, self._bound_expr)
        if found is not None:
            return found
        if _tensor_dict(base):
            element = Opaque(source_text(node), Loc(node), conditional=True)
            return Tensor(element, (*base.items, *base.added))
        tensors = tuple(i for i in (base, *rest) if isinstance(i, Tensor))
        if tensors:  # `x[:, 0]`: an opaque node keeps the graph connected
            return Tensor(Opaque(source_text(node), Loc(node)), tensors)
        return None

    def _store_item(self, target: cst.Subscript, info: Any) -> None:
        """`inputs[name] = keras.Input(...)`: the dict holds it too, under a key
        not followed."""
        container = self._expr(target.value)
        for element in target.slice:
            self._expr(element)
        if isinstance(container, Items) and container.keys is not None:
            container.added.append(info)

    def _history_read(self, node: cst.Subscript) -> None:
        """`history.history["val_loss"]`: a key read from a fit's history."""
        value = node.value
        if not (isinstance(value, cst.Attribute) and value.attr.value == "history"):
            return
        if not isinstance(value.value, cst.Name) or len(node.slice) != 1 or self._replaying:
            return
        history = self._name(value.value.value)
        index = node.slice[0].slice
        if not isinstance(history, History) or not isinstance(index, cst.Index):
            return
        key = literal(index.value, self._bound_expr)
        if isinstance(key, str):
            written = index.value if isinstance(index.value, cst.SimpleString) else None
            history.model.history_reads.append(
                HistoryRead(
                    key,
                    Loc(node),
                    history.fit.order,
                    self._arg(written, None, written, False) if written else None,
                )
            )


def item_of(container: Any, elements: Sequence[cst.SubscriptElement], bound_expr: Any) -> Any:
    """The item `container[key]` holds: a dict's item under a literal string
    key (every key of the dict literal, nothing stored later), a list's or
    tuple's at a literal index; None when not certain."""
    if not isinstance(container, Items) or len(elements) != 1:
        return None
    index = elements[0].slice
    if not isinstance(index, cst.Index):
        return None
    key = literal(index.value, bound_expr)
    if container.keys is not None:
        keys = container.keys
        if isinstance(key, str) and None not in keys and not container.added:
            return container.items[keys.index(key)] if keys.count(key) == 1 else None
        return None
    in_range = isinstance(key, int) and -len(container.items) <= key < len(container.items)
    return container.items[key] if in_range and not isinstance(key, bool) else None


def _tensor_dict(container: Any) -> bool:
    """A dict whose every value, written or stored, is a Keras tensor."""
    if not isinstance(container, Items) or container.keys is None:
        return False
    values = (*container.items, *container.added)
    return bool(values) and all(isinstance(v, Tensor) and symbolic(v) for v in values)
