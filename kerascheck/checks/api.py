"""KC4xx: Keras 1/2 API that Keras 3 removed or ignores.

Checked against Keras 3.15.1: standalone `keras.backend` keeps only the
functions in `_KEPT_BACKEND`, while `tf.keras.backend` (the `_tf_keras` API)
keeps them all; `tf.keras.preprocessing` keeps `text` and `ImageDataGenerator`,
standalone `keras.preprocessing` does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Applicability, Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import output_of
from kerascheck.ir.model import Arg, CallArgs, KerasCall, KerasFile, MethodCall, Model

# -- KC401 / KC402: optimizers ------------------------------------------------

_KERAS2_ROOTS = ("tf_keras", "tensorflow.python.keras")
# Keras 3 default learning rates, for the schedule KC402 suggests.
_DEFAULT_LR = {
    "SGD": "0.01",
    "Adam": "0.001",
    "AdamW": "0.001",
    "RMSprop": "0.001",
    "Adagrad": "0.001",
    "Adadelta": "0.001",
    "Adamax": "0.001",
    "Nadam": "0.001",
    "Ftrl": "0.001",
    "Lion": "0.001",
}


def _optimizer_calls(kfile: KerasFile) -> Iterator[KerasCall]:
    """Keras 3 optimizers (tf_keras is Keras 2, where `lr` still works)."""
    for call in kfile.calls:
        parts = call.path.split(".")
        if call.qualname.startswith(_KERAS2_ROOTS):
            continue
        if (
            parts[0] == "optimizers"
            and "schedules" not in parts
            and parts[-1][:1].isupper()
            and parts[-1] != "Optimizer"
        ):
            yield call


def _keyword(args: CallArgs, name: str) -> Arg | None:
    return next((a for a in args.keywords if a.keyword == name), None)


@rule(
    "KC401",
    "optimizer-lr",
    "lr= on a Keras optimizer",
    fixes=(Applicability.SAFE,),
    severity=Severity.ERROR,
)
def optimizer_lr(kfile: KerasFile) -> Iterator[Finding]:
    for call in _optimizer_calls(kfile):
        arg = _keyword(call.args, "lr")
        if arg is None:
            continue
        name = api.leaf(call.path)
        fix = None
        # Not when the rate is also given (by keyword, or first by position).
        if _keyword(call.args, "learning_rate") is None and not call.args.positional:
            fix = Fix.safe(Edit.replace(arg.arg_loc or arg.loc, f"learning_rate={arg.text}"))
        yield Finding(
            f'`{name}(lr={arg.text})`: Keras 3 removed `lr` and raises "Argument(s) not '
            f"recognized: {{'lr': {arg.text}}}\"",
            arg.arg_loc or arg.loc,
            f"rename it: `learning_rate={arg.text}`",
            fix=fix,
        )


@rule(
    "KC402",
    "optimizer-decay",
    "decay= on a Keras optimizer",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    severity=Severity.ERROR,
)
def optimizer_decay(kfile: KerasFile) -> Iterator[Finding]:
    for call in _optimizer_calls(kfile):
        decay = _keyword(call.args, "decay")
        if decay is None:
            continue
        name = api.leaf(call.path)
        if decay.value == 0 and isinstance(decay.value, (int, float)):
            # No decay was asked for: nothing is lost, the argument is only noise.
            yield Finding(
                f"`{name}(decay={decay.text})` does nothing: Keras 3 no longer has `decay`, "
                f"warns that it is ignored, and a decay of 0 never changed the rate anyway",
                decay.arg_loc or decay.loc,
                "remove `decay=`",
                fix=Fix.safe(Edit.remove_argument(decay.arg_loc or decay.loc)),
            )
            continue
        # The learning rate is the first parameter of every Keras optimizer.
        rate = (
            _keyword(call.args, "learning_rate")
            or _keyword(call.args, "lr")
            or (call.args.positional[0] if call.args.positional else None)
        )
        if rate is not None and not isinstance(rate.value, (int, float)):
            # A schedule (or anything not a number) cannot be wrapped in another.
            yield Finding(
                f"`{name}(decay={decay.text})`: Keras 3 warns and ignores `decay`, so the "
                f"learning rate never decays",
                decay.arg_loc or decay.loc,
                "remove `decay=` and fold the decay into the learning-rate schedule",
            )
            continue
        initial = rate.text if rate is not None else _DEFAULT_LR.get(name, "0.001")
        # The schedule is spelled next to the optimizer: `optimizers.schedules...`.
        spelled_here = "." in call.func_text and call.path == f"optimizers.{name}"
        prefix = call.func_text.rsplit(".", 1)[0] if spelled_here else "keras.optimizers"
        schedule = (
            f"{prefix}.schedules.InverseTimeDecay({initial}, decay_steps=1, "
            f"decay_rate={decay.text})"
        )
        fix = None
        if spelled_here:
            if rate is not None:
                keyword = "learning_rate=" if rate.keyword else ""
                edits = (
                    Edit.replace(rate.arg_loc or rate.loc, f"{keyword}{schedule}"),
                    Edit.remove_argument(decay.arg_loc or decay.loc),
                )
            else:
                edits = (Edit.replace(decay.arg_loc or decay.loc, f"learning_rate={schedule}"),)
            fix = Fix.unsafe(*edits)
        yield Finding(
            f"`{name}(decay={decay.text})`: Keras 3 warns and ignores `decay`, so the "
            f"learning rate never decays",
            decay.arg_loc or decay.loc,
            f"use a schedule that decays the same way: `learning_rate={schedule}`",
            fix=fix,
        )


# -- KC403: model methods -------------------------------------------------------

# Renames that keep the meaning, when the call passes nothing the new method lacks.
_METHOD_RENAMES = {
    "fit_generator": "fit",
    "evaluate_generator": "evaluate",
    "predict_generator": "predict",
    "predict_proba": "predict",
}
# fit_generator's queue arguments: Keras 3 sets them on a PyDataset instead.
_QUEUE_ARGUMENTS = ("workers", "use_multiprocessing", "max_queue_size")


def _predict_classes_help(model: Model, call: MethodCall) -> str:
    x = call.args.positional[0].text if call.args.positional else "x"
    predict = f"{model.name}.predict({x})"
    output = output_of(model)
    activation = output.activation if output is not None else None
    if activation in api.SIGMOID_FAMILY:
        return f"use `({predict} > 0.5).astype('int32')` (the output is a sigmoid)"
    if activation == "softmax":
        return f"use `np.argmax({predict}, axis=-1)` (the output is a softmax)"
    return (
        f"use `np.argmax({predict}, axis=-1)` for a softmax output, or "
        f"`({predict} > 0.5).astype('int32')` for a sigmoid output"
    )


@rule(
    "KC403",
    "removed-model-method",
    "A Model method Keras 3 removed",
    fixes=(Applicability.SAFE,),
    severity=Severity.ERROR,
)
def removed_model_method(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        # tf_keras (Keras 2) still has the *_generator methods.
        methods = (
            ("predict_proba", "predict_classes")
            if model.keras2
            else (*_METHOD_RENAMES, "predict_classes")
        )
        for call in model.calls_named(*methods):
            message = (
                f"`{model.name}.{call.method}()` was removed: Keras 3 models have no "
                f"attribute `{call.method}`"
            )
            if call.method == "predict_classes":
                yield Finding(message, call.attr_loc, _predict_classes_help(model, call))
                continue
            new = _METHOD_RENAMES[call.method]
            queue = [a.keyword for a in call.args.keywords if a.keyword in _QUEUE_ARGUMENTS]
            if queue:
                help_ = (
                    f"use `{model.name}.{new}()`, and move "
                    f"{', '.join(f'`{q}`' for q in queue)} to a `keras.utils.PyDataset`"
                )
                yield Finding(message, call.attr_loc, help_)
                continue
            help_ = f"use `{model.name}.{new}()`: it takes generators and datasets"
            if call.method == "predict_proba":  # an alias of predict, not a generator method
                help_ = (
                    f"use `{model.name}.predict()`: it returns the model's output, the "
                    f"probabilities when the output layer is a softmax or a sigmoid"
                )
            fix = None
            if len(call.args.positional) <= (3 if call.method == "predict_proba" else 1):
                fix = Fix.safe(Edit.replace(call.attr_loc, new))
            elif call.method != "predict_proba":
                help_ += (
                    f" (pass the arguments after the generator by keyword: "
                    f"`{new}()` reads its second positional argument as `y`)"
                )
            yield Finding(message, call.attr_loc, help_, fix=fix)


# -- KC404: keras.backend ----------------------------------------------------------

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


def _keras_module_names(kfile: KerasFile) -> dict[str, str]:
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
    severity=Severity.ERROR,
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
            modules = _keras_module_names(kfile)
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


# -- KC405: import paths ----------------------------------------------------------

# Modules Keras 3 removed whose contents moved, 1:1, to another module:
# old path -> (new path, safe). The legacy optimizers are not the same classes.
_MOVED_MODULES = {
    **{
        f"layers.{old}": ("layers", True)
        for old in (
            "core",
            "convolutional",
            "recurrent",
            "pooling",
            "normalization",
            "embeddings",
            "merge",
            "advanced_activations",
            "wrappers",
            "noise",
        )
    },
    "layers.experimental.preprocessing": ("layers", True),
    "utils.np_utils": ("utils", True),
    "utils.vis_utils": ("utils", True),
    "optimizers.experimental": ("optimizers", True),
    "optimizers.legacy": ("optimizers", False),
}
# Names and modules removed without a 1:1 replacement -> what to use instead.
_REMOVED = {
    "layers.CuDNNLSTM": "use `layers.LSTM`: it runs on cuDNN when its arguments allow",
    "layers.CuDNNGRU": "use `layers.GRU`: it runs on cuDNN when its arguments allow",
    "layers.DenseFeatures": "preprocess features with Keras preprocessing layers "
    "(`layers.Normalization`, `layers.StringLookup` ...) or "
    "`keras.utils.FeatureSpace`",
    "estimator": "train with `model.fit()`; Keras 3 has no estimators",
    "layers.experimental": "import preprocessing layers from `keras.layers`; the other "
    "experimental layers (`RandomFourierFeatures` ...) are gone",
    "wrappers.scikit_learn": "use `keras.wrappers.SKLearnClassifier` / "
    "`SKLearnRegressor` (or the scikeras package)",
}
# Removed from standalone Keras only: tf.keras still has them.
_REMOVED_STANDALONE = {
    "preprocessing.text": "use `keras.layers.TextVectorization`",
    "preprocessing.image.ImageDataGenerator": (
        "use `keras.utils.image_dataset_from_directory` and augmentation layers "
        "(`layers.RandomFlip`, `layers.RandomRotation` ...)"
    ),
}
# The Keras roots where these paths are gone (tf_keras and compat.v1 are Keras 2).
_KERAS3_ROOTS = ("keras", "keras_core", "tensorflow.keras")


def _root_and_path(qualname: str) -> tuple[str, str] | None:
    for root in _KERAS3_ROOTS:
        if qualname.startswith(root + "."):
            return root, qualname[len(root) + 1 :]
    return None


def _removed(qualname: str) -> tuple[str, str] | None:
    """(the removed path, help) for the longest removed prefix of a qualified name."""
    found = _root_and_path(qualname)
    if found is None:
        return None
    root, path = found
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in _MOVED_MODULES:
            new = _MOVED_MODULES[prefix][0]
            return prefix, f"`{root}.{prefix}` moved to `{root}.{new}`"
        if prefix in _REMOVED:
            return prefix, _REMOVED[prefix]
        if prefix in _REMOVED_STANDALONE and root != "tensorflow.keras":
            return prefix, _REMOVED_STANDALONE[prefix]
    return None


def _message(root_path: str) -> str:
    return f"`{root_path}` does not exist in Keras 3"


@rule(
    "KC405",
    "removed-import-path",
    "An import path Keras 3 removed",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    severity=Severity.ERROR,
)
def removed_import_path(kfile: KerasFile) -> Iterator[Finding]:
    for statement in kfile.imports:
        if statement.module is None:  # import keras.layers.core
            for name in statement.names:
                found = _removed(name.name)
                if found:
                    yield Finding(_message(name.name), name.loc, found[1])
            continue
        module = statement.module
        found = _removed(module)
        # `from ...layers.experimental import preprocessing`: the name says more
        # (a module that moved) than the module (a package that is gone).
        if found is not None and not any(
            (_removed(f"{module}.{name.name}") or found)[0] != found[0] for name in statement.names
        ):  # from keras.layers.core import Dense
            yield _moved_module_diagnostic(module, found, statement.module_loc)
            continue
        for name in statement.names:  # from keras.utils import np_utils
            qualname = f"{module}.{name.name}"
            found = _removed(qualname)
            if found is None:
                continue
            fix, help_ = None, found[1]
            moved = _MOVED_MODULES.get(found[0])
            # `from keras.utils import np_utils` imports a module; `from keras.layers
            # import merge` may be Keras 1's merge() function: no fix for layers.*.
            if (
                moved
                and found[0] == _root_and_path(qualname)[1]
                and len(statement.names) == 1
                and (not found[0].startswith("layers.") or found[0].endswith(".preprocessing"))
            ):
                root = _root_and_path(qualname)[0]
                parent, _, leaf = f"{root}.{moved[0]}".rpartition(".")
                local = name.asname or name.name
                new = f"from {parent} import {leaf}" + (f" as {local}" if local != leaf else "")
                help_ = f"write `{new}`"
                fix = _moved_fix(Edit.replace(statement.loc, new), moved)
            yield Finding(_message(qualname), name.loc, help_, fix=fix)
    for call in kfile.calls:  # keras.utils.np_utils.to_categorical(y)
        found = _removed(call.qualname)
        if found is None or not _spells_path(call):
            continue
        yield _moved_module_diagnostic(call.qualname, found, call.func_loc, call.func_text)


def _spells_path(call: KerasCall) -> bool:
    """The callee is written out to the removed part (`layers.experimental.preprocessing.X`),
    not reached through an imported name the import diagnostic already covers."""
    return call.func_text == call.path or call.func_text.endswith("." + call.path)


def _moved_fix(edit: Edit, moved: tuple[str, bool]) -> Fix:
    """A moved module's rewrite is safe where the new module is a 1:1 replacement."""
    return Fix.safe(edit) if moved[1] else Fix.unsafe(edit)


def _moved_module_diagnostic(
    qualname: str, found: tuple[str, str], loc, written: str | None = None
) -> Finding:
    removed, help_ = found
    root, path = _root_and_path(qualname)
    moved = _MOVED_MODULES.get(removed)
    fix = None
    if moved is not None:
        new_path = moved[0] + path[len(removed) :]
        new = (written or qualname)[: len(written or qualname) - len(path)] + new_path
        help_ = f"write `{new}`" if written else f"import from `{new}` instead"
        fix = _moved_fix(Edit.replace(loc, new), moved)
    return Finding(_message(f"{root}.{removed}"), loc, help_, fix=fix)


# -- KC407: Keras 1 arguments ------------------------------------------------------

# Keras 1 keyword -> its Keras 2/3 name (None: no 1:1 rename).
_KERAS1_LAYER_ARGUMENTS = {
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "output_dim": "units",  # only on the layers below: Embedding's own argument
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "border_mode": "padding",
    "subsample": "strides",
    "subsample_length": "strides",
    "pool_length": "pool_size",
    "stride": "strides",
    "atrous_rate": "dilation_rate",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "U_constraint": "recurrent_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "bias": "use_bias",
    "nb_row": None,
    "nb_col": None,
    "dim_ordering": None,
}
# Keras 1 layers whose `output_dim` is now `units` (Embedding and
# RandomFourierFeatures still take `output_dim`).
_OUTPUT_DIM_LAYERS = {"Dense", "SimpleRNN", "LSTM", "GRU", "TimeDistributedDense"}
_EMBEDDING_ARGUMENTS = {
    "init": "embeddings_initializer",
    "W_regularizer": "embeddings_regularizer",
    "W_constraint": "embeddings_constraint",
}
_KERAS1_FIT_ARGUMENTS = {
    "nb_epoch": "epochs",
    "samples_per_epoch": None,
    "nb_val_samples": None,
    "nb_worker": None,
}
_NO_RENAME_HELP = {
    "nb_row": "give the kernel as one argument: `kernel_size=(rows, cols)`",
    "nb_col": "give the kernel as one argument: `kernel_size=(rows, cols)`",
    "dim_ordering": "use `data_format='channels_last'` (was 'tf') or `'channels_first'` (was 'th')",
    "samples_per_epoch": "use `steps_per_epoch=` (batches, not samples: samples // batch_size)",
    "nb_val_samples": "use `validation_steps=` (batches, not samples)",
    "nb_worker": "set `workers=` on a `keras.utils.PyDataset`",
}
# Keras 1 classes whose positional (filters, rows, cols[, depth]) now reads
# (filters, kernel_size, strides ...).
_KERAS1_CONVOLUTIONS = {"Convolution2D": 2, "Convolution3D": 3}


_RNN = {"SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
_CONV = {
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "LocallyConnected1D",
    "LocallyConnected2D",
}
_POOL = {f"{kind}Pooling{d}D" for kind in ("Max", "Average") for d in (1, 2, 3)}
_KERNEL = {"Dense"} | _CONV | _RNN
# Where each Keras 3 name exists: a rename is only a fix on a layer that takes it.
_TAKES = {
    **dict.fromkeys(
        (
            "kernel_initializer",
            "kernel_regularizer",
            "kernel_constraint",
            "bias_regularizer",
            "bias_constraint",
            "use_bias",
        ),
        _KERNEL,
    ),
    **dict.fromkeys(
        (
            "recurrent_initializer",
            "recurrent_regularizer",
            "recurrent_constraint",
            "recurrent_activation",
            "dropout",
            "recurrent_dropout",
        ),
        _RNN,
    ),
    **dict.fromkeys(("filters", "kernel_size", "dilation_rate"), _CONV),
    **dict.fromkeys(("strides", "padding"), _CONV | _POOL),
    "pool_size": _POOL,
    "units": {"Dense", "SimpleRNN", "LSTM", "GRU"},
    **{name: {"Embedding"} for name in _EMBEDDING_ARGUMENTS.values()},
}


def _renames(args: CallArgs, table: dict, what: str, kind: str | None = None) -> Iterator[Finding]:
    """`kind`: the layer's canonical class, None for a model method."""
    present = {a.keyword for a in args.keywords}
    signature = api.LAYER_SIGNATURES.get(kind or "", ())
    present.update(signature[: len(args.positional)])  # Dense(10, output_dim=10)
    for arg in args.keywords:
        if arg.keyword not in table:
            continue
        new = table[arg.keyword]
        message = f"`{arg.keyword}=` is a Keras 1 argument: Keras 3 {what} rejects it"
        if new is None:
            yield Finding(message, arg.arg_loc or arg.loc, _NO_RENAME_HELP[arg.keyword])
            continue
        if kind is not None and kind not in _TAKES.get(new, ()):
            yield Finding(
                message,
                arg.arg_loc or arg.loc,
                f"remove it, or pass what it meant by the layer's own arguments "
                f"(Keras 1's `{arg.keyword}` is `{new}` on the layers that have one)",
            )
            continue
        fix = None
        if new not in present:
            fix = Fix.safe(Edit.replace(arg.arg_loc or arg.loc, f"{new}={arg.text}"))
        yield Finding(
            f"`{arg.keyword}=` is the Keras 1 name of `{new}=`: Keras 3 {what} rejects it",
            arg.arg_loc or arg.loc,
            f"rename it: `{new}={arg.text}`",
            fix=fix,
        )


def _renamed_keras1_convolution(leaf: str, args: CallArgs) -> bool:
    """`Conv2D(32, 3, 3)`: a Keras 1 `Convolution2D(32, 3, 3)` renamed, when the
    third argument repeats the kernel size and no strides are given (a
    deliberate stride rarely equals the kernel: `Conv2D(32, 3, 1)` is fine)."""
    positional = args.positional
    return (
        leaf == "Conv2D"
        and len(positional) == 3
        and args.get("strides") is positional[2]
        and not any(a.keyword == "strides" for a in args.keywords)
        and isinstance(positional[1].value, int)
        and positional[1].value == positional[2].value
    )


def _keras1_convolution(call: KerasCall) -> Finding | None:
    leaf = api.leaf(call.path)
    dims = _KERAS1_CONVOLUTIONS.get(leaf)
    if dims is None and _renamed_keras1_convolution(leaf, call.args):
        dims = 2
    positional = call.args.positional
    if (
        dims is None
        or len(positional) != dims + 1
        or not all(
            isinstance(a.value, int) and not isinstance(a.value, bool) for a in positional[1:]
        )
    ):
        return None
    kernel = ", ".join(a.text for a in positional[1:])
    written = ", ".join(a.text for a in positional)
    first_extra = positional[2]
    return Finding(
        f"`{leaf}({written})` is Keras 1's (filters, {'rows, cols' if dims == 2 else 'dims'}): "
        f"Keras 3 reads argument {3} as `strides`, silently",
        first_extra.arg_loc or first_extra.loc,
        f"give the kernel as one tuple: `{leaf}({positional[0].text}, ({kernel}))`",
        fix=Fix.unsafe(
            Edit.replace(
                positional[1].arg_loc or positional[1].loc,
                f"({kernel})",
                end=positional[-1].arg_loc or positional[-1].loc,
            )
        ),
    )


@rule(
    "KC407",
    "keras1-argument",
    "A Keras 1 argument on a Keras call",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    severity=Severity.ERROR,
)
def keras1_argument(kfile: KerasFile) -> Iterator[Finding]:
    for call in kfile.calls:
        if not api.is_layer_path(call.path):
            continue
        leaf = api.leaf(call.path)
        table = _KERAS1_LAYER_ARGUMENTS
        if leaf not in _OUTPUT_DIM_LAYERS:
            table = {k: v for k, v in table.items() if k != "output_dim"}
        if leaf == "Embedding":
            table.update(_EMBEDDING_ARGUMENTS)
        yield from _renames(call.args, table, f"`{leaf}`", api.LAYER_ALIASES.get(leaf, leaf))
        found = _keras1_convolution(call)
        if found is not None:
            yield found
    for model in kfile.models:
        for call in model.calls_named("fit", "fit_generator"):
            yield from _renames(call.args, _KERAS1_FIT_ARGUMENTS, f"`{call.method}()`")
