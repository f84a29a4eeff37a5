"""KC403: Model methods Keras 3 removed."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api, migration
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.facts import output_of
from kerascheck.ir.model import KerasFile, MethodCall, Model
from kerascheck.results import Applicability

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
    keras3_only=True,
)
def removed_model_method(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        # tf_keras (Keras 2) still has the *_generator methods.
        methods = (
            ("predict_proba", "predict_classes")
            if model.keras2
            else (*_METHOD_RENAMES, "predict_classes", *migration.REMOVED_MODEL_METHODS)
        )
        for call in model.calls_named(*methods):
            if not model.runs_keras_method(call.method):  # a subclass's own method
                continue
            message = (
                f"`{model.name}.{call.method}()` was removed: Keras 3 models have no "
                f"attribute `{call.method}`"
            )
            if call.method == "predict_classes":
                yield Finding(message, call.attr_loc, _predict_classes_help(model, call))
                continue
            if call.method in migration.REMOVED_MODEL_METHODS:
                yield Finding(message, call.attr_loc, migration.REMOVED_MODEL_METHODS[call.method])
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
