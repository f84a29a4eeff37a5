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

try:  # the graph, and blocks that learn their input from the call (issue 13)
    from kerascheck.ir.shapes import infer_file
except ImportError:  # older checkouts only have the chain
    infer_file = None


def _rows(model, models, cache: dict) -> list:
    if infer_file is None:
        return infer(model)[0]
    if id(models) not in cache:
        cache.clear()  # one file at a time
        cache[id(models)] = dict(zip(map(id, models), infer_file(models)))
    return cache[id(models)][id(model)][0]


def main(directories: list[str]) -> None:
    found, known, cache = Counter(), Counter(), {}
    for _, model, models in models_in(directories):
        found[model.kind] += 1
        rows = _rows(model, models, cache)
        if rows and all(isinstance(row.shape, tuple) for row in rows):
            known[model.kind] += 1
    for kind in sorted(found):
        print(f"{kind:12} {known[kind]:5} fully known of {found[kind]:5}")
    print(f"{'total':12} {sum(known.values()):5} fully known of {sum(found.values()):5}")


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    main(sys.argv[1:])
