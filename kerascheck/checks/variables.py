"""KC411: a `tf.Variable` attribute of a Keras layer or model.

Keras 2 tracked any `tf.Variable` set on a layer (through `tf.Module`); Keras 3
tracks only `keras.Variable`s and `add_weight()`: the layer reports no weights
for it, the optimizer never updates it, and saving leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import rule
from kerascheck.ir.model import KerasFile


@rule(
    "KC411",
    "untracked-variable",
    "A tf.Variable attribute that Keras 3 does not track",
    keras3_only=True,
)
def untracked_variable(kfile: KerasFile) -> Iterator[Finding]:
    for found in kfile.variable_attributes:
        # A non-trainable one (a mask) or an integer one (a step counter) still works
        # as state: only `.keras` files leave it out. So does one the class updates
        # itself with `.assign()` (an adaptive probability, a schedule). One meant to
        # train is surely wrong.
        initial = found.args.value("initial_value")
        if (
            found.assigned
            or found.args.value("trainable", True) is not True
            or isinstance(initial, int)
        ):
            continue
        yield Finding(
            f"`self.{found.attr} = tf.Variable(...)` in `{found.class_name}`: Keras 3 does not "
            f"track it, so it is not among the layer's trainable weights and never trains",
            found.func_loc,
            f"create it with `self.{found.attr} = self.add_weight(shape=..., "
            f"initializer=...)` (or `keras.Variable(...)`)",
        )
