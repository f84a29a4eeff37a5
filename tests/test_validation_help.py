"""KC301's help holds out validation data the way `fit` can take it: arrays
split with `validation_split`, a dataset (no `y`), which refuses it, with
`take`/`skip` (checked in test_keras_facts_accuracy)."""

from __future__ import annotations

import pytest

from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_file

HEAD = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
HEAD += 'model.compile(optimizer="adam", loss="mse")\n'


@pytest.mark.parametrize(
    "fit, held_out",
    [
        (
            "model.fit(x_train, y_train, validation_data=(x_test, y_test))",
            "`validation_split=0.2`, or split `x_train` with `train_test_split`",
        ),
        (
            "model.fit(train_ds, validation_data=test_ds, epochs=3)",
            "split the training data with `.take(n)` / `.skip(n)` before batching it",
        ),
        ("model.fit(*data, validation_data=test_ds)", "a split of the training data"),
    ],
)
def test_the_help_holds_out_data_the_way_fit_takes_it(fit: str, held_out: str) -> None:
    code = (HEAD + fit + "\n").encode()
    [found] = lint_file("m.py", Settings(select=("KC301",)), code).diagnostics
    test = "x_test" if "x_test" in fit else "test_ds"
    assert found.help == (
        f"validate on data held out from training ({held_out}) and use `{test}` once, "
        f"in `evaluate()`"
    )


HISTORY = """\
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, FIT)
print(history.history[KEY])
"""


@pytest.mark.parametrize(
    "fit, key, found",
    [
        # a split of zero validates on nothing: no `val_*` at all, so not KC308's
        # "it logs `val_accuracy`", whose fix would still raise KeyError
        ("validation_split=0.0", "val_acc", ("KC303", "")),
        ("validation_data=None", "val_loss", ("KC303", ", or read `loss`")),
        # `acc` is not what this compile logs: no "or read `acc`"
        ("epochs=2", "val_acc", ("KC303", "")),
        ("epochs=2", "val_accuracy", ("KC303", ", or read `accuracy`")),
        ("validation_split=0.2", "val_acc", ("KC308", "read `val_accuracy`")),
    ],
)
def test_val_reads_are_kc303s_without_validation_and_kc308s_with_it(
    fit: str, key: str, found: tuple
) -> None:
    code = HISTORY.replace("FIT", fit).replace("KEY", repr(key)).encode()
    settings = Settings(select=("KC303", "KC308"))
    [diagnostic] = lint_file("h.py", settings, code).diagnostics
    code_, tail = found
    assert diagnostic.code == code_
    if code_ == "KC303":
        assert diagnostic.help == (
            "pass `validation_data=` or `validation_split=0.2` to `fit()`" + tail
        )
    else:
        assert diagnostic.help == tail
