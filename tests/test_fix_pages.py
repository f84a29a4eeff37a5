"""The rule pages promise what `--fix` does: for every rule with a fix, the
page's Example triggers exactly that rule, its Use-instead code triggers
nothing, and fixing the Example gives the Use-instead code, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck.checks import RULES
from kerascheck.checks.pages import example
from kerascheck.checks.registry import FixAvailability
from kerascheck.project.settings import Settings
from kerascheck.results import Applicability
from kerascheck.run.engine import lint_text
from kerascheck.run.fixing import fix_text

PAGES = Path(__file__).parent.parent / "rules"
ALL = Settings(select=("ALL",))
FIXABLE = sorted(code for code, rule in RULES.items() if rule.fix is not FixAvailability.NONE)
# Pages are written by whoever owns the rule; the other page tests require them all.
WITH_PAGES = [code for code in FIXABLE if (PAGES / f"{code}.md").exists()]


def test_every_keras3_api_rule_has_a_page() -> None:
    assert {"KC202", "KC203", "KC401", "KC402", "KC403", "KC404", "KC405", "KC406", "KC407"} <= set(
        WITH_PAGES
    )


def section(code: str, title: str) -> str:
    found = example(code, title)
    assert found, f"no {title!r} code block"
    return found


@pytest.mark.parametrize("code", WITH_PAGES)
def test_page_promises_what_the_fix_does(code: str) -> None:
    page = (PAGES / f"{code}.md").read_text(encoding="utf-8")
    assert page.startswith(f"# {code}: {RULES[code].name}\n")
    assert "## Fix safety\n" in page
    example, use_instead = section(code, "Example"), section(code, "Use instead")
    assert {d.code for d in lint_text(example, "example.py", ALL).diagnostics} == {code}
    assert lint_text(use_instead, "use_instead.py", ALL).diagnostics == []
    # A rule with safe and unsafe fixes says in its page which one the example shows.
    shown = page.split("## Fix safety\n", 1)[1].lstrip()
    unsafe = Applicability.SAFE not in RULES[code].applicabilities or shown.startswith("Unsafe")
    result = fix_text(example, "example.py", ALL, unsafe=unsafe)
    assert result.error is None
    assert result.text == use_instead
