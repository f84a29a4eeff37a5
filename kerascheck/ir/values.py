"""Pure reads of LibCST expressions: literals and the names inside data.

Nothing here records anything; the extractor calls these with a `lookup` that
returns the expression a name is certainly bound to (or None).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import operator
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

from kerascheck.ir.model import Unknown

Lookup = Callable[[str], "cst.BaseExpression | None"]

_EMPTY_MODULE = cst.Module(body=[])
_CONSTANTS = {"True": True, "False": False, "None": None}
_MAX_DEPTH = 30
_ARITHMETIC = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.FloorDivide: operator.floordiv,
    cst.Divide: operator.truediv,  # `Rescaling(1.0 / 255)`
}


class _TextState(CodegenState):
    """Code generation for text only: no position bookkeeping per node."""

    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: Any = None, end_node: Any = None
    ) -> contextlib.nullcontext:
        return _NO_RECORD


_NO_RECORD = contextlib.nullcontext()
# The same argument is read as a value and as text, by several rules: generate
# it once. Entries hold their node, so an id is never reused while cached.
_texts: dict[int, tuple[cst.CSTNode, str]] = {}
_MAX_TEXTS = 4096


def clear_texts() -> None:
    """Hold no file's nodes past its own extraction."""
    _texts.clear()


def source_text(node: cst.CSTNode) -> str:
    cached = _texts.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    state = _TextState(
        default_indent=_EMPTY_MODULE.default_indent, default_newline=_EMPTY_MODULE.default_newline
    )
    node._codegen(state)
    text = "".join(state.tokens)
    if len(_texts) >= _MAX_TEXTS:
        _texts.clear()
    _texts[id(node)] = (node, text)
    return text


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
# isinstance against LibCST's classes goes through ABCMeta: decide once per type.
_IS_NODE: dict[type, bool] = {}


def is_node_type(kind: type) -> bool:
    known_kind = _IS_NODE.get(kind)
    if known_kind is None:
        known_kind = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return known_kind


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A node's children, read from its fields. LibCST's `node.children`
    rebuilds the node to collect them, which costs more than the parse."""
    fields = _CHILD_FIELDS.get(type(node))
    if fields is None:
        fields = _CHILD_FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            for item in value:
                if is_node_type(type(item)):
                    yield item
        elif is_node_type(kind):
            yield value


def literal(node: cst.CSTNode, lookup: Lookup, depth: int = 0) -> Any:
    """The Python value of a literal expression, or Unknown.

    Containers keep their known elements and hold Unknown for the rest, so a
    rule can still read `[x, 'relu']`; `fully_known` tells whether all is known.
    """
    if depth > _MAX_DEPTH:
        return Unknown("…")
    kind = type(node)  # exact types: isinstance on LibCST's ABCMeta classes is slow
    if kind is cst.Name:
        if node.value in _CONSTANTS:
            return _CONSTANTS[node.value]
        bound = lookup(node.value)
        if bound is None:
            return Unknown(node.value)
        return literal(bound, lookup, depth + 1)
    if kind is cst.Integer:
        digits = node.value
        return (
            int(digits)
            if digits.isdigit() and (digits == "0" or digits[0] != "0")
            else _literal_eval(digits)
        )
    if kind is cst.SimpleString:
        token = node.value
        if token[0] in "'\"" and "\\" not in token and token[:3] not in ('"""', "'''"):
            return token[1:-1]  # the common case, without compiling anything
        value = _literal_eval(token)
        return value if isinstance(value, str) else Unknown(token)
    if kind is cst.Float:
        try:
            return float(node.value)  # a float token's value, as the compiler reads it
        except ValueError:
            return _literal_eval(node.value)
    if kind is cst.Imaginary:
        return _literal_eval(node.value)
    if kind is cst.ConcatenatedString:
        left = literal(node.left, lookup, depth + 1)
        right = literal(node.right, lookup, depth + 1)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return Unknown.of(node)
    if kind is cst.Tuple or kind is cst.List:
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                # `[*IMAGE_SIZE, 3]` with IMAGE_SIZE a literal tuple or list
                inner = literal(element.value, lookup, depth + 1)
                if not isinstance(inner, (tuple, list)):
                    return Unknown.of(node)
                items.extend(inner)
                continue
            items.append(literal(element.value, lookup, depth + 1))
        return tuple(items) if isinstance(node, cst.Tuple) else items
    if kind is cst.UnaryOperation and type(node.operator) is cst.Minus:
        value = literal(node.expression, lookup, depth + 1)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
    if kind is cst.BinaryOperation:
        op = _ARITHMETIC.get(type(node.operator))
        left = literal(node.left, lookup, depth + 1)
        right = literal(node.right, lookup, depth + 1)
        if op and _is_number(left) and _is_number(right):
            try:
                return op(left, right)
            except ArithmeticError:
                pass
        if op is operator.add and type(left) is type(right) and type(left) in (tuple, list):
            return left + right  # `IMG_SIZE + (3,)`
    return Unknown.of(node)


def _literal_eval(token: str) -> Any:
    """A literal token's value, quietly: `"\\d"` warns (a SyntaxWarning since
    Python 3.12), and a warning would be a stray line on kerascheck's stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.literal_eval(token)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return Unknown(token)  # `'\\x4'`: LibCST does not decode escapes


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def data_names(node: cst.CSTNode) -> tuple[str, ...]:
    """Identifiers that name data in an expression, not the functions applied
    to it nor the numbers that cut it: `to_categorical(y_test)` -> (y_test,),
    `ds_test.batch(32)` -> (ds_test,), `x_train[-n_test:]` -> (x_train,),
    `splits['test']` -> (splits, test)."""
    found: list[str] = []
    _data_names(node, found)
    return tuple(found)


# Module functions, not closures: two closures that call each other are a
# reference cycle, left for the cycle collector at every call.
def _strings_only(n: cst.CSTNode, found: list[str]) -> None:
    if isinstance(n, cst.SimpleString):
        _data_names(n, found)
    else:
        for child in n.children:
            _strings_only(child, found)


def _data_names(n: cst.CSTNode, found: list[str], is_callee: bool = False) -> None:
    kind = type(n)  # exact types: LibCST's isinstance goes through ABCMeta
    if kind is cst.Name:
        if not is_callee:
            found.append(n.value)
    elif kind is cst.Attribute:
        _data_names(n.value, found)
        if not is_callee:
            found.append(n.attr.value)
    elif kind is cst.Call:
        _data_names(n.func, found, is_callee=True)
        # A function's arguments are the data it transforms; a method's
        # (`ds.take(n_test)`) are settings, but a split name is still data.
        data_args = not isinstance(n.func, cst.Attribute)
        for arg in n.args:
            (_data_names if data_args else _strings_only)(arg.value, found)
    elif kind is cst.Subscript:
        _data_names(n.value, found)
        for element in n.slice:
            _strings_only(element, found)
    elif kind is cst.SimpleString:
        value = literal(n, _no_names)
        if isinstance(value, str) and value.isidentifier():
            found.append(value)
    else:
        for child in children(n):
            _data_names(child, found)


def _no_names(_: str) -> None:
    return None
