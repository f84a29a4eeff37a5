"""Count the models whose layer output shapes kerascheck knows statically.

    python benchmarks/known_shapes.py DIR [DIR ...]

Prints, per model kind, over every .py and .ipynb file under the directories:
the models found; those fully known, whose every layer's output shape is known
(a size the source does not pin down, `Input(shape=(40, len(chars)))`, is None
in it: `show --format json`'s `fully_known`); and those whose every size and
parameter count is known too, None only where the code itself writes None
(`sizes_known`). It reads the IR through whichever
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


def _rows(model, models, cache: dict) -> tuple[list, str | None]:
    if infer_file is None:
        return infer(model)
    if id(models) not in cache:
        cache.clear()  # one file at a time
        cache[id(models)] = dict(zip(map(id, models), infer_file(models)))
    return cache[id(models)][id(model)]


def main(directories: list[str]) -> None:
    found, ranks, known, cache = Counter(), Counter(), Counter(), {}
    for _, model, models in models_in(directories):
        found[model.kind] += 1
        rows, reason = _rows(model, models, cache)
        if rows and all(isinstance(row.shape, tuple) for row in rows):
            ranks[model.kind] += 1
            # every size too: nothing left unknown, and every parameter count
            if reason is None and all(isinstance(row.params, int) for row in rows):
                known[model.kind] += 1
    print(f"{'':12} {'found':>6} {'fully known':>12} {'sizes known':>12}")
    for kind in sorted(found):
        print(f"{kind:12} {found[kind]:6} {ranks[kind]:12} {known[kind]:12}")
    total = (sum(found.values()), sum(ranks.values()), sum(known.values()))
    print(f"{'total':12} {total[0]:6} {total[1]:12} {total[2]:12}")


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    main(sys.argv[1:])
