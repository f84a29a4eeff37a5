"""KC408: save and load paths Keras 3 rejects.

Keras 3 writes two formats, told apart by the file name alone: a `.keras` model
(or a legacy `.h5`) and `.weights.h5` weights. Keras 2's SavedModel directories
and `.h5` weight files raise. Only a path whose ending is certain is judged: a
literal, or an f-string whose literal tail decides the ending.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kerascheck.catalog import migration
from kerascheck.catalog.migration import SaveTarget
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import Arg, CallArgs, KerasFile, Loc, ModelKind
from kerascheck.results import Applicability

# Models whose `save` is Keras's; a user's subclass is, unless it defines its own.
_KERAS_BUILT = (ModelKind.SEQUENTIAL, ModelKind.FUNCTIONAL, ModelKind.EXTERNAL, ModelKind.SUBCLASS)
_FSTRING = re.compile(r"(?is)^(?=[rb]*f)[rfb]{1,2}(\"|')(.*)\1$")
# Legacy HDF5 weight files: renaming them to `.weights.h5` keeps the format.
_H5_ENDINGS = (".hdf5", ".h5")

_HELP = {
    SaveTarget.MODEL: "end the path in `.keras` (the Keras 3 format); to export a SavedModel "
    "for TF Serving or TFLite, use `model.export(path)`",
    SaveTarget.WEIGHTS: "end the path in `.weights.h5`",
    SaveTarget.CHECKPOINT: "end the path in `.keras` (or `.h5` for the legacy HDF5 format)",
    SaveTarget.LOAD: "Keras 3 loads `.keras` and `.h5` files only; reload a SavedModel for "
    'inference with `keras.layers.TFSMLayer(path, call_endpoint="serving_default")`',
}


def _ending(arg: Arg) -> tuple[str, bool] | None:
    """The known end of a path and whether it is the whole path; None if unknown."""
    if isinstance(arg.value, str):
        return arg.value, True
    match = _FSTRING.match(arg.text)
    if match is None or "{{" in match.group(2) or "}}" in match.group(2):
        return None
    body = match.group(2)
    return body[body.rfind("}") + 1 :], "{" not in body


def rejected(arg: Arg, target: SaveTarget) -> bool:
    """True only when the path certainly ends in none of the target's endings."""
    found = _ending(arg)
    if found is None:
        return False
    tail, whole = found
    for ending in target.endings:
        if tail.endswith(ending):
            return False
        # `f"{name}.h5"` may still be `x.weights.h5`: the unknown part decides.
        if not whole and ending.endswith(tail):
            return False
    return True


def _path(args: CallArgs, index: int) -> Arg | None:
    if args.has_star:
        return None
    found = args.get("filepath")
    if found is None and len(args.positional) > index:
        found = args.positional[index]
    return found


def _weights_rename(arg: Arg, loads: list[Arg]) -> Fix | None:
    """`"m.h5"` -> `"m.weights.h5"`, here and where the same path is loaded."""
    text = arg.text
    quote = text[-1:]
    for old in _H5_ENDINGS:
        if text[:1] in "'\"fF" and text.endswith(old + quote):
            new = text[: -len(old + quote)] + ".weights.h5" + quote
            edits = [Edit.replace(a.loc, new) for a in (arg, *loads) if a.text == text]
            return Fix.safe(*edits)
    return None


def _finding(what: str, arg: Arg, keras_says: str, target: SaveTarget, fix: Fix | None = None):
    return Finding(f'{what}: Keras 3 raises "{keras_says}"', arg.loc, _HELP[target], fix=fix)


@rule(
    "KC408",
    "save-format",
    "A save or load path Keras 3 rejects",
    fixes=(Applicability.SAFE,),
    keras3_only=True,
)
def save_format(kfile: KerasFile) -> Iterator[Finding]:
    models = [m for m in kfile.models if not m.keras2 and m.kind in _KERAS_BUILT]
    loads = [
        path
        for model in models
        for call in model.calls_named("load_weights")
        if model.runs_keras_method(call.method) and (path := _path(call.args, 0)) is not None
    ]
    for model in models:
        for call in model.calls_named(*migration.SAVE_METHODS):
            if not model.runs_keras_method(call.method):
                continue
            target = migration.SAVE_METHODS[call.method]
            path = _path(call.args, 0)
            if path is None or not rejected(path, target):
                yield from _save_format_argument(call.method, call.args)
                continue
            # `save("dir", save_format="tf")`: one diagnostic, at the path.
            what = f"`{model.name}.{call.method}({path.text})`"
            if target is SaveTarget.WEIGHTS:
                yield _finding(
                    what,
                    path,
                    "The filename must end in `.weights.h5`",
                    target,
                    _weights_rename(path, loads),
                )
            else:
                yield _finding(what, path, _save_error(call.args), target)
    for call in kfile.calls:
        if migration.is_keras2(call.qualname):
            continue
        if call.path == migration.CHECKPOINT_PATH:
            yield from _checkpoint(call.args, loads)
        elif call.path in migration.SAVE_FUNCTIONS:
            target, index = migration.SAVE_FUNCTIONS[call.path]
            path = _path(call.args, index)
            if path is None or not rejected(path, target):
                if target is SaveTarget.MODEL:
                    yield from _save_format_argument("save_model", call.args)
                continue
            what = f"`{call.func_text}({path.text})`"
            if target is SaveTarget.LOAD:
                yield _finding(what, path, "File format not supported", target)
            else:
                yield _finding(what, path, _save_error(call.args), target)


def _save_error(args: CallArgs) -> str:
    """What Keras 3 says about a model path without `.keras`/`.h5`."""
    if args.get("save_format") is not None:  # checked before the path
        return "The `save_format` argument is deprecated in Keras 3"
    return "Invalid filepath extension for saving"


def _checkpoint(args: CallArgs, loads: list[Arg]) -> Iterator[Finding]:
    path = _path(args, 0)
    weights_only = args.value("save_weights_only", False)
    if path is None or weights_only not in (True, False):
        return
    target = SaveTarget.WEIGHTS if weights_only else SaveTarget.CHECKPOINT
    if not rejected(path, target):
        return
    what = f"`ModelCheckpoint({path.text})`"
    if weights_only:
        yield _finding(
            what + " with `save_weights_only=True`",
            path,
            "the filepath provided must end in `.weights.h5`",
            target,
            _weights_rename(path, loads),
        )
    else:
        yield _finding(what, path, "The filepath provided must end in `.keras`", target)


def _save_format_argument(method: str, args: CallArgs) -> Iterator[Finding]:
    """`save_format=` is gone: `save_weights` refuses it; `save` ignores it beside
    a `.keras`/`.h5` path, so `save_format="tf"` silently writes another format."""
    arg = args.get("save_format")
    if arg is None:
        return
    loc: Loc = arg.arg_loc or arg.loc
    if method == "save_weights":
        yield Finding(
            f'`save_weights(save_format={arg.text})`: Keras 3 raises "unexpected keyword '
            f"argument 'save_format'\"",
            loc,
            "remove it: a `.weights.h5` path is the only weights format",
        )
    elif isinstance(arg.value, str) and arg.value.lower() in migration.SAVEDMODEL_FORMATS:
        yield Finding(
            f"`{method}(save_format={arg.text})`: Keras 3 writes no SavedModel here; it ignores "
            f"`save_format` beside a `.keras`/`.h5` path and raises without one",
            loc,
            "use `model.export(path)` to write a SavedModel, or save to a `.keras` file",
        )
