"""KC410: a TensorFlow op on a symbolic Keras tensor.

Keras 2 wrapped such calls in a hidden `TFOpLambda` layer; Keras 3 raises "A
KerasTensor cannot be used as input to a TensorFlow function". The walker
records only calls whose tensor certainly comes from a `keras.Input` (see
TensorOp); a tensor of unknown origin (a function parameter, `call()`'s inputs)
is eager or symbolic, and stays quiet.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import migration
from kerascheck.checks.backend import keras_module_names
from kerascheck.checks.diagnostic import Applicability, Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import KerasFile, TensorOp

_TF = "tensorflow."


def _fix(op: TensorOp, equivalent: str, modules: dict[str, str]) -> Fix | None:
    spelled = (
        f"{modules['ops']}.{equivalent}"
        if "ops" in modules
        else f"keras.ops.{equivalent}"
        if "keras" in modules
        else None
    )
    if (
        spelled is None
        or op.args.has_star
        or not all(a.keyword in migration.TF_OPS_SHARED_KEYWORDS for a in op.args.keywords)
    ):
        return None
    return Fix.unsafe(Edit.replace(op.func_loc, spelled))


@rule(
    "KC410",
    "tf-op-on-keras-tensor",
    "A TensorFlow op on a symbolic Keras tensor",
    fixes=(Applicability.UNSAFE,),
    keras3_only=True,
)
def tf_op_on_keras_tensor(kfile: KerasFile) -> Iterator[Finding]:
    modules = None
    for op in kfile.tensor_ops:
        path = op.qualname[len(_TF) :]
        if path not in migration.TF_OPS_ON_KERAS_TENSORS:
            continue
        message = (
            f"`{op.func_text}()` on a Keras tensor of a functional model: Keras 3 raises "
            f'"A KerasTensor cannot be used as input to a TensorFlow function"'
        )
        equivalent = migration.TF_OPS_ON_KERAS_TENSORS[path]
        if equivalent is None:
            yield Finding(
                message,
                op.func_loc,
                "use the `keras.ops` function or Keras layer that does this, or wrap the "
                "TensorFlow code in a custom layer's `call()`",
            )
            continue
        if modules is None:
            modules = keras_module_names(kfile)
        yield Finding(
            message,
            op.func_loc,
            f"use `keras.ops.{equivalent}()`, which works on Keras tensors",
            fix=_fix(op, equivalent, modules),
        )
