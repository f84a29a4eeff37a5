"""Pure reads of LibCST expressions: literals and the names inside data.

Nothing here records anything; the extractor calls these with a `lookup` that
returns the expression a name is certainly bound to (or None).
"""

from __future__ import annotations

import ast
import functools
import operator
import warnings
from typing import Any, Callable

import libcst as cst

from .ir import Unknown, known

Lookup = Callable[[str], "cst.BaseExpression | None"]

_EMPTY_MODULE = cst.Module(body=[])
_MAX_DEPTH = 30
_ARITHMETIC = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.FloorDivide: operator.floordiv,
}


@functools.lru_cache(maxsize=1024)
def source_text(node: cst.CSTNode) -> str:
    # Cached (LibCST nodes hash by identity): the extractor asks for the text
    # of one argument several times, and each ask regenerates the whole
    # subtree, which made `Dense(Dense(Dense(...)))` cost minutes-scale
    # quadratic time in the nesting depth.
    return _EMPTY_MODULE.code_for_node(node)


def literal(node: cst.CSTNode, lookup: Lookup, depth: int = 0) -> Any:
    """The Python value of a literal expression, or Unknown.

    Containers keep their known elements and hold Unknown for the rest, so a
    rule can still read `[x, 'relu']`; `fully_known` tells whether all is known.
    """
    if depth > _MAX_DEPTH:
        return Unknown("…")
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return _literal_eval(node.value)
    if isinstance(node, cst.SimpleString):
        value = _literal_eval(node.value)
        return value if isinstance(value, str) else Unknown(node.value)
    if isinstance(node, cst.ConcatenatedString):
        left = literal(node.left, lookup, depth + 1)
        right = literal(node.right, lookup, depth + 1)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return Unknown(source_text(node))
    if isinstance(node, cst.Name):
        if node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        bound = lookup(node.value)
        if bound is None:
            return Unknown(node.value)
        return literal(bound, lookup, depth + 1)
    if isinstance(node, (cst.Tuple, cst.List)):
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return Unknown(source_text(node))
            items.append(literal(element.value, lookup, depth + 1))
        return tuple(items) if isinstance(node, cst.Tuple) else items
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        value = literal(node.expression, lookup, depth + 1)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
    if isinstance(node, cst.BinaryOperation):
        op = _ARITHMETIC.get(type(node.operator))
        left = literal(node.left, lookup, depth + 1)
        right = literal(node.right, lookup, depth + 1)
        if op and _is_number(left) and _is_number(right):
            try:
                return op(left, right)
            except ArithmeticError:
                pass
    return Unknown(source_text(node))


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


def fully_known(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(fully_known(v) for v in value)
    return known(value)


def data_names(node: cst.CSTNode) -> tuple[str, ...]:
    """Identifiers that name data in an expression, not the functions applied
    to it: `to_categorical(y_test)` -> (y_test,), `ds_test.batch(32)` -> (ds_test,),
    `splits['test']` -> (splits, test)."""
    found: list[str] = []

    def visit(n: cst.CSTNode, is_callee: bool = False) -> None:
        if isinstance(n, cst.Name):
            if not is_callee:
                found.append(n.value)
        elif isinstance(n, cst.Attribute):
            visit(n.value)
            if not is_callee:
                found.append(n.attr.value)
        elif isinstance(n, cst.Call):
            visit(n.func, is_callee=True)
            for arg in n.args:
                visit(arg.value)
        elif isinstance(n, cst.SimpleString):
            value = literal(n, lambda _: None)
            if isinstance(value, str) and value.isidentifier():
                found.append(value)
        else:
            for child in n.children:
                visit(child)

    visit(node)
    return tuple(found)
