"""How fast is kerascheck? Builds the seeded corpus (benchmarks/corpus.py) and
measures, on the same files:

- start-up: `kerascheck --version` (next to it, a bare `python -c pass`);
- the LibCST parse floor: `libcst.parse_module` on every file, one core;
- kerascheck cold (`--no-cache`) with one job and with all cores, and warm
  (every file a cache hit), in files/s and lines/s, and cold / floor;
- peak memory (largest resident process) for growing corpora, one job.

Each timing is the best of --repeat runs (the machine is shared; the best run
is the one least disturbed). The runs must all report the same diagnostics.

    python benchmarks/bench.py [--files 600] [--seed 1234] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus

TARGETS = {
    "startup_s": 0.2,  # kerascheck --version
    "cold_vs_floor": 1.5,  # cold, one job / LibCST parse floor
    "warm_speedup": 10.0,  # cold one job / warm
    "memory_growth": 1.25,  # peak RSS at the largest size / at the smallest
}


def kerascheck_command() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "kerascheck")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "kerascheck"]


def timed(command: list[str], cwd: str, env: dict | None = None):
    """Wall seconds, CPU seconds of the whole process tree, peak RSS in KiB of
    its largest process, stdout, exit status."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return elapsed, cpu, usage.ru_maxrss, out.read().decode(), process.returncode


def best(
    command: list[str], cwd: str, repeat: int, env: dict | None = None, before=None
) -> tuple[float, float, int, str]:
    """The fastest of `repeat` runs: (wall s, CPU s, peak RSS KiB, stdout)."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        seconds, cpu, rss, out, status = timed(command, cwd, env)
        if status not in (0, 1):
            sys.exit(f"{' '.join(command)} failed with status {status}")
        runs.append((seconds, cpu, rss, out))
    return min(runs, key=lambda r: r[0])


def parse_floor(paths: list[str], repeat: int) -> tuple[float, float]:
    """LibCST's parse alone, one core: what any LibCST linter pays at least.
    Best of `repeat`: (wall s, CPU s), reading and start-up not counted."""
    code = (
        "import sys, time, libcst\n"
        "texts = [open(p, encoding='utf-8').read() for p in sys.argv[1:]]\n"
        "start, cpu = time.perf_counter(), time.process_time()\n"
        "for text in texts:\n"
        "    libcst.parse_module(text)\n"
        "print(time.perf_counter() - start, time.process_time() - cpu)\n"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True
        ).stdout
        wall, cpu = out.split()
        runs.append((float(wall), float(cpu)))
    return min(runs)


def count_lines(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += handle.read().count(b"\n")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="PATH", help="also write the numbers here")
    parser.add_argument("--keep", action="store_true", help="keep the corpus directory")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="kerascheck-bench-")
    try:
        report = run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"corpus kept in {work}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)


def run(args, work: str) -> dict:
    kc = kerascheck_command()
    source = os.path.join(work, "corpus")
    paths = corpus.build(source, args.files, args.seed)
    files, lines = len(paths), count_lines(paths)
    cache_dir = os.path.join(work, "cache")
    env = dict(os.environ, KERASCHECK_CACHE_DIR=cache_dir)
    check = [*kc, "check", "--output-format", "json", "corpus"]
    load = os.getloadavg()[0]
    print(
        f"corpus: {files} files, {lines} lines (seed {args.seed}); "
        f"{os.cpu_count()} cores; {sys.version.split()[0]}"
    )

    python_start, python_cpu, _, _ = best([sys.executable, "-c", "pass"], work, 10)
    startup, startup_cpu, _, _ = best([*kc, "--version"], work, 10)
    from kerascheck.source.prefilter import may_hold_keras

    parsed = [p for p in paths if may_hold_keras(Path(p).read_text(encoding="utf-8"))]
    # Interleaved rounds, best of each: a burst of load elsewhere on the machine
    # then hurts one round of everything rather than every run of one thing.
    rounds: dict[str, list] = {"floor": [], "parsed": [], "cold1": [], "coldn": []}
    for _ in range(args.repeat):
        rounds["floor"].append(parse_floor(paths, 1))
        rounds["parsed"].append(parse_floor(parsed, 1))
        rounds["cold1"].append(best([*check, "--no-cache", "--jobs", "1"], work, 1, env))
        rounds["coldn"].append(best([*check, "--no-cache"], work, 1, env))
    floor, floor_cpu = min(rounds["floor"])
    parsed_floor, _ = min(rounds["parsed"])
    cold1, cold1_cpu, rss1, out_cold1 = min(rounds["cold1"], key=lambda r: r[0])
    coldn, coldn_cpu, _, out_coldn = min(rounds["coldn"], key=lambda r: r[0])
    clear = lambda: shutil.rmtree(cache_dir, ignore_errors=True)  # noqa: E731
    fill, fill_cpu, _, out_fill = best(check, work, 1, env, before=clear)
    warm, warm_cpu, rss_warm, out_warm = best(check, work, args.repeat, env)
    if not out_cold1 == out_coldn == out_fill == out_warm:
        sys.exit("runs disagree: cold, parallel and cached output differ")
    diagnostics = len(json.loads(out_cold1))

    memory = {}
    for size in sorted({max(1, files // 4), max(1, files // 2)}):
        subset = os.path.join(work, f"subset{size}")
        corpus.build(subset, size, args.seed)
        memory[size] = best([*kc, "check", "--no-cache", "--jobs", "1", "."], subset, 1, env)[2]
    memory[files] = rss1

    def rate(seconds: float, cpu: float) -> str:
        return (
            f"{seconds:7.3f} s {files / seconds:7.0f} files/s {lines / seconds:8.0f} "
            f"lines/s | CPU {cpu:7.3f} s"
        )

    print(f"load average at start: {load:.2f} (wall times suffer when it exceeds the cores)")
    print(f"diagnostics: {diagnostics} (identical in every run)")
    print(
        f"start-up, kerascheck --version {startup:7.3f} s (python -c pass {python_start:.3f} s)"
        f" | CPU {startup_cpu:.3f} s (python {python_cpu:.3f} s)"
    )
    print(f"LibCST parse floor, 1 core     {rate(floor, floor_cpu)}")
    print(
        f"  floor on the {len(parsed)} files that may hold Keras (the rest are not parsed): "
        f"{parsed_floor:.3f} s, {count_lines(parsed)} lines"
    )
    print(
        f"cold, --jobs 1                 {rate(cold1, cold1_cpu)}  "
        f"{cold1 / floor:.2f}x floor (CPU {cold1_cpu / floor_cpu:.2f}x; "
        f"{cold1 / parsed_floor:.2f}x the parsed files' floor)"
    )
    print(f"cold, all cores                {rate(coldn, coldn_cpu)}  {coldn / floor:.2f}x floor")
    print(f"cache fill (first cached run)  {rate(fill, fill_cpu)}")
    print(
        f"warm (all cache hits)          {rate(warm, warm_cpu)}  "
        f"{cold1 / warm:.1f}x faster than cold (CPU {cold1_cpu / warm_cpu:.1f}x)"
    )
    print(
        "peak memory, --jobs 1, --no-cache: "
        + ", ".join(f"{size} files {kib / 1024:.0f} MiB" for size, kib in sorted(memory.items()))
        + f"; warm {rss_warm / 1024:.0f} MiB"
    )

    growth = memory[files] / memory[min(memory)]
    results = {
        "startup_s": startup,
        "cold_vs_floor": cold1 / floor,
        "warm_speedup": cold1 / warm,
        "memory_growth": growth,
    }
    print("targets:")
    for name, value in results.items():
        target = TARGETS[name]
        ok = value >= target if name == "warm_speedup" else value <= target
        bound = ">=" if name == "warm_speedup" else "<="
        print(f"  {'met ' if ok else 'MISS'} {name:14} {value:7.3f} (target {bound} {target})")
    return {
        "load_average_at_start": load,
        "files": files,
        "lines": lines,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "diagnostics": diagnostics,
        "python_startup_s": python_start,
        "startup_s": startup,
        "parse_floor_s": floor,
        "parsed_files": len(parsed),
        "parse_floor_parsed_files_s": parsed_floor,
        "cold_jobs1_s": cold1,
        "cold_all_cores_s": coldn,
        "cache_fill_s": fill,
        "warm_s": warm,
        "cpu_s": {
            "startup": startup_cpu,
            "python": python_cpu,
            "parse_floor": floor_cpu,
            "cold_jobs1": cold1_cpu,
            "cold_all_cores": coldn_cpu,
            "cache_fill": fill_cpu,
            "warm": warm_cpu,
        },
        "peak_rss_kib": {str(k): v for k, v in sorted(memory.items())},
        "warm_rss_kib": rss_warm,
        "ratios": results,
    }


if __name__ == "__main__":
    main()
