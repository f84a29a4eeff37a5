"""Count the models whose every layer output shape kerascheck knows statically.

    python benchmarks/known_shapes.py DIR [DIR ...]

Prints, per model kind, the models found and the models fully known, over every
.py and .ipynb file under the directories. It reads the IR through whichever
kerascheck is importable, so the same script measures an older checkout
(PYTHONPATH=/path/to/checkout) and this one.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import libcst as cst

from kerascheck.ir.extract.walker import extract
from kerascheck.ir.shapes import infer
from kerascheck.notebooks.notebook import to_python

try:  # where notebooks are read moved; older checkouts keep it in notebook.py
    from kerascheck.notebooks.reading import read_notebook
except ImportError:
    from kerascheck.notebooks.notebook import read_notebook

try:  # the graph (issue 13); older checkouts only have the chain
    from kerascheck.ir.shapes import infer_graph
except ImportError:
    infer_graph = None


def _text(path: Path) -> str | None:
    try:
        if path.suffix == ".ipynb":
            return to_python(read_notebook(str(path))).text
        return path.read_text(encoding="utf-8")
    except Exception:
        return None


def _rows(model, models):
    if infer_graph is not None:
        return infer_graph(model, models)[0]
    return infer(model)[0]


def main(directories: list[str]) -> None:
    found, known = Counter(), Counter()
    for directory in directories:
        for path in sorted(Path(directory).rglob("*")):
            if path.suffix not in (".py", ".ipynb"):
                continue
            text = _text(path)
            if text is None:
                continue
            try:
                kfile = extract(cst.parse_module(text))
            except Exception:
                continue
            for model in kfile.models:
                if model.kind not in ("sequential", "functional"):
                    continue
                found[model.kind] += 1
                rows = _rows(model, kfile.models)
                if rows and all(isinstance(row.shape, tuple) for row in rows):
                    known[model.kind] += 1
    for kind in sorted(found):
        print(f"{kind:12} {known[kind]:5} fully known of {found[kind]:5}")
    print(f"{'total':12} {sum(known.values()):5} fully known of {sum(found.values()):5}")


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    main(sys.argv[1:])
