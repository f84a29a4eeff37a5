"""KC107: strings Keras does not know (it compiles them silently, fails later)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from kerascheck.catalog import names
from kerascheck.catalog.api import is_layer_path
from kerascheck.checks.diagnostic import Finding
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.model import Arg, KerasFile


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (`adma` -> `adam`)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb)))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def closest(word: str, catalog: Iterable[str]) -> str | None:
    """The catalog name nearest to a misspelling, if it is near enough."""
    lowered = word.lower()
    # Nearest first; among equals, the one written in the same case style.
    scored = sorted(
        (
            _distance(lowered, name.lower()),
            (name == name.lower()) != (word == lowered),
            -difflib.SequenceMatcher(None, lowered, name.lower()).ratio(),
            name,
        )
        for name in catalog
    )
    if scored and scored[0][0] <= max(2, len(word) // 3):
        return scored[0][-1]
    return None


def _unknown(
    arg: Arg, kind: str, catalog: Iterable[str], ignore_case: bool = False
) -> Finding | None:
    value = arg.value
    if not isinstance(value, str):
        return None
    catalog = sorted(catalog)
    if ignore_case:
        if value.lower() in {c.lower() for c in catalog}:
            return None
    elif value in catalog:
        return None
    close = closest(value, catalog)
    if close:
        help_ = f"did you mean `{close!r}`?"
    else:
        help_ = (
            f"use a {kind} name Keras knows; `kerascheck explain KC107` lists where to find them"
        )
    if kind == "activation":
        message = f"Unknown activation {value!r}: Keras raises when it builds the layer"
    elif kind == "optimizer":
        message = f"Unknown optimizer {value!r}: `compile()` raises `ValueError`"
    else:
        message = (
            f"Unknown {kind} {value!r}: `compile()` accepts it and training fails when it starts"
        )
    return Finding(message, arg.loc, help_)


def _flat(arg: Arg) -> Iterator[Arg]:
    """A list of names per output (`[[...], [...]]`) is checked name by name."""
    if arg.items:
        for item in arg.items:
            yield from _flat(item)
    else:
        yield arg


@rule(
    "KC107",
    "unknown-name",
    "Unknown loss, optimizer, activation or metric name",
    severity=Severity.ERROR,
)
def unknown_name(kfile: KerasFile) -> Iterator[Finding]:
    found = []
    for model in kfile.models:
        for call in model.calls_named("compile"):
            loss = call.args.get("loss")
            if loss is not None:
                found += [_unknown(a, "loss", names.LOSS_NAMES) for a in _flat(loss)]
            optimizer = call.args.get("optimizer")
            if optimizer is not None:
                found.append(_unknown(optimizer, "optimizer", names.OPTIMIZER_NAMES, True))
            metrics = call.args.get("metrics")
            if metrics is not None:
                found += [_unknown(a, "metric", names.METRIC_NAMES, True) for a in _flat(metrics)]
    for call in kfile.calls:
        if is_layer_path(call.path):
            activation = call.args.get("activation")
            if activation is not None:
                found.append(_unknown(activation, "activation", names.ACTIVATION_NAMES))
    seen = set()
    for diagnostic in found:
        if diagnostic is not None and diagnostic.loc not in seen:
            seen.add(diagnostic.loc)
            yield diagnostic
