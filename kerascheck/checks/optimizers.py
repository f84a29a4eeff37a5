"""KC401, KC402: Keras 2 optimizer arguments Keras 3 rejects or ignores."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import Arg, CallArgs, KerasCall, KerasFile
from kerascheck.results import Applicability

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
    keras3_only=True,
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
        # Keras prints the value it received; a variable's value is only known at run time.
        number = isinstance(arg.value, (int, float)) and not isinstance(arg.value, bool)
        shown = repr(arg.value) if number else "…"
        yield Finding(
            f'`{name}(lr={arg.text})`: Keras 3 removed `lr` and raises "Argument(s) not '
            f"recognized: {{'lr': {shown}}}\"",
            arg.arg_loc or arg.loc,
            f"rename it: `learning_rate={arg.text}`",
            fix=fix,
        )


@rule(
    "KC402",
    "optimizer-decay",
    "decay= on a Keras optimizer",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    keras3_only=True,
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
