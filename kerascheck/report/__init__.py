"""Reporters: located diagnostics -> text a user or a tool reads."""

from __future__ import annotations

PROJECT_URL = "https://github.com/kerascheck/kerascheck"


def rule_url(code: str) -> str:
    return f"{PROJECT_URL}/blob/main/rules/{code}.md"
