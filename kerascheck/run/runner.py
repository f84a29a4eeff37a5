"""Lint many files: from the cache when unchanged, the rest in parallel.

The parent reads each file once to key the cache. Files it has no entry for
are linted in-process when there are few of them (a process pool costs more
to start than a handful of files take) and otherwise by a pool of worker
processes, in chunks; each worker re-reads its file, so the entry it stores
describes exactly the bytes it linted. Results come back in the order of the
files given, whatever finished first.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TypeVar

from kerascheck.project.cache import Cache
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult
from kerascheck.run.guard import lint_isolated, run_deep
from kerascheck.source.read import SourceError, read_bytes

T = TypeVar("T")

# Below this many files to lint, a pool is slower than doing them here.
MIN_FILES_PER_WORKER = 4


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    paths: list[str], settings: Settings, jobs: int | None = None, cache: Cache | None = None
) -> list[FileResult]:
    """One FileResult per path, in the order of `paths`."""
    results: list[FileResult | None] = [None] * len(paths)
    todo: list[int] = []
    for index, path in enumerate(paths):
        hit = _cached(path, cache) if cache is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append(index)

    if todo:
        # Load LibCST once, before forking workers.
        import kerascheck.run.engine  # noqa: F401

        _freeze_imported()
    lint = partial(_lint_and_store, settings=settings, cache=cache)
    todo_paths = [paths[i] for i in todo]
    workers = min(jobs or default_jobs(), len(todo) // MIN_FILES_PER_WORKER)
    in_pool = workers > 1
    linted = _in_pool(lint, todo_paths, workers) if in_pool else _lint_batch(lint, todo_paths)
    for index, result in zip(todo, linted):
        results[index] = result
    if cache is not None and todo:  # only runs that wrote entries leave stale ones
        cache.prune()
    return results  # type: ignore[return-value]


_frozen = False


def _freeze_imported() -> None:
    """Take what is loaded by now (kerascheck, LibCST, click: modules,
    classes, functions that live as long as the process) out of the cycle
    collector's sight, once per process. LibCST's allocations trigger full
    collections all along a run, and each would traverse all of them again;
    forked workers share them untouched, as gc.freeze's documentation advises."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def map_paths(function: Callable[[str], T], paths: list[str], jobs: int | None = None) -> list[T]:
    """`function(path)` for each path, in order: in worker processes when there
    are enough paths, here otherwise (--fix and --diff use it). `function`
    must not raise (wrap it with guard.isolated) and be picklable."""
    workers = min(jobs or default_jobs(), len(paths) // MIN_FILES_PER_WORKER)
    if paths:
        import kerascheck.run.engine  # noqa: F401  (load LibCST once, before forking)
    return _in_pool(function, paths, workers) if workers > 1 else _lint_batch(function, paths)


def _in_pool(lint, paths: list[str], workers: int) -> list[FileResult]:
    # Forking shares the already imported engine with the workers; elsewhere
    # (macOS, Windows) the platform's safe default is used.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    # Chunks amortise the round trips; several per worker balance the load.
    size = max(1, min(16, len(paths) // (workers * 4)))
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    done: list[FileResult] = []
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
    try:
        for results in pool.map(partial(_lint_batch, lint), chunks):
            done.extend(results)
    except BrokenProcessPool:  # a worker died (killed, out of memory): go on here
        pass
    finally:
        # On Ctrl-C, stop at once instead of finishing the queued files.
        pool.shutdown(wait=True, cancel_futures=True)
    return done + _lint_batch(lint, paths[len(done) :])


def _lint_batch(lint, paths: list[str]) -> list[FileResult]:
    """Lint files one after the other in one deep thread (see guard.run_deep)."""
    return run_deep(lambda: [lint(path) for path in paths]) if paths else []


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle: workers just stop with the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _cached(path: str, cache: Cache) -> FileResult | None:
    data = _read(path)
    if data is None:
        return None
    diagnostics = cache.get(cache.key(path, data), path)
    return FileResult(path, diagnostics) if diagnostics is not None else None


def _read(path: str) -> bytes | None:
    try:
        return read_bytes(path)  # never blocks on a FIFO, never reads a device
    except SourceError:
        return None  # lint_file reports it, with the reason


def _lint_and_store(path: str, settings: Settings, cache: Cache | None) -> FileResult:
    data = _read(path)
    result = lint_isolated(path, settings, data)
    if cache is not None and data is not None and result.error is None:
        cache.put(cache.key(path, data), result.diagnostics)
    return result
