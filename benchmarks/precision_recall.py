"""Precision and recall of kerascheck on the hand-labelled corpora.

A run (`benchmarks/real_code/run.sh PYTHON CORPUS RUN_DIR`) holds RUN_DIR/<corpus>.json; the
labels (benchmarks/labels/<corpus>.csv, format in benchmarks/labels/README.md)
say of each diagnostic whether it is right (`tp`) or wrong (`fp`), and list the
places a rule should have fired and did not (`miss`) in the recall sample files
(<corpus>.sample). Every diagnostic without a label is listed: a new rule's
output must be read before the numbers mean anything.

    python benchmarks/precision_recall.py RUN_DIR [--labels benchmarks/labels]
    python benchmarks/precision_recall.py --write-sample CORPUS_DIR [--labels ...]
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ("file", "line", "code", "verdict", "note")
VERDICTS = ("tp", "fp", "miss")
SAMPLE_SIZE = 20
SCRIPT_SUFFIXES = (".py", ".ipynb")


# ---------------------------------------------------------------- keys


def place(diagnostic: dict) -> str:
    """The `line` a label gives: the row, or `CELL:ROW` in a notebook."""
    row = diagnostic["location"]["row"]
    cell = diagnostic.get("cell")
    return str(row) if cell is None else f"{cell}:{row}"


def relative(filename: str, corpus: str) -> str:
    """`/work/corpus/kerasio_py/a.py` -> `kerasio_py/a.py`."""
    marker = os.sep + corpus + os.sep
    i = filename.rfind(marker)
    rest = filename[i + len(marker) :] if i >= 0 else os.path.basename(filename)
    return f"{corpus}/{rest}"


def sample(names: list[str], size: int = SAMPLE_SIZE) -> list[str]:
    """The recall sample: the `size` file names whose sha1 (hex, of the bare
    name in UTF-8) sorts first. Deterministic and blind to file contents."""
    return sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest())[:size]


# ---------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    file: str
    line: str
    code: str
    verdict: str
    note: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.line, self.code)


def read_labels(path: Path) -> list[Label]:
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise SystemExit(f"{path}: columns must be {','.join(COLUMNS)}")
        labels = []
        for n, row in enumerate(reader, start=2):
            label = Label(*(row[c].strip() for c in COLUMNS))
            if label.verdict not in VERDICTS:
                raise SystemExit(f"{path}:{n}: verdict {label.verdict!r} not in {VERDICTS}")
            labels.append(label)
    return labels


def read_sample(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


# ---------------------------------------------------------------- matching


@dataclass
class Tally:
    corpus: str
    diagnostics: int = 0
    tp: int = 0
    fp: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # tp/fp rows no diagnostic matches
    found: int = 0  # tp in the sample files
    misses: list[str] = field(default_factory=list)
    found_misses: list[str] = field(default_factory=list)  # `miss` rows now reported
    sample_files: int = 0

    @property
    def labelled(self) -> int:
        return self.diagnostics - len(self.unlabelled)

    @property
    def precision(self) -> float | None:
        judged = self.tp + len(self.fp)
        return self.tp / judged if judged else None

    @property
    def recall(self) -> float | None:
        total = self.found + len(self.misses)
        return self.found / total if total else None


def _show(key: tuple[str, str, str], text: str) -> str:
    file, line, code = key
    return f"{file}:{line}: {code} {text}"


def tally(corpus: str, diagnostics: list[dict], labels: list[Label], sampled: list[str]) -> Tally:
    """Pair diagnostics with labels by (file, line, code). Several diagnostics
    with one key take that key's rows in file order, left to right by column."""
    t = Tally(corpus, diagnostics=len(diagnostics))
    in_sample = {f"{corpus}/{name}" for name in sampled}
    t.sample_files = len(in_sample)
    rows: dict[tuple[str, str, str], collections.deque[Label]] = collections.defaultdict(
        collections.deque
    )
    misses: dict[tuple[str, str, str], list[Label]] = collections.defaultdict(list)
    for label in labels:
        (misses if label.verdict == "miss" else rows)[label.key].append(label)
    ordered = sorted(
        diagnostics,
        key=lambda d: (
            relative(d["filename"], corpus),
            d.get("cell") or 0,
            d["location"]["row"],
            d["location"]["column"],
        ),
    )
    for d in ordered:
        key = (relative(d["filename"], corpus), place(d), d["code"])
        sampled_file = key[0] in in_sample
        if rows[key]:
            label = rows[key].popleft()
            if label.verdict == "tp":
                t.tp += 1
                t.found += sampled_file
            else:
                t.fp.append(_show(key, f"{d['message']}  [{label.note}]"))
        elif misses[key]:  # a rule now finds what was labelled missed
            label = misses[key].pop(0)
            t.tp += 1
            t.found += sampled_file
            t.found_misses.append(_show(key, f"{d['message']}  [was a miss: {label.note}]"))
        else:
            t.unlabelled.append(_show(key, d["message"]))
    for key, left in rows.items():
        for label in left:
            t.stale.append(_show(key, f"({label.verdict}, no such diagnostic) {label.note}"))
            if label.verdict == "tp" and key[0] in in_sample:  # a finding lost
                t.misses.append(_show(key, f"(labelled tp, no longer reported) {label.note}"))
    for key, left in misses.items():
        if key[0] in in_sample:
            t.misses.extend(_show(key, label.note) for label in left)
        else:
            t.stale.extend(_show(key, f"(miss outside the sample) {label.note}") for _ in left)
    return t


# ---------------------------------------------------------------- report


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _summary(t: Tally, out) -> None:
    print(
        f"diagnostics {t.diagnostics}  labelled {t.labelled}  unlabelled {len(t.unlabelled)}"
        f"  tp {t.tp}  fp {len(t.fp)}  precision {_ratio(t.precision)}",
        file=out,
    )
    print(
        f"sample {t.sample_files} files: found {t.found}  misses {len(t.misses)}"
        f"  recall {_ratio(t.recall)}",
        file=out,
    )


def report(t: Tally, out) -> None:
    print(f"== {t.corpus}", file=out)
    _summary(t, out)
    for title, items in (
        ("unlabelled (read and label them)", t.unlabelled),
        ("fp", t.fp),
        ("misses", t.misses),
        ("labelled misses now found (relabel tp)", t.found_misses),
        ("stale labels (no diagnostic; update the CSV)", t.stale),
    ):
        if items:
            print(f"  {title}:", file=out)
            for item in items:
                print(f"    {item}", file=out)


def total(tallies: list[Tally]) -> Tally:
    t = Tally("TOTAL")
    for part in tallies:
        t.diagnostics += part.diagnostics
        t.tp += part.tp
        t.fp += part.fp
        t.unlabelled += part.unlabelled
        t.found += part.found
        t.misses += part.misses
        t.sample_files += part.sample_files
    return t


def run(run_dir: Path, labels_dir: Path, out=sys.stdout) -> list[Tally]:
    tallies = []
    for csv_path in sorted(labels_dir.glob("*.csv")):
        corpus = csv_path.stem
        json_path = run_dir / f"{corpus}.json"
        if not json_path.exists():
            print(f"warning: {json_path} missing, {corpus} skipped", file=sys.stderr)
            continue
        diagnostics = json.loads(json_path.read_text())
        sampled = read_sample(labels_dir / f"{corpus}.sample")
        t = tally(corpus, diagnostics, read_labels(csv_path), sampled)
        report(t, out)
        tallies.append(t)
    if tallies:
        t = total(tallies)
        print("== TOTAL (unlabelled, fp and misses listed above)", file=out)
        _summary(t, out)
    return tallies


def write_sample(corpus_dir: Path, labels_dir: Path) -> Path:
    names = [p.name for p in corpus_dir.iterdir() if p.suffix in SCRIPT_SUFFIXES]
    path = labels_dir / f"{corpus_dir.name}.sample"
    path.write_text("".join(f"{n}\n" for n in sample(names)))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", nargs="?", type=Path, help="a run.sh output directory")
    parser.add_argument("--labels", type=Path, default=Path(__file__).parent / "labels")
    parser.add_argument(
        "--write-sample", type=Path, metavar="CORPUS_DIR", help="write <corpus>.sample and stop"
    )
    args = parser.parse_args(argv)
    if args.write_sample:
        print(write_sample(args.write_sample, args.labels))
        return 0
    if args.run_dir is None:
        parser.error("RUN_DIR is required")
    run(args.run_dir, args.labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
