"""Every rule has a page, and every page's examples do what the page says:
the Example triggers exactly that rule, the Use-instead code triggers nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerascheck.checks import RULES, pages
from kerascheck.checks.pages import page, sections
from kerascheck.checks.registry import FixAvailability
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text

ROOT = Path(__file__).parent.parent
STATIC_RULES = sorted(code for code in RULES if not RULES[code].needs_runtime)
REQUIRED = ("What it does", "Why is this bad?", "Example", "Use instead")


def codes_in(code: str, rule_code: str) -> list[str]:
    # Every rule on, except the opt-in ones other than the page's own rule.
    ignore = tuple(c for c, r in RULES.items() if not r.default and c != rule_code)
    result = lint_text(code, f"{rule_code}.py", Settings(select=("ALL",), ignore=ignore))
    assert result.error is None
    return sorted({d.code for d in result.diagnostics})


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_page_with_the_sections(code: str) -> None:
    text = page(code)
    assert text is not None, f"rules/{code}.md is missing"
    assert text.startswith(f"# {code}: {RULES[code].name}\n")
    found = sections(text)
    for title in REQUIRED + (
        ("Fix safety",) if RULES[code].fix is not FixAvailability.NONE else ()
    ):
        assert found.get(title), f"{code}: section '{title}' missing or empty"


@pytest.mark.parametrize("code", STATIC_RULES)
def test_example_triggers_exactly_its_rule(code: str) -> None:
    example = pages.example(code, "Example")
    assert example, f"{code}: no python block in Example"
    assert codes_in(example, code) == [code]


@pytest.mark.parametrize("code", STATIC_RULES)
def test_use_instead_triggers_nothing(code: str) -> None:
    fixed = pages.example(code, "Use instead")
    assert fixed, f"{code}: no python block in Use instead"
    assert codes_in(fixed, code) == []


def test_rules_and_explain_work_from_an_installed_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "wheel"),
            str(ROOT),
        ],
        check=True,
    )
    [wheel] = (tmp_path / "wheel").glob("kerascheck-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(tmp_path / "site"),
            str(wheel),
        ],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}

    def kerascheck(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kerascheck", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import kerascheck; print(kerascheck.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(tmp_path / "site"))
    listed = kerascheck("rules")
    assert listed.returncode == 0
    assert "KC101  relu-output" in listed.stdout
    explained = kerascheck("explain", "relu-output")
    assert explained.returncode == 0
    assert explained.stdout == (ROOT / "rules" / "KC101.md").read_text(encoding="utf-8")


def test_explain_unknown_rule_is_one_line_and_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kerascheck", "explain", "KC999"], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "kerascheck: error: unknown rule 'KC999' (see `kerascheck rules`)\n"
