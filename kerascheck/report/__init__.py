"""Reporters: located diagnostics -> text a user or a tool reads."""

from __future__ import annotations

PROJECT_URL = "https://github.com/kerascheck/kerascheck"


def rule_url(code: str) -> str:
    return f"{PROJECT_URL}/blob/main/rules/{code}.md"


def level(code: str) -> str:
    """`error` or `warning`: the rule's severity, as SARIF and GitHub spell it."""
    from kerascheck.checks import RULES  # the catalog of rules, loaded on first report

    rule = RULES.get(code)
    return rule.severity.value if rule is not None else "error"
