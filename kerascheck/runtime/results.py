"""Runtime answers, per model, in the shape the KC5xx rules and `show` read.

The engine calls `attach(kfile)` when runtime mode is on; it stores one
ModelResult per model in `kfile.extras["runtime"]`. Without runtime mode that
key is absent and the KC5xx rules have nothing to say.
"""

from __future__ import annotations

import atexit
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kerascheck.ir.model import KerasFile, Model
from kerascheck.ir.shapes import infer
from kerascheck.runtime.plan import Plan, Skip, plan

if TYPE_CHECKING:  # the static path (rules import this module) never loads the client
    from kerascheck.runtime.client import Session

KEY = "runtime"


@dataclass(frozen=True)
class ModelResult:
    # built: Keras built it; error: Keras refused (KC501); too_large: over the
    # budget, not built (KC504); skipped: not fully known; failed: the worker
    # timed out or crashed.
    status: str
    message: str = ""  # Keras's error, the skip reason or the failure
    shapes: dict = field(default_factory=dict)  # element index -> shape tuple
    params: dict = field(default_factory=dict)  # element index -> parameter count
    total: int | None = None
    error_index: int | None = None  # element Keras blamed
    input_shape: tuple | None = None
    budget: int = 0
    report: bool = True  # False for a failure already reported in this run
    whole_run: bool = False  # the failure is the worker's, not this model's


_session: Session | None = None


def session() -> Session:
    """The run's session: one worker for every file of the run."""
    global _session
    if _session is None:
        from kerascheck.runtime.client import Session

        _session = Session()
        atexit.register(_session.close)
    return _session


def run(model: Model, worker: Session) -> ModelResult:
    built = plan(model)
    if isinstance(built, Skip):
        return ModelResult("skipped", built.reason)
    rows, _ = infer(model)
    params = {i: row.params for i, row in enumerate(rows) if isinstance(row.params, int)}
    floor = sum(params.values())
    if floor > worker.budget:  # over the budget already: never even sent to Keras
        shapes = {i: row.shape for i, row in enumerate(rows) if isinstance(row.shape, tuple)}
        return ModelResult(
            "too_large",
            shapes=shapes,
            params=params,
            total=floor,
            budget=worker.budget,
            input_shape=built.input_shape,
        )
    answer = worker.build(built.to_json())
    return _result(built, answer, worker.budget)


def _result(built: Plan, answer: dict, budget: int) -> ModelResult:
    status = answer.get("status")
    if status not in ("built", "error", "too_large"):
        return ModelResult(
            "failed",
            answer.get("message") or "no answer",
            report=not answer.get("repeat"),
            whole_run=bool(answer.get("run")),
        )
    shapes, params = {}, {}
    if built.input_index is not None:
        shapes[built.input_index] = built.input_shape
        params[built.input_index] = 0
    for step, layer in zip(built.steps, answer.get("layers", ())):
        shapes[step.index] = tuple(layer["shape"])
        params[step.index] = layer["params"]
    error_index = None
    if status == "error":
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


def attach(
    kfile: KerasFile, worker: Session | None = None
) -> tuple[KerasFile, str | None, list[str]]:
    """kfile with its runtime results; the failures in one line (or None); and
    which models were not built and why, for --verbose."""
    worker = worker or session()
    results = tuple(run(model, worker) for model in kfile.models)
    failures = [
        f"runtime: {result.message}"
        if result.whole_run
        else f"runtime: `{model.name}` {result.message}"
        for model, result in zip(kfile.models, results)
        if result.status == "failed" and result.report
    ]
    # Models built elsewhere (subclassed, loaded) were never candidates: not listed.
    skipped = [
        f"runtime: `{model.name}` not built: {result.message}"
        for model, result in zip(kfile.models, results)
        if result.status == "skipped" and model.kind in ("sequential", "functional")
    ]
    extras = dict(kfile.extras, **{KEY: results})
    return dataclasses.replace(kfile, extras=extras), ("; ".join(failures) or None), skipped


def results_of(kfile: KerasFile) -> tuple[ModelResult, ...] | None:
    return kfile.extras.get(KEY)
