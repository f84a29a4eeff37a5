"""What an expression evaluates to while the extractor walks a file.

The walk is a light abstract interpretation: every expression evaluates to what
kerascheck knows about it (an import path, a model being built, a layer, a
tensor of a functional graph, a user function or class) or to None. These are
those values, and the small syntax helpers every part of the walk shares.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kerascheck.ir.model import Element, Graph, KerasCall, Layer, Loc, Model, ModelKind
from kerascheck.ir.values import source_text

# Calls that look at a model without training or keeping it.
HARMLESS_CALLS = {"print", "len", "str", "repr", "type", "isinstance", "id", "display"}

SKIP_CHILDREN = (
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

SKIPPED: dict[type, bool] = {}


def skipped(kind: type) -> bool:
    """Punctuation and whitespace, decided once per node type (isinstance
    against LibCST's abstract classes is slow, and this runs for every node)."""
    skip = SKIPPED.get(kind)
    if skip is None:
        skip = SKIPPED[kind] = issubclass(kind, SKIP_CHILDREN)
    return skip


# -- what an expression can evaluate to ---------------------------------------


@dataclass(frozen=True)
class Imported:
    qualname: str


@dataclass(eq=False)
class ModelBuilder:
    kind: ModelKind
    name: str | None
    loc: Loc
    block: tuple
    elements: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    used_as_block: bool = False
    escaped: bool = False
    keras2: bool = False
    own_methods: frozenset[str] | None = None  # a subclass's own methods (see Model)
    index: int | None = None  # in the file's model list; None for a replayed helper's model
    # Functional models: the tensors given as outputs and inputs (None where
    # the walk did not follow them), and the keys of a dict of outputs.
    outputs: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    output_names: tuple = ()
    history_reads: list = field(default_factory=list)  # `history.history["val_loss"]`
    # The function and block each call (by order) was made in: a helper's calls
    # made under a condition or in a nested function are not certain to happen
    # (params.calls_in_helper).
    call_blocks: dict = field(default_factory=dict)
    # A model a replayed helper builds: the one its first walk recorded.
    origin: ModelBuilder | None = None
    # A build function's model, replayed at each call with the call's
    # arguments (None where the replay found no model).
    replays: list = field(default_factory=list)
    # An external model: the Keras call that made it (`applications.ResNet50(...)`).
    made_by: KerasCall | None = None

    def settled(self) -> ModelBuilder:
        """The replay of the one call of its build function, if there is
        exactly one: its layers carry that call's literal arguments."""
        replays = self.replays
        if not replays or not all(isinstance(r, ModelBuilder) for r in replays):
            return self
        replay = replays[0]
        if replay.kind != self.kind:
            return self
        # Called several times with the same literal arguments: one model still.
        if any(_fingerprint(r) != _fingerprint(replay) for r in replays[1:]):
            return self
        return replay

    def freeze(self, graph: Graph) -> Model:
        return Model(
            kind=self.kind,
            name=self.name or "model",
            loc=self.loc,
            layers=tuple(self.elements),
            calls=tuple(self.calls),
            used_as_block=self.used_as_block,
            escaped=self.escaped,
            keras2=self.keras2,
            own_methods=self.own_methods,
            graph=graph,
            history_reads=tuple(self.history_reads),
        )


def _fingerprint(model: ModelBuilder) -> tuple:
    """What a replayed model's layers are, by kind and literal arguments."""
    seen: list = []
    stack = [*model.elements, *(t for t in model.outputs if t is not None)]
    count = 0
    while stack and count < 10000:
        count += 1
        item = stack.pop()
        if isinstance(item, Tensor):
            stack.extend(p for p in item.parents if p is not None)
            item = item.element
        if isinstance(item, Layer):
            args = item.args
            seen.append(
                (
                    item.kind,
                    tuple(repr(a.value) for a in args.positional),
                    # A name changes no shape: `build(name="G")`, `build(name="F")`.
                    tuple((a.keyword, repr(a.value)) for a in args.keywords if a.keyword != "name"),
                )
            )
        else:
            seen.append(getattr(item, "text", None))
    return tuple(seen)


@dataclass(frozen=True, eq=False)
class Alternatives:
    """A name every branch of an if/else binds to a model of its own: a later
    method call applies to each of them, checked on its own (mutually exclusive
    branches never merge into one model)."""

    models: tuple  # of ModelBuilder, one per branch


@dataclass(frozen=True, eq=False)
class LayerValue:
    layer: Element  # an Opaque for a user's own Layer subclass


@dataclass(frozen=True, eq=False)
class Tensor:
    element: Element
    parents: tuple  # of Tensor | None (None: a tensor from somewhere unknown)


@dataclass(frozen=True, eq=False)
class Items:
    items: tuple  # what each element of a list, tuple or dict evaluates to
    keys: tuple | None = None  # a dict's literal keys (None where not a string)
    # What `d[key] = value` stored in a dict later, under keys not followed.
    added: list = field(default_factory=list)


@dataclass(eq=False)
class Function:
    name: str
    returns: list = field(default_factory=list)
    # For helpers that build a functional graph: replayed at each call with
    # the call's tensors and literal arguments.
    node: cst.FunctionDef | None = None
    scope: Scope | None = None
    # Parameters (positions and names) some call of the function passes a model in.
    model_params: set = field(default_factory=set)
    params: list = field(default_factory=list)  # of Param
    block: tuple = ()  # the block its body runs in (where it is defined)


@dataclass(eq=False)
class Param:
    """A function's parameter: a model, if the function trains it like one."""

    function: Function
    name: str
    index: int | None  # position, None for keyword-only
    model: ModelBuilder | None = None


@dataclass(frozen=True, eq=False)
class History:
    """What `model.fit(...)` returned."""

    model: ModelBuilder
    fit: Any  # the fit's MethodCall


@dataclass(eq=False)
class ClassInfo:
    name: str
    keras_base: str | None  # "model", "layer" or None
    # A Model subclass whose __init__ calls super().__init__(inputs, outputs).
    functional: ModelBuilder | None = None
    keras2: bool = False  # a tf_keras (Keras 2) class: it tracks tf.Variables
    # The names its body defines, with those of the file's classes it derives
    # from; None when a base is neither Keras nor a class of the file.
    methods: frozenset[str] | None = frozenset()
    # Derives from a Keras layer, a built-in one too (`class LSA(layers.MultiHeadAttention)`):
    # Keras 3 tracks its weights the way it tracks a Layer's.
    keras_layer: bool = False


@dataclass(eq=False)
class Binding:
    info: Any  # what the bound expression evaluated to
    expr: cst.BaseExpression | None  # for literal reads; None if not a plain value
    block: tuple
    classes: Any = None  # the ir.model.Classes the bound labels certainly hold


UNCERTAIN = object()


@dataclass(eq=False)
class Scope:
    kind: str  # module, function, class
    parent: Scope | None
    bindings: dict = field(default_factory=dict)  # name -> list[Binding]
    star_modules: list = field(default_factory=list)
    function: Function | None = None


def dotted_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return source_text(node)


def as_name(asname: cst.AsName | None) -> str | None:
    if asname is None:
        return None
    return dotted_name(asname.name)


def is_self(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "self"


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def flatten_infos(infos: Iterable[Any]) -> Iterable[Any]:
    for info in infos:
        if isinstance(info, Items):
            yield from flatten_infos(info.items)
            yield from flatten_infos(info.added)
        elif isinstance(info, Alternatives):
            yield from info.models
        else:
            yield info


def input_tensors(arg_infos: list) -> tuple:
    if not arg_infos:
        return (None,)
    first = arg_infos[0]
    if isinstance(first, Items):
        return tuple(i if isinstance(i, Tensor) else None for i in first.items)
    return (first if isinstance(first, Tensor) else None,)


def rebound_at_top_level(module: cst.Module) -> frozenset[str]:
    """Names a module's top-level statements assign more than once."""
    counts: dict[str, int] = {}
    for statement in module.body:
        # An if/else binds its names once (each branch's model, as alternatives).
        for name in _assigned_names(statement):
            counts[name] = counts.get(name, 0) + 1
    return frozenset(name for name, count in counts.items() if count > 1)


def _assigned_names(statement: cst.CSTNode) -> set[str] | list[str]:
    """The plain names a top-level statement assigns (an if/else: any branch)."""
    if type(statement) is cst.If:
        names: set[str] = set()
        branch: cst.If | cst.Else | None = statement
        while branch is not None:
            body = branch.body
            if isinstance(body, cst.IndentedBlock):
                for inner in body.body:
                    names.update(_assigned_names(inner))
            branch = branch.orelse if isinstance(branch, cst.If) else None
        return names
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    found = []
    for small in statement.body:
        targets = []
        if type(small) is cst.Assign:
            targets = [t.target for t in small.targets]
        elif type(small) in (cst.AnnAssign, cst.AugAssign):
            targets = [small.target]
        while targets:
            target = targets.pop()
            if isinstance(target, cst.Name):
                found.append(target.value)
            elif isinstance(target, (cst.Tuple, cst.List)):  # `rows, cols = ...`
                targets.extend(e.value for e in target.elements)
    return found


def literal_expr(value: Any) -> cst.BaseExpression | None:
    """A literal argument as an expression the helper's body can read; None
    for anything else (an Unknown part, `inf`, a value too large to rebuild)."""
    if _plain(value):
        try:
            return cst.parse_expression(repr(value))
        except (cst.ParserSyntaxError, RecursionError):
            return None
    return None


def _plain(value: Any, depth: int = 0) -> bool:
    if isinstance(value, (tuple, list)):
        return depth < 8 and len(value) <= 64 and all(_plain(v, depth + 1) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (bool, int, str, type(None))) and len(repr(value)) <= 200


def symbolic(info: Any) -> bool:
    """A tensor that certainly comes from a `keras.Input`: a symbolic KerasTensor."""
    stack, seen = [info], set()
    while stack:
        tensor = stack.pop()
        if not isinstance(tensor, Tensor) or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if isinstance(tensor.element, Layer) and tensor.element.kind == "Input":
            return True
        stack.extend(tensor.parents)
    return False
