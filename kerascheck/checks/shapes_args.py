"""KC202, KC203, KC406: how a layer is told its input shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kerascheck.catalog import api
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.model import Arg, KerasCall, KerasFile, Layer, MethodCall, Model, ModelKind
from kerascheck.results import Applicability

# Keyword arguments that give a layer its input shape, and what `keras.Input`
# calls them.
_SHAPE_KEYWORDS = {
    "input_shape": "shape",
    "batch_input_shape": "batch_shape",
    "batch_shape": "batch_shape",
    "input_dim": "shape",
}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# `(X_train.shape[1])`: one dimension of an array's shape is an int, whatever X is.
_ONE_DIMENSION = re.compile(r"\(*\s*[A-Za-z_][\w.]*\.shape\s*\[\s*-?\d+\s*\]\s*\)*")


def _int_shape(arg: Arg) -> bool:
    return _is_int(arg.value) or bool(_ONE_DIMENSION.fullmatch(arg.text))


def _strip_parens(text: str) -> str:
    """`(10)` -> `10`, but `(a)+(b)` stays: only parentheses that enclose it all."""
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for index, char in enumerate(text):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and index < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


def _shape_args(call: KerasCall) -> Iterator[tuple[str, Arg]]:
    """(name shown to the user, argument) for every argument that is a shape."""
    leaf = api.leaf(call.path)
    if call.path in api.INPUT_PATHS or leaf == "InputLayer":
        first = "shape" if call.path in api.INPUT_PATHS else "input_shape"
        if call.args.positional:
            yield first, call.args.positional[0]
        for arg in call.args.keywords:
            if arg.keyword in ("shape", "batch_shape", "input_shape", "batch_input_shape"):
                yield arg.keyword, arg
    elif api.is_layer_path(call.path):
        for arg in call.args.keywords:
            if arg.keyword in ("input_shape", "batch_input_shape", "batch_shape"):
                yield arg.keyword, arg


@rule(
    "KC202",
    "input-shape-not-tuple",
    "A shape given as a bare int",
    fixes=(Applicability.SAFE,),
    severity=Severity.ERROR,
)
def input_shape_not_tuple(kfile: KerasFile) -> Iterator[Finding]:
    for call in kfile.calls:
        for name, arg in _shape_args(call):
            if not _int_shape(arg):
                continue
            inner = _strip_parens(arg.text)
            written = f"{name}={arg.text}" if arg.keyword else arg.text
            why = (
                "parentheses alone do not make a tuple"
                if arg.text.startswith("(")
                else "a shape is a tuple"
            )
            what = f"the int {arg.value}" if _is_int(arg.value) else "an int"
            # Keras quotes the int it received, which only the code's run knows.
            shown = arg.value if _is_int(arg.value) else "…"
            message = (
                f"`{written}` is {what}, not a shape ({why}): Keras raises "
                f"\"Cannot convert '{shown}' to a shape\""
            )
            prefix = f"{arg.keyword}=" if arg.keyword else ""
            if name.startswith("batch"):
                yield Finding(
                    message,
                    arg.arg_loc or arg.loc,
                    f"a batch shape starts with the batch size: write "
                    f"`{prefix}(None, {inner})` for any batch size",
                )
                continue
            yield Finding(
                message,
                arg.arg_loc or arg.loc,
                f"write `{prefix}({inner},)`: the trailing comma makes a one-element tuple",
                fix=Fix.safe(Edit.replace(arg.arg_loc or arg.loc, f"{prefix}({inner},)")),
            )


def _shape_keywords(layer: Layer) -> Iterator[Arg]:
    for arg in layer.args.keywords:
        if arg.keyword in _SHAPE_KEYWORDS and not (
            arg.keyword == "input_dim" and layer.kind == "Embedding"
        ):
            yield arg


@rule(
    "KC203",
    "input-shape-ignored",
    "input_shape on a layer that is not first",
    fixes=(Applicability.SAFE,),
    severity=Severity.WARNING,
)
def input_shape_ignored(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.kind != ModelKind.SEQUENTIAL:
            continue
        before = None  # the first element that certainly comes before
        for element in model.layers:
            if element.conditional:
                continue
            if (
                before is not None
                and isinstance(element, Layer)
                and element.kind not in ("Input", "InputLayer")
            ):
                for arg in _shape_keywords(element):
                    yield Finding(
                        f"`{arg.keyword}={arg.text}` on `{element.kind}`, which is not the "
                        f"first layer of `{model.name}`: Keras ignores it silently",
                        arg.arg_loc or arg.loc,
                        f"remove `{arg.keyword}={arg.text}`: `{model.name}` takes its shape "
                        f"from its first layer",
                        fix=Fix.safe(Edit.remove_argument(arg.arg_loc or arg.loc)),
                    )
            before = before or element


def _input_callee(kfile: KerasFile, layer_call: KerasCall) -> str | None:
    """How this file can spell `Input`: next to the layer (`layers.Input`), or
    a name imported from Keras (`from keras import Input`)."""
    if "." in layer_call.func_text and layer_call.path == f"layers.{api.leaf(layer_call.path)}":
        return layer_call.func_text.rsplit(".", 1)[0] + ".Input"
    for statement in kfile.imports:
        if (
            statement.top_level
            and statement.module is not None
            and api.keras_path(statement.module) in ("", "layers")
        ):
            for name in statement.names:
                if name.name == "Input":
                    return name.asname or "Input"
    return None


def _call_of(kfile: KerasFile, layer: Layer) -> KerasCall | None:
    return next((c for c in kfile.calls if c.loc == layer.loc), None)


def _add_call(model: Model, layer: Layer) -> MethodCall | None:
    """The `model.add(layer)` call, when the layer is added rather than listed."""
    return next(
        (
            c
            for c in model.calls_named("add")
            if c.args.positional and c.args.positional[0].loc == layer.loc
        ),
        None,
    )


def _insert_input(model: Model, first: Layer, spelled: str) -> Edit | None:
    """Put the Input before the first layer: in the list, or as an `add` of its own."""
    add = _add_call(model, first)
    if add is None:  # Sequential([Input(...), Dense(...)])
        return Edit.insert_line(first.loc, spelled + ",")
    if not add.receiver:
        return None
    return Edit.insert_statement(add.loc, f"{add.receiver}.add({spelled})")


@rule(
    "KC406",
    "input-shape-argument",
    "input_shape on a layer instead of keras.Input",
    default=False,
    fixes=(Applicability.UNSAFE,),
    keras3_only=True,
    severity=Severity.WARNING,
)
def input_shape_argument(kfile: KerasFile) -> Iterator[Finding]:
    for model in kfile.models:
        if model.kind != ModelKind.SEQUENTIAL or not model.layers:
            continue
        first = model.layers[0]
        if (
            not isinstance(first, Layer)
            or first.conditional
            or first.kind in ("Input", "InputLayer")
        ):
            continue
        for arg in _shape_keywords(first):
            keyword = _SHAPE_KEYWORDS[arg.keyword]
            shape = f"({_strip_parens(arg.text)},)" if _int_shape(arg) else arg.text
            call = _call_of(kfile, first)
            callee = _input_callee(kfile, call) if call else None
            spelled = f"{callee or 'keras.Input'}({keyword}={shape})"
            insert = _insert_input(model, first, spelled) if callee else None
            fix = (
                None
                if insert is None
                else Fix.unsafe(insert, Edit.remove_argument(arg.arg_loc or arg.loc))
            )
            # `batch_input_shape=` is no longer a layer argument at all (KC409 says so).
            what = (
                'Keras 3 rejects it ("Unrecognized keyword arguments")'
                if arg.keyword == "batch_input_shape"
                else "Keras 3 warns"
            )
            yield Finding(
                f"`{arg.keyword}=` on a layer: {what} and prefers an `Input` as the "
                f"first element of the model",
                arg.arg_loc or arg.loc,
                f"start `{model.name}` with `{spelled}` and remove `{arg.keyword}={arg.text}`",
                fix=fix,
            )
