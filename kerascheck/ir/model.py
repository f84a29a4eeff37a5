"""The intermediate representation: what kerascheck understood of a file.

Frozen dataclasses only. The extractor builds them from LibCST; rules, `show`
and runtime mode read them and never touch LibCST. A place in the source is a
`Loc`, an opaque handle the engine turns into a `Span` only when a diagnostic
is reported there: most files report nothing and never pay for positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kerascheck.ir.kinds import LAYERED as LAYERED
from kerascheck.ir.kinds import ModelKind as ModelKind


class Unknown:
    """A value the source does not pin down (a variable, a call, **kwargs).

    Its text is the source as written, generated only when something reads
    it (most unknown values are never quoted): `Unknown.of(node)`."""

    __slots__ = ("_node", "_text")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._node: Any = None

    @classmethod
    def of(cls, node: Any) -> Unknown:
        unknown = cls("")
        unknown._text, unknown._node = None, node
        return unknown

    @property
    def text(self) -> str:
        if self._text is None:
            from kerascheck.ir.values import source_text  # only ever built from parsed code

            self._text = source_text(self._node)
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Unknown({self.text!r})"


def known(value: Any) -> bool:
    return not isinstance(value, Unknown)


def fully_known(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(fully_known(v) for v in value)
    return known(value)


@dataclass(frozen=True, eq=False)
class Loc:
    """An opaque handle on a place in the parsed file. Two Locs are equal when
    they are the same place; only the engine (positions, source text) looks
    inside, so rules compare Locs and never nodes."""

    node: Any

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loc) and other.node is self.node

    def __hash__(self) -> int:
        return id(self.node)


@dataclass(frozen=True)
class Classes:
    """How many classes labels certainly hold, and the call that makes it certain:
    `to_categorical(y, 10)`, or a Keras dataset loader."""

    count: int
    loc: Loc
    source: str  # for messages: "`to_categorical(..., 10)`", "`cifar10.load_data()`"
    # 0/1 labels (imdb): one sigmoid unit fits them as well as two softmax units.
    binary: bool = False


@dataclass(frozen=True)
class Arg:
    """One argument as written: its literal value (or Unknown) and its place."""

    value: Any
    loc: Loc
    keyword: str | None = None
    # Loc of the whole `keyword=value` argument, for edits that remove it.
    arg_loc: Loc | None = None
    # Identifiers naming data in the value (`to_categorical(y_test)` -> y_test).
    names: tuple[str, ...] = ()
    # For model-method arguments only, followed through names bound earlier:
    # the elements of a list or tuple, and the Keras call the value is.
    items: tuple[Arg, ...] = ()
    call: KerasCall | None = None
    # The classes the labels certainly hold, followed through names bound earlier.
    classes: Classes | None = None

    @property
    def text(self) -> str:
        """The argument as written; generated only for the few a rule quotes."""
        from kerascheck.ir.values import source_text  # the parser is loaded whenever there are Args

        return source_text(self.loc.node)


@dataclass(frozen=True)
class CallArgs:
    """Positional and keyword arguments of a call, mapped through a signature."""

    positional: tuple[Arg, ...] = ()
    keywords: tuple[Arg, ...] = ()
    signature: tuple[str, ...] = ()
    has_star: bool = False  # *args or **kwargs: anything may be in there

    def get(self, name: str) -> Arg | None:
        for arg in self.keywords:
            if arg.keyword == name:
                return arg
        if name in self.signature:
            index = self.signature.index(name)
            if index < len(self.positional):
                return self.positional[index]
        return None

    def value(self, name: str, default: Any = None) -> Any:
        """The argument's value; `default` if absent; Unknown if **kwargs may hide it."""
        arg = self.get(name)
        if arg is not None:
            return arg.value
        if self.has_star:
            return Unknown(f"**{name}")
        return default


@dataclass(frozen=True)
class Layer:
    kind: str  # canonical class name: Dense, Conv2D, Activation, Input ...
    args: CallArgs
    loc: Loc
    # Effective activation, canonical ('relu', 'linear'...); None for layers
    # that have no activation (Flatten, Dropout); Unknown when not literal.
    activation: Any = None
    activation_loc: Loc | None = None
    # Added in an if/for/while/try the model itself was not created in.
    conditional: bool = False
    # Where the model lists the layer, when that is not where it was built
    # (`hidden = Dense(8)` ... `model.add(hidden)`).
    placed: Loc | None = None
    # A wrapper's layer (`Bidirectional(LSTM(64))`), when it is a Keras layer.
    wrapped: Layer | None = None

    @property
    def place(self) -> Loc:
        return self.placed or self.loc


@dataclass(frozen=True)
class Opaque:
    """A model element kerascheck cannot see into: a variable, a nested model,
    a custom layer, a comprehension."""

    text: str
    loc: Loc
    # A nested model or Keras application: it has an input of its own.
    is_model: bool = False
    conditional: bool = False
    # An instance of the file's own Layer subclass, and whether its call passes
    # an input shape (input_shape=, **kwargs ...) on to the Keras Layer.
    user_layer: bool = False
    shape_given: bool = False
    # For a model of this file used as a layer: its index in KerasFile.models.
    model_index: int | None = None
    # A Keras application used as a layer: the call that made it, whose output
    # the catalog may know (`applications.ResNet50(include_top=False, ...)`).
    made_by: KerasCall | None = None


Element = Layer | Opaque


@dataclass(frozen=True)
class Node:
    """One call of a layer in a model's graph: a layer object called twice is
    one layer and two nodes."""

    element: Element
    # Indices of the nodes that feed it, in order; None for a tensor from
    # somewhere kerascheck did not follow (everything after it is unknown).
    inputs: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Graph:
    """A model as a DAG of layer calls, nodes in topological order."""

    nodes: tuple[Node, ...] = ()
    inputs: tuple[int, ...] = ()  # the nodes that take the model's inputs
    # The output nodes in the order the model returns them; None where an
    # output is a tensor kerascheck did not follow.
    outputs: tuple[int | None, ...] = ()
    output_names: tuple[str | None, ...] = ()  # keys of a dict of outputs

    def consumers(self, index: int) -> tuple[int, ...]:
        return tuple(i for i, node in enumerate(self.nodes) if index in node.inputs)


@dataclass(frozen=True)
class Loss:
    name: str | None  # canonical function name, None when not a known loss
    family: str | None  # binary, categorical, sparse_categorical, regression, other
    from_logits: Any  # True / False / Unknown
    loc: Loc
    text: str


# Pseudo-methods of a model handed to a function: one kerascheck did not follow
# (whatever it does happens there), one of the file that first builds the model
# (predicts on it, calls it), or one of the file that first trains or shows it.
HANDED_OVER = "<handed over>"
HANDED_OVER_BUILDS = "<handed over: built>"
HANDED_OVER_TRAINS = "<handed over: trained>"


@dataclass(frozen=True)
class MethodCall:
    """A call of a model method: compile, fit, evaluate, predict, summary ..."""

    method: str
    args: CallArgs
    loc: Loc
    attr_loc: Loc  # the method name, for rules about the method itself
    order: int
    loss: Loss | Unknown | None = None  # compile only; None when not given
    receiver: str = ""  # the model as written before the dot: `model`, `self.net`


@dataclass(frozen=True)
class HistoryRead:
    """`history.history["val_loss"]`: a key read from what a `fit` returned."""

    key: str
    loc: Loc
    fit_order: int  # the `order` of the fit that returned the history
    # The key when it is a string written in the subscript (not a name bound to one).
    written: Arg | None = None


@dataclass(frozen=True)
class Model:
    kind: ModelKind
    name: str  # the variable it was bound to, for messages
    loc: Loc
    layers: tuple[Element, ...] = ()
    calls: tuple[MethodCall, ...] = ()
    # Called on a tensor, used as a layer of another model, or held by a
    # Layer/Model subclass: a block, unless compiled or fitted itself.
    used_as_block: bool = False
    # Handed to a function kerascheck did not follow: it may be compiled there.
    escaped: bool = False
    # Built with tf_keras, which is Keras 2: its removed-in-Keras-3 APIs still work.
    keras2: bool = False
    history_reads: tuple[HistoryRead, ...] = ()
    # A subclass: the methods its class (and the file's classes it derives from)
    # defines, which may replace Keras's own; None when a base is not known.
    own_methods: frozenset[str] | None = None
    # Its layer calls as a DAG (Sequential: the chain of its elements). `layers`
    # stays the chain that ends at the single output, for the chain rules.
    graph: Graph = field(default_factory=Graph)

    def calls_named(self, *methods: str) -> tuple[MethodCall, ...]:
        return tuple(c for c in self.calls if c.method in methods)

    def runs_keras_method(self, method: str) -> bool:
        """`model.save(...)` runs Keras's own `save`: the model is not a subclass
        that defines it, or whose bases kerascheck cannot see."""
        if self.kind != "subclass":
            return True
        return self.own_methods is not None and method not in self.own_methods

    @property
    def compiles(self) -> tuple[MethodCall, ...]:
        return self.calls_named("compile")

    @property
    def is_trained(self) -> bool:
        return bool(self.calls_named("compile", "fit", "fit_generator", "train_on_batch"))

    @property
    def is_block(self) -> bool:
        return self.used_as_block and not self.is_trained

    def compile_in_force(self, call: MethodCall | None = None) -> MethodCall | None:
        """The last compile before `call` (or the last compile at all)."""
        found = None
        for c in self.compiles:
            if call is None or c.order < call.order:
                found = c
        return found


@dataclass(frozen=True)
class KerasCall:
    """A call whose callee resolves to a Keras name (for API rules)."""

    qualname: str  # as imported: tensorflow.keras.optimizers.Adam
    path: str  # below the Keras root: optimizers.Adam
    args: CallArgs
    loc: Loc
    func_loc: Loc

    @property
    def func_text(self) -> str:
        """The callee as written: `K.mean`, `layers.Dense`."""
        from kerascheck.ir.values import source_text  # only ever built from parsed code

        return source_text(self.func_loc.node)

    @property
    def text(self) -> str:
        """The whole call as written, for fixes that rewrite it."""
        from kerascheck.ir.values import source_text  # only ever built from parsed code

        return source_text(self.loc.node)


@dataclass(frozen=True)
class TensorOp:
    """A TensorFlow function called on a tensor that is certainly a symbolic Keras
    tensor (it comes from a `keras.Input` through layer calls)."""

    qualname: str  # tensorflow.cast
    args: CallArgs
    loc: Loc
    func_loc: Loc

    @property
    def func_text(self) -> str:
        from kerascheck.ir.values import source_text  # only ever built from parsed code

        return source_text(self.func_loc.node)


@dataclass(frozen=True)
class VariableAttribute:
    """`self.<attr> = tf.Variable(...)` inside a Keras Layer or Model subclass."""

    attr: str
    class_name: str
    loc: Loc  # the tf.Variable(...) call
    func_loc: Loc
    args: CallArgs = field(default_factory=CallArgs)  # mapped as (initial_value, trainable)
    assigned: bool = False  # the class updates it itself: `self.<attr>.assign(...)`


@dataclass(frozen=True)
class ImportedName:
    """One name of an import statement: `core` in `from keras.layers import core as c`."""

    name: str  # dotted, as written
    asname: str | None
    loc: Loc


@dataclass(frozen=True)
class ImportStatement:
    """`import a.b as c` (module None) or `from a.b import c` (module "a.b")."""

    module: str | None
    names: tuple[ImportedName, ...]
    loc: Loc
    module_loc: Loc | None = None  # the `a.b` of `from a.b import c`
    top_level: bool = True


@dataclass(frozen=True)
class KerasFile:
    models: tuple[Model, ...] = ()
    calls: tuple[KerasCall, ...] = ()
    imports: tuple[ImportStatement, ...] = ()
    uses_keras: bool = False
    tensor_ops: tuple[TensorOp, ...] = ()
    variable_attributes: tuple[VariableAttribute, ...] = ()
    # What Keras said of each model, in order (runtime mode only).
    verdicts: tuple | None = None
    # Scaler fits and data splits (kerascheck.ir.data.DataStep), in source order.
    data_steps: tuple = ()
