"""benchmarks/precision_recall.py on a tiny fake run and labels: exact numbers."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "precision_recall.py"


def diag(corpus: str, name: str, row: int, code: str, column: int = 1, cell=None) -> dict:
    return {
        "filename": f"/work/corpus/{corpus}/{name}",
        "cell": cell,
        "code": code,
        "location": {"row": row, "column": column},
        "message": f"{code} at column {column}",
    }


def run_script(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_counts_listings_and_stale_rows(tmp_path: Path) -> None:
    run_dir, labels = tmp_path / "run", tmp_path / "labels"
    run_dir.mkdir()
    labels.mkdir()
    (run_dir / "py.json").write_text(
        json.dumps(
            [
                diag("py", "a.py", 3, "KC101"),
                diag("py", "a.py", 7, "KC202", column=30),
                diag("py", "a.py", 7, "KC202", column=5),  # same key: rows taken by column
                diag("py", "b.py", 9, "KC201"),
                diag("py", "b.py", 12, "KC301"),  # no label
                diag("py", "c.py", 4, "KC105"),  # a labelled miss now found
            ]
        )
    )
    (run_dir / "nb.json").write_text(json.dumps([diag("nb", "n.ipynb", 2, "KC201", cell=5)]))
    (labels / "py.csv").write_text(
        "file,line,code,verdict,note\n"
        "py/a.py,3,KC101,tp,right\n"
        "py/a.py,7,KC202,tp,first on the line\n"
        'py/a.py,7,KC202,fp,"second, wrong"\n'
        "py/b.py,9,KC201,tp,outside the sample\n"
        "py/a.py,20,KC204,miss,not found\n"
        "py/c.py,4,KC105,miss,found now\n"
        "py/a.py,30,KC101,tp,gone\n"
        "py/b.py,40,KC101,fp,gone too\n"
    )
    (labels / "py.sample").write_text("a.py\nc.py\n")
    (labels / "nb.csv").write_text("file,line,code,verdict,note\nnb/n.ipynb,5:2,KC201,tp,cell\n")

    out = run_script(str(run_dir), "--labels", str(labels))

    assert "== nb\ndiagnostics 1  labelled 1  unlabelled 0  tp 1  fp 0  precision 1.000\n" in out
    assert "sample 0 files: found 0  misses 0  recall n/a\n" in out
    assert (
        "== py\ndiagnostics 6  labelled 5  unlabelled 1  tp 4  fp 1  precision 0.800\n"
        "sample 2 files: found 3  misses 2  recall 0.600\n"
        "  unlabelled (read and label them):\n"
        "    py/b.py:12: KC301 KC301 at column 1\n"
        "  fp:\n"
        "    py/a.py:7: KC202 KC202 at column 30  [second, wrong]\n"
        "  misses:\n"
        "    py/a.py:30: KC101 (labelled tp, no longer reported) gone\n"
        "    py/a.py:20: KC204 not found\n"
        "  labelled misses now found (relabel tp):\n"
        "    py/c.py:4: KC105 KC105 at column 1  [was a miss: found now]\n"
        "  stale labels (no diagnostic; update the CSV):\n"
        "    py/a.py:30: KC101 (tp, no such diagnostic) gone\n"
        "    py/b.py:40: KC101 (fp, no such diagnostic) gone too\n"
    ) in out
    assert out.endswith(
        "== TOTAL (unlabelled, fp and misses listed above)\n"
        "diagnostics 7  labelled 6  unlabelled 1  tp 5  fp 1  precision 0.833\n"
        "sample 2 files: found 3  misses 2  recall 0.600\n"
    )


def test_sample_is_the_names_whose_sha1_sorts_first(tmp_path: Path) -> None:
    corpus, labels = tmp_path / "corp", tmp_path / "labels"
    corpus.mkdir()
    labels.mkdir()
    names = [f"f{i}.py" for i in range(25)] + ["g.ipynb"]
    for name in [*names, "data.csv"]:
        (corpus / name).write_text("")
    run_script("--write-sample", str(corpus), "--labels", str(labels))
    expected = sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest())[:20]
    assert (labels / "corp.sample").read_text().splitlines() == expected
