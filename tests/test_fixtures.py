"""Every fixture states what it expects inline: `# expect: KC101` on the line
the diagnostic points at; every other line must stay silent. Rules that are off
by default run only in fixtures that ask for them with `# opt-in: KC406`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerascheck.checks import RULES
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
OPT_IN = re.compile(r"#\s*opt-in:\s*([A-Z0-9, ]+)")


def settings_for(text: str) -> Settings:
    wanted = {code.strip() for match in OPT_IN.finditer(text) for code in match.group(1).split(",")}
    off = tuple(code for code, r in RULES.items() if not r.default and code not in wanted)
    return Settings(select=("ALL",), ignore=off)


def expected(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found += [(number, code.strip()) for code in match.group(1).split(",") if code.strip()]
    return sorted(found)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = lint_text(text, str(path), settings_for(text))
    got = sorted((d.span.line, d.code) for d in result.diagnostics)
    assert got == expected(text)
