"""The rule registry. A rule is a small function of the IR that yields
Diagnostics; adding one never touches the engine: decorate it with @rule and
import its module below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from kerascheck.checks.diagnostic import Diagnostic
from kerascheck.ir.model import KerasFile

Check = Callable[[KerasFile], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    check: Check | None
    default: bool = True
    fix: str | None = None  # "safe", "unsafe", or None when only suggested


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, *, default: bool = True,
         fix: str | None = None) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[code] = Rule(code, name, summary, check, default, fix)
        return check
    return register


RULES["KC001"] = Rule("KC001", "syntax-error", "The file cannot be parsed", None)

from kerascheck.checks import api, chain, inputs, names, output, runtime, shapes_args, training  # noqa: E402,F401  (registers the rules)
