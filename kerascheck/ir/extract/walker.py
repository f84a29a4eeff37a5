"""LibCST module -> IR (KerasFile).

One walk over the statements, in source order, with a light abstract
interpretation of expressions (see infos.py for what an expression can evaluate
to). The Extractor is put together from one part per concern: statements,
scopes, calls, models, constants (layers and losses); functional graphs are
assembled in graphs.py.

Precision rules live here: a name is Keras only if its import says so (or it is
used bare, as in a pasted snippet), and a name bound more than once is known only
where the binding in force is certain.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import libcst as cst

from kerascheck.ir.extract.arguments import Arguments
from kerascheck.ir.extract.calls import Calls
from kerascheck.ir.extract.constants import Constants
from kerascheck.ir.extract.containers import Containers
from kerascheck.ir.extract.dataprep import data_steps
from kerascheck.ir.extract.graphs import functional_graph, sequential_graph
from kerascheck.ir.extract.helpers import Helpers
from kerascheck.ir.extract.infos import (
    ClassInfo,
    Function,
    ModelBuilder,
    Param,
    Scope,
    rebound_at_top_level,
)
from kerascheck.ir.extract.labels import Labels
from kerascheck.ir.extract.models import Models
from kerascheck.ir.extract.params import trained_as_keras
from kerascheck.ir.extract.scopes import Scopes
from kerascheck.ir.extract.shadowing import Shadowing
from kerascheck.ir.extract.statements import StatementWalk
from kerascheck.ir.model import (
    Graph,
    ImportStatement,
    KerasCall,
    KerasFile,
    Model,
    ModelKind,
    TensorOp,
    VariableAttribute,
)
from kerascheck.ir.values import clear_texts


class Extractor(
    StatementWalk,
    Scopes,
    Calls,
    Arguments,
    Containers,
    Models,
    Constants,
    Helpers,
    Shadowing,
    Labels,
):
    def __init__(self) -> None:
        self.models: list[ModelBuilder] = []
        self.calls: list[KerasCall] = []
        self.imports: list[ImportStatement] = []
        self.tensor_ops: list[TensorOp] = []  # tf ops on symbolic tensors (KC410)
        self.variable_attributes: list[VariableAttribute] = []  # self.x = tf.Variable (KC411)
        self.uses_keras = False
        self._block: tuple = ()
        self._block_ids = itertools.count()
        self._order = itertools.count()
        self._module_scope = Scope("module", None)
        self._scope = self._module_scope
        self._class_attrs: dict | None = None  # self.* bindings of the enclosing class
        self._module_rebound: frozenset[str] = frozenset()
        # Names a method or an item assignment changed in place so far (scopes.py).
        self._mutated: set[str] = set()
        self._current_class: ClassInfo | None = None  # the class whose body is being walked
        # Replaying a helper or a loop (helpers.py): follow tensors, record nothing twice.
        self._replaying = False
        self._replay_depth = 0
        self._replays = 0
        self._params: list[Param] = []  # function parameters that may be models (params.py)
        self._recorded_models: dict[int, ModelBuilder] = {}  # by the id of the call building it
        self._functions: list[Function] = []  # every def walked, for release()

    # -- entry ----------------------------------------------------------------

    def extract(self, module: cst.Module) -> KerasFile:
        self._module_rebound = rebound_at_top_level(module)
        self._statements(module.body)
        for param in self._params:
            if trained_as_keras(param):
                param.model.index = len(self.models)
                self.models.append(param.model)
        return KerasFile(
            models=tuple(_freeze(m) for m in self.models),
            calls=tuple(self.calls),
            imports=tuple(self.imports),
            uses_keras=self.uses_keras,
            tensor_ops=tuple(self.tensor_ops),
            variable_attributes=tuple(self.variable_attributes),
        )

    def release(self) -> None:
        """Break the walk's reference cycles (a function and its parameters, a
        function and the scope that binds it), so that what the walk made and
        the LibCST nodes it holds are freed by reference counting as soon as
        the file is done. Held in cycles, every file's tree lived on through
        several runs of the cycle collector, which then cost more than the
        whole extraction."""
        for function in self._functions:
            function.params, function.scope, function.node = [], None, None
        self._functions = []
        self._module_scope.bindings.clear()
        self._params = []


def _freeze(model: ModelBuilder) -> Model:
    settled = model.settled()
    if settled is not model:
        model.elements = settled.elements
        model.outputs, model.inputs = settled.outputs, settled.inputs
        model.output_names = settled.output_names
    return model.freeze(_graph(model))


def _graph(model: ModelBuilder) -> Graph:
    if model.kind == ModelKind.SEQUENTIAL:
        return sequential_graph(model.elements)
    if model.outputs:
        return functional_graph(model.outputs, model.output_names, model.inputs)
    return Graph()


def extract(module: cst.Module) -> KerasFile:
    extractor = Extractor()
    try:
        kfile = extractor.extract(module)
        steps = data_steps(module, kfile.imports)  # scikit-learn around the model, for KC307
        return replace(kfile, data_steps=steps) if steps else kfile
    finally:
        extractor.release()
        clear_texts()
