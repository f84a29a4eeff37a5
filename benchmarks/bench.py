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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

TARGETS = {
    "startup_s": 0.2,           # kerascheck --version
    "cold_vs_floor": 1.5,       # cold, one job / LibCST parse floor
    "warm_speedup": 10.0,       # cold one job / warm
    "memory_growth": 1.25,      # peak RSS at the largest size / at the smallest
}


def kerascheck_command() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "kerascheck")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "kerascheck"]


def timed(command: list[str], cwd: str, env: dict | None = None) -> tuple[float, int, str, int]:
    """Wall seconds, peak RSS in KiB of the largest process of the tree, stdout,
    exit status."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return elapsed, usage.ru_maxrss, out.read().decode(), process.returncode


def best(command: list[str], cwd: str, repeat: int, env: dict | None = None,
         before=None) -> tuple[float, int, str]:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        seconds, rss, out, status = timed(command, cwd, env)
        if status not in (0, 1):
            sys.exit(f"{' '.join(command)} failed with status {status}")
        runs.append((seconds, rss, out))
    return min(runs, key=lambda r: r[0])


def parse_floor(paths: list[str], repeat: int) -> float:
    """LibCST's parse alone, one core: what any LibCST linter pays at least."""
    code = (
        "import sys, time, libcst\n"
        "texts = [open(p, encoding='utf-8').read() for p in sys.argv[1:]]\n"
        "start = time.perf_counter()\n"
        "for text in texts:\n"
        "    libcst.parse_module(text)\n"
        "print(time.perf_counter() - start)\n"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True,
                             text=True, check=True).stdout
        runs.append(float(out))
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
    print(f"corpus: {files} files, {lines} lines (seed {args.seed}); "
          f"{os.cpu_count()} cores; {sys.version.split()[0]}")

    python_start = best([sys.executable, "-c", "pass"], work, 10)[0]
    startup = best([*kc, "--version"], work, 10)[0]
    floor = parse_floor(paths, args.repeat)
    cold1, rss1, out_cold1 = best([*check, "--no-cache", "--jobs", "1"], work, args.repeat, env)
    coldn, _, out_coldn = best([*check, "--no-cache"], work, args.repeat, env)
    clear = lambda: shutil.rmtree(cache_dir, ignore_errors=True)  # noqa: E731
    fill, _, out_fill = best(check, work, 1, env, before=clear)
    warm, rss_warm, out_warm = best(check, work, args.repeat, env)
    if not out_cold1 == out_coldn == out_fill == out_warm:
        sys.exit("runs disagree: cold, parallel and cached output differ")
    diagnostics = len(json.loads(out_cold1))

    memory = {}
    for size in sorted({max(1, files // 4), max(1, files // 2)}):
        subset = os.path.join(work, f"subset{size}")
        corpus.build(subset, size, args.seed)
        memory[size] = best([*kc, "check", "--no-cache", "--jobs", "1", "."],
                            subset, 1, env)[1]
    memory[files] = rss1

    def rate(seconds: float) -> str:
        return f"{seconds:7.3f} s {files / seconds:8.0f} files/s {lines / seconds:9.0f} lines/s"

    print(f"diagnostics: {diagnostics} (identical in every run)")
    print(f"start-up  kerascheck --version  {startup:.3f} s   (python -c pass {python_start:.3f} s)")
    print(f"LibCST parse floor, 1 core    {rate(floor)}")
    print(f"cold, --jobs 1                {rate(cold1)}   {cold1 / floor:.2f}x floor")
    print(f"cold, all cores               {rate(coldn)}   {coldn / floor:.2f}x floor")
    print(f"cache fill (first cached run) {rate(fill)}")
    print(f"warm (all cache hits)         {rate(warm)}   {cold1 / warm:.1f}x faster than cold")
    print("peak memory, --jobs 1, --no-cache: " + ", ".join(
        f"{size} files {kib / 1024:.0f} MiB" for size, kib in sorted(memory.items()))
        + f"; warm {rss_warm / 1024:.0f} MiB")

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
        "files": files, "lines": lines, "seed": args.seed, "cores": os.cpu_count(),
        "diagnostics": diagnostics, "python_startup_s": python_start, "startup_s": startup,
        "parse_floor_s": floor, "cold_jobs1_s": cold1, "cold_all_cores_s": coldn,
        "cache_fill_s": fill, "warm_s": warm,
        "peak_rss_kib": {str(k): v for k, v in sorted(memory.items())},
        "warm_rss_kib": rss_warm, "ratios": results,
    }


if __name__ == "__main__":
    main()
