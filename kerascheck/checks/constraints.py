"""KC209: a constraint handed to a regularizer argument."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.catalog import api, training
from kerascheck.checks.diagnostic import Edit, Finding, Fix
from kerascheck.checks.registry import Severity, rule
from kerascheck.ir.model import KerasCall, KerasFile, Loc
from kerascheck.results import Applicability


def _constraint_calls(kfile: KerasFile) -> dict[Loc, KerasCall]:
    """Keras constraint calls (`max_norm(3)`), by the place a layer argument holds."""
    return {
        call.loc: call
        for call in kfile.calls
        if call.path.startswith("constraints.") and api.leaf(call.path) in training.CONSTRAINTS
    }


@rule(
    "KC209",
    "constraint-as-regularizer",
    "A constraint passed as a regularizer",
    fixes=(Applicability.SAFE,),
    severity=Severity.ERROR,
)
def constraint_as_regularizer(kfile: KerasFile) -> Iterator[Finding]:
    constraints = _constraint_calls(kfile)
    if not constraints:
        return
    for call in kfile.calls:
        if not api.is_layer_path(call.path):
            continue
        for arg in call.args.keywords:
            if arg.keyword not in training.REGULARIZER_KEYWORDS:
                continue
            constraint = constraints.get(arg.loc)
            if constraint is None:
                continue
            wanted = training.REGULARIZER_KEYWORDS[arg.keyword]
            fix = None
            if wanted is not None and call.args.get(wanted) is None:
                fix = Fix.safe(Edit.replace(arg.arg_loc or arg.loc, f"{wanted}={arg.text}"))
            name = api.leaf(constraint.path)
            clipped = "weights" if wanted else "outputs"
            yield Finding(
                f"`{arg.keyword}={arg.text}`: `{name}` is a constraint; as a regularizer Keras "
                f"adds the clipped {clipped} themselves to the loss and never constrains them",
                arg.arg_loc or arg.loc,
                f"pass it as `{wanted}={arg.text}`"
                if wanted
                else "pass it as a `*_constraint=` argument; activity has no constraint",
                fix=fix,
            )
