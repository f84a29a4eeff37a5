"""The runtime worker: imports Keras once, then builds one plan per line.

Run as `python -m kerascheck.runtime.worker`. It reads line-delimited JSON
requests on stdin and answers each with one JSON line on stdout:

    -> {"id": 3, "input": [null, 28, 28, 1], "layers": [{"class": "Conv2D", "config": {...}}],
        "budget": 100000000}
    <- {"id": 3, "status": "built", "layers": [{"shape": [null, 26, 26, 32], "params": 320}],
        "params": 320, "cpu_ms": 8.1}
    <- {"id": 3, "status": "error", "layer": 0, "message": "..."}
    <- {"id": 3, "status": "too_large", "params": 15052900000, "layers": [...]}

A graph plan (graph_plan.py) has "nodes" instead of "input": each an input
({"input": [null, 8]}) or a call of one of its "layers" on earlier nodes
({"layer": 0, "inputs": [0, 1], "merge": true}); a layer two nodes call is built
once. Its answer has "nodes" (each node's shape), "layers" (each layer's
params) and, on error, "node": the node Keras refused.

Layers are built symbolically inside a StatelessScope that never initialises
variables: shapes and parameter counts come out, no weight is ever allocated,
so a model of a billion parameters costs the same few milliseconds as a small
one. Only classes in catalog.buildable.BUILDABLE are built; nothing else is imported.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
import warnings

from kerascheck.catalog.buildable import BUILDABLE
from kerascheck.runtime.graph_plan import GRAPH_BUILDABLE

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _plain_error(error: Exception) -> str:
    """Keras's message without colour codes, call-site boilerplate or argument dumps."""
    text = _ANSI.sub("", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [
        line
        for line in lines
        if not line.startswith(("Exception encountered when calling", "Arguments received by", "•"))
    ]
    return " ".join(lines) or type(error).__name__


def _forget_deferred_variables() -> None:
    """Variables created under StatelessScope(initialize_variables=False) wait in a
    global list for an initialisation that must never come: drop them."""
    try:
        from keras.src.backend.common import global_state

        global_state.set_global_attribute("uninitialized_variables", [])
    except (ImportError, AttributeError):  # a Keras without deferred variables
        pass


def build(keras, request: dict) -> dict:
    if "nodes" in request:
        return build_graph(keras, request)
    answer: dict = {"id": request.get("id")}
    shapes = []
    total = 0
    try:
        with keras.StatelessScope(initialize_variables=False):
            tensor = keras.Input(batch_shape=tuple(request["input"]))
            for index, spec in enumerate(request["layers"]):
                kind = spec["class"]
                if kind not in BUILDABLE:  # the client never asks; refuse anyway
                    raise _Refused(index, f"`{kind}` is not a layer kerascheck builds")
                try:
                    layer = getattr(keras.layers, kind)(**spec["config"])
                    tensor = layer(tensor)
                except Exception as error:  # Keras's verdict on this layer
                    raise _Refused(index, _plain_error(error)) from None
                params = int(layer.count_params())
                total += params
                shapes.append({"shape": list(tensor.shape), "params": params})
    except _Refused as refused:
        answer.update(status="error", layer=refused.index, message=refused.message, layers=shapes)
        return answer
    finally:
        _forget_deferred_variables()
    status = "too_large" if total > request.get("budget", float("inf")) else "built"
    answer.update(status=status, layers=shapes, params=total)
    return answer


def _make(keras, spec: dict, node: int, number: int):
    kind = spec["class"]
    if kind not in GRAPH_BUILDABLE:  # the client never asks; refuse anyway
        raise _Refused(node, f"`{kind}` is not a layer kerascheck builds", number)
    try:
        return getattr(keras.layers, kind)(**spec["config"])
    except Exception as error:  # Keras refuses the arguments themselves
        raise _Refused(node, _plain_error(error), number) from None


def build_graph(keras, request: dict) -> dict:
    """A graph plan, rebuilt with the functional API: each layer object made
    once, on its first call; `keras.Model` checks the graph as a whole."""
    answer: dict = {"id": request.get("id")}
    specs = request["layers"]
    layers: dict[int, object] = {}
    tensors: list = []
    try:
        with keras.StatelessScope(initialize_variables=False):
            for index, node in enumerate(request["nodes"]):
                if "input" in node:
                    tensors.append(keras.Input(batch_shape=tuple(node["input"])))
                    continue
                inputs = [tensors[i] for i in node["inputs"]]
                out = inputs if node.get("merge") else inputs[0]
                # A Sequential block: its layers one after the other.
                for number in node.get("block") or [node["layer"]]:
                    if number not in layers:
                        layers[number] = _make(keras, specs[number], index, number)
                    try:
                        out = layers[number](out)
                    except Exception as error:  # Keras's verdict on this call
                        raise _Refused(index, _plain_error(error), number) from None
                    if not hasattr(out, "shape") or isinstance(out, (list, tuple, dict)):
                        return dict(answer, status="failed", message="a layer gave several tensors")
                tensors.append(out)
            outputs = [tensors[i] for i in request["outputs"]]
            names = request.get("output_names")
            try:
                keras.Model(
                    [t for t, n in zip(tensors, request["nodes"]) if "input" in n],
                    dict(zip(names, outputs)) if names else outputs,
                )
            except Exception as error:  # the graph as a whole: no one layer to blame
                raise _Refused(None, _plain_error(error)) from None
            params = [
                int(layers[i].count_params()) if i in layers else 0 for i in range(len(specs))
            ]
    except _Refused as refused:
        shapes = [{"shape": list(t.shape)} for t in tensors]
        answer.update(
            status="error",
            node=refused.index,
            layer=refused.layer,
            message=refused.message,
            nodes=shapes,
        )
        return answer
    finally:
        _forget_deferred_variables()
    total = sum(params)
    status = "too_large" if total > request.get("budget", float("inf")) else "built"
    answer.update(
        status=status,
        nodes=[{"shape": list(t.shape)} for t in tensors],
        layers=[{"params": p} for p in params],
        params=total,
    )
    return answer


class _Refused(Exception):
    def __init__(self, index: int | None, message: str, layer: int | None = None) -> None:
        super().__init__(message)
        self.index = index  # the layer (chain) or node (graph) Keras refused
        self.message = message
        self.layer = layer  # graph: the layer of that node it refused


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    warnings.simplefilter("ignore")  # Keras's UserWarnings are not the user's business here
    # Keep stdout for our protocol only: anything Keras prints goes to stderr.
    out = sys.stdout
    sys.stdout = sys.stderr
    import keras

    out.write(json.dumps({"ready": True, "keras": keras.__version__}) + "\n")
    out.flush()
    for line in io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8"):
        if not line.strip():
            continue
        request: dict = {}
        started = time.process_time()
        try:
            request = json.loads(line)
            answer = build(keras, request)
            answer["cpu_ms"] = round((time.process_time() - started) * 1000, 2)
        except Exception as error:  # a bad request is an answer, not a crash
            answer = {
                "id": request.get("id"),
                "status": "failed",
                "message": f"the worker could not read the request: {_plain_error(error)}",
            }
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
