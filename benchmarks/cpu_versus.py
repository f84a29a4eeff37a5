"""Compare kerascheck versions by CPU time, which a busy machine disturbs far
less than wall time: `check --no-cache --jobs 1` on the seeded corpus and a
bare LibCST parse of the same files, per interpreter (each one a venv with a
kerascheck installed), alternating, best of --repeat runs.

    python benchmarks/cpu_versus.py OLD_VENV/bin/python NEW_VENV/bin/python [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile

import corpus

_FLOOR = (
    "import pathlib, sys, libcst\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
    "    libcst.parse_module(p.read_text(encoding='utf-8'))\n"
)


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU of one child process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pythons", nargs="+")
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        corpus.build(directory, args.files, args.seed)
        check = ["check", "--no-cache", "--isolated", "--jobs", "1", "--output-format", "json"]
        best: dict[tuple[str, str], float] = {}
        for _ in range(args.repeat):
            for python in args.pythons:
                runs = {
                    "cold": [python, "-m", "kerascheck", *check, directory],
                    "floor": [python, "-c", _FLOOR, directory],
                }
                for name, command in runs.items():
                    seconds = cpu_seconds(command)
                    best[python, name] = min(best.get((python, name), seconds), seconds)
    print(f"{args.files} files (seed {args.seed}), best of {args.repeat}, CPU seconds:")
    for python in args.pythons:
        cold, floor = best[python, "cold"], best[python, "floor"]
        ratio = cold / floor
        print(f"  {python}: cold {cold:.2f} s, LibCST parse floor {floor:.2f} s, {ratio:.2f}x")


if __name__ == "__main__":
    main()
