"""Count the models runtime mode builds, and check static shapes against Keras's.

    python benchmarks/runtime_graphs.py DIR [DIR ...]

Over every .py and .ipynb file under the directories: per model kind, the
Sequential and functional models found, those runtime mode builds (real Keras,
in its worker), those of them whose every output shape static inference knows,
and every shape or parameter count where static inference and Keras differ
(there should be none). Then the commonest reasons a model is not built. It
reads whichever kerascheck is importable, so PYTHONPATH=/path/to/checkout
measures an older one (there, functional models are planned as chains).
"""

from __future__ import annotations

import re
import sys
from collections import Counter

from corpus_models import models_in

from kerascheck.ir.shapes import infer, infer_graph
from kerascheck.runtime.results import run, session


def _agrees(static: tuple, keras: list) -> bool:
    """Same rank, and every size static inference knows is Keras's (None is a
    size it leaves unknown)."""
    return len(static) == len(keras) and all(s in (None, k) for s, k in zip(static, keras))


def _compare(model, models, result) -> tuple[bool, list[str]]:
    """(every static shape known, the differences from Keras)."""
    by_node = bool(getattr(result, "node_shapes", None))
    rows = infer_graph(model, models)[0] if by_node else infer(model)[0]
    shapes = result.node_shapes if by_node else result.shapes
    params = result.node_params if by_node else result.params
    differences = []
    for index, row in enumerate(rows):
        if (
            isinstance(row.shape, tuple)
            and index in shapes
            and not _agrees(row.shape, shapes[index])
        ):
            differences.append(f"#{index} shape {row.shape} != Keras {shapes[index]}")
        if isinstance(row.params, int) and index in params and row.params != params[index]:
            differences.append(f"#{index} params {row.params} != Keras {params[index]}")
    return bool(rows) and all(isinstance(r.shape, tuple) for r in rows), differences


def main(directories: list[str]) -> None:
    found, built, known, reasons = Counter(), Counter(), Counter(), Counter()
    worker = session()
    differences = []
    for path, model, models in models_in(directories):
        found[model.kind] += 1
        try:  # the file's models: its Sequential blocks
            result = run(model, worker, models)
        except TypeError:  # an older checkout: no blocks
            result = run(model, worker)
        if result.status != "built":
            # Reasons without their specifics: `Dense` argument `units=n` -> ... `…`
            reasons[re.sub(r"`[^`]*`", "`…`", result.message)] += 1
            continue
        built[model.kind] += 1
        fully, wrong = _compare(model, models, result)
        known[model.kind] += fully
        differences += [f"{path.name}: `{model.name}` {d}" for d in wrong]
    for kind in sorted(found):
        print(
            f"{kind:12} found {found[kind]:4}  built {built[kind]:4}  "
            f"fully known statically {known[kind]:4}"
        )
    print(
        f"{'total':12} found {sum(found.values()):4}  built {sum(built.values()):4}  "
        f"fully known statically {sum(known.values()):4}"
    )
    print(f"static != Keras: {len(differences)}")
    for line in differences:
        print("  " + line)
    print("not built, commonest reasons:")
    for reason, count in reasons.most_common(12):
        print(f"  {count:4}  {reason}")
    worker.close()


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    main(sys.argv[1:])
