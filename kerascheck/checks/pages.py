"""Rule pages (rules/KC101.md ...): found inside the installed package, and
parsed into their sections for `explain` and for the tests."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from kerascheck.checks import RULES

_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def find_rule(selector: str):
    """A rule by code (`KC101`, `kc101`) or by name (`relu-output`)."""
    wanted = selector.strip()
    if wanted.upper() in RULES:
        return RULES[wanted.upper()]
    for rule in RULES.values():
        if rule.name == wanted.lower():
            return rule
    return None


# In a checkout the pages sit beside the package, not inside it.
_CHECKOUT_PAGES = Path(__file__).resolve().parents[2] / "rules"


def page(code: str) -> str | None:
    try:
        return (resources.files("kerascheck.rules") / f"{code}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        pass
    try:
        return (_CHECKOUT_PAGES / f"{code}.md").read_text(encoding="utf-8")
    except OSError:
        return None


def sections(text: str) -> dict[str, str]:
    """`## Title` -> body, for every section of a page."""
    parts = _SECTION.split(text)
    return {title.strip(): body.strip() for title, body in zip(parts[1::2], parts[2::2])}


def code_block(section: str) -> str | None:
    match = _CODE_BLOCK.search(section)
    return match.group(1) if match else None


def example(code: str, title: str) -> str | None:
    """The python block of section `title` ("Example", "Use instead") of
    rule `code`'s page: what the page tests run and compare."""
    text = page(code)
    section = sections(text).get(title) if text else None
    return code_block(section) if section else None
