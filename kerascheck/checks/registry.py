"""Rules as units: a Rule carries everything about itself (code, name,
summary, default, severity, which fixes it offers, whether it needs runtime
mode) and stamps its code on what its check finds."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kerascheck.checks.diagnostic import Applicability, Diagnostic, Finding
from kerascheck.ir.model import KerasFile

Check = Callable[[KerasFile], Iterable[Finding]]


class FixAvailability(enum.Enum):
    """Whether a rule's diagnostics come with a fix (ruff's FixAvailability)."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


class Severity(str, enum.Enum):
    ERROR = "error"  # the model is wrong, or Keras will raise
    WARNING = "warning"  # advice: the code runs and may be what was meant


class RuleContractError(Exception):
    """A rule reported a fix its declaration does not allow: a bug in the rule."""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    check: Check | None
    default: bool = True
    severity: Severity = Severity.ERROR
    fix: FixAvailability = FixAvailability.NONE
    applicabilities: frozenset[Applicability] = field(default_factory=frozenset)
    needs_runtime: bool = False
    # About an API Keras 3 changed: off for a project that targets Keras 2.
    keras3_only: bool = False

    @property
    def fix_label(self) -> str:
        """What `kerascheck rules` prints in its fix column."""
        if self.fix is FixAvailability.NONE:
            return "-"
        order = [a for a in Applicability if a in self.applicabilities]
        label = "/".join(a.value for a in order)
        return label if self.fix is FixAvailability.ALWAYS else f"{label} (sometimes)"

    def run(self, kfile: KerasFile) -> list[Diagnostic]:
        if self.check is None:
            return []
        return [self._stamp(finding) for finding in self.check(kfile)]

    def _stamp(self, finding: Finding) -> Diagnostic:
        fix = finding.fix
        if fix is not None and fix.applicability not in self.applicabilities:
            raise RuleContractError(
                f"{self.code} reported a {fix.applicability.value} fix; it declares "
                f"{sorted(a.value for a in self.applicabilities) or 'none'}"
            )
        if fix is None and self.fix is FixAvailability.ALWAYS:
            raise RuleContractError(f"{self.code} declares a fix always, reported none")
        return Diagnostic(
            self.code, finding.message, finding.loc, finding.help, finding.related, fix
        )


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    summary: str,
    *,
    default: bool = True,
    severity: Severity = Severity.ERROR,
    fixes: Iterable[Applicability] = (),
    fix: FixAvailability | None = None,
    needs_runtime: bool = False,
    keras3_only: bool = False,
) -> Callable[[Check], Check]:
    """Register the decorated check as rule `code`. `fixes`: the applicabilities
    its fixes may have; a rule with fixes offers them sometimes unless `fix`
    says always. `keras3_only`: the rule is about what Keras 3 changed, and
    `target-version = "keras2"` turns it off."""
    applicabilities = frozenset(fixes)
    if fix is None:
        fix = FixAvailability.SOMETIMES if applicabilities else FixAvailability.NONE
    if (fix is FixAvailability.NONE) != (not applicabilities):
        raise RuleContractError(
            f"{code}: fix availability {fix.value} with fixes "
            f"{sorted(a.value for a in applicabilities)}"
        )

    def register(check: Check) -> Check:
        if code in RULES:
            raise RuleContractError(f"{code} is registered twice")
        RULES[code] = Rule(
            code,
            name,
            summary,
            check,
            default,
            severity,
            fix,
            applicabilities,
            needs_runtime,
            keras3_only,
        )
        return check

    return register


RULES["KC001"] = Rule("KC001", "syntax-error", "The file cannot be parsed", None)
