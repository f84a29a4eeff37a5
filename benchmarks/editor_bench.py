"""Latency of the editor integrations (not a timed test: numbers for the README).

    .venv/bin/python benchmarks/editor_bench.py [--changes 40] [--cells 100] [--seed 7]

1. `kerascheck server`: a real client over a stdio pipe opens a 1,000-line
   Keras file, then changes one line at a time (an activation toggled between
   "relu" and "softmax", so the diagnostics really change). Latency is from
   sending didChange to receiving the publishDiagnostics of that version.
   Target: median and 95th percentile within 150 ms.
2. `%load_ext kerascheck`: a real InteractiveShell with the extension loaded
   checks a 100-cell session cell by cell (each cell linted after all the
   cells before it). The cells are not executed — the cost measured is the
   extension's own, per cell, which is what the user waits for before a cell
   starts. Target: under 50 ms per cell (median and 95th percentile quoted).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from corpus import keras_script  # noqa: E402

TARGET_LSP_MS = 150.0
TARGET_CELL_MS = 50.0


def keras_file(lines: int, seed: int) -> str:
    """Whole generated scripts, one after another, until `lines` lines."""
    rng, parts, count = random.Random(seed), [], 0
    while count < lines:
        script = keras_script(rng)
        parts.append(script)
        count += script.count("\n")
    text = "".join(parts)
    return "\n".join(text.split("\n")[:lines]) + "\n"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _cpu_of(pid: int):
    """The server process's CPU seconds so far (psutil comes with IPython);
    None where it cannot be read."""
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except Exception:
        return None


async def lsp_latency(changes: int, seed: int) -> tuple[list[float], list[float], int]:
    from lsp_session import Session

    text = keras_file(1000, seed)
    # A line to toggle: the last output activation of the file.
    lines = text.split("\n")
    target = max(i for i, line in enumerate(lines) if 'activation="softmax"' in line)
    with tempfile.TemporaryDirectory() as root:
        lsp = await Session.start(Path(root))
        uri = (Path(root) / "train.py").as_uri()
        lsp.open(uri, text)
        await lsp.wait_for(uri, lambda d: True, version=1)
        samples, cpu = [], []
        pid = lsp.client._server.pid
        for version in range(2, changes + 2):
            old, new = ("softmax", "relu") if version % 2 == 0 else ("relu", "softmax")
            lines[target] = lines[target].replace(f'"{old}"', f'"{new}"')
            started, started_cpu = time.perf_counter(), _cpu_of(pid)
            lsp.change(uri, "\n".join(lines), version)
            await lsp.wait_for(uri, lambda d: True, version=version)
            samples.append((time.perf_counter() - started) * 1000)
            ended_cpu = _cpu_of(pid)
            if started_cpu is not None and ended_cpu is not None:
                cpu.append((ended_cpu - started_cpu) * 1000)
        await lsp.stop()
    return samples, cpu, len(lines)


def engine_cpu(seed: int, repeat: int = 5) -> float:
    """The floor under the server's latency: lint_text on the same file, CPU time."""
    from kerascheck.run.engine import lint_text

    text = keras_file(1000, seed)
    lint_text(text, "train.py")
    costs = []
    for _ in range(repeat):
        started = time.process_time()
        lint_text(text, "train.py")
        costs.append((time.process_time() - started) * 1000)
    return statistics.median(costs)


def cell_costs(cells: int, seed: int) -> list[float]:
    import contextlib
    import io

    from IPython.core.interactiveshell import InteractiveShell

    from kerascheck.editor.ipython import _LOADED

    rng, blocks = random.Random(seed), []
    while len(blocks) < cells:  # top-level blocks of generated scripts, as cells
        blocks += [b for b in keras_script(rng).split("\n\n\n") if b.strip()]
    blocks = blocks[:cells]
    shell = InteractiveShell.instance()
    shell.run_cell("%load_ext kerascheck")
    [extension] = _LOADED.values()
    samples, cpu = [], []
    with contextlib.redirect_stdout(io.StringIO()):
        for block in blocks:
            started, started_cpu = time.perf_counter(), time.process_time()
            extension.pre_run_cell(SimpleNamespace(raw_cell=block))
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            extension.history.append(block)  # as post_run_cell does after a run
    lines = sum(b.count(chr(10)) + 1 for b in blocks)
    print(
        f"  session: {cells} cells, {lines} lines; CPU per cell: median "
        f"{statistics.median(cpu):.1f} ms, mean {statistics.mean(cpu):.1f} ms, "
        f"last {cpu[-1]:.1f} ms"
    )
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    print(
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    samples, cpu, lines = asyncio.run(lsp_latency(options.changes, options.seed))
    median, p95 = percentiles(samples)
    if cpu:
        print(
            f"  server process CPU per change: median {statistics.median(cpu):.0f} ms, "
            f"p95 {percentiles(cpu)[1]:.0f} ms"
        )
    print(f"  engine alone, CPU per lint of that file: {engine_cpu(options.seed):.0f} ms")
    print(
        f"kerascheck server, {lines}-line file, {len(samples)} changes: "
        f"median {median:.0f} ms, p95 {p95:.0f} ms, max {max(samples):.0f} ms "
        f"(target {TARGET_LSP_MS:.0f} ms: {'met' if p95 <= TARGET_LSP_MS else 'MISSED'})"
    )

    costs = cell_costs(options.cells, options.seed)
    median, p95 = percentiles(costs)
    print(
        f"%load_ext kerascheck, {len(costs)} cells: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"last cell {costs[-1]:.1f} ms, mean {statistics.mean(costs):.1f} ms "
        f"(target {TARGET_CELL_MS:.0f} ms: "
        f"{'met' if statistics.mean(costs) <= TARGET_CELL_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
