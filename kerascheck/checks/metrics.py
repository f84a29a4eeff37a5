"""KC110, KC305 and KC308: what the compile's metrics measure, and what they log."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api, training
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.facts import judged_compiles, logged_names, output_of, single_output, validates
from kerascheck.ir.model import LAYERED, Arg, KerasFile, Loss, MethodCall
from kerascheck.results import Applicability


def _reads_logits_at_one_half(item: Arg) -> bool:
    """`"accuracy"`, `"acc"`, `"binary_accuracy"`, or `BinaryAccuracy()` at its
    default threshold: all are BinaryAccuracy(threshold=0.5) on one unit."""
    if isinstance(item.value, str):
        return item.value.lower() in training.BINARY_ACCURACY_STRINGS
    call = item.call
    return (
        call is not None
        and call.path.startswith("metrics.")
        and api.leaf(call.path) == "BinaryAccuracy"
        and call.args.get("threshold") is None
        and not call.args.positional
        and not call.args.has_star
    )


@rule(
    "KC110",
    "accuracy-on-logits",
    "Accuracy at threshold 0.5 on a model that outputs logits",
    severity=Severity.WARNING,
)
def accuracy_on_logits(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.kind not in LAYERED:
            continue
        output = output_of(model)
        # One linear unit: Keras then picks BinaryAccuracy for "accuracy"
        # (several units get CategoricalAccuracy, an argmax logits do not upset).
        if output is None or output.activation != "linear" or output.units != 1:
            continue
        for compile_call in judged_compiles(model):
            loss = compile_call.loss
            metrics = compile_call.args.get("metrics")
            if not isinstance(loss, Loss) or loss.family != "binary" or metrics is None:
                continue
            if loss.from_logits is not True:
                continue  # a probability loss on a linear output is KC105's
            # Point at the compile's own list, not at a list bound earlier.
            inline = metrics.text.lstrip()[:1] in ("[", "(")
            for item in metrics.items:
                if not _reads_logits_at_one_half(item):
                    continue
                yield Finding(
                    f"`{item.text}` with `{loss.text}`: Keras measures it as "
                    f"`BinaryAccuracy(threshold=0.5)`, which reads the logits as probabilities, "
                    f"so a logit of 0.3 (probability 0.57) counts as class 0",
                    item.loc if inline else metrics.loc,
                    "threshold the logits at 0: `metrics=[keras.metrics.BinaryAccuracy("
                    "threshold=0.0)]`",
                    ((loss.loc, "the loss takes logits"), (output.loc, "the linear output")),
                )


# -- KC305 ---------------------------------------------------------------------


def _monitor(callback) -> Arg | None:
    """The explicit, literal `monitor=` of a Keras callback that reads it."""
    kind = api.leaf(callback.path)
    if not callback.path.startswith("callbacks.") or kind not in training.MONITORING_CALLBACKS:
        return None
    if callback.args.has_star:
        return None
    if kind == "ModelCheckpoint" and callback.args.value("save_best_only", False) is not True:
        return None
    monitor = callback.args.get("monitor")
    if monitor is None or not isinstance(monitor.value, str):
        return None
    return monitor


def _renamed(quantity: str, logged: frozenset[str]) -> str | None:
    """The one logged name `quantity` certainly meant: `acc` for `accuracy`."""
    if quantity not in training.ACCURACY_STRINGS:
        return None
    candidates = [name for name in logged if name in training.ACCURACY_STRINGS]
    return candidates[0] if len(candidates) == 1 else None


def _unlogged(
    key: str, logged: frozenset[str], validated: bool
) -> tuple[str, str, str | None] | None:
    """For a logged quantity the compile does not log (`val_acc`): its `val_`
    prefix, the quantity, and the logged name it certainly meant. None when it
    is logged, is not a quantity Keras logs, or the fit logs no `val_*` at all
    (KC303's business)."""
    prefix = training.VALIDATION_PREFIX if key.startswith("val_") else ""
    quantity = key[len(prefix) :]
    if prefix and not validated:
        return None
    if quantity in logged or quantity.lower() not in training.MONITORABLE:
        return None
    return prefix, quantity, _renamed(quantity, logged)


def _renaming_fix(written: Arg | None, prefix: str, renamed: str | None) -> Fix | None:
    """Rewrite the quoted string to the name the model logs."""
    if renamed is None or written is None or not _quoted(written):
        return None
    quote = written.text[0]
    return Fix.safe(Edit.replace(written.loc, f"{quote}{prefix}{renamed}{quote}"))


def _quoted(arg: Arg) -> bool:
    text = arg.text
    return len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]


@rule(
    "KC305",
    "monitor-unknown-metric",
    "A callback monitors a metric the compile does not log",
    severity=Severity.ERROR,
    fixes=(Applicability.SAFE,),
)
def monitor_unknown_metric(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.escaped or not single_output(model):
            continue
        for fit in model.calls_named("fit"):
            callbacks = fit.args.get("callbacks")
            compile_call = model.compile_in_force(fit)
            if callbacks is None or compile_call is None or fit.args.has_star:
                continue
            if _callbacks_may_log(fit):  # one may compute the monitored quantity
                continue
            logged = logged_names(compile_call)
            if logged is None:
                continue
            validated = validates(fit)
            for item in callbacks.items:
                monitor = _monitor(item.call) if item.call else None
                if monitor is None:
                    continue
                wanted = monitor.value
                missing = _unlogged(wanted, logged, validated)
                if missing is None:
                    continue
                prefix, quantity, renamed = missing
                kind = api.leaf(item.call.path)
                known = ", ".join(f"`{prefix}{name}`" for name in sorted(logged))
                yield Finding(
                    f"`{kind}` monitors `{wanted}`, which this model never logs (it logs "
                    f"{known}): the callback {training.MONITORING_CALLBACKS[kind]}, with a "
                    f"warning at every epoch",
                    monitor.loc,
                    f"monitor `{prefix}{renamed}`"
                    if renamed
                    else f"monitor one of {known}, or add `{quantity!r}` to the compile's metrics",
                    ((compile_call.attr_loc, "the compile in force"),),
                    _renaming_fix(monitor, prefix, renamed),
                )


# -- KC308 ---------------------------------------------------------------------


def _callbacks_may_log(fit: MethodCall) -> bool:
    """A callback of the user's own (or one kerascheck cannot see) may add any
    key to the logs, and so to the history: `logs["val_auc"] = ...`."""
    callbacks = fit.args.get("callbacks")
    if callbacks is None:
        return False
    return not callbacks.items or any(
        item.call is None
        or not item.call.path.startswith("callbacks.")
        or api.leaf(item.call.path) in training.USER_CODE_CALLBACKS
        for item in callbacks.items
    )


@rule(
    "KC308",
    "history-unknown-metric",
    "A metric read from the history that the compile does not log",
    severity=Severity.ERROR,
    fixes=(Applicability.SAFE,),
)
def history_unknown_metric(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.escaped or not single_output(model):
            continue
        fits = {call.order: call for call in model.calls_named("fit")}
        for read in model.history_reads:
            fit = fits.get(read.fit_order)
            compile_call = model.compile_in_force(fit) if fit is not None else None
            if compile_call is None or fit.args.has_star or _callbacks_may_log(fit):
                continue
            logged = logged_names(compile_call)
            missing = _unlogged(read.key, logged, validates(fit)) if logged is not None else None
            if missing is None:
                continue
            prefix, quantity, renamed = missing
            fix = _renaming_fix(read.written, prefix, renamed)
            known = ", ".join(f"`{prefix}{name}`" for name in sorted(logged))
            yield Finding(
                f"`{read.key}` is read from the history, but this model never logs it (it logs "
                f"{known}): a `KeyError` once training is over",
                read.loc,
                f"read `{prefix}{renamed}`"
                if renamed
                else f"read one of {known}, or add `{quantity!r}` to the compile's metrics",
                ((compile_call.attr_loc, "the compile in force"),),
                fix,
            )
