"""KC3xx: how the model is trained and evaluated."""

from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Diagnostic
from ..ir import KerasFile
from . import rule

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TEST_WORDS = {"test", "testing", "xtest", "ytest", "testx", "testy"}


def is_test_name(identifier: str) -> bool:
    """`x_test`, `X_test_norm`, `test_ds`, `testX`, `xTest`; not `latest`."""
    return any(word.lower() in _TEST_WORDS for word in _WORDS.findall(identifier))


@rule("KC301", "test-set-validation", "Validation data is the test set")
def test_set_validation(kfile: KerasFile) -> Iterator[Diagnostic]:
    for model in kfile.models:
        for fit in model.calls_named("fit", "fit_generator"):
            validation = fit.args.get("validation_data")
            if validation is None:
                continue
            test_name = next((n for n in validation.names if is_test_name(n)), None)
            if test_name is None:
                continue
            x = fit.args.get("x")
            train = x.text if x is not None and x.text.isidentifier() else "x_train"
            yield Diagnostic(
                "KC301",
                f"`validation_data` uses the test set (`{test_name}`): tuning on it makes "
                f"the final test score optimistic",
                validation.loc,
                f"validate on data held out from training (`validation_split=0.2`, or split "
                f"`{train}` with `train_test_split`) and use `{test_name}` once, in "
                f"`evaluate()`",
            )
