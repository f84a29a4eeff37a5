"""KC405: import paths Keras 3 removed.

Checked against Keras 3.15.1: `tf.keras.preprocessing` keeps `text` and
`ImageDataGenerator`, standalone `keras.preprocessing` does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import migration
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import rule
from kerascheck.ir.model import KerasCall, KerasFile
from kerascheck.results import Applicability

# Modules Keras 3 removed whose contents moved, 1:1, to another module:
# old path -> (new path, safe). The legacy optimizers are not the same classes.
_MOVED_MODULES = {
    **{
        f"layers.{old}": ("layers", True)
        for old in (
            "core",
            "convolutional",
            "recurrent",
            "pooling",
            "normalization",
            "embeddings",
            "merge",
            "advanced_activations",
            "wrappers",
            "noise",
            "convolutional_recurrent",
        )
    },
    "layers.experimental.preprocessing": ("layers", True),
    "utils.np_utils": ("utils", True),
    "utils.vis_utils": ("utils", True),
    "optimizers.experimental": ("optimizers", True),
    "optimizers.legacy": ("optimizers", False),
}
# `tf.compat.v1.keras` is the same Keras 3 as `tf.keras` in TF 2.16+ (checked: its
# Dense is keras.src's), with `tf.keras`'s legacy modules.
_TF_KERAS_ROOTS = ("tensorflow.keras", "tensorflow.compat.v1.keras", "tensorflow.compat.v2.keras")
_KERAS3_ROOTS = ("keras", "keras_core", *_TF_KERAS_ROOTS)


def _root_and_path(qualname: str) -> tuple[str, str] | None:
    for root in _KERAS3_ROOTS:
        if qualname.startswith(root + "."):
            return root, qualname[len(root) + 1 :]
    return None


def _removed(qualname: str) -> tuple[str, str] | None:
    """(the removed path, help) for the longest removed prefix of a qualified name."""
    found = _root_and_path(qualname)
    if found is None:
        return None
    root, path = found
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in _MOVED_MODULES:
            new = _MOVED_MODULES[prefix][0]
            return prefix, f"`{root}.{prefix}` moved to `{root}.{new}`"
        if prefix in migration.REMOVED_NAMES:
            return prefix, migration.REMOVED_NAMES[prefix]
        if prefix in migration.REMOVED_STANDALONE_NAMES and root not in _TF_KERAS_ROOTS:
            return prefix, migration.REMOVED_STANDALONE_NAMES[prefix]
    return None


def _message(root_path: str) -> str:
    return f"`{root_path}` does not exist in Keras 3"


@rule(
    "KC405",
    "removed-import-path",
    "An import path Keras 3 removed",
    fixes=(Applicability.SAFE, Applicability.UNSAFE),
    keras3_only=True,
)
def removed_import_path(kfile: KerasFile) -> Iterator[Finding]:
    for statement in kfile.imports:
        if statement.module is None:  # import keras.layers.core
            for name in statement.names:
                found = _removed(name.name)
                if found:
                    yield Finding(_message(name.name), name.loc, found[1])
            continue
        module = statement.module
        found = _removed(module)
        # `from ...layers.experimental import preprocessing`: the name says more
        # (a module that moved) than the module (a package that is gone).
        if found is not None and not any(
            (_removed(f"{module}.{name.name}") or found)[0] != found[0] for name in statement.names
        ):  # from keras.layers.core import Dense
            yield _moved_module_diagnostic(module, found, statement.module_loc)
            continue
        for name in statement.names:  # from keras.utils import np_utils
            qualname = f"{module}.{name.name}"
            found = _removed(qualname)
            if found is None:
                continue
            fix, help_ = None, found[1]
            moved = _MOVED_MODULES.get(found[0])
            # `from keras.utils import np_utils` imports a module; `from keras.layers
            # import merge` may be Keras 1's merge() function: no fix for layers.*.
            if (
                moved
                and found[0] == _root_and_path(qualname)[1]
                and len(statement.names) == 1
                and (not found[0].startswith("layers.") or found[0].endswith(".preprocessing"))
            ):
                root = _root_and_path(qualname)[0]
                parent, _, leaf = f"{root}.{moved[0]}".rpartition(".")
                local = name.asname or name.name
                new = f"from {parent} import {leaf}" + (f" as {local}" if local != leaf else "")
                help_ = f"write `{new}`"
                fix = _moved_fix(Edit.replace(statement.loc, new), moved)
            yield Finding(_message(qualname), name.loc, help_, fix=fix)
    # Names imported one by one: a bare name that is none of them came from a star import.
    local_names = {n.asname or n.name for s in kfile.imports for n in s.names}
    for call in kfile.calls:  # keras.utils.np_utils.to_categorical(y)
        found = _removed(call.qualname)
        if found is None or not (_spells_path(call) or _star_imported(call, local_names)):
            continue
        yield _moved_module_diagnostic(call.qualname, found, call.func_loc, call.func_text)


def _spells_path(call: KerasCall) -> bool:
    """The callee is written out to the removed part (`layers.experimental.preprocessing.X`),
    not reached through an imported name the import diagnostic already covers."""
    return call.func_text == call.path or call.func_text.endswith("." + call.path)


def _star_imported(call: KerasCall, local_names: set[str]) -> bool:
    """`from keras.layers import *` then `CuDNNGRU(...)`: still a removed name,
    and no import statement names it for the import diagnostic."""
    return call.func_text == call.path.rsplit(".", 1)[-1] and call.func_text not in local_names


def _moved_fix(edit: Edit, moved: tuple[str, bool]) -> Fix:
    """A moved module's rewrite is safe where the new module is a 1:1 replacement."""
    return Fix.safe(edit) if moved[1] else Fix.unsafe(edit)


def _moved_module_diagnostic(
    qualname: str, found: tuple[str, str], loc, written: str | None = None
) -> Finding:
    removed, help_ = found
    root, path = _root_and_path(qualname)
    moved = _MOVED_MODULES.get(removed)
    fix = None
    if moved is not None:
        new_path = moved[0] + path[len(removed) :]
        new = (written or qualname)[: len(written or qualname) - len(path)] + new_path
        help_ = f"write `{new}`" if written else f"import from `{new}` instead"
        fix = _moved_fix(Edit.replace(loc, new), moved)
    return Finding(_message(f"{root}.{removed}"), loc, help_, fix=fix)
