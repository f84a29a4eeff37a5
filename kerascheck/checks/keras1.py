"""KC407: Keras 1 arguments on Keras calls."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import CallArgs, KerasCall, KerasFile
from kerascheck.results import Applicability

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


_RNN = api.RECURRENT_LAYERS | api.CONV_LSTM_LAYERS
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
