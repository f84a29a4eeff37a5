"""KC404: standalone `keras.backend` functions Keras 3 removed.

Checked against Keras 3.15.1: standalone `keras.backend` keeps only the
functions in `_KEPT_BACKEND`, while `tf.keras.backend` (the `_tf_keras` API)
keeps them all.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Applicability, Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import KerasFile

# What standalone `keras.backend` still has in Keras 3.
_KEPT_BACKEND = {
    "backend",
    "clear_session",
    "epsilon",
    "set_epsilon",
    "floatx",
    "set_floatx",
    "image_data_format",
    "set_image_data_format",
    "get_uid",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "standardize_dtype",
}
_REDUCTIONS = ("axis", "keepdims")
# Backend function -> (replacement below `keras.`, max positional args, keywords
# that mean the same) where the replacement takes the same arguments.
_BACKEND_EQUIVALENTS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    **{
        name: (f"ops.{name}", 3, _REDUCTIONS)
        for name in ("mean", "sum", "max", "min", "prod", "std", "var", "any", "all")
    },
    **{
        name: (f"ops.{name}", 1, ())
        for name in (
            "square",
            "sqrt",
            "exp",
            "log",
            "abs",
            "sign",
            "tanh",
            "sigmoid",
            "softplus",
            "softsign",
            "cos",
            "sin",
            "ones_like",
            "zeros_like",
            "round",
            "transpose",
            "relu",
        )
    },
    **{
        name: (f"ops.{name}", 2, ())
        for name in (
            "maximum",
            "minimum",
            "equal",
            "not_equal",
            "greater",
            "greater_equal",
            "less",
            "less_equal",
            "reshape",
        )
    },
    "pow": ("ops.power", 2, ()),
    "permute_dimensions": ("ops.transpose", 2, ()),
    "cast": ("ops.cast", 2, ("dtype",)),
    "clip": ("ops.clip", 3, ()),
    "stack": ("ops.stack", 2, ("axis",)),
    "softmax": ("ops.softmax", 2, ("axis",)),
    "random_normal": ("random.normal", 5, ("shape", "mean", "stddev", "dtype", "seed")),
    "random_uniform": ("random.uniform", 5, ("shape", "minval", "maxval", "dtype", "seed")),
}
# Replacements that are not the same call, said in words.
_BACKEND_HINTS = {
    "int_shape": "use `x.shape` (a tuple, as `int_shape` gave)",
    "shape": "use `keras.ops.shape(x)`",
    "concatenate": "use `keras.ops.concatenate(tensors, axis=-1)` (its default axis is 0)",
    "argmax": "use `keras.ops.argmax(x, axis=-1)` (its default axis is None)",
    "argmin": "use `keras.ops.argmin(x, axis=-1)` (its default axis is None)",
    "expand_dims": "use `keras.ops.expand_dims(x, axis=-1)` (axis has no default)",
    "variable": "use `keras.Variable(value)`",
    "constant": "use `keras.ops.convert_to_tensor(value)`",
    "get_value": "use `keras.ops.convert_to_numpy(x)`",
    "set_value": "use `variable.assign(value)`",
    "learning_phase": "pass `training=True/False` when calling the layer or model",
    "dot": "use `keras.ops.matmul(a, b)` (or `keras.ops.dot` for NumPy semantics)",
    "batch_dot": "use `keras.ops.einsum` with the axes spelled out",
    "l2_normalize": "use `keras.ops.normalize(x, axis=-1)`",
    "count_params": "use `keras.ops.size(x)` or `layer.count_params()`",
    "placeholder": "use `keras.Input(shape=...)`",
    "flatten": "use `keras.ops.reshape(x, (-1,))`",
    "batch_flatten": "use `keras.layers.Flatten()(x)` or `keras.ops.reshape(x, (batch, -1))`",
    "set_learning_phase": "remove it: pass `training=False` when calling the model instead",
    "function": "build a `keras.Model(inputs, outputs)` and call it",
    "gradients": "use your backend's gradient API (`tf.GradientTape` with TensorFlow)",
}


def keras_module_names(kfile: KerasFile) -> dict[str, str]:
    """Top-level names bound to `keras` and `keras.ops`: {'keras': 'keras', 'ops': 'K_ops'}."""
    found = {}
    for statement in kfile.imports:
        if not statement.top_level:
            continue
        for name in statement.names:
            if statement.module is None and name.name == "keras" and name.asname in (None, "keras"):
                found["keras"] = "keras"
            elif statement.module == "keras" and name.name in ("ops", "random"):
                found[name.name] = name.asname or name.name
    return found


@rule(
    "KC404",
    "removed-backend-function",
    "A keras.backend function Keras 3 removed",
    fixes=(Applicability.UNSAFE,),
    keras3_only=True,
)
def removed_backend_function(kfile: KerasFile) -> Iterator[Finding]:
    modules = None
    for call in kfile.calls:
        parts = call.path.split(".")
        if (
            len(parts) != 2
            or parts[0] != "backend"
            or parts[1] in _KEPT_BACKEND
            or not api.is_standalone_keras(call.qualname)
        ):
            continue
        name = parts[1]
        message = f"`{call.func_text}()` is gone: Keras 3's `keras.backend` has no `{name}`"
        equivalent = _BACKEND_EQUIVALENTS.get(name)
        if name == "concatenate" and call.args.get("axis") is not None:
            equivalent = ("ops.concatenate", 1, ("axis",))  # the axis is spelled out
        if equivalent is None:
            help_ = _BACKEND_HINTS.get(name, f"find `{name}`'s replacement in `keras.ops`")
            yield Finding(message, call.func_loc, help_)
            continue
        target, max_positional, keywords = equivalent
        help_ = f"use `keras.{target}()`: it takes the same arguments"
        if modules is None:
            modules = keras_module_names(kfile)
        module, leaf = target.split(".")
        spelled = (
            f"{modules[module]}.{leaf}"
            if module in modules
            else f"keras.{target}"
            if "keras" in modules
            else None
        )
        fix = None
        if (
            spelled
            and not call.args.has_star
            and len(call.args.positional) <= max_positional
            and all(a.keyword in keywords for a in call.args.keywords)
        ):
            fix = Fix.unsafe(Edit.replace(call.func_loc, spelled))
        yield Finding(message, call.func_loc, help_, fix=fix)
