"""[tool.kerascheck] in the nearest pyproject.toml -> Settings.

The nearest pyproject.toml is the first one with a [tool.kerascheck] table in
the directory of the linted paths or above it (like ruff, a pyproject.toml
without our table is passed over). Paths in the config are relative to the
directory it lives in. Command-line options are laid over it: `--select`
starts the rule selection afresh, `--ignore` and `--extend-select` add to it.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import replace

from kerascheck.project.settings import Settings, SettingsError, TargetVersion, match

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SELECTOR_LISTS = ("select", "ignore", "extend-select")
PATH_LISTS = ("exclude", "extend-exclude")
FLAGS = ("runtime", "force-exclude", "respect-gitignore")
KEYS = (*SELECTOR_LISTS, "per-file-ignores", *PATH_LISTS, *FLAGS, "target-version")


def find_config(start: str) -> str | None:
    """The nearest pyproject.toml at or above `start` that configures kerascheck."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _mentions_us(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _mentions_us(path: str) -> bool:
    try:
        table = _read(path).get("tool", {})
    except SettingsError:
        return True  # broken, but maybe ours: say so rather than skip it
    return isinstance(table, dict) and "kerascheck" in table


def _read(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot read: {error.strerror or error}") from None


def load(path: str) -> Settings:
    """Settings from one pyproject.toml; a bad key or value is a SettingsError."""
    table = _read(path).get("tool", {}).get("kerascheck", {})
    where = f"{path}: [tool.kerascheck]"
    if not isinstance(table, dict):
        raise SettingsError(f"{where} must be a table")
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = (
                f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            )
            raise SettingsError(f"{path}: unknown key {key!r} in [tool.kerascheck]{hint}")

    values: dict = {"root": os.path.dirname(os.path.abspath(path))}
    for key in SELECTOR_LISTS:
        if key in table:
            values[key.replace("-", "_")] = _selectors(table[key], f"{where} {key}")
    for key in PATH_LISTS:
        if key in table:
            values[key.replace("-", "_")] = _strings(table[key], f"{where} {key}")
    for key in FLAGS:
        if key in table:
            if not isinstance(table[key], bool):
                raise SettingsError(f"{where} {key}: expected true or false, got {table[key]!r}")
            values[key.replace("-", "_")] = table[key]
    if "target-version" in table:
        values["target_version"] = target_version(
            table["target-version"], f"{where} target-version"
        )
    if "per-file-ignores" in table:
        ignores = table["per-file-ignores"]
        if not isinstance(ignores, dict):
            raise SettingsError(
                f"{where} per-file-ignores: expected a table of "
                f'patterns to codes, like {{"tests/*" = ["KC201"]}}'
            )
        values["per_file_ignores"] = tuple(
            (pattern, _selectors(codes, f"{where} per-file-ignores {pattern!r}"))
            for pattern, codes in ignores.items()
        )
    return Settings(**values)


def target_version(value, where: str) -> TargetVersion:
    try:
        return TargetVersion(value)
    except ValueError:
        known = ", ".join(repr(v.value) for v in TargetVersion)
        raise SettingsError(f"{where}: expected one of {known}, got {value!r}") from None


def _strings(value, where: str) -> tuple[str, ...]:
    if (
        isinstance(value, str)
        or not isinstance(value, list)
        or not all(isinstance(item, str) for item in value)
    ):
        raise SettingsError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _selectors(value, where: str) -> tuple[str, ...]:
    selectors = _strings(value, where)
    for selector in selectors:
        try:
            match(selector)
        except SettingsError as error:
            raise SettingsError(f"{where}: {error}") from None
    return selectors


def resolve(paths: list[str], cli: Settings, use_config: bool = True) -> Settings:
    """The settings of a run over `paths`: the nearest config, then the command line."""
    base = Settings(root=os.getcwd())
    if use_config:
        config = find_config(_common_directory(paths))
        if config is not None:
            base = load(config)
    if cli.select is not None:  # a fresh selection, as in ruff
        rules = {"select": cli.select, "ignore": cli.ignore, "extend_select": cli.extend_select}
    else:
        rules = {
            "select": base.select,
            "ignore": base.ignore + cli.ignore,
            "extend_select": base.extend_select + cli.extend_select,
        }
    return replace(
        base,
        **rules,
        extend_exclude=base.extend_exclude + cli.extend_exclude,
        force_exclude=base.force_exclude or cli.force_exclude,
        respect_gitignore=base.respect_gitignore and cli.respect_gitignore,
        runtime=base.runtime or cli.runtime,
        target_version=cli.target_version or base.target_version,
    )


def _common_directory(paths: list[str]) -> str:
    directories = [
        p if os.path.isdir(p) else os.path.dirname(p) or os.curdir
        for p in (os.path.abspath(p) for p in paths)
    ]
    try:
        return os.path.commonpath(directories) if directories else os.getcwd()
    except ValueError:  # different drives on Windows
        return os.getcwd()
