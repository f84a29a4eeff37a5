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

from corpus_models import models_in

from kerascheck.ir.shapes import infer

try:  # the graph (issue 13); older checkouts only have the chain
    from kerascheck.ir.shapes import infer_graph
except ImportError:
    infer_graph = None


def _rows(model, models):
    if infer_graph is not None:
        return infer_graph(model, models)[0]
    return infer(model)[0]


def main(directories: list[str]) -> None:
    found, known = Counter(), Counter()
    for _, model, models in models_in(directories):
        found[model.kind] += 1
        rows = _rows(model, models)
        if rows and all(isinstance(row.shape, tuple) for row in rows):
            known[model.kind] += 1
    for kind in sorted(found):
        print(f"{kind:12} {known[kind]:5} fully known of {found[kind]:5}")
    print(f"{'total':12} {sum(known.values()):5} fully known of {sum(found.values()):5}")


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    main(sys.argv[1:])
