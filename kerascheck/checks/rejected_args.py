"""KC409: arguments and values Keras 2 took that Keras 3 rejects or ignores.

Each one is a fact of tests/test_keras3_migration_catalog.py: the error Keras
3.15 raises (or the warning it gives before ignoring the argument).
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api, migration
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import Arg, KerasCall, KerasFile, Model, ModelKind
from kerascheck.results import Applicability

# A model whose `fit` is Keras's (a tuner's `search` is not a fit).
_KERAS_FIT = (ModelKind.SEQUENTIAL, ModelKind.FUNCTIONAL, ModelKind.EXTERNAL, ModelKind.SUBCLASS)


def _loc(arg: Arg):
    return arg.arg_loc or arg.loc


@rule(
    "KC409",
    "rejected-argument",
    "An argument or value Keras 3 rejects or ignores",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    keras3_only=True,
)
def rejected_argument(kfile: KerasFile) -> Iterator[Finding]:
    for call in kfile.calls:
        if migration.is_keras2(call.qualname):
            continue
        if api.is_layer_path(call.path):
            yield from _layer(call)
        elif call.path in api.MODEL_PATHS:
            yield from _model_constructor(call)
        elif call.path == migration.CHECKPOINT_PATH:
            for arg in call.args.keywords:
                if arg.keyword in migration.REMOVED_CHECKPOINT_ARGUMENTS:
                    yield Finding(
                        f'`ModelCheckpoint({arg.keyword}=...)`: Keras 3 raises "unexpected '
                        f"keyword argument '{arg.keyword}'\"",
                        _loc(arg),
                        migration.REMOVED_CHECKPOINT_ARGUMENTS[arg.keyword],
                    )
    for model in kfile.models:
        if not model.keras2 and model.kind in _KERAS_FIT:
            yield from _model_methods(model)


def _layer(call: KerasCall) -> Iterator[Finding]:
    leaf = api.leaf(call.path)
    kind = api.LAYER_ALIASES.get(leaf, leaf)
    for arg in call.args.keywords:
        if arg.keyword in migration.REJECTED_LAYER_ARGUMENTS:
            yield Finding(
                f'`{leaf}({arg.keyword}=...)`: Keras 3 raises "Unrecognized keyword arguments '
                f'passed to {leaf}"',
                _loc(arg),
                migration.REJECTED_LAYER_ARGUMENTS[arg.keyword],
            )
        elif migration.IGNORED_LAYER_ARGUMENTS.get(kind) == arg.keyword:
            yield Finding(
                f'`{leaf}({arg.keyword}={arg.text})`: Keras 3 warns "Argument `{arg.keyword}` is '
                f'deprecated. Just remove it." and ignores it',
                _loc(arg),
                f"remove `{arg.keyword}=`: the input length comes from the data",
                fix=Fix.safe(Edit.remove_argument(_loc(arg))),
            )
    name = call.args.get("name")
    if (
        name is not None
        and isinstance(name.value, str)
        and migration.LAYER_NAME_FORBIDDEN in name.value
    ):
        yield Finding(
            f'`name={name.text}`: Keras 3 raises "Argument `name` must be a string and cannot '
            f'contain character `/`"',
            name.loc,
            "use another separator, such as `_`",
        )
    if (
        kind in migration.POOL_SIZE_REQUIRED
        and not call.args.positional
        and call.args.get("pool_size") is None
        and not call.args.has_star
    ):
        yield _pool_size(call, leaf)


def _pool_size(call: KerasCall, leaf: str) -> Finding:
    size = migration.KERAS2_POOL_SIZE
    written = call.text
    head = f"{call.func_text}("
    fix = None
    if written.startswith(head):
        rest = written[len(head) :]
        arguments = f"{size}, {rest}" if call.args.keywords else f"{size})"
        fix = Fix.safe(Edit.replace(call.loc, head + arguments))
    return Finding(
        f'`{leaf}()` without `pool_size`: Keras 3 raises "missing 1 required positional '
        f"argument: 'pool_size'\" (Keras 2 defaulted it to {size})",
        call.loc,
        f"pass the Keras 2 default: `{leaf}({size})`",
        fix=fix,
    )


def _model_constructor(call: KerasCall) -> Iterator[Finding]:
    present = {a.keyword for a in call.args.keywords}
    for arg in call.args.keywords:
        new = migration.MODEL_ARGUMENT_RENAMES.get(arg.keyword or "")
        if new is None:
            continue
        fix = None
        if new not in present and len(call.args.positional) == 0:
            fix = Fix.safe(Edit.replace(_loc(arg), f"{new}={arg.text}"))
        yield Finding(
            f'`Model({arg.keyword}=...)`: Keras 3 raises "Unrecognized keyword arguments '
            f'passed to Model"',
            _loc(arg),
            f"rename it: `{new}={arg.text}`",
            fix=fix,
        )


def _model_methods(model: Model) -> Iterator[Finding]:
    for call in model.calls_named(*migration.QUEUE_METHODS):
        for arg in call.args.keywords:
            if arg.keyword in migration.QUEUE_ARGUMENTS:
                yield Finding(
                    f"`{model.name}.{call.method}({arg.keyword}=...)`: Keras 3's "
                    f"`{call.method}()` has no `{arg.keyword}` and raises",
                    _loc(arg),
                    f"remove it; to load data in parallel, pass `{arg.keyword}=` to a "
                    f"`keras.utils.PyDataset` subclass's `super().__init__`",
                    fix=Fix.unsafe(Edit.remove_argument(_loc(arg))),
                )
    for call in model.calls_named("compile"):
        metrics = call.args.get("metrics")
        if metrics is None or not isinstance(metrics.value, str):
            continue
        fix = Fix.safe(Edit.replace(metrics.loc, f"[{metrics.text}]"))
        yield Finding(
            f'`metrics={metrics.text}`: Keras 3 raises "Expected `metrics` argument to be a '
            f'{migration.METRIC_CONTAINERS}"',
            metrics.loc,
            f"pass a list: `metrics=[{metrics.text}]`",
            fix=fix,
        )
