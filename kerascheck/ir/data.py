"""Data preparation steps around the model: where a scaler is fitted and where
data is split. Read by KC307 (preprocessing fitted before the split)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kerascheck.ir.model import Loc


class StepKind(enum.Enum):
    FIT = "fit"  # a scaler, imputer or PCA learns statistics of the data
    SPLIT = "split"  # train_test_split, or a K-fold `.split()`
    # A name bound anew from other data (`X = mnist["data"]`): the data a scaler
    # was fitted on before is not the data split after it.
    BIND = "bind"


@dataclass(frozen=True)
class DataStep:
    kind: StepKind
    what: str  # `StandardScaler.fit_transform`, `train_test_split`, `KFold.split`
    # The variables the data comes from: `X` for `X`, `df[cols]` or `X.values`
    # (for BIND: every name the new value reads).
    data: tuple[str, ...]
    # Variables the step's result is bound to (`X = scaler.fit_transform(X)`).
    bound: tuple[str, ...]
    scope: int  # steps compare only within one function (or the module)
    order: int  # source order within the file
    loc: Loc
