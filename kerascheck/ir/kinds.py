"""How a model was made: a kind every rule, `show` and runtime mode read.
Re-exported by ir/model.py, which holds the models themselves."""

from __future__ import annotations

from enum import Enum


class ModelKind(str, Enum):
    """How a model was made. A str, so reports, `show` and JSON print its value."""

    SEQUENTIAL = "sequential"
    FUNCTIONAL = "functional"
    SUBCLASS = "subclass"  # a keras.Model subclass of the file
    EXTERNAL = "external"  # loaded, pretrained or made by another library
    PARAMETER = "parameter"  # a function's parameter compiled or fitted there
    TUNER = "tuner"  # a KerasTuner tuner

    def __str__(self) -> str:
        return self.value

    __hash__ = str.__hash__  # a member and its value are one dict key


# The models made of layers kerascheck can list: the graph and shape rules' domain.
LAYERED = (ModelKind.SEQUENTIAL, ModelKind.FUNCTIONAL)
