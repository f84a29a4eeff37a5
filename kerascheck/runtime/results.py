"""Runtime answers, per model, in the shape the KC5xx rules and `show` read.

The engine calls `attach(kfile)` when runtime mode is on; it stores one
ModelResult per model in `kfile.verdicts`. Without runtime mode that field is
None and the KC5xx rules have nothing to say.
"""

from __future__ import annotations

import atexit
import dataclasses
from typing import TYPE_CHECKING

from kerascheck.ir.input_shape import Skip
from kerascheck.ir.model import LAYERED, KerasFile, Model
from kerascheck.ir.shapes import infer, infer_graph
from kerascheck.ir.verdicts import BuildStatus, ModelResult
from kerascheck.runtime.graph_plan import GraphPlan, plan_for
from kerascheck.runtime.plan import Plan

if TYPE_CHECKING:  # the static path (rules import this module) never loads the client
    from kerascheck.runtime.client import Session

_session: Session | None = None


def session() -> Session:
    """The run's session: one worker for every file of the run."""
    global _session
    if _session is None:
        from kerascheck.runtime.client import Session

        _session = Session()
        atexit.register(_session.close)
    return _session


def _floor(model: Model, graph: bool, models: tuple[Model, ...]) -> tuple[list, dict, int]:
    """Static rows, their known parameter counts, and the least the model holds
    (a layer called twice counted once)."""
    rows, _ = infer_graph(model, models) if graph else infer(model)
    params = {i: row.params for i, row in enumerate(rows) if isinstance(row.params, int)}
    if not graph:
        return rows, params, sum(params.values())
    first = {}  # id(layer) -> its first node
    for index, node in enumerate(model.graph.nodes):
        first.setdefault(id(node.element), index)
    return rows, params, sum(params.get(i, 0) for i in first.values())


def run(model: Model, worker: Session, models: tuple[Model, ...] = ()) -> ModelResult:
    """`models`: the file's, for the Sequential blocks a functional model calls."""
    built = plan_for(model, models)
    if isinstance(built, Skip):
        return ModelResult(BuildStatus.SKIPPED, built.reason)
    graph = isinstance(built, GraphPlan)
    rows, params, floor = _floor(model, graph, models)
    if floor > worker.budget:  # over the budget already: never even sent to Keras
        shapes = {i: row.shape for i, row in enumerate(rows) if isinstance(row.shape, tuple)}
        if graph:
            return _on_chain(
                model,
                ModelResult(
                    BuildStatus.TOO_LARGE,
                    node_shapes=shapes,
                    node_params=params,
                    total=floor,
                    budget=worker.budget,
                    input_shape=built.input_shape,
                ),
            )
        return ModelResult(
            BuildStatus.TOO_LARGE,
            shapes=shapes,
            params=params,
            total=floor,
            budget=worker.budget,
            input_shape=built.input_shape,
        )
    answer = worker.build(built.to_json())
    if graph:
        return _graph_result(model, built, answer, worker.budget)
    return _result(built, answer, worker.budget)


def _status(answer: dict) -> BuildStatus | None:
    """The worker's verdict, as the JSON answer spells it."""
    try:
        return BuildStatus(answer.get("status"))
    except ValueError:
        return None


def _failed(answer: dict) -> ModelResult:
    """The worker gave no verdict on this model (it timed out or crashed)."""
    return ModelResult(
        BuildStatus.FAILED,
        answer.get("message") or "no answer",
        report=not answer.get("repeat"),
        whole_run=bool(answer.get("run")),
    )


def _result(built: Plan, answer: dict, budget: int) -> ModelResult:
    status = _status(answer)
    if status not in (BuildStatus.BUILT, BuildStatus.ERROR, BuildStatus.TOO_LARGE):
        return _failed(answer)
    shapes, params = {}, {}
    if built.input_index is not None:
        shapes[built.input_index] = built.input_shape
        params[built.input_index] = 0
    for step, layer in zip(built.steps, answer.get("layers", ())):
        shapes[step.index] = tuple(layer["shape"])
        params[step.index] = layer["params"]
    error_index = None
    if status is BuildStatus.ERROR:
        error_index = built.steps[answer["layer"]].index
    return ModelResult(
        status,
        answer.get("message", ""),
        shapes=shapes,
        params=params,
        total=answer.get("params"),
        error_index=error_index,
        input_shape=built.input_shape,
        budget=budget,
    )


def chain_nodes(model: Model) -> dict[int, int]:
    """Element index in `model.layers` -> node of `model.graph`, for the chain
    that ends at a single output (what the chain rules read)."""
    graph = model.graph
    if len(graph.outputs) != 1 or graph.outputs[0] is None or not model.layers:
        return {}
    mapping, node = {}, graph.outputs[0]
    for index in range(len(model.layers) - 1, -1, -1):
        if node is None or graph.nodes[node].element is not model.layers[index]:
            break
        mapping[index] = node
        inputs = graph.nodes[node].inputs
        node = inputs[0] if len(inputs) == 1 else None
    return mapping


def _on_chain(model: Model, result: ModelResult) -> ModelResult:
    """The graph result with the chain's elements filled in from their nodes."""
    mapping = chain_nodes(model)
    shapes = {i: result.node_shapes[n] for i, n in mapping.items() if n in result.node_shapes}
    params = {i: result.node_params[n] for i, n in mapping.items() if n in result.node_params}
    error_index = next((i for i, n in mapping.items() if n == result.error_node), None)
    if result.error_node is None:
        error_index = None
    return dataclasses.replace(result, shapes=shapes, params=params, error_index=error_index)


def _graph_result(model: Model, built: GraphPlan, answer: dict, budget: int) -> ModelResult:
    status = _status(answer)
    if status not in (BuildStatus.BUILT, BuildStatus.ERROR, BuildStatus.TOO_LARGE):
        return _failed(answer)
    shapes = {step.node: tuple(n["shape"]) for step, n in zip(built.steps, answer.get("nodes", ()))}
    # A layer's parameters on each of its calls, as static shapes give them;
    # the total counts a shared layer once.
    layer_params = [layer["params"] for layer in answer.get("layers", ())]
    params = {}
    for step in built.steps:
        numbers = step.block or ((step.layer,) if step.layer is not None else ())
        if all(n < len(layer_params) for n in numbers):
            params[step.node] = sum(layer_params[n] for n in numbers)
    error, layer = answer.get("node"), answer.get("layer")
    blamed = (
        built.elements[layer] if isinstance(layer, int) and layer < len(built.elements) else None
    )
    return _on_chain(
        model,
        ModelResult(
            status,
            answer.get("message", ""),
            total=answer.get("params"),
            node_shapes=shapes,
            node_params=params,
            error_node=None if error is None else built.steps[error].node,
            error_layer=blamed,
            input_shape=built.input_shape,
            budget=budget,
        ),
    )


def attach(
    kfile: KerasFile, worker: Session | None = None
) -> tuple[KerasFile, str | None, list[str]]:
    """kfile with its runtime results; the failures in one line (or None); and
    which models were not built and why, for --verbose."""
    worker = worker or session()
    results = tuple(run(model, worker, kfile.models) for model in kfile.models)
    failures = [
        f"runtime: {result.message}"
        if result.whole_run
        else f"runtime: `{model.name}` {result.message}"
        for model, result in zip(kfile.models, results)
        if result.status is BuildStatus.FAILED and result.report
    ]
    # Models built elsewhere (subclassed, loaded) were never candidates: not listed.
    skipped = [
        f"runtime: `{model.name}` not built: {result.message}"
        for model, result in zip(kfile.models, results)
        if result.status is BuildStatus.SKIPPED and model.kind in LAYERED
    ]
    return dataclasses.replace(kfile, verdicts=results), ("; ".join(failures) or None), skipped


def results_of(kfile: KerasFile) -> tuple[ModelResult, ...] | None:
    return kfile.verdicts
