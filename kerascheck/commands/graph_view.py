"""A model as nodes for `kerascheck show`: the text table's rows, and the
`--format json | mermaid | dot` views of its graph.

Drawing needs no TensorFlow, pydot or graphviz: mermaid renders on GitHub and
in many Markdown viewers, dot is Graphviz's own text format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kerascheck.ir.model import Layer, Model, Unknown
from kerascheck.ir.shapes import format_shape, infer_file

FORMATS = ("text", "json", "mermaid", "dot")


@dataclass(frozen=True)
class NodeView:
    kind: str  # the layer kind, or the source text of an opaque element
    layer: Layer | None
    line: int | str
    inputs: tuple[int | None, ...]
    shape: Any  # tuple, or Unknown
    params: Any  # int, or Unknown
    runtime_shape: tuple | None = None
    runtime_params: int | None = None
    refused: bool = False  # the node Keras refused (runtime)


def node_views(model: Model, rows: list, line_of, result=None) -> list[NodeView]:
    """One view per graph node (functional) or per element (Sequential)."""
    by_element = {}
    if result is not None:
        by_element = {id(e): i for i, e in enumerate(model.layers)}
    views = []
    for node, row in zip(model.graph.nodes, rows):
        element = node.element
        layer = element if isinstance(element, Layer) else None
        index = by_element.get(id(element))
        runtime, runtime_params = None, None
        if result is not None and result.node_shapes:  # built as a graph: by node
            number = len(views)
            runtime = result.node_shapes.get(number)
            runtime_params = result.node_params.get(number)
        elif result is not None and index is not None and index in result.shapes:
            runtime = tuple(result.shapes[index])
            runtime_params = result.params.get(index)
        refused = result is not None and result.error_node == len(views)
        views.append(
            NodeView(
                kind=layer.kind if layer else " ".join(element.text.split())[:60],
                layer=layer,
                line=line_of(element.loc),
                inputs=node.inputs,
                shape=row.shape,
                params=row.params,
                runtime_shape=runtime,
                runtime_params=runtime_params,
                refused=refused,
            )
        )
    return views


def _shape_json(shape: Any) -> list | None:
    return list(shape) if isinstance(shape, tuple) else None


def json_models(path: str, models: tuple[Model, ...], line_of, results, runtime: bool) -> list:
    """Per model: file, name, kind, line, fully_known, sizes_known and its layers (nodes)."""
    out = []
    for model, (rows, reason), result in zip(models, infer_file(models), results):
        views = node_views(model, rows, line_of, result)
        shapes_known = bool(views) and all(isinstance(v.shape, tuple) for v in views)
        layers = []
        for view in views:
            entry = {
                "kind": view.kind,
                "line": view.line,
                "inputs": list(view.inputs),
                "output_shape": _shape_json(view.shape),
                "params": view.params if isinstance(view.params, int) else None,
            }
            if runtime:
                entry["runtime_output_shape"] = _shape_json(view.runtime_shape)
            layers.append(entry)
        out.append(
            {
                "file": path,
                "name": model.name,
                "kind": model.kind,
                "line": line_of(model.loc),
                # Every layer's output shape is a list (its rank known); a size
                # the source does not pin down is null in it (`shape=(40,
                # len(chars))`), and `sizes_known` says whether any is.
                "fully_known": shapes_known,
                "sizes_known": shapes_known
                and reason is None
                and all(isinstance(v.params, int) for v in views),
                "layers": layers,
            }
        )
    return out


def _label(view: NodeView) -> str:
    shape = format_shape(view.shape) if not isinstance(view.shape, Unknown) else "?"
    return f"{view.kind} {shape}"


def _graphs(models: tuple[Model, ...], line_of):
    for number, (model, (rows, _)) in enumerate(zip(models, infer_file(models))):
        if model.graph.nodes:
            yield number, model, node_views(model, rows, line_of)


def to_mermaid(models: tuple[Model, ...], line_of) -> str:
    lines = []
    for number, model, views in _graphs(models, line_of):
        lines += ["```mermaid", "flowchart TD", f"  %% {model.name} ({model.kind})"]
        for index, view in enumerate(views):
            text = _label(view).replace('"', "'")
            lines.append(f'  m{number}n{index}["{text}"]')
        for index, view in enumerate(views):
            for source in view.inputs:
                if source is not None:
                    lines.append(f"  m{number}n{source} --> m{number}n{index}")
        lines.append("```")
    return "\n".join(lines) + "\n"


def to_dot(models: tuple[Model, ...], line_of) -> str:
    lines = []
    for number, model, views in _graphs(models, line_of):
        name = json.dumps(f"{model.name} ({model.kind})")
        lines += [f"digraph m{number} {{", f"  label={name};", "  node [shape=box];"]
        for index, view in enumerate(views):
            lines.append(f"  n{index} [label={json.dumps(_label(view))}];")
        for index, view in enumerate(views):
            for source in view.inputs:
                if source is not None:
                    lines.append(f"  n{source} -> n{index};")
        lines.append("}")
    return "\n".join(lines) + "\n"
