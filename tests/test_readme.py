"""The README's snippets are what users paste: they must work as written."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kerascheck.project.config import load

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)


def blocks(language: str, containing: str) -> list[str]:
    found = [body for lang, body in BLOCKS if lang == language and containing in body]
    assert found, f"no {language} block with {containing!r} in the README"
    return found


def test_config_snippet_loads(tmp_path: Path) -> None:
    [snippet] = blocks("toml", "[tool.kerascheck]")
    (tmp_path / "pyproject.toml").write_text(snippet)
    settings = load(str(tmp_path / "pyproject.toml"))
    assert settings.select == ("ALL",) and settings.ignore == ("KC201",)
    assert dict(settings.per_file_ignores)["examples/*"] == ("KC1",)


def test_ruff_snippet_keeps_our_codes() -> None:
    [snippet] = blocks("toml", "[tool.ruff.lint]")
    assert tomllib.loads(snippet) == {"tool": {"ruff": {"lint": {"external": ["KC"]}}}}


def test_pre_commit_snippets_name_our_hooks(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hook_ids = {
        hook["id"] for hook in clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    }
    snippets = blocks("yaml", "repos:")
    assert len(snippets) == 2
    for number, snippet in enumerate(snippets):
        path = tmp_path / f"config{number}.yaml"
        path.write_text(snippet)
        config = clientlib.load_config(str(path))  # pre-commit's own validation
        [repo] = config["repos"]
        assert {hook["id"] for hook in repo["hooks"]} <= hook_ids
    runtime_hook = clientlib.load_config(str(tmp_path / "config1.yaml"))["repos"][0]["hooks"][0]
    assert runtime_hook["additional_dependencies"] == ["tensorflow-cpu"]


def test_github_actions_snippet_uses_our_formats() -> None:
    [workflow] = blocks("yaml", "upload-sarif")
    assert "kerascheck check --output-format github" in workflow
    assert "kerascheck check --output-format sarif > kerascheck.sarif" in workflow
    yaml = pytest.importorskip("yaml")
    steps = yaml.safe_load(workflow)["jobs"]["kerascheck"]["steps"]
    assert steps[-1]["with"]["sarif_file"] == "kerascheck.sarif"


def keras2_script() -> tuple[str, str]:
    """The README's before/after of `kerascheck check --fix` on a Keras 2 script."""
    before, after = blocks("python", "np_utils")
    return before, after


def test_fix_turns_the_keras2_script_into_the_readme_after() -> None:
    from kerascheck.project.settings import Settings
    from kerascheck.run.engine import lint_text
    from kerascheck.run.fixing import fix_text

    before, after = keras2_script()
    fixed = fix_text(before, "train.py", Settings())
    assert fixed.error is None
    assert fixed.text == after
    # What is left is the advice the README names.
    assert [d.code for d in lint_text(after, "train.py", Settings()).diagnostics] == ["KC201"]
