"""Never crash, never hang, never lose a line: the safety net around one file.

`lint_isolated(path, settings)` is what the runner calls for each file, in
this process or in a worker: whatever goes wrong inside turns into that file's
one error line (`crash_result`), and the run goes on. `--fix` and stdin go
through the same net.

Deeply nested code is the other hazard. LibCST and the extractor recurse once
or more per nesting level, so valid Python nested a few hundred levels deep
would overflow Python's default recursion limit. The analysis therefore runs in
a thread with a large stack and a higher limit; code nested deeper than
CPython itself accepts is turned away before LibCST sees it (`nesting_error`),
because LibCST's parser slows down steeply on such input (see nesting.py).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from kerascheck.project.settings import Settings
from kerascheck.results import FileResult

T = TypeVar("T")

# Room for ~3,000 levels of nesting (what CPython's own parser accepts) at
# a few frames per level in LibCST's code generation and metadata visitors.
# The stack is reserved address space; only the pages used are committed.
RECURSION_LIMIT = 30_000
STACK_BYTES = 512 * 1024 * 1024
_DEEP_LOCK = threading.Lock()  # one deep thread at a time: the limit is process-wide


def lint_isolated(
    path: str, settings: Settings = Settings(), data: bytes | None = None
) -> FileResult:
    """Lint one file (`data`: its bytes, when already read); an unexpected
    exception becomes that file's error."""
    from kerascheck.run.engine import lint_file  # loads LibCST: only when something is linted

    return isolated(path, lambda: run_deep(lint_file, path, settings, data))


def lint_stdin_isolated(name: str, settings: Settings) -> FileResult:
    from kerascheck.run.engine import lint_stdin

    return isolated(name, lambda: run_deep(lint_stdin, name, settings))


def isolated(path: str, action: Callable[[], T]) -> T | FileResult:
    """`action()`, or the FileResult that says how it failed."""
    try:
        return action()
    except Exception as error:  # isolate, report, go on
        return crash_result(path, error)


def crash_result(path: str, error: BaseException) -> FileResult:
    if isinstance(error, RecursionError):
        return FileResult(path, error=f"{path}: too deeply nested to analyse")
    if isinstance(error, MemoryError):
        return FileResult(path, error=f"{path}: out of memory while analysing this file")
    return FileResult(path, error=crash_message(path, error))


def crash_message(path: str, error: BaseException) -> str:
    """`path: internal error: KeyError: 'x' (at extract.py:412 in _expr; please report this)`."""
    detail = str(error).splitlines()[0] if str(error) else ""
    where = _innermost_frame(error)
    text = f"{path}: internal error: {type(error).__name__}"
    if detail:
        text += f": {detail[:200]}"
    hint = f"at {where}; " if where else ""
    return f"{text} ({hint}please report this)"


def _innermost_frame(error: BaseException) -> str | None:
    """The deepest frame in kerascheck's own code (else the deepest at all):
    a one-line pointer a maintainer can act on."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return None
    package = os.path.dirname(os.path.abspath(__file__))
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(package + os.sep)]
    frame = (ours or frames)[-1]
    return f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}"


_inside = threading.local()


def run_deep(function: Callable[..., T], *args) -> T:
    """`function(*args)` in a thread with a large stack and a high recursion
    limit; its exception, if any, is raised here. Inside such a thread already,
    just the call: a thread per file costs more than linting a small file, so
    the runner opens one for a whole batch."""
    if getattr(_inside, "deep", False):
        return function(*args)
    outcome: dict = {}

    def target() -> None:
        _inside.deep = True
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the caller
            outcome["error"] = error

    with _DEEP_LOCK:
        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size()
        worker = threading.Thread(target=target, name="kerascheck-lint", daemon=True)
        try:
            threading.stack_size(STACK_BYTES)
            sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
            worker.start()
        except (RuntimeError, ValueError, MemoryError):  # no thread to be had: go without
            sys.setrecursionlimit(old_limit)
            return function(*args)
        finally:
            threading.stack_size(old_stack)
        try:
            worker.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
