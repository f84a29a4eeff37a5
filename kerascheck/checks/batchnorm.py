"""KC212 and KC213 (opt-in): what comes right before a BatchNormalization."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from kerascheck.catalog import training
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import only_call
from kerascheck.ir.model import Graph, KerasFile, Layer
from kerascheck.results import Applicability


def _pairs(kfile: KerasFile) -> Iterator[tuple[Layer, Layer]]:
    """(layer, the BatchNormalization right after it) in every model, each
    pair once (one layer may sit in several models)."""
    seen: set = set()
    for model in kfile.models:
        pairs = _graph_pairs(model.graph) if model.graph.nodes else _chain_pairs(model.layers)
        for before, after in pairs:
            if before.conditional or after.conditional or before.loc in seen:
                continue
            seen.add(before.loc)
            yield before, after


def _chain_pairs(chain: tuple) -> Iterator[tuple[Layer, Layer]]:
    for before, after in itertools.pairwise(chain):
        if (
            isinstance(before, Layer)
            and isinstance(after, Layer)
            and after.kind == training.BATCH_NORMALIZATION
        ):
            yield before, after


def _graph_pairs(graph: Graph) -> Iterator[tuple[Layer, Layer]]:
    """Through a functional graph's branches and merges: a layer whose output
    goes only into one BatchNormalization (none of it into a skip connection or
    the model's outputs, where the bias still counts)."""
    for index, node in enumerate(graph.nodes):
        norm = node.element
        if not isinstance(norm, Layer) or norm.kind != training.BATCH_NORMALIZATION:
            continue
        if len(node.inputs) != 1 or node.inputs[0] is None:
            continue
        source = node.inputs[0]
        before = graph.nodes[source].element
        if not isinstance(before, Layer) or source in graph.outputs:
            continue
        if only_call(graph, source) and graph.consumers(source) == (index,):
            yield before, norm


def _normalises_channels(layer: Layer, norm: Layer) -> bool:
    """BatchNormalization over the last axis, on a channels-last layer: it
    subtracts the mean of each of the layer's output channels."""
    if layer.args.has_star or norm.args.has_star:
        return False
    return norm.args.value("axis", -1) == -1 and layer.args.get("data_format") is None


def _use_bias_false(layer: Layer) -> Fix | None:
    given = layer.args.get("use_bias")
    if given is not None:
        return Fix.unsafe(Edit.replace(given.loc, "False"))
    written = [*layer.args.positional, *layer.args.keywords]
    if not written:
        return None
    last = written[-1]  # keywords follow positionals in a call
    return Fix.unsafe(Edit.replace(last.loc, f"{last.text}, use_bias=False"))


@rule(
    "KC212",
    "bias-before-batchnorm",
    "A bias right before BatchNormalization, which cancels it",
    default=False,
    severity=Severity.WARNING,
    fixes=(Applicability.UNSAFE,),
)
def bias_before_batchnorm(kfile: KerasFile) -> Iterator[Finding]:
    for layer, norm in _pairs(kfile):
        if layer.kind not in training.BIASED_LAYERS or layer.activation != "linear":
            continue
        if layer.args.value("use_bias", True) is not True or not _normalises_channels(layer, norm):
            continue
        yield Finding(
            f"`{layer.kind}` adds a bias that the next `BatchNormalization` subtracts again "
            f"with the mean: the bias is trained for nothing",
            layer.loc,
            f"pass `use_bias=False` to this `{layer.kind}` (BatchNormalization's `beta` is "
            f"the offset)",
            ((norm.loc, "the BatchNormalization"),),
            _use_bias_false(layer),
        )


@rule(
    "KC213",
    "dropout-before-batchnorm",
    "Dropout right before BatchNormalization",
    default=False,
    severity=Severity.WARNING,
)
def dropout_before_batchnorm(kfile: KerasFile) -> Iterator[Finding]:
    for layer, norm in _pairs(kfile):
        if layer.kind not in training.DROPOUT_LAYERS:
            continue
        yield Finding(
            f"`{layer.kind}` right before `BatchNormalization`: the normalisation learns the "
            f"variance of dropped-out activations in training and sees a different one at "
            f"inference (the variance shift)",
            layer.loc,
            "move the dropout after the BatchNormalization (and its activation), or drop one "
            "of the two",
            ((norm.loc, "the BatchNormalization"),),
        )
