"""Results of earlier runs, keyed by what decides them: the file's path and
bytes, kerascheck's own code, and the effective settings.

One small JSON file per entry under `.kerascheck_cache/`. Plain data only:
a cache committed to a cloned repository can neither run code (nothing is
unpickled) nor hide diagnostics from a changed file (the key covers every byte
of the file). A malformed or unreadable entry is a miss. Entries are written
to a temporary file and renamed into place, so two runs sharing the cache
never see half an entry; the worst a race does is compute an entry twice.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from typing import Any

from kerascheck import __version__
from kerascheck.project.settings import Settings, enabled_codes
from kerascheck.results import Applicability, Located, LocatedFix, TextEdit
from kerascheck.source.span import Span

DEFAULT_DIRECTORY = ".kerascheck_cache"
FORMAT = 1  # bump when the entry layout changes
_MAX_ENTRY_BYTES = 16 * 1024 * 1024
# Each edit of a file leaves its old entry behind. Once a day, a run removes
# the entries written more than this long ago (a file unchanged that long is
# linted once more, and stored afresh).
_MAX_AGE_S = 30 * 24 * 3600
_PRUNE_EVERY_S = 24 * 3600
# Runs that change files or ask for more than the static analysis: their
# output is not a function of (file, settings) alone, or not worth keeping.
# (`fix` and `unsafe_fixes` are Settings fields; a fixing run lints from the
# cache with them off: see `lint_settings`.)
_UNCACHEABLE = ("fix", "diff", "unsafe_fixes", "runtime")


# Settings that change what --fix writes, never what a file reports.
_FIX_ONLY = ("fix", "unsafe_fixes", "unfixable")
TAG_NAME = "CACHEDIR.TAG"
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG = f"{TAG_SIGNATURE}\n# This file is a cache directory tag created by kerascheck.\n"


def directory(project_root: str | None = None) -> str:
    """$KERASCHECK_CACHE_DIR, else .kerascheck_cache/ at the project root."""
    configured = os.environ.get("KERASCHECK_CACHE_DIR")
    if configured:
        return configured
    return os.path.join(project_root or os.curdir, DEFAULT_DIRECTORY)


def project_root(settings: Settings, path: str) -> str:
    """Where a file's cache lives: beside the pyproject.toml in force, else at
    the root of the repository holding the file, else the working directory
    (never wherever the run happened to start, as ruff does)."""
    if settings.config:
        return os.path.dirname(os.path.abspath(settings.config))
    return _repository_root(os.path.dirname(os.path.abspath(path))) or os.getcwd()


@functools.lru_cache(maxsize=1024)
def _repository_root(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git` (asked
    once per directory of a run)."""
    if os.path.exists(os.path.join(directory, ".git")):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _repository_root(parent)


def lint_settings(settings: Settings) -> Settings:
    """The settings with what only --fix reads turned off: what a file
    reports, and so its cache entry, is the same with or without --fix."""
    return dataclasses.replace(settings, **dict.fromkeys(_FIX_ONLY[:2], False), unfixable=())


def cacheable(settings: Settings) -> bool:
    return not any(getattr(settings, name, False) for name in _UNCACHEABLE)


def code_fingerprint() -> str:
    """kerascheck's version and its own source files: during development the
    rules change while the version number does not."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = [__version__]
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".md", ".json")):
                stat = os.stat(os.path.join(root, name))
                stamps.append(
                    f"{os.path.relpath(os.path.join(root, name), package)}"
                    f":{stat.st_size}:{stat.st_mtime_ns}"
                )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    """Everything in the settings that can change what a run reports.

    Every field of Settings is part of it, so a new setting is covered without
    touching this function; the enabled codes are added because what `ALL` or a
    prefix means grows with the catalog."""
    data = {
        "settings": dataclasses.asdict(settings),
        "codes": sorted(enabled_codes(settings)),
    }
    return json.dumps(data, sort_keys=True, default=repr)


class Cache:
    def __init__(self, path: str, fingerprint: str, read_only: bool = False) -> None:
        self.path = path
        # --fix and --diff read entries but write none: the files they change
        # would be stored as they were, and a fixing run leaves no cache behind.
        self.read_only = read_only
        self.entries = os.path.join(path, f"v{FORMAT}")
        self.fingerprint = fingerprint

    @classmethod
    def for_settings(
        cls, settings: Settings, path: str | None = None, read_only: bool = False
    ) -> Cache:
        fingerprint = hashlib.sha256(
            f"{code_fingerprint()}\n{settings_fingerprint(settings)}".encode()
        ).hexdigest()
        return cls(path or directory(), fingerprint, read_only)

    def key(self, filename: str, data: bytes) -> str:
        """`./a.py` and `a.py` are one file; the name a diagnostic shows is not
        stored but taken from the run that reads the entry."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(self.fingerprint.encode())
        where = os.path.abspath(filename).encode("utf-8", "surrogateescape")
        digest.update(b"\0" + where + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.entries, key + ".json")

    def get(self, key: str, filename: str) -> list[Located] | None:
        try:
            with open(self._entry(key), "rb") as handle:
                raw = handle.read(_MAX_ENTRY_BYTES + 1)
            if len(raw) > _MAX_ENTRY_BYTES:
                return None
            entry = json.loads(raw)
            if entry.get("key") != key:
                return None
            return [from_json(item, filename) for item in entry["diagnostics"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def put(self, key: str, diagnostics: list[Located]) -> None:
        """Store an entry; a cache we cannot write is no reason to fail a run."""
        if self.read_only:
            return
        text = json.dumps(
            {"key": key, "diagnostics": [to_json(d) for d in diagnostics]}, separators=(",", ":")
        )
        try:
            _make(self.path)
            os.makedirs(self.entries, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.entries, prefix=".tmp-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, self._entry(key))
            except BaseException:
                _remove(temporary)
                raise
        except OSError:
            pass

    def prune(self, now: float | None = None) -> None:
        """Remove stale entries, at most once a day (one stat per run otherwise)."""
        if self.read_only:
            return
        now = time.time() if now is None else now
        stamp = os.path.join(self.entries, ".pruned")
        try:
            if now - os.stat(stamp).st_mtime < _PRUNE_EVERY_S:
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        try:
            with open(stamp, "w", encoding="utf-8"):
                pass
            with os.scandir(self.entries) as found:
                for entry in found:
                    if entry.name.endswith(".json") and now - entry.stat().st_mtime > _MAX_AGE_S:
                        _remove(entry.path)
        except OSError:
            pass


class CleanOutcome(enum.Enum):
    REMOVED = "removed"
    ABSENT = "absent"
    NOT_OURS = "not ours"  # exists, but kerascheck did not make it: left alone


def made_by_us(path: str) -> bool:
    try:
        with open(os.path.join(path, TAG_NAME), encoding="utf-8") as handle:
            tag = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return tag.startswith(TAG_SIGNATURE) and "kerascheck" in tag


def clean(path: str) -> CleanOutcome:
    """Remove a cache directory, only if kerascheck made it (its CACHEDIR.TAG
    says so): $KERASCHECK_CACHE_DIR may name a folder holding anything."""
    if not os.path.isdir(path):
        return CleanOutcome.ABSENT
    if not made_by_us(path):
        return CleanOutcome.NOT_OURS
    shutil.rmtree(path, ignore_errors=True)
    return CleanOutcome.REMOVED


def _make(path: str) -> None:
    """Create the cache directory and mark it as ours: a CACHEDIR.TAG (which
    keeps it out of backups, and is what `clean` looks for) and a .gitignore.
    A directory that already exists is only marked when empty: one holding
    files of its own is not ours to claim, nor, later, to delete."""
    if os.path.isdir(path):
        if os.listdir(path):
            return
    else:
        os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, ".gitignore"), "w", encoding="utf-8") as handle:
        handle.write("# Automatically created by kerascheck.\n*\n")
    with open(os.path.join(path, TAG_NAME), "w", encoding="utf-8") as handle:
        handle.write(TAG)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- Located <-> JSON ----------------------------------------------------------------


def _span_to_json(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _span_from_json(value: Any) -> Span:
    line, column, end_line, end_column = value
    if not all(type(n) is int for n in value):
        raise TypeError("span")
    return Span(line, column, end_line, end_column)


def _text(value: Any, optional: bool = False) -> Any:
    if (optional and value is None) or type(value) is str:
        return value
    raise TypeError("text")


def _int(value: Any, optional: bool = False) -> Any:
    if (optional and value is None) or type(value) is int:
        return value
    raise TypeError("int")


def _fix_to_json(fix: LocatedFix | None) -> dict | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "edits": [[e.start, e.end, e.content, _span_to_json(e.span)] for e in fix.edits],
    }


def _fix_from_json(value: Any) -> LocatedFix | None:
    if value is None:
        return None
    if value["applicability"] not in ("safe", "unsafe"):
        raise TypeError("applicability")
    return LocatedFix(
        Applicability(value["applicability"]),
        tuple(
            TextEdit(_int(start), _int(end), _text(content), _span_from_json(span))
            for start, end, content, span in value["edits"]
        ),
    )


def to_json(diagnostic: Located) -> dict:
    file_span = diagnostic.file_span
    return {
        "code": diagnostic.code,
        "message": diagnostic.message,
        "span": _span_to_json(diagnostic.span),
        "help": diagnostic.help,
        "related": [[_span_to_json(span), note] for span, note in diagnostic.related],
        "source_line": diagnostic.source_line,
        "cell": diagnostic.cell,
        "related_cells": list(diagnostic.related_cells),
        "file_span": _span_to_json(file_span) if file_span else None,
        "related_file_spans": [_span_to_json(s) for s in diagnostic.related_file_spans],
        "fix": _fix_to_json(diagnostic.fix),
    }


def from_json(item: dict, filename: str) -> Located:
    file_span = item["file_span"]
    return Located(
        code=_text(item["code"]),
        message=_text(item["message"]),
        filename=filename,
        span=_span_from_json(item["span"]),
        help=_text(item["help"], optional=True),
        related=tuple((_span_from_json(span), _text(note)) for span, note in item["related"]),
        source_line=_text(item["source_line"]),
        cell=_int(item["cell"], optional=True),
        related_cells=tuple(_int(cell) for cell in item["related_cells"]),
        file_span=_span_from_json(file_span) if file_span is not None else None,
        related_file_spans=tuple(_span_from_json(s) for s in item["related_file_spans"]),
        fix=_fix_from_json(item["fix"]),
    )
