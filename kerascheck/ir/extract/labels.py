"""How many classes a name's labels certainly hold (for KC109).

Followed in source order, through the same bindings as every other name:
`(x_train, y_train), (x_test, y_test) = mnist.load_data()` gives `y_train` and
`y_test` mnist's 10 classes; `y_train = to_categorical(y_train, 10)` gives 10
(or, without a count, the classes of what it encodes); `y.astype("float32")`
keeps them. Anything else bound to the name (a slice, a filter, a function of
the file) makes them unknown, and KC109 silent.
"""

from __future__ import annotations

import libcst as cst

from kerascheck.catalog import api, training
from kerascheck.ir.extract.infos import Binding
from kerascheck.ir.model import Classes, Loc
from kerascheck.ir.values import literal

# Exact types: LibCST's classes answer isinstance through ABCMeta, which is slow.
_SEQUENCES = (cst.Tuple, cst.List)

# Methods that return the same labels, retyped.
_KEEPS_LABELS = frozenset({"astype"})


class Labels:
    """The label half of the Extractor."""

    def _labels_of(self, value: cst.BaseExpression) -> tuple[Classes | None, Classes | None]:
        """(the classes `name = value` binds, the classes of the labels a
        `(x, y), (x, y) = value` binds), before any name is rebound."""
        return self._classes_of(value), self._loaded(value)

    def _note_labels(
        self,
        target: cst.BaseExpression,
        labels: tuple[Classes | None, Classes | None],
    ) -> None:
        as_name, loaded = labels
        if isinstance(target, cst.Name) and as_name is not None:
            self._latest(target.value).classes = as_name
        elif type(target) in _SEQUENCES and loaded is not None:
            for label in _label_names(target):
                self._latest(label).classes = loaded

    def _latest(self, name: str) -> Binding:
        return self._scope.bindings[name][-1]

    def _classes_of(self, value: cst.BaseExpression) -> Classes | None:
        """The classes the labels `value` evaluates to certainly hold."""
        if type(value) is cst.Name:
            binding = self._lookup(value.value)
            return binding.classes if isinstance(binding, Binding) else None
        if type(value) is not cst.Call:
            return None
        func = value.func
        if isinstance(func, cst.Attribute) and func.attr.value in _KEEPS_LABELS:
            return self._classes_of(func.value)
        path = self._label_call_path(func)
        if path is None or api.leaf(path) != "to_categorical":
            return None
        return self._one_hot(value)

    def _one_hot(self, call: cst.Call) -> Classes | None:
        args = call.args
        if any(a.star for a in args) or not args or args[0].keyword is not None:
            return None
        count = next((a for a in args if a.keyword and a.keyword.value == "num_classes"), None)
        if count is None and len(args) > 1 and args[1].keyword is None:
            count = args[1]
        if count is None:  # max(y) + 1: the classes of what it encodes
            encoded = self._classes_of(args[0].value)
            if encoded is None:
                return None
            return Classes(encoded.count, encoded.loc, encoded.source)
        value = literal(count.value, self._bound_expr)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return None
        return Classes(value, Loc(call), f"`to_categorical(..., {value})`")

    def _loaded(self, value: cst.BaseExpression) -> Classes | None:
        """A Keras dataset loader's labels: `keras.datasets.mnist.load_data()`."""
        if type(value) is not cst.Call or any(a.star for a in value.args):
            return None
        path = self._label_call_path(value.func)
        parts = path.split(".") if path else []
        if len(parts) != 3 or parts[0] != "datasets" or parts[2] != "load_data":
            return None
        dataset = parts[1]
        count = training.DATASET_CLASSES.get(dataset)
        if count is None:
            return None
        source = f"`{dataset}.load_data()`"
        if dataset == "cifar100":
            mode = _label_mode(value, self._bound_expr)
            count = training.CIFAR100_LABEL_MODES.get(mode)
            if count is None:
                return None
            if mode != "fine":
                source = f'`cifar100.load_data(label_mode="{mode}")`'
        return Classes(count, Loc(value), source, dataset in training.BINARY_DATASETS)

    def _label_call_path(self, func: cst.BaseExpression) -> str | None:
        qualname = self._qualname(func)
        return api.keras_path(qualname) if qualname else None


def _label_mode(call: cst.Call, bound) -> object:
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and index == 0) or (
            arg.keyword is not None and arg.keyword.value == "label_mode"
        ):
            return literal(arg.value, bound)
    return "fine"


def _label_names(target: cst.Tuple | cst.List) -> list[str]:
    """`y_train`, `y_test` of `(x_train, y_train), (x_test, y_test)`; none
    for any other pattern."""
    halves = target.elements
    if len(halves) != 2:
        return []
    names = []
    for half in halves:
        pair = half.value
        if (
            isinstance(half, cst.StarredElement)
            or not isinstance(pair, (cst.Tuple, cst.List))
            or len(pair.elements) != 2
            or any(isinstance(e, cst.StarredElement) for e in pair.elements)
        ):
            return []
        label = pair.elements[1].value
        if not isinstance(label, cst.Name):
            return []
        names.append(label.value)
    return names
