"""KC502, KC503: advice read from a model's shapes, static wherever they are known.

Both rules read a model's chain (`model.layers`, the layers that lead to its
output) with the output shape and parameter count of each element. Static
shapes (ir/shapes.py, equal to Keras's where known) decide first; where they
do not know what a rule needs, runtime mode's answer (real Keras) decides, if
it was asked. One model is judged by one of the two, never both, so a finding
is reported once, with the same words either way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import judged_compiles, output_of
from kerascheck.ir.input_shape import Skip, input_shape
from kerascheck.ir.model import LAYERED, KerasFile, Layer, Loss, Model, ModelKind
from kerascheck.ir.shapes import Row, format_shape, infer_file
from kerascheck.ir.verdicts import BuildStatus, ModelResult
from kerascheck.runtime.results import results_of


@dataclass(frozen=True)
class Chain:
    """What is known of a model's chain: element index -> output shape and parameters."""

    shapes: dict[int, tuple]
    params: dict[int, int]
    total: int | None
    input_shape: tuple | None

    def into(self, index: int) -> tuple | None:
        """The shape element `index` is fed."""
        return self.shapes.get(index - 1) if index > 0 else self.input_shape


def _static(model: Model, rows: list[Row]) -> Chain | None:
    """The chain's shapes from static inference; None where the chain is uncertain."""
    if model.kind not in LAYERED or any(getattr(e, "conditional", False) for e in model.layers):
        return None
    if model.kind == ModelKind.SEQUENTIAL:
        by_element = dict(enumerate(rows))
        every = rows
        start = input_shape(model)
        start = None if isinstance(start, Skip) else start
    else:
        graph = model.graph
        if len(graph.inputs) != 1 or len(graph.outputs) != 1 or len(rows) != len(graph.nodes):
            return None
        nodes: dict = {}
        for index, node in enumerate(graph.nodes):
            nodes.setdefault(node.element.loc, []).append(index)
        # Each chain element is one call of one layer (a shared layer is not).
        if any(len(nodes.get(e.loc, ())) != 1 for e in model.layers):
            return None
        by_element = {i: rows[nodes[e.loc][0]] for i, e in enumerate(model.layers)}
        every = [rows[calls[0]] for calls in nodes.values()]  # a shared layer counts once
        first = rows[graph.inputs[0]].shape
        start = first if isinstance(first, tuple) else None
    shapes = {i: r.shape for i, r in by_element.items() if isinstance(r.shape, tuple)}
    params = {i: r.params for i, r in by_element.items() if isinstance(r.params, int)}
    counts = [r.params for r in every]
    total = sum(counts) if all(isinstance(p, int) for p in counts) else None
    return Chain(shapes, params, total, start)


def _runtime(result: ModelResult) -> Chain:
    return Chain(result.shapes, result.params, result.total, result.input_shape)


def chains(
    kfile: KerasFile, enough: Callable[[Model, Chain], bool], statuses: tuple[BuildStatus, ...]
) -> Iterator[tuple[Model, Chain]]:
    """Each model with the chain that judges it: the static one where it is
    `enough` for the rule, else runtime mode's (with a status in `statuses`)."""
    if not kfile.models:
        return
    results = results_of(kfile) or ()
    for index, (model, (rows, _)) in enumerate(zip(kfile.models, infer_file(kfile.models))):
        static = _static(model, rows)
        if static is not None and enough(model, static):
            yield model, static
        elif index < len(results) and results[index].status in statuses:
            yield model, _runtime(results[index])


def _n(count: int) -> str:
    return f"{count:,}"


def _before(model: Model, index: int, skipping: frozenset[str] | set[str]) -> int | None:
    """The element before `index`, looking through the kinds in `skipping`."""
    index -= 1
    while (
        index >= 0
        and isinstance(model.layers[index], Layer)
        and model.layers[index].kind in skipping
    ):
        index -= 1
    return index if index >= 0 else None


# -- KC502 ----------------------------------------------------------------------

_FLATTEN_SHARE = 0.5
_FLATTEN_MINIMUM = 1_000_000


def _convolved(model: Model, index: int) -> bool:
    """A feature map made by convolutions: pooling it keeps what they found."""
    return any(isinstance(e, Layer) and "Conv" in e.kind for e in model.layers[:index])


def _every_shape(model: Model, chain: Chain) -> bool:
    return chain.total is not None and len(chain.shapes) == len(model.layers)


@rule(
    "KC502",
    "flatten-parameter-explosion",
    "A Dense after Flatten holds most of the parameters",
    runtime_fallback=True,
    severity=Severity.WARNING,
)
def flatten_parameter_explosion(kfile: KerasFile) -> Iterator[Finding]:
    for model, chain in chains(kfile, _every_shape, (BuildStatus.BUILT, BuildStatus.TOO_LARGE)):
        if not chain.total:
            continue
        for index, element in enumerate(model.layers):
            if not isinstance(element, Layer) or element.kind != "Dense":
                continue
            flatten = _before(model, index, api.PASS_THROUGH_LAYERS)
            if (
                flatten is None
                or getattr(model.layers[flatten], "kind", None) != "Flatten"
                or not _convolved(model, flatten)
            ):
                continue
            params = chain.params.get(index)
            feature_map = chain.into(flatten)
            out = chain.shapes.get(index)
            if (
                params is None
                or feature_map is None
                or out is None
                or len(feature_map) < 3
                or None in feature_map[1:]
            ):
                continue
            if params < _FLATTEN_MINIMUM or params < _FLATTEN_SHARE * chain.total:
                continue
            channels, units = feature_map[-1], out[-1]
            pooled = channels * units + (params - math.prod(feature_map[1:]) * units)
            pool = f"GlobalAveragePooling{len(feature_map) - 2}D"
            positions = "×".join(str(s) for s in feature_map[1:-1])
            yield Finding(
                f"`Dense` after `Flatten` holds {_n(params)} of `{model.name}`'s "
                f"{_n(chain.total)} parameters ({params / chain.total:.0%}): each of the "
                f"{positions} positions of the feature map gets its own weights",
                element.loc,
                f"use `{pool}()` instead of `Flatten()`: this `Dense` would hold "
                f"{_n(pooled)} parameters, {_n(params - pooled)} fewer",
                ((model.layers[flatten].loc, f"`Flatten` of {format_shape(feature_map)}"),),
            )


# -- KC503 ----------------------------------------------------------------------

_DECODER = ("Transpose", "UpSampling")
# What may follow the output Dense without changing which layer computes it.
_AFTER_OUTPUT = frozenset(api.PASS_THROUGH_LAYERS) | {"Activation"} | set(api.ACTIVATION_LAYERS)


def _known_losses(model: Model) -> Iterator[Loss]:
    for compile_call in judged_compiles(model):
        loss = compile_call.loss
        if isinstance(loss, Loss) and loss.family is not None:
            yield loss


def _output_shape(model: Model, chain: Chain) -> tuple | None:
    return chain.shapes.get(len(model.layers) - 1)


def _output_known(model: Model, chain: Chain) -> bool:
    return _output_shape(model, chain) is not None and chain.input_shape is not None


def _downsampled(shape: tuple, start: tuple | None) -> bool:
    """A map smaller than the model's input map: not a per-pixel head at input
    resolution (segmentation), whose `Dense` on every position is intended."""
    if start is None or len(start) != len(shape):
        return False
    spatial, given = shape[1:-1], start[1:-1]
    if not all(isinstance(s, int) for s in (*spatial, *given)):
        return False
    return all(s <= g for s, g in zip(spatial, given)) and spatial != given


def _decoder(model: Model) -> bool:
    elements = [n.element for n in model.graph.nodes] or list(model.layers)
    return any(isinstance(e, Layer) and e.kind.endswith(_DECODER) for e in elements)


@rule(
    "KC503",
    "output-shape-loss-mismatch",
    "The output's rank or size does not fit the loss",
    runtime_fallback=True,
    severity=Severity.ERROR,
)
def output_shape_loss_mismatch(kfile: KerasFile) -> Iterator[Finding]:
    for model, chain in chains(kfile, _output_known, (BuildStatus.BUILT,)):
        if model.is_block:
            continue
        shape = _output_shape(model, chain)
        if shape is None:
            continue
        computing = _before(model, len(model.layers), _AFTER_OUTPUT)
        last = model.layers[computing] if computing is not None else None
        # A Dense on every position of a downsampled feature map: the missing
        # Flatten, not a decoder's per-pixel head.
        spatial_dense = (
            len(shape) >= 4
            and isinstance(last, Layer)
            and last.kind == "Dense"
            and _downsampled(shape, chain.input_shape)
            and not _decoder(model)
        )
        output = output_of(model)
        # One unit that static analysis could not count (KC104 covers a Dense(1)).
        one_unit = (
            len(shape) == 2
            and shape[-1] == 1
            and output is not None
            and not isinstance(output.units, int)
        )
        for loss in _known_losses(model):
            note = ((loss.loc, f"loss `{loss.text}`"),)
            if spatial_dense:
                pool = f"GlobalAveragePooling{len(shape) - 2}D"
                yield Finding(
                    f"`{model.name}` outputs shape {format_shape(shape)}, but `{loss.name}` "
                    f"expects one prediction per sample: the `Dense` runs on every position "
                    f"of a {len(shape)}-D feature map",
                    last.loc,
                    f"add `Flatten()` or `{pool}()` before this `Dense`",
                    note,
                )
            elif one_unit and loss.family in ("categorical", "sparse_categorical"):
                yield Finding(
                    f"`{model.name}` outputs shape {format_shape(shape)}, a single unit, but "
                    f"`{loss.name}` needs one output per class: one unit can only ever "
                    f"predict one class",
                    output.loc,
                    "end the model with one unit per class and `softmax`, or use "
                    "`binary_crossentropy` with a sigmoid for two classes",
                    note,
                )
