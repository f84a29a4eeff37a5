"""KC306 and KC307: the data a model is validated on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.data import DataStep, StepKind
from kerascheck.ir.model import Arg, KerasFile

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TRAIN_WORDS = {"train", "training", "xtrain", "ytrain", "trainx", "trainy"}
# Words that say a "train" name holds held-out data after all (`x_train_val`).
_HELD_OUT_WORDS = {"val", "valid", "validation", "dev", "holdout", "test", "eval"}


def _words(identifier: str) -> set[str]:
    return {word.lower() for word in _WORDS.findall(identifier)}


def _is_train_name(identifier: str) -> bool:
    words = _words(identifier)
    return bool(words & _TRAIN_WORDS) and not words & _HELD_OUT_WORDS


def _training_data(validation: Arg, fitted: tuple[Arg | None, ...]) -> str | None:
    """The training data `validation_data` names, as written, or None.

    Only plain names count: `x_train[-1000:]` is a held-out slice."""
    parts = validation.items or (validation,)
    texts = [part.text.strip() for part in parts]
    if not texts or not all(text.isidentifier() for text in texts):
        return None
    same_as_fit = all(
        arg is not None and arg.text.strip() == text for arg, text in zip(fitted, texts)
    )
    if same_as_fit or all(_is_train_name(text) for text in texts):
        return ", ".join(texts)
    return None


@rule(
    "KC306",
    "validation-on-training-data",
    "Validation data is the training data",
    severity=Severity.ERROR,
)
def validation_on_training_data(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        for fit in model.calls_named("fit", "fit_generator"):
            validation = fit.args.get("validation_data")
            if validation is None:
                continue
            data = _training_data(validation, (fit.args.get("x"), fit.args.get("y")))
            if data is None:
                continue
            yield Finding(
                f"`validation_data` is the training data (`{data}`): the validation score "
                f"measures how well the model memorised it, not how it generalises, and "
                f"callbacks that watch `val_*` never see overfitting",
                validation.loc,
                "validate on data held out from training: `validation_split=0.2`, or split "
                "off a validation set with `train_test_split` before `fit()`",
            )


def _leaks(steps: tuple[DataStep, ...]) -> Iterator[tuple[DataStep, DataStep]]:
    """(fit, split): a preprocessor fitted on data that a later step of the same
    scope splits into train and test, while the name still holds that data."""
    for fit in steps:
        if fit.kind is not StepKind.FIT or not fit.data:
            continue
        names = set(fit.data) | set(fit.bound)
        for later in steps:
            if later.scope != fit.scope or later.order <= fit.order:
                continue
            if later.kind is StepKind.BIND and not names & set(later.data):
                names -= set(later.bound)  # `X = mnist["data"]`: other data now
            elif later.kind is StepKind.SPLIT and names & set(later.data):
                yield fit, later
                break


@rule(
    "KC307",
    "preprocessing-before-split",
    "A scaler fitted on data that is split into train and test afterwards",
    severity=Severity.WARNING,
)
def preprocessing_before_split(kfile: KerasFile) -> Iterator[Finding]:
    for fit, split in _leaks(kfile.data_steps):
        data = fit.data[0]
        yield Finding(
            f"`{fit.what}({data})` learns its statistics from all of `{data}`, which "
            f"`{split.what}` splits afterwards: the test data shapes the scaling the model "
            f"trains with, so the test score is optimistic",
            fit.loc,
            "split first, fit the preprocessor on the training part only "
            "(`scaler.fit_transform(X_train)`), then `scaler.transform(X_test)`",
            ((split.loc, f"the split, `{split.what}`"),),
        )
