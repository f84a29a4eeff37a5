"""What real Keras said of each model (runtime mode): plain data the KC5xx
rules, the shape rules' runtime fallback and `show` read. Runtime mode fills
`KerasFile.verdicts`; without it that field is None and nothing here is made."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kerascheck.ir.model import Element, Model


class BuildStatus(str, enum.Enum):
    BUILT = "built"  # Keras built it
    ERROR = "error"  # Keras refused it (KC501)
    TOO_LARGE = "too_large"  # over the parameter budget: not built (KC504)
    SKIPPED = "skipped"  # not fully known: not asked
    FAILED = "failed"  # the worker timed out or crashed


@dataclass(frozen=True)
class ModelResult:
    status: BuildStatus
    message: str = ""  # Keras's error, the skip reason or the failure
    shapes: dict = field(default_factory=dict)  # element index -> shape tuple
    params: dict = field(default_factory=dict)  # element index -> parameter count
    total: int | None = None
    error_index: int | None = None  # element Keras blamed
    # A functional model built as a graph: per node of model.graph (a layer
    # called twice has two nodes; its parameters are on its first); `shapes`
    # and `params` then hold the nodes of the chain `model.layers` as well.
    node_shapes: dict = field(default_factory=dict)
    node_params: dict = field(default_factory=dict)
    error_node: int | None = None
    error_layer: Element | None = None  # graph: the layer Keras refused (in a block too)
    input_shape: tuple | None = None
    budget: int = 0
    report: bool = True  # False for a failure already reported in this run
    whole_run: bool = False  # the failure is the worker's, not this model's

    def blamed(self, model: Model) -> Element | None:
        """The layer Keras refused, if it named one."""
        if self.error_layer is not None:
            return self.error_layer
        if self.error_node is not None:
            return model.graph.nodes[self.error_node].element
        if self.error_index is not None:
            return model.layers[self.error_index]
        return None
