"""The rules. Each module of this package holds a family of rules, each one a
check decorated with `@rule` (see registry.py); importing the package imports
every module, so adding a rule never touches the engine or a list."""

from __future__ import annotations

import importlib
import pkgutil

from kerascheck.checks.registry import RULES, Rule

# Modules of the package that are machinery, not rule families.
_MACHINERY = {"diagnostic", "registry", "pages"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _MACHINERY:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["RULES", "Rule"]
