"""What runtime mode costs: the one-time Keras import, then each model.

    python benchmarks/runtime_bench.py [--models 60] [--repeat 3]

Writes a directory of generated model files (MLPs, CNNs and RNNs in equal
parts, 6 models a file) and measures, on this machine:

1. `import keras` in a fresh interpreter, with the worker's environment;
2. each model's round trip through one worker (plan -> JSON -> Keras build ->
   JSON), after the import;
3. the whole CLI: `kerascheck check --runtime DIR` against `kerascheck check DIR`,
   and what is left per model once the static run and the import are taken off.

Target: the whole --runtime run costs the import plus at most 20 ms per model.
Wall-clock numbers on a shared machine vary with its load (`uptime` is printed);
the worker's own CPU time per model does not. Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst

from kerascheck.ir.extract.walker import extract
from kerascheck.runtime.client import Session
from kerascheck.runtime.plan import Plan, plan

MLP = """
{name} = keras.Sequential([
    keras.Input(shape=({width},)),
    layers.Dense({hidden}, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense({hidden}, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
{name}.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CNN = """
{name} = keras.Sequential([
    keras.Input(shape=({side}, {side}, 3)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense({hidden}, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
{name}.compile(optimizer="adam", loss="categorical_crossentropy")
"""
RNN = """
{name} = keras.Sequential([
    keras.Input(shape=({width},)),
    layers.Embedding(5000, 32),
    layers.LSTM({hidden}),
    layers.Dense(1, activation="sigmoid"),
])
{name}.compile(optimizer="adam", loss="binary_crossentropy")
"""
HEADER = "import keras\nfrom keras import layers\n"
PER_FILE = 6
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")


def write_models(directory: Path, count: int) -> list[str]:
    sources = []
    for index in range(count):
        template = (MLP, CNN, RNN)[index % 3]
        sources.append(
            template.format(
                name=f"model_{index}", width=16 + index, hidden=32 + index, side=28 + index % 8
            )
        )
    for start in range(0, count, PER_FILE):
        body = HEADER + "".join(sources[start : start + PER_FILE])
        (directory / f"models_{start // PER_FILE:03d}.py").write_text(body)
    return sorted(str(p) for p in directory.glob("*.py"))


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=ENV, capture_output=True, check=False)
    return time.perf_counter() - start


def plans(files: list[str]) -> list[Plan]:
    found = []
    for path in files:
        kfile = extract(cst.parse_module(Path(path).read_text()))
        found += [p for p in map(plan, kfile.models) if isinstance(p, Plan)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        files = write_models(directory, options.models)
        built = plans(files)
        assert len(built) == options.models, "every generated model must be buildable"

        imports = [wall([sys.executable, "-c", "import keras"]) for _ in range(options.repeat)]

        session = Session()
        start = time.perf_counter()
        session._ready_worker()
        worker_start = time.perf_counter() - start
        per_model, worker_cpu = [], []
        for _ in range(options.repeat):
            for item in built:
                start = time.perf_counter()
                answer = session.build(item.to_json())
                per_model.append(time.perf_counter() - start)
                worker_cpu.append(answer["cpu_ms"])
                assert answer["status"] == "built", answer
        session.close()

        cli = [sys.executable, "-m", "kerascheck", "check", str(directory)]
        static = [wall(cli) for _ in range(options.repeat)]
        runtime = [wall(cli + ["--runtime"]) for _ in range(options.repeat)]

    import_s, static_s, runtime_s = (statistics.median(v) for v in (imports, static, runtime))
    ms = sorted(t * 1000 for t in per_model)
    left = (runtime_s - static_s - import_s) / options.models * 1000
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"models: {options.models} in {len(files)} files "
        f"(MLP, CNN, RNN in equal parts), median of {options.repeat} runs"
    )
    print(f"`import keras` in a fresh interpreter:    {import_s:6.2f} s")
    print(f"worker start (import + ready line):       {worker_start:6.2f} s")
    print(
        f"per model through the worker, after import: median {statistics.median(ms):.1f} ms, "
        f"mean {statistics.mean(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, "
        f"max {ms[-1]:.1f} ms"
    )
    cpu = sorted(worker_cpu)
    print(
        f"  of which CPU in the worker (load-independent): median {statistics.median(cpu):.1f} ms, "
        f"p95 {cpu[int(len(cpu) * 0.95) - 1]:.1f} ms"
    )
    print(f"kerascheck check DIR:                     {static_s:6.2f} s")
    print(f"kerascheck check --runtime DIR:           {runtime_s:6.2f} s")
    print(f"runtime run - static run - import, per model: {left:.1f} ms (target <= 20 ms)")


if __name__ == "__main__":
    main()
