"""The README's editor and notebook snippets start the command that exists."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from click.testing import CliRunner

from kerascheck.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)


def block(language: str, containing: str) -> str:
    [found] = [body for lang, body in BLOCKS if lang == language and containing in body]
    return found


def test_server_command_exists() -> None:
    result = CliRunner().invoke(main, ["server", "--help"])
    assert result.exit_code == 0 and "language server" in result.output


def test_vscode_settings() -> None:
    settings = json.loads(block("json", "glspc"))
    assert settings["glspc.server.command"] == "kerascheck"
    assert settings["glspc.server.commandArguments"] == ["server"]
    assert "source.fixAll.kerascheck" in settings["editor.codeActionsOnSave"]


def test_helix_and_neovim() -> None:
    helix = tomllib.loads(block("toml", "language-server.kerascheck"))
    assert helix["language-server"]["kerascheck"] == {"command": "kerascheck", "args": ["server"]}
    assert "kerascheck" in helix["language"][0]["language-servers"]
    assert 'cmd = { "kerascheck", "server" }' in block("lua", "vim.lsp.config")


def test_jupyterlab_spec() -> None:
    spec = json.loads(block("json", "LanguageServerManager"))
    server = spec["LanguageServerManager"]["language_servers"]["kerascheck"]
    assert server["argv"] == ["kerascheck", "server"] and server["languages"] == ["python"]


def test_magics_named_in_the_readme_run() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    try:
        assert shell.run_cell(block("python", "%load_ext")).success
        for line in block("python", "%kerascheck strict").splitlines():
            assert shell.run_cell(line.split("#")[0]).success, line
    finally:
        shell.run_cell("%unload_ext kerascheck")
        InteractiveShell.clear_instance()


def test_server_without_pygls_says_how_to_install_it() -> None:
    import subprocess

    code = (
        "import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
        "from kerascheck.cli import main; main(['server'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "kerascheck: error: kerascheck server needs pygls: pip install 'kerascheck[lsp]'\n"
    )
