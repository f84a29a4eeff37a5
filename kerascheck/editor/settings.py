"""Which settings lint a document: the nearest pyproject.toml with a
[tool.kerascheck] table, with the editor's `select`/`ignore` laid over it (as
ruff's server lays its editor settings over the project's).

The config is looked up once per directory and re-read when its modification
time changes; `forget()` drops everything (a pyproject.toml was created or
deleted: the nearest one may be another file now).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from kerascheck.project.config import find_config, load
from kerascheck.project.settings import Settings, SettingsError, match


@dataclass(frozen=True)
class EditorSettings:
    """What the editor says, in its own settings (initializationOptions or
    workspace/didChangeConfiguration): selectors as on the command line."""

    select: tuple[str, ...] | None = None  # a fresh selection, as `--select`
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    @classmethod
    def from_client(cls, value: Any) -> EditorSettings:
        """From the JSON the client sent: {"select": [...], "ignore": [...],
        "extendSelect": [...]}, possibly under a "kerascheck" key; anything
        malformed or unknown is left out rather than refused."""
        if isinstance(value, dict) and isinstance(value.get("kerascheck"), dict):
            value = value["kerascheck"]
        if not isinstance(value, dict):
            return cls()

        def selectors(*keys: str) -> tuple[str, ...] | None:
            for key in keys:
                items = value.get(key)
                if isinstance(items, str):
                    items = items.split(",")
                if isinstance(items, list):
                    return tuple(s.strip() for s in items if isinstance(s, str) and _known(s))
            return None

        return cls(
            select=selectors("select"),
            ignore=selectors("ignore") or (),
            extend_select=selectors("extendSelect", "extend-select", "extend_select") or (),
        )


def _known(selector: str) -> bool:
    try:
        match(selector)
    except SettingsError:
        return False
    return True


def overlay(base: Settings, editor: EditorSettings) -> Settings:
    """The project's settings with the editor's laid over (config.resolve's rule)."""
    if editor.select is not None:
        return replace(
            base, select=editor.select, ignore=editor.ignore, extend_select=editor.extend_select
        )
    return replace(
        base,
        ignore=base.ignore + editor.ignore,
        extend_select=base.extend_select + editor.extend_select,
    )


@dataclass
class ProjectSettings:
    """Settings per document path, cached; errors are kept to be shown once."""

    editor: EditorSettings = field(default_factory=EditorSettings)
    _configs: dict[str, str | None] = field(default_factory=dict)  # directory -> config
    _loaded: dict[str, tuple[float, Settings]] = field(default_factory=dict)  # config -> mtime
    errors: list[str] = field(default_factory=list)  # config problems not yet reported

    def forget(self) -> None:
        self._configs.clear()
        self._loaded.clear()

    def for_path(self, path: str | None) -> Settings:
        """Settings for a document at `path` (None: an unsaved document, which
        takes the current directory's project)."""
        directory = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
        if directory not in self._configs:
            self._configs[directory] = find_config(directory)
        config = self._configs[directory]
        base = Settings(root=directory)
        if config is not None:
            base = self._load(config) or base
        return overlay(base, self.editor)

    def _load(self, config: str) -> Settings | None:
        try:
            mtime = os.stat(config).st_mtime
        except OSError:
            self.forget()  # the file went away: look again next time
            return None
        cached = self._loaded.get(config)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            settings = load(config)
        except SettingsError as error:
            self.errors.append(str(error))
            settings = Settings(root=os.path.dirname(config))
        self._loaded[config] = (mtime, settings)
        return settings
