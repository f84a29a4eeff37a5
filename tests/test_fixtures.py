"""Every fixture states what it expects inline: `# expect: KC101` on the line
the diagnostic points at; every other line must stay silent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerascheck.engine import lint_text
from kerascheck.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


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
    result = lint_text(text, str(path), Settings(select=("ALL",)))
    got = sorted((d.span.line, d.code) for d in result.diagnostics)
    assert got == expected(text)
