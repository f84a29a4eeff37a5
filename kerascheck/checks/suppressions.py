"""KC801: a `# noqa: KCnnn` that silences nothing (ruff's RUF100).

Unlike the other rules it reads no model: whether a comment was used is only
known once every other rule has reported, so the engine finds these while it
places diagnostics (run/unused_noqa.py); this module declares the rule."""

from __future__ import annotations

from kerascheck.checks.registry import RULES, FixAvailability, Rule, Severity
from kerascheck.results import Applicability

UNUSED_NOQA = "KC801"

RULES[UNUSED_NOQA] = Rule(
    UNUSED_NOQA,
    "unused-noqa",
    "A noqa comment names a kerascheck rule that reports nothing there",
    None,
    default=False,
    severity=Severity.WARNING,
    fix=FixAvailability.ALWAYS,
    applicabilities=frozenset({Applicability.SAFE}),
)
