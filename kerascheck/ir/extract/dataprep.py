"""LibCST -> DataStep: where a scikit-learn scaler is fitted and where data is
split, for KC307. A walk of its own, run only on files that import sklearn, so
that the model extractor does not carry scikit-learn's names."""

from __future__ import annotations

import itertools

import libcst as cst

from kerascheck.catalog import training
from kerascheck.ir.data import DataStep, StepKind
from kerascheck.ir.model import ImportStatement, Loc


def imports_sklearn(imports: tuple[ImportStatement, ...]) -> bool:
    return any(
        (s.module or "").startswith("sklearn") or any(n.name.startswith("sklearn") for n in s.names)
        for s in imports
    )


def _aliases(imports: tuple[ImportStatement, ...]) -> dict[str, str]:
    """Local name -> qualified name, for every import of the file."""
    found: dict[str, str] = {}
    for statement in imports:
        for name in statement.names:
            if statement.module is None:
                local = name.asname or name.name.split(".", 1)[0]
                found[local] = name.name if name.asname else local
            else:
                found[name.asname or name.name] = f"{statement.module}.{name.name}"
    return found


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _root(node: cst.BaseExpression, modules: frozenset[str] = frozenset()) -> str | None:
    """The variable data comes from: `X`, `df[cols]`, `X.values`, `X.reshape(-1, 1)`
    and `np.asarray(X)` -> `X` (`modules`: the names imports bind)."""
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        owner = _root(node.func.value)
        if owner not in modules:
            return owner  # a method of the data: `df.drop(...)`
        first = next((a.value for a in node.args if a.keyword is None and not a.star), None)
        return _root(first, modules) if first is not None else None
    return node.value if isinstance(node, cst.Name) else None


def _names_bound(node: cst.CSTNode) -> tuple[str, ...]:
    """The names an assignment target rebinds: `X` and `X, y`, not `X[:, 0]`."""
    if isinstance(node, cst.Name):
        return (node.value,)
    if isinstance(node, (cst.Tuple, cst.List)):
        return tuple(name for e in node.elements for name in _names_bound(e.value))
    return ()


def _names_read(node: cst.CSTNode) -> set[str]:
    """Every variable an expression reads (not attribute names: `iris.data` reads `iris`)."""
    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, cst.Attribute):
        return _names_read(node.value)
    return {name for child in node.children for name in _names_read(child)}


def _targets(node: cst.CSTNode) -> tuple[str, ...]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return tuple(name for e in node.elements for name in _targets(e.value))
    root = _root(node) if isinstance(node, cst.BaseExpression) else None
    return (root,) if root else ()


class _Walker:
    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.modules = frozenset(aliases)
        self.steps: list[DataStep] = []
        self._scopes = itertools.count()
        self._order = itertools.count()

    def qualname(self, node: cst.BaseExpression) -> str | None:
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def body(self, statements, scope: int, objects: dict[str, str]) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self.small(small, scope, objects)
            elif isinstance(statement, cst.FunctionDef):
                self.body(statement.body.body, next(self._scopes), {})
            elif isinstance(statement, cst.ClassDef):
                self.body(statement.body.body, scope, {})
            else:
                self.compound(statement, scope, objects)

    def compound(self, node: cst.CSTNode, scope: int, objects: dict[str, str]) -> None:
        if isinstance(node, cst.For):
            self.expression(node.iter, (), scope, objects)
        for child in node.children:
            if isinstance(child, cst.IndentedBlock):
                self.body(child.body, scope, objects)
            elif isinstance(child, cst.SimpleStatementSuite):
                for small in child.body:
                    self.small(small, scope, objects)
            elif isinstance(child, (cst.Else, cst.Finally, cst.ExceptHandler, cst.If)):
                self.compound(child, scope, objects)

    def small(self, node: cst.CSTNode, scope: int, objects: dict[str, str]) -> None:
        if isinstance(node, cst.Assign):
            bound = tuple(name for t in node.targets for name in _targets(t.target))
            made = self.constructed(node.value)
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    if made:
                        objects[target.target.value] = made
                    else:
                        objects.pop(target.target.value, None)
            before = len(self.steps)
            self.expression(node.value, bound, scope, objects)
            names = tuple(n for t in node.targets for n in _names_bound(t.target))
            if names and len(self.steps) == before:
                read = tuple(sorted(_names_read(node.value)))
                self.steps.append(
                    DataStep(StepKind.BIND, "=", read, names, scope, next(self._order), Loc(node))
                )
        elif isinstance(node, cst.Expr):
            self.expression(node.value, (), scope, objects)

    def constructed(self, node: cst.BaseExpression) -> str | None:
        """The preprocessor or splitter class a call makes, if it is one."""
        if not isinstance(node, cst.Call):
            return None
        qualname = self.qualname(node.func)
        if qualname in training.FITTED_PREPROCESSORS or qualname in training.SPLITTERS:
            return qualname
        return None

    def expression(self, node, bound: tuple, scope: int, objects: dict[str, str]) -> None:
        for call in _calls(node):
            step = self.step(call, bound, objects)
            if step is not None:
                kind, what, data = step
                self.steps.append(
                    DataStep(kind, what, data, bound, scope, next(self._order), Loc(call))
                )

    def step(self, call: cst.Call, bound: tuple, objects: dict[str, str]):
        func = call.func
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        data = tuple(r for r in (_root(v, self.modules) for v in positional) if r)
        if self.qualname(func) in training.SPLIT_FUNCTIONS:
            return StepKind.SPLIT, "train_test_split", data
        if not isinstance(func, cst.Attribute) or not positional:
            return None
        receiver = func.value
        owner = (
            objects.get(receiver.value)
            if isinstance(receiver, cst.Name)
            else self.constructed(receiver)
        )
        if owner is None:
            return None
        what = f"{owner.rsplit('.', 1)[-1]}.{func.attr.value}"
        if owner in training.SPLITTERS and func.attr.value == "split":
            return StepKind.SPLIT, what, data[:1]
        if owner in training.FITTED_PREPROCESSORS and func.attr.value in training.PREPROCESSOR_FITS:
            return StepKind.FIT, what, data[:1]
        return None


# Calls in these run later (a lambda), or once per item: a scaler fitted in a
# comprehension learns one sample's statistics, which leaks nothing.
_NOT_HERE = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _calls(node: cst.CSTNode):
    """Every call in an expression, outermost first."""
    if isinstance(node, cst.Call):
        yield node
    for child in node.children:
        if not isinstance(child, _NOT_HERE):
            yield from _calls(child)


def data_steps(module: cst.Module, imports: tuple[ImportStatement, ...]) -> tuple[DataStep, ...]:
    if not imports_sklearn(imports):
        return ()
    walker = _Walker(_aliases(imports))
    walker.body(module.body, next(walker._scopes), {})
    return tuple(walker.steps)
