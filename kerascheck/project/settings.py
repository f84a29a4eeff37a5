"""Effective settings of a run, and which rules they enable."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kerascheck.checks import RULES
from kerascheck.project.globs import Patterns


class SettingsError(Exception):
    """A bad selector or setting: one clear line, exit 2."""


class TargetVersion(str, enum.Enum):
    """The Keras a project runs on. Keras 2 (`tf_keras`, TensorFlow <= 2.15)
    still has what Keras 3 removed: the rules about Keras 3 are off there."""

    KERAS2 = "keras2"
    KERAS3 = "keras3"


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None  # None: the rules on by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    # (pattern, selectors) pairs from [tool.kerascheck.per-file-ignores].
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None  # None: the usual suspects (.venv, build ...)
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # excludes apply to paths given explicitly too
    respect_gitignore: bool = True
    runtime: bool = False
    target_version: TargetVersion | None = None  # None: not said, which means Keras 3
    root: str = "."  # where the config lives: path patterns are relative to it


def match(selector: str) -> set[str]:
    """Codes a selector names: `ALL`, a code, a prefix (`KC1`), or a rule name."""
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return set(RULES)
    by_name = {r.code for r in RULES.values() if r.name == wanted.lower()}
    codes = by_name or {code for code in RULES if code.startswith(wanted.upper())}
    if not wanted or not codes:
        raise SettingsError(
            f"unknown rule selector {selector!r} "
            f"(use a code like KC101, a prefix like KC1, or a rule name)"
        )
    return codes


def enabled_codes(settings: Settings) -> frozenset[str]:
    if settings.select is None:
        codes = {code for code, r in RULES.items() if r.default}
    else:
        codes = set().union(*(match(s) for s in settings.select))
    for selector in settings.extend_select:
        codes |= match(selector)
    for selector in settings.ignore:
        codes -= match(selector)
    if settings.target_version is TargetVersion.KERAS2:
        codes -= {code for code, r in RULES.items() if r.keras3_only}
    return frozenset(codes)


def codes_for_file(settings: Settings, filename: str) -> frozenset[str]:
    """The enabled rules less what per-file-ignores turn off for this file."""
    codes = enabled_codes(settings)
    for pattern, selectors in settings.per_file_ignores:
        if Patterns((pattern,), settings.root).match(filename):
            for selector in selectors:
                codes -= match(selector)
    return codes
